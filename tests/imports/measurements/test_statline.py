"""StatLine / data.politie.nl CSV exports."""

from decimal import Decimal

import pytest

from openveiligheid.imports.measurements import read_table

from .samples import SHARED, data

POLICE_47013 = "politie_47013NED_misdrijven_gemeente_2022_2023.csv"


def by_region_period(table, measure=None):
    return {
        (item.region, item.period): item
        for item in table.observations
        if measure is None or item.measure == measure
    }


def test_47013ned_apeldoorn_and_the_rest():
    table = read_table(POLICE_47013, data(POLICE_47013))
    assert table.format == "statline_csv"
    assert table.table_id == "47013NED"
    assert table.title == "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente 2026"
    found = by_region_period(table)
    apeldoorn_2022 = found[("Apeldoorn", "2022")]
    assert apeldoorn_2022.value == Decimal("7081")
    assert found[("Apeldoorn", "2023")].value == Decimal("6991")
    assert apeldoorn_2022.measure == "Geregistreerde misdrijven"
    assert apeldoorn_2022.unit == "count"
    assert apeldoorn_2022.region_kind == "municipality"
    assert apeldoorn_2022.region_code == ""
    assert apeldoorn_2022.position == "regel 24, kolom 2"
    assert found[("Nederland", "2022")].value == Decimal("800027")
    assert found[("Nederland", "2022")].region_kind == "country"
    assert found[("Beek (L.)", "2023")].value == Decimal("734")
    # Police regional units are not municipalities: the matcher decides what they are.
    assert found[("Oost-Brabant (RE)", "2023")].region_kind == ""
    # 356 regions x 2 years, less the two "." cells of Buitenland; the footer is not data.
    assert table.rows_read == 356
    assert len(table.observations) == 710
    assert table.missing_values == 2
    assert ("Buitenland", "2022") not in found
    assert table.unparsed == []


def test_renamed_file_keeps_its_table_id_through_the_title():
    table = read_table("export (3).csv", data(POLICE_47013))
    assert table.format == "statline_csv"
    assert table.table_id == "47013NED"


PERIODS_AS_ROWS = """\
"Geregistreerde misdrijven; soort misdrijf, wijk en buurt"
"Soort misdrijf: Woninginbraak"
""
"Onderwerp";"";"Geregistreerde misdrijven";"Geregistreerde misdrijven per 1000 inwoners"
"Regio's";"Perioden";"aantal";"per 1 000 inwoners"
"Apeldoorn";"2023 1e kwartaal";"95";"0,6"
"Apeldoorn";"2023 2e kwartaal";"88";"0,5"
"Apeldoorn";"2023 juni";"31";"."
"Apeldoorn";"2024KW01*";"101";"0,6"
"Apeldoorn";"2023JJ00";"371";"x"
"Apeldoorn";"2023MM05";"29";"0,2"
"Apeldoorn";"ergens in 2023";"12";"0,1"
"Epe";"2023 1e kwartaal";"veel";"0,4"
"Cijfers van 2024 zijn voorlopig."
"Bron: CBS, Politie"
"""


def test_periods_as_rows_with_quarters_months_provisional_and_problems():
    table = read_table("woninginbraak.csv", PERIODS_AS_ROWS.encode())
    assert table.format == "statline_csv"
    found = by_region_period(table, "Geregistreerde misdrijven; Woninginbraak")
    assert found[("Apeldoorn", "2023-Q1")].value == 95
    assert found[("Apeldoorn", "2023-Q2")].value == 88
    assert found[("Apeldoorn", "2023-06")].value == 31
    assert found[("Apeldoorn", "2024-Q1")].value == 101
    assert found[("Apeldoorn", "2023")].value == 371
    assert found[("Apeldoorn", "2023-05")].value == 29
    rates = by_region_period(table, "Geregistreerde misdrijven per 1000 inwoners; Woninginbraak")
    assert rates[("Apeldoorn", "2023-Q1")].value == Decimal("0.6")
    assert rates[("Apeldoorn", "2023-Q1")].unit == "rate"
    assert found[("Apeldoorn", "2023-Q1")].unit == "count"
    # Title says "wijk en buurt": the reader does not guess municipality.
    assert found[("Apeldoorn", "2023-Q1")].region_kind == ""
    assert table.missing_values == 2
    problems = dict(table.unparsed)
    assert "onbekende periode 'ergens in 2023'" in problems["regel 12, kolom 3"]
    assert "geen getal: veel" in problems["regel 13, kolom 3"]
    assert problems["regel 14"] == "Cijfers van 2024 zijn voorlopig."
    assert len(table.unparsed) == 4  # both cells of the unknown period, the word, the note


REGIONS_AS_COLUMNS = """\
"Registraties overlast; soort overlast, gemeente"
"Soort overlast: Totaal registraties overlast"
"Onderwerp";"Registraties overlast";"Registraties overlast"
"Regio's";"Apeldoorn";"Epe"
"Perioden";"aantal";"aantal"
"2022";"4.512";"611"
"2023*";"4.701";"598"
"""


def test_regions_as_columns_and_thousands_separators():
    table = read_table("overlast.csv", REGIONS_AS_COLUMNS.encode())
    found = by_region_period(table, "Registraties overlast")
    assert found[("Apeldoorn", "2022")].value == 4512
    assert found[("Apeldoorn", "2023")].value == 4701
    assert found[("Epe", "2023")].value == 598
    assert found[("Epe", "2023")].region_kind == "municipality"
    assert table.table_id == ""  # not in the title, not in the file name


@pytest.mark.skipif(not (SHARED / "police").exists(), reason="../shared not available")
def test_shared_file_reads_the_same():
    table = read_table(POLICE_47013, (SHARED / "police" / POLICE_47013).read_bytes())
    assert by_region_period(table)[("Apeldoorn", "2023")].value == 6991


def test_statline_export_saved_as_excel():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tabel"
    for row in (
        ["Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente 2026"],
        ["Soort misdrijf: Totaal misdrijven"],
        [],
        ["Onderwerp", "Geregistreerde misdrijven", "Geregistreerde misdrijven"],
        ["Perioden", 2022, "2023*"],
        ["Regio's", "aantal", "aantal"],
        ["Apeldoorn", 7081, 6991],
        ["Epe", 1.5, "."],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table("export.xlsx", buffer.getvalue())
    assert table.format == "statline_csv"
    assert table.table_id == "47013NED"
    found = by_region_period(table)
    assert found[("Apeldoorn", "2022")].value == 7081
    assert found[("Apeldoorn", "2023")].value == 6991
    assert found[("Apeldoorn", "2023")].position == "blad 'Tabel', regel 7, kolom C"
    assert found[("Epe", "2022")].value == Decimal("1.5")
    assert table.missing_values == 1
