"""load_areas: the CBS hierarchy from the files in the repository, idempotent, with population."""

import csv
import datetime
import gzip
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from openveiligheid.areas.matching import AreaMatcher, rollup
from openveiligheid.areas.models import Area
from openveiligheid.areas.services import CODES_FILE, POPULATION_FILE, load_areas

pytestmark = pytest.mark.django_db


def file_counts() -> Counter:
    with gzip.open(CODES_FILE, "rt", encoding="utf-8") as handle:
        return Counter(row["Key"].strip()[:2] for row in csv.DictReader(handle))


def buurt_population() -> dict[str, int]:
    with open(POPULATION_FILE, encoding="utf-8") as handle:
        return {row["nhood_id"]: int(row["population"]) for row in csv.DictReader(handle)}


def test_counts_equal_the_files(areas):
    in_file = file_counts()
    assert in_file["GM"] == 343 and in_file["WK"] == 3394 and in_file["BU"] == 14575
    assert areas["municipalities"] == in_file["GM"]
    assert areas["districts"] == in_file["WK"]
    assert areas["neighbourhoods"] == in_file["BU"]
    assert areas["historic_municipalities"] == 446
    levels = Counter(Area.objects.values_list("level", flat=True))
    assert levels[Area.Level.MUNICIPALITY] == in_file["GM"] + 446
    assert levels[Area.Level.DISTRICT] == in_file["WK"]
    assert levels[Area.Level.NEIGHBOURHOOD] == in_file["BU"]
    assert levels[Area.Level.COUNTRY] == 1
    assert Area.objects.municipalities().current().count() == 343  # 342 + "Gemeente onbekend"


def test_second_load_changes_nothing(areas):
    counts = load_areas()
    assert counts["created"] == 0 and counts["updated"] == 0
    assert counts["unchanged"] == counts["total"] == Area.objects.count()


def test_load_repairs_a_changed_area_and_reports_progress(areas):
    Area.objects.filter(code="BU02000101").update(name="Iets anders", population=1)
    steps = []
    counts = load_areas(progress=lambda stage, done, total: steps.append((stage, done, total)))
    assert counts["updated"] == 1 and counts["created"] == 0
    assert Area.objects.get(code="BU02000101").name == "Binnenstad"
    assert [stage for stage, _, _ in steps] == ["land", "gemeenten", "wijken", "buurten"]
    assert steps[-1][1] == steps[-1][2] == counts["total"]


def test_parent_chain(areas):
    buurt = Area.objects.get(code="BU02000101")
    assert buurt.name == "Binnenstad" and buurt.level == Area.Level.NEIGHBOURHOOD
    assert buurt.parent.code == "WK020001"
    assert buurt.parent.parent.code == "GM0200"
    assert buurt.parent.parent.parent.code == "NL01"
    assert buurt.province == "Gelderland"
    assert rollup(buurt, "municipality").code == "GM0200"
    assert rollup(buurt, "wijk").code == "WK020001"
    assert rollup(buurt, "country").code == "NL01"
    assert rollup(buurt.parent, "neighbourhood") is None


def test_population_rolls_up_from_buurten(areas):
    population = buurt_population()
    apeldoorn = Area.objects.get(code="GM0200")
    expected = sum(v for k, v in population.items() if k.startswith("BU0200"))
    assert apeldoorn.population == expected == 168_225  # CBS 47018NED gives the same total
    assert apeldoorn.population_year == 2024
    centrum = Area.objects.get(code="WK020001")
    assert centrum.population == sum(v for k, v in population.items() if k[:8] == "BU020001")
    assert Area.objects.get(code="BU02000101").population == population["BU02000101"]
    assert Area.objects.get(code="NL01").population == sum(population.values()) == 17_942_915


def test_historic_municipalities_keep_code_and_validity(areas):
    appingedam = Area.objects.get(code="GM0003")
    assert appingedam.name == "Appingedam" and appingedam.province == "Groningen"
    assert appingedam.valid_until == datetime.date(2021, 1, 1)
    assert appingedam.parent.code == "NL01" and appingedam.population is None
    assert not appingedam.is_valid_on(datetime.date(2021, 1, 1))
    assert appingedam.is_valid_on(datetime.date(2020, 12, 31))
    # Vianen has two classification rows (it moved province in 2002): one area spanning both.
    vianen = Area.objects.get(code="GM0620")
    assert vianen.valid_from == datetime.date(1970, 1, 1)
    assert vianen.valid_until == datetime.date(2019, 1, 1)
    assert vianen.province == "Utrecht"
    beekdaelen = Area.objects.get(code="GM1954")
    assert beekdaelen.valid_from == datetime.date(2019, 1, 1) and beekdaelen.valid_until is None
    codes_on_2020 = set(
        Area.objects.municipalities()
        .valid_on(datetime.date(2020, 1, 1))
        .values_list("code", flat=True)
    )
    assert "GM0003" in codes_on_2020 and "GM1979" not in codes_on_2020  # Eemsdelta from 2021


def test_command_prints_dutch_counts(areas):
    output = StringIO()
    call_command("load-areas", stdout=output)
    text = output.getvalue()
    assert "Gemeenten: 343" in text
    assert "wijken: 3.394, buurten: 14.575" in text
    assert "Nieuw: 0, bijgewerkt: 0, ongewijzigd: 18.759" in text


def test_matcher_cache_notices_new_areas(areas):
    first = AreaMatcher.for_current_data()
    assert AreaMatcher.for_current_data() is first
    assert first.match("Nieuwgemeente") is None
    Area.objects.create(
        code="GM9901",
        name="Nieuwgemeente",
        level=Area.Level.MUNICIPALITY,
        parent=first.by_code["NL01"],
    )
    second = AreaMatcher.for_current_data()
    assert second is not first
    assert second.match("Nieuwgemeente").code == "GM9901"
