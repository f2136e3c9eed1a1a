"""AreaMatcher: region texts from exports to CBS areas (codes, name variants, history, typos)."""

import datetime

import pytest

from openveiligheid.areas.matching import AreaMatcher
from openveiligheid.areas.models import Area

pytestmark = pytest.mark.django_db

D = datetime.date

# text, options (within is a CBS code), expected code (None: refused), method or part of reason_nl
CASES = [
    # codes, with or without prefix and padding
    ("GM0200", {}, "GM0200", "code"),
    ("0200", {}, "GM0200", "code"),
    ("200", {}, "GM0200", "code"),
    ("GM0200    ", {}, "GM0200", "code"),
    ("gm0200", {}, "GM0200", "code"),
    ("WK020001", {}, "WK020001", "code"),
    ("WK020001  ", {}, "WK020001", "code"),
    ("BU02000101", {}, "BU02000101", "code"),
    ("BU16800000", {}, "BU16800000", "code"),
    ("020001", {}, "WK020001", "code"),
    ("WK0363AD", {}, "WK0363AD", "code"),  # Amsterdam codes have letters
    ("bu0363ad01", {}, "BU0363AD01", "code"),
    ("Bunnik", {}, "GM0312", "name"),  # starts with BU but is no code
    ("GM", {}, None, "niet gevonden"),
    ("NL00", {}, "NL01", "code"),
    ("NL01", {}, "NL01", "code"),
    ("GM0003", {}, "GM0003", "code"),  # historic codes stay valid
    ("GM9999", {}, None, "komt niet voor"),
    ("GM0200", {"level": "district"}, None, "is een gemeente, geen wijk"),
    ("BU02000201", {"within": "WK020001"}, None, "ligt niet in Centrum"),
    # names: case, diacritics, punctuation, "(gemeente)" and "Gemeente X" forms
    ("Apeldoorn", {}, "GM0200", "name"),
    ("APELDOORN", {}, "GM0200", "name"),
    ("  apeldoorn ", {}, "GM0200", "name"),
    ("Apeldoorn (gemeente)", {}, "GM0200", "name"),
    ("Utrecht (Gemeente)", {}, "GM0344", "name"),
    ("Groningen (gemeente)", {}, "GM0014", "name"),
    ("Gemeente Apeldoorn", {}, "GM0200", "name"),
    ("gem. Apeldoorn", {}, "GM0200", "name"),
    ("Súdwest-Fryslân", {}, "GM1900", "name"),
    ("Sudwest Fryslan", {}, "GM1900", "name"),
    ("Leidschendam Voorburg", {}, "GM1916", "name"),
    ("Gemeente onbekend", {}, "GM0000", "name"),
    ("Apeldoorn", {"level": "municipality"}, "GM0200", "name"),
    # CBS province suffixes
    ("Bergen (NH.)", {}, "GM0373", "name"),
    ("Bergen (L.)", {}, "GM0893", "name"),
    ("Bergen (N.H.)", {}, "GM0373", "name"),
    ("Bergen (Limburg)", {}, "GM0893", "name"),
    ("Bergen NH", {}, "GM0373", "name"),
    ("Beek (L.)", {}, "GM0888", "name"),
    ("Beek", {}, "GM0888", "name"),  # only one Beek
    ("Hengelo (O.)", {}, "GM0164", "name"),
    ("Laren", {}, "GM0417", "name"),
    ("Rijswijk", {}, "GM0603", "name"),
    ("Bergen", {}, None, "niet eenduidig"),
    # aliases
    ("Den Haag", {}, "GM0518", "alias"),
    ("'s-Gravenhage", {}, "GM0518", "name"),
    ("s Gravenhage", {}, "GM0518", "name"),
    ("'s-Hertogenbosch", {}, "GM0796", "name"),
    ("Den Bosch", {}, "GM0796", "alias"),
    ("Nuenen", {}, "GM0820", "alias"),
    ("Nederland", {}, "NL01", "alias"),
    ("Totaal", {}, "NL01", "alias"),
    ("Totaal", {"within": "GM0200"}, "GM0200", "alias"),
    # history: a name used by an old and a new municipality, validity on the period date
    ("Sluis", {}, "GM1714", "name"),
    ("Sluis", {"on": D(1990, 1, 1)}, "GM0713", "name"),
    ("Sluis", {"on": D(2010, 1, 1)}, "GM1714", "name"),
    ("Hengelo", {}, "GM0164", "name"),  # the Gelderland Hengelo merged into Bronckhorst in 2005
    ("Hengelo", {"on": D(2003, 1, 1)}, "GM0248", "name"),
    ("Hengelo (Gld.)", {}, "GM0248", "name"),
    ("Appingedam", {}, "GM0003", "bestaat niet meer"),
    ("Appingedam", {"on": D(2019, 1, 1)}, "GM0003", "name"),
    ("Hoogezand-Sappemeer", {"on": D(2017, 6, 1)}, "GM0018", "name"),
    ("Eemsdelta", {"on": D(2015, 1, 1)}, "GM1979", "nog niet"),  # recalculated series
    # typos: only when one area is clearly the closest
    ("Apeldorn", {}, "GM0200", "fuzzy"),
    ("Apeldoon", {}, "GM0200", "fuzzy"),
    ("Roterdam", {}, "GM0599", "fuzzy"),
    ("Amsterdm", {}, "GM0363", "fuzzy"),
    ("Bergn op Zoom", {}, "GM0748", "fuzzy"),
    ("Eede", {}, None, "Lijkt op meerdere gebieden"),
    ("Xyzzyville", {}, None, "niet gevonden"),
    ("", {}, None, "Lege gebiedsnaam"),
    # wijk and buurt names only within a municipality
    ("Centrum", {}, None, "niet gevonden"),
    ("Centrum", {"level": "district"}, None, "niet landelijk uniek"),
    ("Centrum", {"within": "GM0200"}, "WK020001", "name"),
    ("Wijk 01 Centrum", {"within": "GM0200"}, "WK020001", "name"),
    ("Binnenstad", {"within": "GM0200"}, "BU02000101", "name"),
    ("De Haven", {"within": "GM0200", "level": "buurt"}, "BU02000102", "name"),
    ("Brinkhorst", {"within": "WK020002"}, "BU02000201", "name"),
    ("Brinkhorst", {"within": "WK020001"}, None, "niet gevonden in Centrum"),
    ("Brinkhorts", {"within": "GM0200"}, "BU02000201", "fuzzy"),
    ("Annen", {"within": "GM1680", "level": "wijk"}, "WK168000", "name"),
    ("Wijk 00 Annen", {"within": "GM1680"}, "WK168000", "name"),
    ("Apeldoorn", {"within": "GM0200"}, "GM0200", "name"),
]


@pytest.mark.parametrize(("text", "options", "expected", "how"), CASES)
def test_match(matcher, text, options, expected, how):
    options = dict(options)
    if "within" in options:
        options["within"] = Area.objects.get(code=options["within"])
    result = matcher.match_detail(text, **options)
    assert (result.area.code if result.area else None) == expected, result.reason_nl
    if how in ("code", "name", "alias", "fuzzy"):
        assert result.method == how, result.reason_nl
    else:
        assert how in result.reason_nl
    assert matcher.match(text, **options) == result.area


def test_enough_cases():
    assert len(CASES) >= 40


def test_ambiguous_name_is_refused_with_a_dutch_reason_and_candidates(matcher):
    result = matcher.match_detail("Bergen")
    assert result.area is None and result.method is None
    assert {a.code for a in result.candidates} == {"GM0373", "GM0893"}
    assert "'Bergen' is niet eenduidig" in result.reason_nl
    assert "Noord-Holland" in result.reason_nl and "Limburg" in result.reason_nl
    assert "Bergen (NH.)" in result.reason_nl


def test_wijk_and_buurt_with_the_same_name_need_a_level(matcher):
    altena = Area.objects.get(code="GM1959")  # wijk and buurt "Dussen"
    result = matcher.match_detail("Dussen", within=altena)
    assert result.area is None and "geef het niveau" in result.reason_nl
    assert {a.level for a in result.candidates} == {"district", "neighbourhood"}
    assert matcher.match("Dussen", within=altena, level="wijk").level == "district"
    assert matcher.match("Dussen", within=altena, level="buurt").level == "neighbourhood"


def test_rollup_in_memory(matcher):
    buurt = matcher.by_code["BU02000101"]
    assert matcher.rollup(buurt, "municipality").code == "GM0200"
    assert matcher.rollup(buurt, "district").code == "WK020001"
    assert matcher.rollup(buurt, "neighbourhood") is buurt
    assert matcher.rollup(matcher.by_code["GM0200"], "buurt") is None


def test_built_from_a_list_of_areas_without_the_database():
    country = Area(id=1, code="NL01", name="Nederland", level="country")
    town = Area(id=2, code="GM0001", name="Dorp", level="municipality", parent_id=1)
    matcher = AreaMatcher([country, town])
    assert matcher.match("Dorp") is town
    assert matcher.match("gemeente dorp") is town
