"""CBS tables: typed CSV, derived CSV, OData JSON and GeoJSON."""

import json
from decimal import Decimal

import pytest

from openveiligheid.imports.measurements import read_table

from .samples import SHARED, data

TYPED = "cbs_83648NED_misdrijven_gemeente_sample.csv"
GEOJSON = "cbs_83648NED_gemeenten_2022_sample.geojson"
ODATA = "cbs_83648NED_odata_sample.json"


def lookup(table):
    return {(item.measure, item.region, item.period): item for item in table.observations}


def test_typed_csv_83648ned():
    table = read_table(TYPED, data(TYPED))
    assert table.format == "cbs_typed_csv"
    assert table.table_id == "83648NED"
    found = lookup(table)
    epe = found[("TotaalGeregistreerdeMisdrijven_1", "Epe", "2020")]
    assert epe.value == Decimal("985")
    assert epe.unit == "count"
    assert epe.region_kind == "municipality"  # most regions of the column say "(gemeente)"
    assert epe.position == "regel 23, kolom 4"
    assert (
        found[("TotaalGeregistreerdeMisdrijven_1", "Groningen (gemeente)", "2019")].value == 13735
    )
    hague = found[("GeregistreerdeMisdrijvenPer1000Inw_3", "'s-Gravenhage (gemeente)", "2010")]
    assert hague.value == Decimal("118.9")
    assert hague.unit == "rate"
    assert found[("OpgehelderdeMisdrijvenRelatief_5", "Epe", "2019")].unit == "percentage"
    # 33 rows x 6 topics; "Misdrijven, totaal" is the total, so it does not qualify the measure.
    assert table.rows_read == 33
    assert len(table.observations) == 33 * 6
    assert table.unparsed == []


def test_derived_csv_with_municipality_numbers_and_year_in_the_name():
    name = "gemeenten_2023_bevolking_misdaad.csv"
    table = read_table(name, data(name))
    assert table.format == "cbs_typed_csv"
    found = lookup(table)
    hague = found[("misdaad", "'s-Gravenhage", "2023")]
    assert hague.value == 28524
    assert hague.region_code == "GM0518"
    assert hague.region_kind == "municipality"
    assert found[("bevolking", "Aa en Hunze", "2023")].value == 25860
    assert found[("bevolking", "Aa en Hunze", "2023")].region_code == "GM1680"
    assert found[("gini_misdaad", "Aa en Hunze", "2023")].value == Decimal("0.77")
    assert table.rows_read == 342
    assert len(table.observations) == 342 * 4
    # The province column is text: reported once, not read and not silently dropped.
    assert table.unparsed == [
        ("regel 1, kolom 7", "kolom 'provincie' niet ingelezen: tekst, geen getallen")
    ]


def test_long_national_table_without_region_column():
    name = "politie_47024NED_nl_overlast.csv"
    table = read_table(name, data(name))
    assert table.format == "cbs_typed_csv"  # the table id in the name says CBS/police
    assert table.table_id == "47024NED"
    found = lookup(table)
    total = found[("Totaal registraties overlast", "Nederland", "2023")]
    assert total.value == 444177
    assert total.region_kind == "country"
    assert total.unit == "count"
    assert found[("Overlast door verward persoon", "Nederland", "2012")].value == 44571
    assert len(table.observations) == 108


def test_odata_bundle_resolves_dimension_titles():
    table = read_table(ODATA, data(ODATA))
    assert table.format == "cbs_odata_json"
    assert table.table_id == "83648NED"
    assert table.title == "Geregistreerde criminaliteit; soort misdrijf, regio"
    found = lookup(table)
    groningen = found[("Totaal geregistreerde misdrijven", "Groningen (gemeente)", "2022")]
    assert groningen.value == 13455
    assert groningen.region_code == "GM0014"
    assert groningen.region_kind == "municipality"
    assert groningen.unit == "count"
    assert groningen.position == "value[1].TotaalGeregistreerdeMisdrijven_1"
    rate = found[("Geregistreerde misdrijven per 1000 inwoners", "Epe", "2020")]
    assert rate.value == Decimal("29.7")
    assert rate.unit == "rate"
    assert len(table.observations) == 8
    assert table.missing_values == 2  # the woninginbraak row holds nulls
    assert table.unparsed == []


def test_odata_typed_dataset_response_without_dimension_tables():
    response = {
        "odata.metadata": "https://opendata.cbs.nl/ODataApi/odata/83648NED/$metadata"
        "#Cbs.OData.WebAPI.TypedDataSet",
        "value": [
            {
                "ID": 0,
                "SoortMisdrijf": "1.1.1 ",
                "RegioS": "GM0232    ",
                "Perioden": "2022MM05",
                "TotaalGeregistreerdeMisdrijven_1": 7,
            },
            {
                "ID": 1,
                "SoortMisdrijf": "0.0.0 ",
                "RegioS": "GM0232    ",
                "Perioden": "2022KW02",
                "TotaalGeregistreerdeMisdrijven_1": 230,
            },
            {
                "ID": 2,
                "SoortMisdrijf": "0.0.0 ",
                "RegioS": "GM0232    ",
                "Perioden": "2022 zomer",
                "TotaalGeregistreerdeMisdrijven_1": 1,
            },
        ],
    }
    table = read_table("TypedDataSet", json.dumps(response).encode())
    assert table.table_id == "83648NED"
    first, second = table.observations
    assert (first.measure, first.region, first.region_code, first.period, first.value) == (
        "TotaalGeregistreerdeMisdrijven_1; 1.1.1",
        "GM0232",
        "GM0232",
        "2022-05",
        7,
    )
    assert (second.measure, second.period) == ("TotaalGeregistreerdeMisdrijven_1", "2022-Q2")
    assert table.unparsed == [("value[2]", "onbekende periode '2022 zomer'")]


def test_geojson_83648ned_2022():
    table = read_table(GEOJSON, data(GEOJSON))
    assert table.format == "geojson"
    assert table.table_id == "83648NED"
    found = lookup(table)
    apeldoorn = found[("Geregistreerde Misdrijven", "Apeldoorn", "2022")]
    assert apeldoorn.value == 7105
    assert apeldoorn.region_code == "GM0200"
    assert apeldoorn.region_kind == "municipality"
    assert apeldoorn.position.startswith("feature ")
    assert found[("Misdrijven Per 1000 Inw", "Apeldoorn", "2022")].value == Decimal("42.9")
    assert found[("Misdrijven Per 1000 Inw", "Apeldoorn", "2022")].unit == "rate"
    assert found[("Opgehelderde Misdrijven Relatief", "Epe", "2022")].unit == "percentage"
    assert len(table.observations) == 4 * 6
    assert table.unparsed == []


def test_geojson_reports_features_it_cannot_place():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"statcode": "GM0200", "jaar": 2023, "misdrijven": 9},
            },
            {"type": "Feature", "properties": {"misdrijven": 3}},
            {"type": "Feature", "properties": {"statcode": "BU02000000", "misdrijven": 1}},
        ],
    }
    table = read_table("kaart.geojson", json.dumps(collection).encode())
    assert [(item.region, item.period, item.value) for item in table.observations] == [
        ("GM0200", "2023", 9)
    ]
    assert table.unparsed == [
        ("feature 2", "geen gebiedscode (statcode) of gebiedsnaam (statnaam)"),
        ("feature 3", "geen jaar (jrstatcode of jaar) bij dit gebied"),
    ]


@pytest.mark.skipif(not (SHARED / "cbs").exists(), reason="../shared not available")
def test_shared_cbs_files():
    typed = read_table(
        "a.csv", (SHARED / "cbs/cbs_83648NED_misdrijven_gemeente_2010_2020.csv").read_bytes()
    )
    assert len({item.region for item in typed.observations}) == 393
    assert lookup(typed)[("TotaalGeregistreerdeMisdrijven_1", "Epe", "2010")].value == 1990
    assert typed.unparsed == []
    geo = read_table("b.geojson", (SHARED / "cbs/cbs_83648NED_gemeenten_2022.geojson").read_bytes())
    assert len({item.region_code for item in geo.observations}) == 345
    assert lookup(geo)[("Geregistreerde Misdrijven", "Groningen", "2022")].value == 13455


def test_odata_v4_observations():
    bundle = {
        "Observations": {
            "value": [
                {
                    "Id": 0,
                    "Measure": "M004200",
                    "ValueAttribute": "None",
                    "Value": 6991.0,
                    "RegioS": "GM0200",
                    "Perioden": "2023JJ00",
                },
                {
                    "Id": 1,
                    "Measure": "M004200",
                    "ValueAttribute": "Impossible",
                    "Value": None,
                    "RegioS": "GM0200",
                    "Perioden": "2024JJ00",
                },
            ]
        },
        "MeasureCodes": {
            "value": [
                {"Identifier": "M004200", "Title": "Geregistreerde misdrijven", "Unit": "aantal"}
            ]
        },
        "RegioSCodes": {"value": [{"Identifier": "GM0200", "Title": "Apeldoorn"}]},
    }
    table = read_table("observations.json", json.dumps(bundle).encode())
    assert table.format == "cbs_odata_json"
    (only,) = table.observations
    assert (only.measure, only.region, only.region_code, only.period, only.value, only.unit) == (
        "Geregistreerde misdrijven",
        "Apeldoorn",
        "GM0200",
        "2023",
        6991,
        "count",
    )
    assert only.position == "value[0].Value"
    assert table.missing_values == 1
