"""The curated demo fixtures hold what the seed documents say.

Figures are checked twice: as a value in the JSON and as printed text in the document.
"""

import json
from pathlib import Path

import pytest

from openveiligheid.imports.plans.structured import check_structured_plan
from scripts import demo_fixtures as extract

DEMO_DIR = Path(__file__).resolve().parents[2] / "src" / "openveiligheid" / "demo"
DOCUMENTS_DIR = DEMO_DIR / "documents"
DATA_DIR = DEMO_DIR / "data"

YEARS = ["2023", "2024", "2025", "2026"]
ASSIGNMENT_FIELDS = ["what", "goal", "result", "who", "how", "when"]


def _load(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _document(name):
    return " ".join((DOCUMENTS_DIR / name).read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def apeldoorn():
    return _load("apeldoorn-ivp-2023-2026.json")


@pytest.fixture(scope="module")
def oude_ijsselstreek():
    return _load("oude-ijsselstreek-ivb-2023-2026.json")


@pytest.fixture(scope="module")
def ivp_text():
    return _document(extract.IVP_APELDOORN)


@pytest.fixture(scope="module")
def programme_text():
    return _document(extract.PROGRAMME_APELDOORN)


def _theme(plan, name):
    return next(theme for theme in plan["themes"] if theme["name"] == name)


def _indicator(theme, name):
    return next(indicator for indicator in theme["indicators"] if indicator["name"] == name)


def _headline(plan, name):
    return next(i for i in plan["headline_indicators"] if i["name"] == name)


# --- drift -----------------------------------------------------------------------------------


def test_extractor_reproduces_the_committed_fixtures():
    built = extract.build_all(DOCUMENTS_DIR)
    assert sorted(built) == sorted(path.name for path in DATA_DIR.glob("*.json"))
    for name, data in built.items():
        assert extract.dumps(data) == (DATA_DIR / name).read_text(encoding="utf-8"), name


# --- Apeldoorn: plan ---------------------------------------------------------------------------


def test_apeldoorn_plan_header(apeldoorn):
    assert apeldoorn["slug"] == "apeldoorn-ivp-2023-2026"
    assert apeldoorn["title"] == "Integraal veiligheidsplan Apeldoorn 2023-2026"
    assert apeldoorn["kind"] == "integral_plan"
    assert (apeldoorn["period_start"], apeldoorn["period_end"]) == (2023, 2026)
    assert apeldoorn["owner"] == {"kind": "municipality", "cbs_code": "GM0200", "name": "Apeldoorn"}
    assert apeldoorn["source_document"] == "002_a88ede4e1c0ea291.txt"
    assert apeldoorn["summary"].startswith("Dit integraal veiligheidsplan is bedoeld voor")


def test_apeldoorn_themes(apeldoorn, ivp_text):
    # "Het IVP bevat vier veiligheidsthema's en twee strategische thema's."
    assert "vier veiligheidsthema’s en twee strategische thema’s" in ivp_text
    assert [(t["kind"], t["name"]) for t in apeldoorn["themes"]] == [
        ("priority", "Ondermijning en georganiseerde criminaliteit"),
        ("priority", "Gedigitaliseerde criminaliteit"),
        ("priority", "Jeugdcriminaliteit en individuele probleemjongeren"),
        ("priority", "Sociale kwaliteit (overlast door personen)"),
        ("strategic", "Zorg en veiligheid"),
        ("strategic", "Informatiemanagement"),
    ]
    for theme in apeldoorn["themes"]:
        assert theme["description"], theme["name"]
        assert theme["goals"], theme["name"]
        assert theme["actions"] == []


def test_apeldoorn_topics_from_the_house_drawing(apeldoorn):
    topics = {t["name"]: [topic["name"] for topic in t["topics"]] for t in apeldoorn["themes"]}
    assert topics["Ondermijning en georganiseerde criminaliteit"] == [
        "Drugs",
        "Mensenhandel",
        "Zorgfraude",
        "Economische criminaliteit",
    ]
    assert "Geldezelproblematiek" in topics["Gedigitaliseerde criminaliteit"]
    assert (
        "Individuele probleemjongeren/risicojongeren"
        in topics["Jeugdcriminaliteit en individuele probleemjongeren"]
    )
    assert topics["Sociale kwaliteit (overlast door personen)"] == [
        "Woonoverlast",
        "Drugs/drankoverlast",
        "Verwarde personen",
        "Dak-thuislozen",
    ]
    assert topics["Zorg en veiligheid"] == topics["Informatiemanagement"] == []


def test_apeldoorn_headline_indicators(apeldoorn, ivp_text):
    assert len(apeldoorn["headline_indicators"]) == 4
    grade = _headline(apeldoorn, "Rapportcijfer ‘veiligheid in de buurt’")
    assert "hoger moet worden dan 7,6 (in 2022: 7,5)" in ivp_text
    assert (grade["unit"], grade["start_year"], grade["start_value"]) == ("grade", 2022, 7.5)
    assert grade["target"]["comparison"] == "gte"
    assert grade["target"]["value"] >= 7.6
    assert "7,6" in grade["target"]["text"]

    safe = _headline(apeldoorn, "Percentage bewoners dat zich veilig voelt")
    assert "(60% in 2022)" in ivp_text
    assert (safe["unit"], safe["start_value"], safe["direction"]) == ("percentage", 60, "up")
    assert safe["target"]["comparison"] == "not_below_start"

    incidents = _headline(apeldoorn, "Aantal incidenten")
    crimes = _headline(apeldoorn, "Aantal misdrijven")
    assert "incidenten (23.555 in 2022) en misdrijven (5.593 in 2022)" in ivp_text
    assert (incidents["start_year"], incidents["start_value"]) == (2022, 23555)
    assert (crimes["start_year"], crimes["start_value"]) == (2022, 5593)
    assert incidents["source"] == crimes["source"] == "politie"
    assert incidents["target"]["comparison"] == crimes["target"]["comparison"] == "not_above_start"


# Starting values of Tabel 1-4: (theme, indicator, value in the JSON, as printed)
START_VALUES = [
    ("Ondermijning en georganiseerde criminaliteit", "Aantal casussen lokaal casusoverleg", 46,
     "Aantal casussen (lokaal casusoverleg) 46"),
    ("Ondermijning en georganiseerde criminaliteit", "Aantal casussen RIEC", 10,
     "Aantal casussen RIEC 10"),
    ("Ondermijning en georganiseerde criminaliteit", "Aantal uitgevoerde integrale controles", 55,
     "Integrale controles 55"),
    ("Ondermijning en georganiseerde criminaliteit", "Waardebeslag", 17347824,
     "Waardebeslag €17.347.824"),
    ("Ondermijning en georganiseerde criminaliteit", "Hennepkwekerijen opgerold", 8,
     "Hennepkwekerijen opgerold 8"),
    ("Ondermijning en georganiseerde criminaliteit", "Toepassing Wet Damocles", 3,
     "Sluitingen panden 3"),
    ("Ondermijning en georganiseerde criminaliteit", "Bevoegdheden burgemeester drugshandel APV",
     14, "Bevoegdheden burgemeester drugshandel APV 14"),
    ("Gedigitaliseerde criminaliteit", "Digitale criminaliteit", 848,
     "Digitale criminaliteit 2022 Totaal 848"),
    ("Gedigitaliseerde criminaliteit", "Ervaren slachtofferschap burgerpanel", 7,
     "Ervaren slachtofferschap burgerpanel 7%"),
    ("Jeugdcriminaliteit en individuele probleemjongeren",
     "Ervaren strafbaar gedrag/ jeugdcriminaliteit van de jeugd in de buurt", 13,
     "jeugdcriminaliteit van de jeugd in de buurt 13%"),
    ("Jeugdcriminaliteit en individuele probleemjongeren",
     "Aantal incidenten vandalisme/baldadigheid", 59,
     "Aantal incidenten vandalisme/baldadigheid. 59"),
    ("Jeugdcriminaliteit en individuele probleemjongeren", "Aantal incidenten overlast jeugd", 850,
     "Aantal incidenten overlast jeugd 850"),
    ("Jeugdcriminaliteit en individuele probleemjongeren", "Instroom jongeren 12 – 17 jaar (OM)",
     79, "Instroom jongeren 12 – 17 jaar (OM) 79"),
    ("Jeugdcriminaliteit en individuele probleemjongeren", "Instroom jongeren 18 – 23 jaar (OM)",
     326, "Instroom jongeren 18 – 23 jaar (OM) 326"),
    ("Jeugdcriminaliteit en individuele probleemjongeren", "Aantal plan aanpak risicojongeren",
     111, "Aantal plan aanpak risicojongeren 111"),
    ("Jeugdcriminaliteit en individuele probleemjongeren", "Aantal doorverwijzingen naar Halt",
     43, "Aantal doorverwijzingen naar Halt; 1e helft 2022 43"),
    ("Sociale kwaliteit (overlast door personen)", "Woonoverlast/burengerucht/relatieproblemen",
     716, "Burengerucht 716"),
    ("Sociale kwaliteit (overlast door personen)",
     "Overlast door verwarde of overspannen personen", 1537, "Personen met verward gedrag 1537"),
    ("Sociale kwaliteit (overlast door personen)", "Overlast door zwervers", 421,
     "Overlast zwervers 421"),
    ("Sociale kwaliteit (overlast door personen)", "Overlast door gebruik van drugs of drank",
     786, "Drugs/drankoverlast 786"),
    ("Sociale kwaliteit (overlast door personen)",
     "Andere overlast, zoals een gluurder, overlast van jeugd en overlast van prostitutie", 867,
     "Overige overlast sociaal 867"),
    ("Sociale kwaliteit (overlast door personen)", "Huisvredebreuk", 22, "Huisvredebreuk 22"),
    ("Sociale kwaliteit (overlast door personen)", "Overlast in de woonomgeving", 22,
     "drank/drugsoverlast.) 22%"),
    ("Sociale kwaliteit (overlast door personen)", "Totaal aantal incidenten sociale kwaliteit",
     4349, "Totaal 4349"),
]  # fmt: skip


@pytest.mark.parametrize(("theme", "name", "value", "printed"), START_VALUES)
def test_apeldoorn_start_values_2022(apeldoorn, ivp_text, theme, name, value, printed):
    assert printed in ivp_text
    indicator = _indicator(_theme(apeldoorn, theme), name)
    assert indicator["start_value"] == value
    assert indicator["start_year"] == 2022


def test_apeldoorn_indicators_per_measurement_list(apeldoorn):
    counts = {t["name"]: len(t["indicators"]) for t in apeldoorn["themes"]}
    assert counts == {
        # 8 list entries, Bibob split into its 2 sub entries, plus "Hennepkwekerijen" of Tabel 1
        "Ondermijning en georganiseerde criminaliteit": 10,
        # 4 list entries plus "Ervaren slachtofferschap" of the starting point
        "Gedigitaliseerde criminaliteit": 5,
        # 9 list entries of which the last repeats the VO-school campaigns
        "Jeugdcriminaliteit en individuele probleemjongeren": 8,
        # 6 police categories plus the two survey figures and the total of Tabel 4
        "Sociale kwaliteit (overlast door personen)": 9,
        # reported with examples, not with figures
        "Zorg en veiligheid": 0,
        "Informatiemanagement": 0,
    }
    with_start = [i for t in apeldoorn["themes"] for i in t["indicators"] if i["start_value"]]
    assert len(with_start) == 25


def test_apeldoorn_indicators_without_a_start_value(apeldoorn):
    youth = _theme(apeldoorn, "Jeugdcriminaliteit en individuele probleemjongeren")
    campaigns = _indicator(youth, "Preventiecampagnes VO-scholen in Apeldoorn")
    assert campaigns["start_value"] is None and campaigns["start_year"] is None
    assert _indicator(youth, "Aantal doorverwijzingen naar Halt")["frequency"] == "half_year"
    undermining = _theme(apeldoorn, "Ondermijning en georganiseerde criminaliteit")
    assert _indicator(undermining, "Aantal Bibob casussen totaal")["start_value"] is None
    assert _indicator(undermining, "Waardebeslag")["unit"] == "euro"
    assert _indicator(undermining, "Waardebeslag")["source"] == "OM"


def test_apeldoorn_measurable_goals_and_targets(apeldoorn, ivp_text):
    digital = _theme(apeldoorn, "Gedigitaliseerde criminaliteit")
    assert "niet meer dan 6% slachtof" in ivp_text
    assert [g["target_text"] for g in digital["goals"]] == [
        "",
        "niet meer dan 6%",
        "gelijk blijft of verminderd",
    ]
    victims = _indicator(digital, "Ervaren slachtofferschap burgerpanel")
    assert victims["target"] == {"comparison": "lte", "value": 6, "text": "niet meer dan 6%"}
    assert _indicator(digital, "Digitale criminaliteit")["target"]["comparison"] == (
        "not_above_start"
    )

    social = _theme(apeldoorn, "Sociale kwaliteit (overlast door personen)")
    assert "niet meer dan 9% van de inwoners" in ivp_text
    assert social["goals"][1]["target_text"] == "niet meer dan 9%"
    nuisance = _indicator(social, "Sociale overlast ‘percentage dat veel overlast ervaart’")
    assert "Apeldoorn 9,4%" in ivp_text
    assert (nuisance["start_year"], nuisance["start_value"]) == (2021, 9.4)
    assert nuisance["target"] == {"comparison": "lte", "value": 9, "text": "niet meer dan 9%"}


def test_apeldoorn_table_4_total_is_the_sum_of_its_categories(apeldoorn):
    social = _theme(apeldoorn, "Sociale kwaliteit (overlast door personen)")
    police = [i for i in social["indicators"] if i["source"] == "politie"]
    total = _indicator(social, "Totaal aantal incidenten sociale kwaliteit")
    assert sum(i["start_value"] for i in police if i is not total) == total["start_value"]


def test_apeldoorn_goals(apeldoorn):
    goals = {t["name"]: [g["text"] for g in t["goals"]] for t in apeldoorn["themes"]}
    assert sum(len(texts) for texts in goals.values()) == 9
    assert goals["Ondermijning en georganiseerde criminaliteit"][0].startswith(
        "We willen zien waar en hoe ondermijning"
    )
    assert goals["Jeugdcriminaliteit en individuele probleemjongeren"] == [
        "We willen het overlastgevend- en strafbaar gedrag door jongeren verminderen en "
        "voorkomen dat overlastgevend gedrag overgaat in strafbaar gedrag."
    ]
    assert "ervaren3" not in " ".join(goals["Gedigitaliseerde criminaliteit"])


def test_apeldoorn_partners(apeldoorn):
    kinds = {p["name"]: p["kind"] for p in apeldoorn["partners"]}
    assert kinds["Politie"] == "police"
    assert kinds["Openbaar Ministerie"] == "public_prosecutor"
    assert kinds["RIEC"] == "riec"
    assert kinds["Belastingdienst"] == "tax"
    assert kinds["Zorg en Veiligheidshuis"] == "care_safety_house"
    assert kinds["Woningbouwvereniging"] == "housing"
    assert kinds["Jongerenwerk"] == "youth_work"
    assert kinds["Brandweer"] == "fire_brigade"


# --- Apeldoorn: programme ----------------------------------------------------------------------


def test_programme_pillars_and_opgaves(apeldoorn, programme_text):
    programme = apeldoorn["programme"]
    assert programme["title"] == "Programma Integrale Veiligheid 2023-2026"
    assert [p["name"] for p in programme["pillars"]] == [
        "Informatiedeling en intelligence",
        "Preventieve weerbaarheid",
        "Repressieve weerbaarheid",
    ]
    assert all(p["description"] for p in programme["pillars"])
    assignments = [a for p in programme["pillars"] for a in p["assignments"]]
    assert [len(p["assignments"]) for p in programme["pillars"]] == [3, 3, 3]
    assert [a["number"] for a in assignments] == [str(n) for n in range(1, 10)]
    for assignment in assignments:
        for field in ASSIGNMENT_FIELDS:
            assert assignment[field].strip(), (assignment["number"], field)
            first_line = assignment[field].splitlines()[0].lstrip("- ")
            assert " ".join(first_line.split()[:6]) in programme_text
    titles = [a["title"] for a in assignments]
    assert titles[0] == "Aansluiting crimineel speelveld Politie"
    assert titles[6] == "Van casusteam naar interventie/controloteams"
    assert titles[8] == "Aanpak zorgfraude"


def test_programme_opgave_details(apeldoorn):
    assignments = {
        a["number"]: a for p in apeldoorn["programme"]["pillars"] for a in p["assignments"]
    }
    assert assignments["6"]["result"] == (
        "In 2023 begeleiden de casusregisseurs 75 jongeren naar zorg, school of werk."
    )
    assert assignments["9"]["when"] == "Q3 en Q4 2023"
    assert assignments["1"]["who"] == "Politie, RIEC, OM, Belastingdienst, Gemeente."
    assert {n: a["approach"] for n, a in assignments.items()} == {
        "1": "project",
        "2": "process_direction",
        "3": "project",
        "4": "project",
        "5": "analysis",
        "6": "case_direction",
        "7": "project",
        "8": "process_direction",
        "9": "project",
    }


def test_programme_organisation_and_risks(apeldoorn):
    programme = apeldoorn["programme"]
    assert [(r["name"], r["holder"]) for r in programme["roles"]] == [
        ("Bestuurlijke opdrachtgever", "Burgemeester"),
        ("Ambtelijk opdrachtgever", "Gemeentesecretaris"),
        ("Ambtelijke Opdrachtnemer", "Programmamanager"),
    ]
    names = [p["name"] for p in programme["participants"]]
    assert len(names) == 35
    assert names[0] == "Sr. bestuursadviseur weerbare overheid (CZ)"
    assert {"Politie", "Openbaar Ministerie", "RIEC", "Belastingdienst", "Douane"} <= set(names)
    risks = programme["risks"]
    assert len(risks) == 2
    assert "schaarste van menskracht het grootste risico" in risks[1]["description"]
    assert risks[1]["owner"] == "Gezagsdriehoek"
    assert all(r["mitigation"] for r in risks)


def test_programme_budget_totals_as_printed(apeldoorn, programme_text):
    programme = apeldoorn["programme"]
    assert "Totaal 1.270.000" in programme_text
    totals = programme["budget_totals"]
    assert list(totals) == YEARS
    assert totals["2023"] == 1270000
    assert sum(v for v in totals.values() if v is not None) == 1270000
    # the funding overview above the table adds up to the same total
    assert "ROP post 2022 – 2023 335.000 Ondermijningsgelden 675.000" in programme_text
    assert totals["2023"] == 335000 + 675000 + 260000


def test_programme_budget_lines(apeldoorn, programme_text):
    lines = apeldoorn["programme"]["budget_lines"]
    table = [line for line in lines if line["funding_source"] != "MPB 2023-2026"]
    by_item = {}
    for line in table:
        by_item.setdefault(line["item"], {}).update(line["amounts"])
    assert by_item["Handhaving PTH"] == {
        "2023": 365250,
        "2024": 365250,
        "2025": 365250,
        "2026": 105250,
    }
    assert by_item["Adviseur Zorgfraude"] == dict.fromkeys(YEARS, 117600)
    assert "Jurist OOV 32 uur 100.000 MPB 105.000 MPB 105.000" in programme_text
    jurist = [line for line in table if line["item"] == "Jurist OOV 32 uur"]
    assert [(j["amounts"], j["mpb_claim"]) for j in jurist] == [
        ({"2023": 100000}, False),
        ({"2024": 105000, "2025": 105000}, True),
    ]
    # The document prints 1.270.000 as the total of 2023; its rows add up to 1.273.000.
    printed_2023 = sum(line["amounts"].get("2023", 0) for line in table)
    assert printed_2023 == 1273000


def test_mpb_claims_of_the_plan(apeldoorn, ivp_text):
    claims = {
        line["item"]: line
        for line in apeldoorn["programme"]["budget_lines"]
        if line["funding_source"] == "MPB 2023-2026"
    }
    assert len(claims) == 7
    assert all(claim["mpb_claim"] for claim in claims.values())
    assert "Actieplan Ondermijning 675.000 675.000 675.000 675.000" in ivp_text
    assert claims["Actieplan Ondermijning"]["amounts"] == dict.fromkeys(YEARS, 675000)
    assert claims["Actieplan Ondermijning"]["structural"] is True
    assert claims["Controle basisregistratie adressen"]["amounts"] == {
        "2023": 421000,
        "2024": 421000,
        "2025": 138000,
        "2026": 138000,
    }
    manager = claims["Programmamanager Integrale Veiligheid"]
    assert manager["amounts"]["2026"] == 66400 and manager["structural"] is False
    # "voor 3 jaar vanaf 2023"
    assert "voor 3 jaar vanaf 2023" in ivp_text
    assert claims["Amendement “Meer PTH”"]["amounts"] == dict.fromkeys(YEARS[:3], 260000)
    # The text announces € 6.934.800; the seven rows of its table add up to 6.794.800.
    assert "€ 6.934.800" in ivp_text
    assert sum(sum(c["amounts"].values()) for c in claims.values()) == 6794800


# --- Oude IJsselstreek -------------------------------------------------------------------------


def test_oude_ijsselstreek_plan(oude_ijsselstreek):
    plan = oude_ijsselstreek
    assert plan["slug"] == "oude-ijsselstreek-ivb-2023-2026"
    assert plan["title"] == "Integraal Veiligheidsbeleid Gemeente Oude IJsselstreek 2023-2026"
    assert (plan["period_start"], plan["period_end"]) == (2023, 2026)
    assert plan["owner"]["name"] == "Oude IJsselstreek"
    assert plan["source_document"] == "004_4a8acd6ca3a8e529.txt"
    assert plan["programme"] is None
    assert plan["headline_indicators"] == []
    assert {"Bronckhorst", "Doetinchem", "Montferland"} <= {p["name"] for p in plan["partners"]}


def test_oude_ijsselstreek_priorities(oude_ijsselstreek):
    document = _document(extract.IVB_OUDE_IJSSELSTREEK)
    themes = oude_ijsselstreek["themes"]
    assert [(t["kind"], t["name"]) for t in themes] == [
        ("priority", "Aanpak georganiseerde ondermijnende criminaliteit"),
        ("priority", "Effectieve verbinding veiligheid en zorg"),
        ("priority", "Digitale weerbaarheid en veiligheid (“cybercrime”)"),
    ]
    assert [len(t["goals"]) for t in themes] == [4, 3, 2]
    assert [len(t["actions"]) for t in themes] == [7, 4, 8]
    assert themes[0]["goals"][0]["text"] == "Verbeteren van onze informatiepositie."
    assert [g["topic"] for g in themes[2]["goals"]] == [
        "Inwoners en bedrijven",
        "Eigen organisatie",
    ]
    for theme in themes:
        assert theme["indicators"] == []
        for action in theme["actions"]:
            assert action["description"] in document
            assert action["subject"] and action["description"].startswith(action["subject"])


def test_oude_ijsselstreek_actions(oude_ijsselstreek):
    undermining, care, digital = oude_ijsselstreek["themes"]
    assert any("meldpunt inrichten" in a["description"] for a in undermining["actions"])
    assert (
        undermining["actions"][4]["subject"] == "Continuering van het Lokaal Ondermijningsoverleg."
    )
    assert care["actions"][-1]["description"] == (
        "Het continueren van de werkgroep Zorg- en Veiligheid Achterhoek."
    )
    cooperation = next(a for a in digital["actions"] if a["subject"].startswith("Nauwe"))
    assert cooperation["partners"] == ["Politie", "Platform Veilig Ondernemen"]
    assert digital["actions"][-1]["description"] == "Het oefenen van een Cybersecurity incident."


# --- schema ------------------------------------------------------------------------------------

PLAN_KEYS = {
    "slug", "title", "kind", "period_start", "period_end", "owner", "status", "adopted_on",
    "summary", "source_document", "partners", "headline_indicators", "themes", "programme",
}  # fmt: skip
INDICATOR_KEYS = {
    "name", "unit", "direction", "source", "frequency", "definition", "start_year",
    "start_value", "target",
}  # fmt: skip


ACTION_KEYS = {"topic", "subject", "description", "lead", "partners", "due_text"}
FIXTURES = ["apeldoorn-ivp-2023-2026.json", "oude-ijsselstreek-ivb-2023-2026.json"]


@pytest.mark.parametrize("name", FIXTURES)
def test_schema(name):
    plan = _load(name)
    # The importer's own check of the exchange format (imports/plans/structured.py) passes.
    assert check_structured_plan(plan) == []
    assert PLAN_KEYS <= set(plan) <= PLAN_KEYS | {"reporting_cycle"}
    assert plan["status"] == "adopted"
    partner_kinds = {
        "police", "public_prosecutor", "riec", "tax", "care_safety_house", "housing",
        "youth_work", "fire_brigade", "other",
    }  # fmt: skip
    assert all(p["kind"] in partner_kinds for p in plan["partners"])
    indicators = list(plan["headline_indicators"])
    for theme in plan["themes"]:
        assert set(theme) == {
            "kind", "name", "description", "topics", "goals", "indicators", "actions",
        }  # fmt: skip
        indicators += theme["indicators"]
        topic_names = {topic["name"] for topic in theme["topics"]}
        for goal in theme["goals"]:
            assert set(goal) == {"text", "topic", "target_text"}
            assert goal["topic"] is None or goal["topic"] in topic_names
        for action in theme["actions"]:
            assert set(action) == ACTION_KEYS
    for indicator in indicators:
        assert INDICATOR_KEYS <= set(indicator) <= INDICATOR_KEYS | {"start_period", "remarks"}
        assert indicator["unit"] in {"count", "percentage", "euro", "grade"}
        assert indicator["direction"] in {"up", "down", "none"}
        assert indicator["frequency"] in {"year", "half_year", "quarter", "month", "two_years"}
        assert (indicator["start_year"] is None) == (indicator["start_value"] is None)
        if indicator["target"] is not None:
            assert indicator["target"]["comparison"] in {
                "gte", "lte", "not_above_start", "not_below_start",
            }  # fmt: skip
    if plan["programme"] is not None:
        for line in plan["programme"]["budget_lines"]:
            assert set(line["amounts"]) <= set(YEARS)
            assert all(isinstance(v, int) for v in line["amounts"].values())


# --- fidelity: what the loaded demo shows comes from here ----------------------------------------


def test_reporting_cycle_quotes_the_document(apeldoorn, ivp_text):
    cycle = apeldoorn["reporting_cycle"]
    assert [report["report_type"] for report in cycle] == [
        "veiligheidsbrief", "jaarrapportage", "tussentijdse_evaluatie",
    ]  # fmt: skip
    for report in cycle:
        assert report["source_text"] in ivp_text


def test_printed_totals_and_funding_overview_as_printed(apeldoorn, ivp_text, programme_text):
    programme = apeldoorn["programme"]
    assert programme["table_totals"] == {"Claims MPB (IVP)": 6934800}
    assert "€ 6.934.800" in ivp_text
    claims = [line for line in programme["budget_lines"] if line["section"] == "Claims MPB (IVP)"]
    assert sum(sum(line["amounts"].values()) for line in claims) == 6794800
    overview = programme["funding_overview"]
    for row in overview["rows"]:
        assert f"{row['source']} {row['amount'] // 1000}.000" in programme_text
    assert overview["printed_total"] == 1270000


def test_start_periods_frequencies_and_remarks_from_the_tables(apeldoorn, ivp_text):
    youth = _theme(apeldoorn, "Jeugdcriminaliteit en individuele probleemjongeren")
    assert _indicator(youth, "Aantal doorverwijzingen naar Halt")["start_period"] == "2022-H1"
    campaigns = _indicator(youth, "Preventiecampagnes VO-scholen in Apeldoorn")
    assert campaigns["remarks"] == [{"period": "2022", "text": "Vanwege corona geen voorlichting"}]
    assert "(Vanwege corona geen voorlichting)" in ivp_text
    social = _theme(apeldoorn, "Sociale kwaliteit (overlast door personen)")
    survey = _indicator(social, "Sociale overlast ‘percentage dat veel overlast ervaart’")
    assert survey["frequency"] == "two_years"
