"""A value too large for the column (the "1e999999" finding) is refused the same way by the
page, the API and the figures import; nothing is written and every page keeps working."""

import pytest
from django.urls import reverse

from openveiligheid.indicators.models import Measurement
from tests.permissions import login

pytestmark = pytest.mark.django_db
TOO_LARGE = "Dit getal is te groot: hoogstens 16 cijfers voor de komma."


@pytest.mark.parametrize("value", ["1e999999", "1e400", "1" * 30])
def test_api_refuses_a_value_beyond_the_column(client, world, value):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    before = Measurement.objects.count()
    response = client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, "period": "2023", "value": value},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert TOO_LARGE in str(response.json())
    assert Measurement.objects.count() == before
    assert client.get(reverse("indicator-list")).status_code == 200
    plan = indicator.plan
    assert client.get(f"/plannen/{plan.slug}/").status_code == 200


@pytest.mark.parametrize("value", ["1e400", "1" * 30])
def test_form_refuses_a_value_beyond_the_column(client, world, value):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    before = Measurement.objects.count()
    url = reverse("indicators:add-measurement", args=[indicator.plan.slug, indicator.slug])
    response = client.post(url, {"period": "2023", "value": value})
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert Measurement.objects.count() == before


def test_migration_reports_and_removes_non_finite_values(world, capsys):
    """A value stored as infinity before the range check (SQLite REAL, PostgreSQL numeric)."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from openveiligheid.core.models import ChangeLogEntry

    measurement = Measurement.objects.filter(indicator=world.objects["a"]["indicator"]).first()
    migration = importlib.import_module(
        "openveiligheid.indicators.migrations.0004_remove_non_finite_measurements"
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    if connection.vendor == "postgresql":
        # numeric(20, 4) cannot hold infinity: such a write always failed here. The query still
        # runs, and leaves finite values alone.
        migration.remove_non_finite_measurements(apps, editor)
        assert Measurement.objects.filter(pk=measurement.pk).exists()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE indicators_measurement SET value = 9e999 WHERE id = %s", [measurement.pk]
        )
    migration.remove_non_finite_measurements(apps, editor)

    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    assert f"Meting {measurement.pk} " in capsys.readouterr().out
    entry = ChangeLogEntry.objects.get(object_id=str(measurement.pk), operation="delete")
    assert entry.before["reason"] == "geen eindig getal"
    # Running it again finds nothing.
    migration.remove_non_finite_measurements(apps, editor)
