"""Months, dates and numbers as Dutch documents and exports write them (core.dutch)."""

from datetime import date
from decimal import Decimal

import pytest

from openveiligheid.core.dutch import (
    MONTH_NAMES,
    month_number,
    parse_date,
    parse_meeting_date,
    parse_number,
    read_day_month,
)


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("januari", 1),
        ("Jan", 1),
        ("febr.", 2),
        ("mrt", 3),
        ("maa", 3),
        ("mar", 3),
        ("mei", 5),
        ("sept", 9),
        ("sep.", 9),
        ("okt", 10),
        ("oct", 10),
        ("December", 12),
        ("brumaire", None),
        ("", None),
    ],
)
def test_month_number(word, number):
    assert month_number(word) == number


def test_month_names_are_the_calendar_in_dutch():
    assert len(MONTH_NAMES) == 12
    assert (MONTH_NAMES[0], MONTH_NAMES[4], MONTH_NAMES[11]) == ("januari", "mei", "december")
    assert all(month_number(name) == index for index, name in enumerate(MONTH_NAMES, start=1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-2-2021", (11, 2, 2021)),
        ("11/02/2021", (11, 2, 2021)),
        ("11.2.21", (11, 2, 2021)),
        ("11-02", (11, 2, None)),
        ("2021-02-11", (11, 2, 2021)),
        ("9 september 2017", (9, 9, 2017)),
        ("11 feb. 2021", (11, 2, 2021)),
        ("11 Februari", (11, 2, None)),
        ("donderdag 11-2-2021", (11, 2, 2021)),
        ("do 11 februari 2021", (11, 2, 2021)),
        ("  31-12-2018  ", (31, 12, 2018)),
    ],
)
def test_read_day_month(text, expected):
    assert read_day_month(text) == expected


@pytest.mark.parametrize("text", ["volgt", "11 brumaire 2021", "2021", "Q3 2017", "11-2-2021x"])
def test_read_day_month_refuses_other_text(text):
    with pytest.raises(ValueError, match="geen datum die ik kan lezen"):
        read_day_month(text)


@pytest.mark.parametrize(
    ("text", "year", "with_time", "expected"),
    [
        ("31-12-2018", None, False, date(2018, 12, 31)),
        ("2018-12-31", None, False, date(2018, 12, 31)),
        ("9 september 2017", None, False, date(2017, 9, 9)),
        ("11-02", 2021, False, date(2021, 2, 11)),
        ("11-07-2023 14:05", None, True, date(2023, 7, 11)),
        ("2023-07-11T14:05:00", None, True, date(2023, 7, 11)),
        ("2023-07-11T14:05:00+02:00", None, True, date(2023, 7, 11)),
    ],
)
def test_parse_date(text, year, with_time, expected):
    assert parse_date(text, year, with_time=with_time) == expected


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("", None, "Geen datum"),
        ("11-02", None, "geen jaar"),
        ("31-2-2021", None, "geen bestaande datum"),
        ("29-2-2023", None, "geen bestaande datum"),
        ("11-13-2021", None, "geen bestaande datum"),
        ("11-07-2023 14:05", None, "geen datum die ik kan lezen"),
        ("eind 2017", 2017, "geen datum die ik kan lezen"),
    ],
)
def test_parse_date_refuses_in_dutch(text, year, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text, year)


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("11-2-2021 (28-1)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("26-1-2017 (12-1)", None, (date(2017, 1, 26), date(2017, 1, 12))),
        ("11-2-2021 (28-1)", 2019, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11 februari 2021", None, (date(2021, 2, 11), None)),
        ("11 Februari", 2021, (date(2021, 2, 11), None)),
        ("11-02", 2021, (date(2021, 2, 11), None)),
        ("donderdag 11-2-2021 (28-1)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("  11-2-2021   ( 28-1 ) ", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (stukken 28-1)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (deadline: 28 januari)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (28-1-2021)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("8-1-2021 (20-12)", None, (date(2021, 1, 8), date(2020, 12, 20))),
        ("11-2-2021 (11-2)", None, (date(2021, 2, 11), date(2021, 2, 11))),
    ],
)
def test_parse_meeting_date(text, year, expected):
    assert parse_meeting_date(text, year) == expected


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("", 2021, "Geen datum"),
        ("11-02", None, "geen jaar"),
        ("31-2-2021", None, "geen bestaande datum"),
        ("volgt", 2021, "geen datum die ik kan lezen"),
        ("11-2-2021 (onbekend)", None, "geen datum die ik kan lezen"),
        ("11-2-2021 (28-2)", None, "niet kort vóór het overleg"),
        ("11-2-2021 (28-3-2021)", None, "niet kort vóór het overleg"),
        ("11-2-2021 (1-9-2020)", None, "niet kort vóór het overleg"),
    ],
)
def test_parse_meeting_date_refuses_in_dutch(text, year, message):
    with pytest.raises(ValueError, match=message):
        parse_meeting_date(text, year)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("7,6", True, Decimal("7.6")),
        ("7.6", True, Decimal("7.6")),
        ("23.555", True, Decimal("23555")),
        ("23.555", False, Decimal("23.555")),
        ("6.934.800", True, Decimal("6934800")),
        ("€ 1.270.000", True, Decimal("1270000")),
        ("€\u00a01.270.000", True, Decimal("1270000")),
        ("9,4%", True, Decimal("9.4")),
        ("45,5 %", True, Decimal("45.5")),
        ("1.234,56", True, Decimal("1234.56")),
        ("1.234.567,8", False, Decimal("1234567.8")),
        ("0.125", True, Decimal("0.125")),
        ("58085.0", False, Decimal("58085.0")),
        ("-3,5", True, Decimal("-3.5")),
        ("+12", True, Decimal("12")),
        (" 42 ", True, Decimal("42")),
        (",5", True, Decimal("0.5")),
        ("1e3", True, Decimal("1000")),
        (7081, True, Decimal("7081")),
    ],
)
def test_parse_number(text, decimal_comma, expected):
    assert parse_number(text, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize(
    "text",
    ["", "abc", "€", "%", "7,6,1x", "1,2,3", "12 a 13", "NaN", "NaNa", "Infinity", "-inf", "1e"],
)
def test_parse_number_refuses_non_numbers_and_non_finite(text):
    with pytest.raises(ValueError, match="geen getal"):
        parse_number(text)
