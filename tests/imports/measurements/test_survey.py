"""Survey tables: the Amsterdam Veiligheidsindex (CSV) and a Veiligheidsmonitor workbook."""

from decimal import Decimal

import pytest

from openveiligheid.imports.measurements import read_table

from .samples import SHARED, data, survey_workbook

AMSTERDAM = "amsterdam_veiligheidsindex_sample.csv"


def lookup(table):
    return {(item.measure, item.region, item.period): item for item in table.observations}


def test_amsterdam_veiligheidsindex_csv():
    table = read_table(AMSTERDAM, data(AMSTERDAM))
    assert table.format == "survey"
    found = lookup(table)
    index_2014 = found[("veiligheidsindex", "Burgwallen-Oude Zijde", "2014")]
    assert index_2014.value == Decimal("164.824478")
    assert index_2014.region_code == ""
    assert index_2014.region_kind == ""
    assert index_2014.position == "regel 2, kolom 4"
    grade = found[("rapportcijfer_veiligheid_buurt_MEAN", "Burgwallen-Nieuwe Zijde", "2014")]
    assert grade.unit == "grade"
    assert {item.period for item in table.observations} == {"2014", "2015", "2016", "2017"}
    assert table.rows_read == 8
    # The area code and the sequence number are not measures; both are said.
    assert table.unparsed == [
        ("regel 1, kolom 1", "kolom 'vmgebiednaam' niet ingelezen: tekst, geen getallen"),
        ("regel 1, kolom 2", "kolom 'vmgebiednr' niet ingelezen: volgnummer of sleutel"),
    ]
    # Every other cell is read or counted as missing.
    assert len(table.observations) + table.missing_values == 8 * (186 - 4)


def test_veiligheidsmonitor_workbook():
    table = read_table("Veiligheidsmonitor 2023.xlsx", survey_workbook())
    assert table.format == "survey"
    assert table.title == "Veiligheidsmonitor 2023 – resultaten per wijk"
    found = lookup(table)
    onveilig = "Voelt zich wel eens onveilig in de eigen buurt (%)"
    binnenstad = found[(onveilig, "Binnenstad", "2023")]
    assert binnenstad.value == Decimal("28.4")  # text with a decimal comma
    assert binnenstad.unit == "percentage"
    assert binnenstad.region_code == "WK020001"
    assert binnenstad.region_kind == "district"
    assert binnenstad.position == "blad 'Wijken', regel 5, kolom C"
    assert found[(onveilig, "Apeldoorn-Zuid", "2023")].value == Decimal("17.9")  # a number
    victims = "Slachtofferschap vermogensdelicten"
    assert found[(victims, "Binnenstad", "2023")].value == Decimal("12.3")  # 0.123 as 0.0%
    assert found[(victims, "Binnenstad", "2023")].unit == "percentage"
    assert found[(victims, "Apeldoorn-Zuid", "2023")].value == Decimal("9.8")  # "9,8%"
    assert found[(victims, "Apeldoorn-Zuid", "2023")].unit == "percentage"
    grade = found[("Rapportcijfer veiligheid buurt", "Apeldoorn-Zuid", "2023")]
    assert (grade.value, grade.unit) == (Decimal("6.9"), "grade")
    assert found[("Aantal respondenten", "Zevenhuizen", "2023")].value == 97
    assert (onveilig, "Zevenhuizen", "2023") not in found  # "." is missing, not zero

    # Second sheet: years as columns, the indicator column names the measure.
    trend = found[("Onveiligheidsgevoelens (%)", "Apeldoorn", "2021")]
    assert trend.value == Decimal("33.5")
    assert trend.unit == "percentage"
    assert trend.position == "blad 'Ontwikkeling', regel 2, kolom D"
    assert found[("Rapportcijfer veiligheid buurt", "Apeldoorn", "2023")].value == 7
    assert ("Slachtofferschap (%)", "Apeldoorn", "2021") not in found  # n.v.t.
    assert found[("Slachtofferschap (%)", "Apeldoorn", "2019")].value == Decimal("14.1")
    assert table.missing_values == 3

    problems = dict(table.unparsed)
    assert problems["blad 'Wijken', regel 9"] == (
        "* Minder dan 100 respondenten: uitkomsten zijn indicatief."
    )
    assert problems["blad 'Toelichting'"].startswith("geen tabel ingelezen")
    assert len(table.unparsed) == 2


def test_long_survey_csv_with_semicolons_and_decimal_commas():
    content = (
        "wijk;jaar;indicator;waarde\n"
        "Binnenstad;2021;Onveiligheidsgevoelens (%);31,5\n"
        "Binnenstad;2023;Onveiligheidsgevoelens (%);28,4\n"
        "Binnenstad;2023;Rapportcijfer buurt;6,4\n"
        "Binnenstad;2023;Overlast jongeren (%);onbekend\n"
        "Binnenstad;2023;Overlast drugs (%);veel\n"
    ).encode("cp1252")
    table = read_table("bewonerspanel.csv", content)
    assert table.format == "survey"
    found = lookup(table)
    assert found[("Onveiligheidsgevoelens (%)", "Binnenstad", "2021")].value == Decimal("31.5")
    assert found[("Rapportcijfer buurt", "Binnenstad", "2023")].unit == "grade"
    assert table.missing_values == 1
    assert table.unparsed == [("regel 6, kolom 4", "geen getal: veel")]


def test_indicator_columns_per_year():
    content = (
        b"Gebied,Onveilig 2021 (%),Onveilig 2023 (%),Rapportcijfer 2023\n"
        b"Centrum,31.5,28.4,6.4\n"
        b"Noord,22.0,21.1,7.1\n"
    )
    found = lookup(read_table("panel.csv", content))
    assert found[("Onveilig (%)", "Centrum", "2021")].value == Decimal("31.5")
    assert found[("Onveilig (%)", "Noord", "2023")].value == Decimal("21.1")
    assert found[("Rapportcijfer", "Noord", "2023")].value == Decimal("7.1")


@pytest.mark.skipif(not (SHARED / "survey").exists(), reason="../shared not available")
def test_the_whole_veiligheidsindex():
    path = SHARED / "survey/amsterdam_veiligheidsindex_2014_2017.csv"
    table = read_table(path.name, path.read_bytes())
    assert table.rows_read == 424
    assert len(table.unparsed) == 2
    assert len(table.observations) + table.missing_values == 424 * 182
