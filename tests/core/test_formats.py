from decimal import Decimal

import pytest

from openveiligheid.core.formats import (
    format_euro,
    format_number,
    format_percentage,
    format_value,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (7.6, None, "7,6"),
        (23555, None, "23.555"),
        (Decimal("17347824"), 0, "17.347.824"),
        (Decimal("1270000.00"), None, "1.270.000"),
        (-1234.5, 1, "-1.234,5"),
        (0, None, "0"),
        (Decimal("9.40"), None, "9,4"),
        (Decimal("0.125"), 2, "0,13"),
        (None, None, "–"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_euro_and_percentage_and_units():
    assert format_euro(17347824) == "€ 17.347.824"
    assert format_percentage(Decimal("9.4")) == "9,4%"
    assert format_value(Decimal("7.50"), "grade") == "7,5"
    assert format_value(60, "percentage") == "60%"
    assert format_value(5593, "count") == "5.593"
