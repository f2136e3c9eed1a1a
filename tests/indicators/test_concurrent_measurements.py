"""Two requests that create the same measurement at the same moment give one row and a clear
answer each, never a server error (the unique constraint turns the second into an update)."""

import threading

import pytest
from django.db import close_old_connections, connection

from openveiligheid.indicators import services
from openveiligheid.indicators.models import Measurement


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real race needs PostgreSQL (SQLite serialises whole transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_give_one_measurement(world):
    indicator = world.objects["a"]["indicator"]
    barrier = threading.Barrier(4)
    outcomes: list = []

    def record(value):
        try:
            barrier.wait(timeout=10)
            measurement, _changed = services.record_measurement(
                indicator=indicator, period="2019", value=value
            )
            outcomes.append(("ok", measurement.pk))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            outcomes.append(("error", repr(error)))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=record, args=(10 + n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [kind for kind, _ in outcomes] == ["ok"] * 4, outcomes
    rows = Measurement.objects.filter(indicator=indicator, period_start__year=2019)
    assert rows.count() == 1
    assert len({pk for _kind, pk in outcomes}) == 1


def test_a_second_create_of_the_same_measurement_updates_it(world):
    indicator = world.objects["a"]["indicator"]
    first, _ = services.record_measurement(indicator=indicator, period="2019", value=10)
    second, changed = services.record_measurement(indicator=indicator, period="2019", value=12)
    assert (second.pk, changed) == (first.pk, True)
    assert Measurement.objects.get(pk=first.pk).value == 12
