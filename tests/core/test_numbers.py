"""Numbers fit their database column or are refused in Dutch (no infinity, no overflow)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openveiligheid.core.numbers import decimal_for_column
from openveiligheid.indicators.models import Measurement
from openveiligheid.programme.models import BudgetAmount


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e999999", "Dit getal is te groot: hoogstens 16 cijfers voor de komma."),
        ("1e400", "Dit getal is te groot: hoogstens 16 cijfers voor de komma."),
        ("1" * 30, "Dit getal is te groot: hoogstens 16 cijfers voor de komma."),
        ("Infinity", "De waarde moet een eindig getal zijn."),
        ("NaN", "De waarde moet een eindig getal zijn."),
        ("-inf", "De waarde moet een eindig getal zijn."),
        ("0.123456", "Gebruik hoogstens 4 cijfers na de komma."),
        ("twaalf", "'twaalf' is geen getal."),
    ],
)
def test_values_outside_the_column_are_refused(value, message):
    with pytest.raises(ValidationError) as error:
        decimal_for_column(Measurement, "value", value)
    assert error.value.message_dict == {"value": [message]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9999999999999999.9999", Decimal("9999999999999999.9999")),
        ("7.60000", Decimal("7.6")),
        ("-3", Decimal("-3")),
        ("1E+3", Decimal("1E+3")),
        (Decimal("17347824"), Decimal("17347824")),
    ],
)
def test_values_that_fit_are_kept(value, expected):
    assert decimal_for_column(Measurement, "value", value) == expected


def test_the_column_decides_the_limits():
    with pytest.raises(ValidationError) as error:
        decimal_for_column(BudgetAmount, "amount", "1e13", key="amounts")
    assert error.value.message_dict == {
        "amounts": ["Dit getal is te groot: hoogstens 12 cijfers voor de komma."]
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (42, 42),
        ("²", None),
        ("-3", None),
        ("1.5", None),
        ("", None),
        (None, None),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("9" * 30, None),
    ],
)
def test_database_id(text, expected):
    from openveiligheid.core.numbers import database_id

    assert database_id(text) == expected
