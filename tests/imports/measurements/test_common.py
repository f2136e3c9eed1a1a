"""Periods, numbers, units and region kinds as the exports write them."""

from decimal import Decimal

import pytest

from openveiligheid.core.periods import parse_period
from openveiligheid.imports.measurements import read_table
from openveiligheid.imports.measurements.common import (
    guess_unit,
    normalise_period,
    parse_value,
    region_code,
    region_kind,
    single_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", "2023"),
        ("2023*", "2023"),
        ("2023 (voorlopig)", "2023"),
        ("2023JJ00", "2023"),
        ("2023KW02", "2023-Q2"),
        ("2023MM05", "2023-05"),
        ("2023HJ01", "2023-H1"),
        ("2023 1e kwartaal", "2023-Q1"),
        ("2023 4e kwartaal*", "2023-Q4"),
        ("2e kwartaal 2023", "2023-Q2"),
        ("2023 eerste halfjaar", "2023-H1"),
        ("2e helft 2023", "2023-H2"),
        ("2023 januari", "2023-01"),
        ("mei 2023", "2023-05"),
        ("2023 okt", "2023-10"),
        ("2023-Q3", "2023-Q3"),
        ("2023-H2", "2023-H2"),
        ("2023-7", "2023-07"),
        (Decimal("2021"), "2021"),
        (2019, "2019"),
        ("2023 zomer", None),
        ("2023MM13", None),
        ("1234", None),
        ("", None),
        (Decimal("2021.5"), None),
    ],
)
def test_periods(text, expected):
    assert normalise_period(text) == expected
    if expected:
        assert parse_period(expected).code == expected


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("7081", True, (Decimal("7081"), False)),
        ("40,5", True, (Decimal("40.5"), False)),
        ("1.234", True, (Decimal("1234"), False)),
        ("1.234", False, (Decimal("1.234"), False)),
        ("1.234.567,8", True, (Decimal("1234567.8"), False)),
        ("0.125", True, (Decimal("0.125"), False)),
        ("58085.0", False, (Decimal("58085"), False)),
        ("9,8%", True, (Decimal("9.8"), True)),
        ("-3,5", True, (Decimal("-3.5"), False)),
        (".", True, (None, False)),
        ("x", True, (None, False)),
        ("", True, (None, False)),
        ("n.v.t.", True, (None, False)),
        ("-99999999", False, (None, False)),
    ],
)
def test_numbers(text, decimal_comma, expected):
    assert parse_value(text, decimal_comma) == expected


@pytest.mark.parametrize("text", ["veel", "12 a 13", "1,2,3", "NaNa", "Infinity"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_value(text, True)


def test_units():
    assert guess_unit("aantal") == "count"
    assert guess_unit("%") == "percentage"
    assert guess_unit("per 1 000 inwoners") == "rate"
    assert guess_unit("GeregistreerdeMisdrijvenPer1000Inw_3") == "rate"
    assert guess_unit("OpgehelderdeMisdrijvenRelatief_5") == "percentage"
    assert guess_unit("Rapportcijfer veiligheid buurt") == "grade"
    assert guess_unit("veiligheidsindex") == ""


def test_regions():
    assert region_code("GM0200    ") == "GM0200"
    assert region_code("BU0363AA01") == "BU0363AA01"
    assert region_code("WK020001") == "WK020001"
    assert region_code("Apeldoorn") == ""
    assert region_kind("Nederland") == "country"
    assert region_kind("Epe (gemeente)") == "municipality"
    assert region_kind("Bergen (NH.)", hint="municipality") == "municipality"
    assert region_kind("Limburg (PV)", hint="municipality") == ""
    assert region_kind("Buitenland", hint="municipality") == ""
    assert region_kind("x", "BU02000000") == "neighbourhood"
    assert single_year("gemeenten_2023_bevolking") == "2023"
    assert single_year("veiligheidsindex_2014_2017") is None


def test_csv_with_an_onderwerp_column_is_a_plain_table_not_statline():
    content = b"onderwerp;gebied;jaar;waarde\nWoninginbraak;Epe;2023;41\n"
    table = read_table("x.csv", content)
    assert table.format == "survey"
    (only,) = table.observations
    assert (only.measure, only.region, only.period, only.value) == (
        "Woninginbraak",
        "Epe",
        "2023",
        41,
    )


def test_counts_per_postcode_and_date_are_not_an_incident_list():
    content = b"postcode,datum,aantal\n7311,2023-05-01,4\n"
    with pytest.raises(Exception, match="periode|kolom"):
        # A table, not incidents; it has no year column, so it is not readable as a table.
        read_table("x.csv", content)


def test_raw_typed_dataset_as_csv():
    content = (
        b"ID,SoortMisdrijf,RegioS,Perioden,TotaalGeregistreerdeMisdrijven_1\n"
        b"0,0.0.0 ,GM0232    ,2022JJ00,915\n"
        b"1,1.1.1 ,GM0232    ,2022JJ00,.\n"
    )
    table = read_table("83648NED_TypedDataSet.csv", content)
    assert table.format == "cbs_typed_csv"
    (only,) = table.observations
    assert (only.measure, only.region, only.region_code, only.region_kind, only.period) == (
        "TotaalGeregistreerdeMisdrijven_1",
        "GM0232",
        "GM0232",
        "municipality",
        "2022",
    )
    assert table.missing_values == 1
    assert table.unparsed == [
        ("regel 1, kolom 1", "kolom 'ID' niet ingelezen: volgnummer of sleutel")
    ]
