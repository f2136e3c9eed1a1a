from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openveiligheid.core.changelog import changes_for
from openveiligheid.indicators.models import Measurement
from openveiligheid.indicators.services import (
    delete_measurement,
    record_measurement,
    write_interpretation,
)
from tests.indicators.factories import IndicatorFactory
from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_measurement_creates_updates_and_logs():
    user = UserFactory()
    indicator = IndicatorFactory(unit="count")
    measurement, changed = record_measurement(
        indicator=indicator, period="2023", value="120", actor=user
    )
    assert changed and measurement.value == Decimal("120")
    again, changed = record_measurement(indicator=indicator, period="2023", value=120, actor=user)
    assert not changed and again.pk == measurement.pk
    updated, changed = record_measurement(indicator=indicator, period="2023", value=110, actor=user)
    assert changed and updated.value == Decimal("110")
    log = list(changes_for(measurement))
    assert [entry.operation for entry in log] == ["update", "create"]
    assert log[0].before["value"] == "120" and log[0].after["value"] == "110"
    assert log[0].actor == user


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        ("percentage", "120", "tussen 0 en 100"),
        ("grade", "11", "tussen 1 en 10"),
        ("count", "-3", "niet negatief"),
        ("count", "abc", "geen getal"),
    ],
)
def test_record_measurement_refuses_bad_values_and_writes_nothing(unit, value, message):
    indicator = IndicatorFactory(unit=unit)
    with pytest.raises(ValidationError) as error:
        record_measurement(indicator=indicator, period="2023", value=value)
    assert message in str(error.value)
    assert not Measurement.objects.exists()


def test_record_measurement_refuses_bad_period():
    indicator = IndicatorFactory()
    with pytest.raises(ValidationError) as error:
        record_measurement(indicator=indicator, period="2023-13", value=1)
    assert "maand" in str(error.value)


def test_derived_indicator_cannot_be_typed():
    numerator = IndicatorFactory()
    denominator = IndicatorFactory(plan=numerator.plan)
    derived = IndicatorFactory(
        plan=numerator.plan, numerator=numerator, denominator=denominator, per=1000
    )
    with pytest.raises(ValidationError) as error:
        record_measurement(indicator=derived, period="2023", value=5)
    assert "berekend" in str(error.value)


def test_interpretation_written_once_per_period_and_logged():
    indicator = IndicatorFactory()
    first = write_interpretation(indicator=indicator, period="2023", text="Daling door inzet.")
    second = write_interpretation(indicator=indicator, period="2023", text="Daling, zie duiding.")
    assert first.pk == second.pk and second.text == "Daling, zie duiding."
    assert [e.operation for e in changes_for(first)] == ["update", "create"]
    with pytest.raises(ValidationError):
        write_interpretation(indicator=indicator, period="2023", text="  ")


def test_delete_measurement_is_logged():
    indicator = IndicatorFactory()
    measurement, _ = record_measurement(indicator=indicator, period="2023", value=3)
    pk = measurement.pk
    delete_measurement(measurement)
    assert not Measurement.objects.filter(pk=pk).exists()
    entry = Measurement(pk=pk)
    assert [e.operation for e in changes_for(entry)] == ["delete", "create"]
