"""The long format of the cbsodata clients: code columns, `_label` columns, CBS period codes.

The files are generated here from the format's definition (the clients' documented columns),
not copied from an example download."""

from decimal import Decimal

import pytest

from openveiligheid.imports.measurements import UnreadableFile, detect_format, read_table

WIDE = (
    "ID,SoortMisdrijf,SoortMisdrijf_label,WijkenEnBuurten,WijkenEnBuurten_label,Perioden,"
    "Perioden_label,Perioden_Date,Perioden_freq,GeregistreerdeMisdrijven_1\n"
    '0,"0.0.0 ",Totaal misdrijven,"GM0200    ",Apeldoorn,2023JJ00,2023,2023-01-01,Y,6991\n'
    '1,"1.4.5 ",Winkeldiefstal,"GM0200    ",Apeldoorn,2023JJ00,2023,2023-01-01,Y,455\n'
    '2,"1.4.5 ",Winkeldiefstal,"WK020001  ",Wijk 01 Centrum,2023HJ01,2023 1e halfjaar,'
    "2023-01-01,H,120\n"
    '3,"1.4.5 ",Winkeldiefstal,BU02000101,Binnenstad,2023KW03,2023 3e kwartaal,2023-07-01,Q,31\n'
    '4,"1.4.5 ",Winkeldiefstal,BU02000102,Kerkenbos,2023MM05,2023 mei,2023-05-01,M,.\n'
    '5,"1.4.5 ",Winkeldiefstal,BU02000103,De Parken,2023XX99,onbekend,,,7\n'
)


def by_key(table):
    return {(item.measure, item.region_code, item.period): item for item in table.observations}


def test_wide_cbsodata_with_labels_is_recognised_and_read():
    content = WIDE.encode()
    assert detect_format("47018NED_misdrijven.csv", content) == "cbsodata_csv"
    table = read_table("47018NED_misdrijven.csv", content)
    assert table.format == "cbsodata_csv"
    assert table.table_id == "47018NED"
    found = by_key(table)
    total = found[("GeregistreerdeMisdrijven_1", "GM0200", "2023")]
    assert total.value == Decimal("6991")
    assert total.region == "Apeldoorn"
    assert total.region_kind == "municipality"
    assert total.unit == "count"
    shop = found[("GeregistreerdeMisdrijven_1; Winkeldiefstal", "WK020001", "2023-H1")]
    assert shop.region_kind == "district"
    assert shop.value == 120
    quarter = found[("GeregistreerdeMisdrijven_1; Winkeldiefstal", "BU02000101", "2023-Q3")]
    assert quarter.region_kind == "neighbourhood"
    assert quarter.position == "regel 5, kolom J (GeregistreerdeMisdrijven_1)"
    # "." is the file's own "no figure": counted, not an error.
    assert table.missing_values == 1
    assert table.rows_read == 6
    # The unknown period is reported with its place, not dropped silently.
    assert table.unparsed == [("regel 7, kolom F (Perioden)", "onbekende periode '2023XX99'")]


def test_long_cbsodata4_measure_and_value_columns_with_decimal_comma():
    text = (
        "Id;Measure;Measure_label;ValueAttribute;Value;Unit;RegioS;RegioS_label;"
        "Perioden;Perioden_label\n"
        "1;M001;Geregistreerde misdrijven per 1 000 inwoners;None;51,3;per 1 000 inwoners;"
        "GM0200;Apeldoorn;2023JJ00;2023\n"
        "2;M002;Geregistreerde misdrijven;None;6.991;aantal;GM0200;Apeldoorn;2023JJ00;2023\n"
        "3;M002;Geregistreerde misdrijven;Confidential;;aantal;GM0201;Appingedam;2023JJ00;2023\n"
        "4;M002;Geregistreerde misdrijven;None;veel;aantal;NL01;Nederland;2023JJ00;2023\n"
    )
    table = read_table("export.csv", text.encode("utf-8"))
    assert table.format == "cbsodata_csv"
    found = by_key(table)
    rate = found[("Geregistreerde misdrijven per 1 000 inwoners", "GM0200", "2023")]
    assert rate.value == Decimal("51.3")
    assert rate.unit == "rate"
    assert found[("Geregistreerde misdrijven", "GM0200", "2023")].value == 6991
    assert table.missing_values == 1
    assert table.unparsed == [("regel 5, kolom E (Value)", "geen getal: 'veel'")]


def test_codes_without_labels_still_name_the_region_by_its_code():
    text = "RegioS,RegioS_label,Perioden,Bevolking_1\nGM0200,,2024JJ00,165000\n"
    table = read_table("t.csv", text.encode())
    (only,) = table.observations
    assert (only.region, only.region_code, only.value) == ("GM0200", "GM0200", 165000)


def test_a_table_without_region_codes_is_refused_with_a_dutch_reason():
    text = "Soort,Soort_label,Perioden,Aantal_1\nA,Een,2023JJ00,4\n"
    with pytest.raises(UnreadableFile, match="gebiedskolom"):
        read_table("t.csv", text.encode())
