"""The plan importer on the 2017-2018 execution plan of Apeldoorn (seed 001) and the cell
helpers it uses (ported from the tests of the former plain-text table parser).

The expected counts for the 001 seed document were counted by hand from the text: one action
per top-level bullet, wrapped rows merged into the row they continue, and a row whose single
action cell holds two sentences beside two due texts (lines 98 and 189) two actions.
"""

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from openveiligheid.imports.plans.cells import split_actions, split_lead_full
from openveiligheid.imports.plans.extraction import extract
from openveiligheid.imports.plans.readers import read_text, repair_layout
from openveiligheid.imports.plans.results import ExtractedAction

SEED = (
    Path(__file__).resolve().parents[3]
    / "src/openveiligheid/demo/documents/001_6ad9f3ac64820703.txt"
)

WORD_PUNCTUATION = "-–•,;:.()'\"²¹"

SOCIAL = "Sociale kwaliteit"
DOMESTIC = "Objectieve veiligheid – huiselijk geweld"
HIC = "Objectieve veiligheid – High Impact Crime (HIC)"
YOUTH = "Jeugdcriminaliteit, loverboys en jeugdprostitutie"
ORGANISED = "Georganiseerde criminaliteit"
TOURISM = "Veilig Toerisme"

# (theme, table title, number of actions), in document order.
EXPECTED_TABLES = [
    (SOCIAL, "Overlast in woonomgeving", 19),
    (SOCIAL, "Verbetering leefbaarheid", 6),
    (SOCIAL, "Wonen", 4),
    (SOCIAL, "Aanpak", 9),
    (DOMESTIC, "Huiselijk geweld – Aanpak", 20),  # line 98 holds two dated actions
    (DOMESTIC, "Huiselijk geweld – samenwerking", 5),
    (DOMESTIC, "Huiselijk geweld - preventie", 7),
    (HIC, "Woninginbraken – aanpak", 26),
    (HIC, "Woninginbraken - informatievoorziening", 3),
    (HIC, "Woninginbraken - samenwerking", 3),
    (HIC, "Overvallen en straatroof – aanpak", 29),
    (YOUTH, "Jeugdcriminaliteit - Aanpak", 16),  # so does line 189
    (YOUTH, "Jeugdcriminaliteit – informatie", 6),
    (YOUTH, "Jeugdcriminaliteit - preventief", 7),
    (YOUTH, "Jeugdprostitutie / loverboys – Aanpak", 10),
    (ORGANISED, "Algemeen georganiseerde criminaliteit", 8),
    (ORGANISED, "Hennepcultuur", 16),
    (ORGANISED, "Illegale prostitutie", 9),
    (ORGANISED, "Windhappers", 3),
    (ORGANISED, "Outlaw Motorcycle Gangs", 8),
    (TOURISM, "Aanpak", 11),
    (TOURISM, "Natuurbrandbeheersing", 4),
]


@pytest.fixture(scope="module")
def document():
    return extract(read_text(SEED.read_bytes()))


def parse(text: str):
    return extract(read_text(text))


def at_line(document, line: int) -> list[ExtractedAction]:
    actions = [action for action in document.actions if action.line == line]
    assert actions, f"no action starts on line {line}"
    return actions


# --------------------------------------------------------------------------------------------
# The 001 seed document


def test_title(document):
    assert document.title == "Uitvoeringsplan Integrale Veiligheid 2017 en 2018"


def test_themes_and_goals(document):
    assert [theme.name for theme in document.themes] == [
        SOCIAL,
        DOMESTIC,
        HIC,
        YOUTH,
        ORGANISED,
        TOURISM,
    ]
    goals = {theme.name: theme.goal for theme in document.themes}
    assert goals[SOCIAL] == (
        "Het voorkomen en bestrijden van de overlast in de woonomgeving zodanig dat niet meer "
        "dan 10% van de bevolking overlast ervaart op een of meer van de 5 vormen van overlast "
        "(woonoverlast, burengerucht, overlast gerelateerd aan overspannen personen, drank- en "
        "drugsoverlast en overlast van zwervers en verslaafden)."
    )
    assert goals[DOMESTIC].startswith("Borgen van de bekendheid in Apeldoorn met het advies-")
    assert goals[HIC].startswith("Het onder controle houden van de 'High Impact Crime'-feiten")
    assert goals[YOUTH].endswith("jeugdgroepen kleiner is dan 7.")
    assert goals[ORGANISED].startswith("Het integraal en slagvaardig aanpakken")
    assert goals[TOURISM].endswith("een ontruimingsplan.")
    for theme in document.themes:
        assert theme.goal
        assert not theme.goal.startswith("Doel")
    situations = {theme.name: theme.situation for theme in document.themes}
    assert situations[SOCIAL].startswith("De cijfers op dit thema zijn in 2016 licht gedaald")
    assert situations[TOURISM].startswith("In 2016 heeft 25% van de grotere bedrijven")


def test_action_counts_per_table(document):
    counts = Counter((action.theme, action.topic) for action in document.actions)
    assert counts == Counter({(theme, topic): count for theme, topic, count in EXPECTED_TABLES})
    # The order of the tables follows the document.
    seen = []
    for action in document.actions:
        if not seen or seen[-1] != (action.theme, action.topic):
            seen.append((action.theme, action.topic))
    assert seen == [(theme, topic) for theme, topic, _ in EXPECTED_TABLES]
    assert len(document.actions) == 229


def test_actions_carry_theme_goal(document):
    goals = {theme.name: theme.goal for theme in document.themes}
    for action in document.actions:
        assert action.goal == goals[action.theme]


def test_first_row_two_bullets_with_own_due(document):
    first, second = at_line(document, 44)
    assert first.theme == SOCIAL
    assert first.topic == "Overlast in woonomgeving"
    assert first.lead == "Gemeente V&R"
    assert first.lead_organisation == "Gemeente"
    assert first.lead_unit == "V&R"
    assert first.partners == [
        "Stadsdeelmanagers",
        "Stadsdeelregisseurs Zorg",
        "politie",
        "brandweer",
        "Ruimtelijke Leefomgeving",
        "burgerzaken",
    ]
    assert first.subject == "Team woonoverlast"
    assert first.text.startswith("1 x per maand bespreken in team woonoverlast")
    assert first.due_text == "Doorlopend"
    assert second.text.startswith("Evaluatie werkwijze (inclusief afstemming")
    assert second.due_text == "Eind 2017"


def test_sample_rows(document):
    # line: (lead, organisation, unit, partners, subject, description start, due text)
    expected = {
        45: ("Gemeente / SWT", "Gemeente", "SWT", [], "CMO", "Versterken van preventie", "2017"),
        48: (
            "Gemeente RL",
            "Gemeente",
            "RL",
            ["Brandweer", "OM"],
            "Actieteam",
            "Elke maand bespreken.",
            "Maandelijks / ad hoc",
        ),
        52: (
            "Expertteam Overlastgevende personen eenheid Oost",
            "Expertteam Overlastgevende personen eenheid Oost",
            "",
            ["Veiligheidshuis"],
            "Overlastgevende personen met dubbel of trippel diagnose",
            "Blijvend inzetten op de doelstellingen • Verbetering van de samenwerking",
            "2017 en 2018",
        ),
        60: (
            "Gemeente/SWT",
            "Gemeente",
            "SWT",
            ["Thor", "Veiligheid", "RL GGnet", "OM", "woningbouwcorporaties"],
            "Vervuilde woonomgeving",
            "Opzetten Beleid aanpak integrale ernstige vervuilde woningen",
            "2e kwartaal 2017",
        ),
        69: (
            "SWT",
            "SWT",
            "",
            ["woningbouwcorporaties"],
            "Huurders met begeleidingsvraagstukken",
            "Herijking werkwijze huurders",
            "1e kwartaal 2017",
        ),
        97: (
            "Gemeente - JZW",
            "Gemeente",
            "JZW",
            ["Veilig Thuis"],
            "Registratie HG en kindermishandeling",
            "Afspraken maken met Veilig Thuis over registratie",
            "2017 en 2018",
        ),
        98: (
            "Gemeente – Veiligheidskamer",
            "Gemeente",
            "Veiligheidskamer",
            [],
            "Veiligheidskamer",
            "Doorontwikkeling van het casuoverleg huiselijk geweld",
            "2017 en 2018",
        ),
        99: (
            "Veilig Thuis",
            "Veilig Thuis",
            "",
            [],
            "Evaluatie huisverbod",
            "Evaluatie van het huisverbod",
            "Tweede kwartaal 2017",
        ),
        150: (
            "Politie",
            "Politie",
            "",
            ["Gemeente"],
            "",
            "Verstrekt informatie over woninginbraken",
            "Wekelijks",
        ),
        183: (
            "CJG",
            "CJG",
            "",
            ["gemeente", "Tactus", "RIWIS"],
            "Aanpak",
            "Tijdig en snel de juiste hulp inzetten.",
            "Indien noodzakelijk",
        ),
        208: (
            "Gemeente JZW",
            "Gemeente",
            "JZW",
            ["Politie", "brandweer", "Stimenz/MEE Veluwe/Iriszorg (JIP)", "Tactus", "Halt"],
            "Voorlichting",
            "Voorlichten van de jeugd.",
            "2017 en 2018",
        ),
        217: (
            "Veiligheidskamer",
            "Veiligheidskamer",
            "",
            ["Gemeente", "Politie"],
            "Wegingsoverleg",
            "Deelname aan wegingsoverleg",
            "1 keer per twee weken of eerder indien nodig",
        ),
        218: (
            # The source lacks the opening parenthesis: "Veilig Thuis Gemeente, Politie, ...)".
            "Veilig Thuis",
            "Veilig Thuis",
            "",
            ["Gemeente", "Politie", "OM", "GGD"],
            "Zorg coördinatie",
            "Realiseren van individuele hulpverlening",
            "Doorlopend",
        ),
        239: (
            "THOR",
            "THOR",
            "",
            ["Politie", "RL"],
            "Integrale controle",
            "Integrale controle van alle coffeeshops in Apeldoorn.",
            "2 keer per jaar",
        ),
        248: (
            "Gemeente V&R/THOR",
            "Gemeente",
            "V&R/THOR",
            ["Politie", "OM", "RL"],
            "",
            "Het houden van toezicht op vergunde seksinrichtingen",
            "Doorlopend",
        ),
        289: (
            "Brandweer",
            "Brandweer",
            "",
            ["gemeente"],
            "Risico Index Natuurbranden",
            "Risicobeheersing Apeldoorn van de VNOG",
            "2e helft 2017",
        ),
    }
    for line, (lead, organisation, unit, partners, subject, start, due) in expected.items():
        action = at_line(document, line)[0]
        assert action.lead == lead, line
        assert action.lead_organisation == organisation, line
        assert action.lead_unit == unit, line
        assert action.partners == partners, line
        assert action.subject == subject, line
        assert action.text.startswith(start), (line, action.text)
        assert action.due_text == due, line


def test_nested_parentheses_in_partners(document):
    actions = at_line(document, 53)
    assert len(actions) == 7
    assert actions[0].partners == [
        "Politie",
        "stadsdeelmanagers",
        "OM",
        "zorgregisseurs en anderen (bijv. Woningcorp.)",
    ]
    # Four due texts for seven bullets: see test_due_cells_with_several_dates.
    assert actions[-1].text == "Evalueren Top X Sociale Overlast in de Veiligheidskamer"


def test_continuation_of_lead_and_action_is_merged(document):
    # Lines 49-51: the lead cell and the second bullet wrap onto line 51 after an empty line.
    actions = at_line(document, 49)
    assert len(actions) == 2
    assert actions[0].lead == "Gemeente JZW"
    assert actions[0].partners == [
        "RL",
        "V&R",
        "SWT",
        "GGnet",
        "woningbouwcorporaties",
        "politie",
        "OM",
    ]
    assert actions[1].text == (
        "Gedurende 2017 monitoren of er een noodzaak is om nader afspraken te maken t.a.v. "
        "verantwoordelijkheden in de aanpak woonoverlast tussen zorginstellingen en gemeente."
    )
    assert actions[1].due_text == ""
    assert not any(action.line == 51 for action in document.actions)


def test_continuation_of_action_text_is_merged(document):
    (action,) = at_line(document, 79)
    assert action.text == (
        "Levert gevraagd en ongevraagd informatie aan de gemeente en eventuele partners over "
        "de sociale kwaliteit"
    )
    (action,) = at_line(document, 196)
    assert action.text.endswith("(het gehele traject van politie, OM en ZM moet zijn doorlopen).")
    (action,) = at_line(document, 279)
    assert action.text.endswith("het totaal aan acties om vakantieparken vitaal te maken.")
    for line in (81, 102, 141, 145, 161, 188, 198, 253, 281, 293):
        assert not any(action.line == line for action in document.actions), line


def test_continuation_adds_bullets(document):
    # Line 102 adds two bullets to the police row of line 100.
    actions = at_line(document, 100)
    assert len(actions) == 6
    assert actions[4].text.startswith("Signaleren zorgelijke situaties in de wijken")
    # Line 141 continues the OM row of line 126 after a footnote.
    actions = at_line(document, 126)
    assert len(actions) == 7
    assert actions[-1].text.startswith("Naar aanleiding van het DOR starten")
    # Line 293 adds a bullet and a due text to line 291.
    first, second = at_line(document, 291)
    assert first.due_text == "Doorlopend, het hele jaar"
    assert second.text.startswith("Planning is om voor het nieuwe seizoen 2017")
    assert second.due_text == "1e helft 2017"


def test_partner_list_on_its_own_line_is_merged(document):
    (action,) = at_line(document, 186)
    assert action.lead == "Gemeente Coördinator Jeugdcriminaliteit preventie"
    assert action.lead_unit == "Coördinator Jeugdcriminaliteit preventie"
    assert action.partners == ["V&R", "Jeugdzorg", "jeugdboa's", "politie", "Tactus"]


def test_line_without_tabs_finishing_an_action(document):
    actions = at_line(document, 251)
    assert len(actions) == 3
    assert actions[-1].text.endswith(
        "dagelijks gescreend op signalen illegale prostitutie en mensenhandel"
    )


def test_bullet_styles(document):
    # Glued bullets: "...genoemd).- Signaleringsfunctie".
    assert [action.text for action in at_line(document, 258)][1:] == [
        "Signaleringsfunctie, bewustwording binnen gemeente verbeteren en de juiste route kennen.",
        "Uitvoering geven aan POB met minimaal 2 gevallen",
    ]
    # "- " items without HTML.
    assert len(at_line(document, 62)) == 2
    assert len(at_line(document, 285)) == 3
    # An introduction ending in ":" is put in front of each bullet.
    actions = at_line(document, 116)
    assert len(actions) == 6
    assert actions[0].text == (
        "Vormgeven en implementatie: Stimuleren toepassing meldcode en Verwijsindex en handhaving"
    )
    # A list of topics (lower case items) stays one action.
    (action,) = at_line(document, 283)
    assert action.text.startswith("Informatiebijeenkomst voor alle verblijfsrecreatie")
    assert "- digitaal nachtregister -" in action.text
    # Sub-items of a bullet ending in ":" stay with that bullet.
    descriptions = [action.text for action in at_line(document, 143)]
    assert len(descriptions) == 8
    assert descriptions[2].startswith("Uitvoering geven aan het Donkere Dagen Offensief: -")
    assert "waar mogelijk gebruik van de DNA-kit" in descriptions[2]
    # Paragraph headings and paragraphs in an OM cell.
    descriptions = [action.text for action in at_line(document, 103)]
    assert len(descriptions) == 9
    assert descriptions[0] == (
        "Huiselijk geweld: 80% van de zaken zijn na het eerste verhoor binnen 6 maanden afgedaan."
    )
    assert descriptions[-1].startswith("Kindermishandeling Alle signalen van kindermishandeling")


def test_unparsed_holds_only_footnotes_and_uncertain_due_cells(document):
    footnotes = [entry for entry in document.unparsed if not entry.reason]
    assert [entry.position.line for entry in footnotes] == [128, 130, 132, 133, 135, 137, 139, 159]
    texts = {entry.position.line: entry.text for entry in footnotes}
    assert texts[128].startswith("¹ Voor een strafbare voorbereiding")
    assert texts[159].startswith("² Het opkopersregister is een verplichting")
    uncertain = {entry.position.line: entry.text for entry in document.unparsed if entry.reason}
    assert uncertain == {
        53: "2017 en 2018 2017 2017 2018",
        168: "Doorlopend Begin 2018",
        232: "Eerste kwartaal 2017 Eerste kwartaal 2017 Eerste kwartaal 2017 Doorlopend",
        233: "2017 2018",
        242: "Doorlopend Eerste kwartaal 2017 Doorlopend",
    }
    # None of it looks like an action row: no tabs, no header vocabulary, not a bullet action.
    for text in texts.values():
        assert "\t" not in text
        assert not text.startswith(("Gemeente", "Politie", "OM ", "Regievoerder"))


def test_every_table_cell_is_accounted_for(document):
    """Every word of every table cell shows up in an action, a topic or ``unparsed``."""
    placed = " ".join(
        " ".join(
            [
                action.topic,
                action.lead,
                " ".join(action.partners),
                action.subject,
                action.text,
                action.due_text,
            ]
        )
        for action in document.actions
    )
    placed += " " + " ".join(entry.text for entry in document.unparsed)
    placed_words = {word.strip(WORD_PUNCTUATION) for word in placed.split()}
    headers = {"Regievoerder", "partners", "Onderwerp", "Actie", "Wanneer"}
    missing = set()
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        if "\t" not in line:
            continue
        line = repair_layout(line)  # as the reader does: "hennep- convenant" is one word
        for cell in line.split("\t"):
            text = re.sub(r"(\d)\s*\^e", r"\1e", re.sub(r"<[^>]*>", " ", cell))
            for word in text.split():
                word = word.strip(WORD_PUNCTUATION)
                if word and word not in headers and word not in placed_words:
                    missing.add(word)
    assert not missing


# --------------------------------------------------------------------------------------------
# split_lead


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gemeente V&R (Politie, OM)", ("Gemeente", "V&R", ["Politie", "OM"])),
        ("Gemeente", ("Gemeente", "", [])),
        ("Gemeente (Politie, OM, RIEC)", ("Gemeente", "", ["Politie", "OM", "RIEC"])),
        ("Gemeente / SWT", ("Gemeente", "SWT", [])),
        ("Gemeente/SWT (Thor)", ("Gemeente", "SWT", ["Thor"])),
        ("Gemeente - JZW (Veilig Thuis)", ("Gemeente", "JZW", ["Veilig Thuis"])),
        ("Gemeente – Veiligheidskamer", ("Gemeente", "Veiligheidskamer", [])),
        ("Politie", ("Politie", "", [])),
        ("Veilig Thuis (Politie, OM)", ("Veilig Thuis", "", ["Politie", "OM"])),
        ("Woningbouwcorporaties", ("Woningbouwcorporaties", "", [])),
        (
            "Expertteam Overlastgevende personen eenheid Oost (Veiligheidshuis)",
            ("Expertteam Overlastgevende personen eenheid Oost", "", ["Veiligheidshuis"]),
        ),
        (
            "Gemeente V&R (Politie, zorgregisseurs en anderen (bijv. Woningcorp.))",
            ("Gemeente", "V&R", ["Politie", "zorgregisseurs en anderen (bijv. Woningcorp.)"]),
        ),
        ("Gemeente JZW (Politie, Halt,)", ("Gemeente", "JZW", ["Politie", "Halt"])),
        ("Gemeente JZW (RL, V&R,", ("Gemeente", "JZW", ["RL", "V&R"])),
        ("Veiligheidshuis - Casusregie", ("Veiligheidshuis", "Casusregie", [])),
        ("  Gemeente   V&R  ( Politie ,  OM ) ", ("Gemeente", "V&R", ["Politie", "OM"])),
        ("", ("", "", [])),
    ],
)
def test_split_lead(text, expected):
    assert split_lead_full(text)[1:] == expected


def test_split_lead_missing_opening_parenthesis():
    text = "Veilig Thuis Gemeente, Politie, OM, GGD)"
    assert split_lead_full(text, known_leads=["Veilig Thuis", "Politie"])[1:] == (
        "Veilig Thuis",
        "",
        ["Gemeente", "Politie", "OM", "GGD"],
    )
    # Without known leads the text up to the first comma is the lead.
    assert split_lead_full(text)[1:] == ("Veilig Thuis Gemeente", "", ["Politie", "OM", "GGD"])


# --------------------------------------------------------------------------------------------
# split_actions

UL = '<ul style="list-style-type: none">'


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", []),
        ("   ", []),
        ("Evaluatie van het huisverbod", ["Evaluatie van het huisverbod"]),
        (f"{UL} - Eerste actie. - Tweede actie. ", ["Eerste actie.", "Tweede actie."]),
        (
            f"{UL}- Eerste actie;- Tweede actie- Derde actie",
            ["Eerste actie;", "Tweede actie", "Derde actie"],
        ),
        (
            "- Op het moment dat. - Bij herhaald overtreden.",
            ["Op het moment dat.", "Bij herhaald overtreden."],
        ),
        ("<ul><li>Een</li><li>Twee</li></ul>", ["Een", "Twee"]),
        (
            f"{UL} - Bevorderen van best- practices - Afstemming met de ZSM- tafel",
            ["Bevorderen van best- practices", "Afstemming met de ZSM- tafel"],
        ),
        (
            "Gebiedsgerichte aanpak - met name in de wijk - wordt voortgezet.",
            ["Gebiedsgerichte aanpak - met name in de wijk - wordt voortgezet."],
        ),
        (
            f"Snel informatie delen: {UL} - Het basisteam reageert - De politie deelt",
            [
                "Snel informatie delen: Het basisteam reageert",
                "Snel informatie delen: De politie deelt",
            ],
        ),
        (
            "Bijeenkomst over de onderwerpen: - preventie - ontruimingsplannen",
            ["Bijeenkomst over de onderwerpen: - preventie - ontruimingsplannen"],
        ),
        (
            f"Normen: {UL} • in 80% van de zaken; • 80% binnen drie maanden",
            ["Normen: - in 80% van de zaken; - 80% binnen drie maanden"],
        ),
        (
            f"{UL} - Blijvend inzetten op de doelen {UL} • Verbetering; • Ontwikkeling - Evalueren",
            ["Blijvend inzetten op de doelen • Verbetering; • Ontwikkeling", "Evalueren"],
        ),
        (
            f"{UL} - Monitoren - Uitvoering offensief: {UL} - gerichte controles"
            " - 1000-ogen project - Intensivering",
            [
                "Monitoren",
                "Uitvoering offensief: - gerichte controles - 1000-ogen project",
                "Intensivering",
            ],
        ),
        (
            f"<p>Huiselijk geweld</p> {UL} - 80% afgedaan. - Interventie 90%."
            " <p>Kindermishandeling bestuderen.</p>",
            [
                "Huiselijk geweld: 80% afgedaan.",
                "Huiselijk geweld: Interventie 90%.",
                "Kindermishandeling bestuderen.",
            ],
        ),
        (
            "<p>Uitvoering geven aan de agenda:</p> <ol> 1. Zorg 2. Wonen <p>Ad. 1: opschalen.</p>",
            ["Uitvoering geven aan de agenda: 1. Zorg 2. Wonen Ad. 1: opschalen."],
        ),
        (
            f"Een actie op zichzelf. {UL} - Tweede actie - Derde actie",
            ["Een actie op zichzelf.", "Tweede actie", "Derde actie"],
        ),
        ("Contact &amp; overleg<br>met partners", ["Contact & overleg met partners"]),
    ],
)
def test_split_actions(cell, expected):
    assert split_actions(cell) == expected


# --------------------------------------------------------------------------------------------
# Other layouts


def test_header_variants_and_column_order():
    text = "\n".join(
        [
            "Actieplan Ondermijning 2021",
            "",
            "Thema: Ondermijning",
            "Doel: Minder ondermijning.",
            "",
            "Drugs\t\t\t",
            "SUB SPEERPUNT\tACTIES 2021\tTrekker\tPlanning",
            "Drugslabs\tSignalen delen\tGemeente OOV (Politie)\tQ3 en Q4 2023",
            "--\t--\t--\t--",
            "Zorgfraude\t- Analyse maken - Casus bespreken\tRIEC\tDoorlopend Eind 2024",
            "",
            "Mensenhandel",
            "",
            "Wie\tSpeerpunt\tActiviteit\tDeadline\tStatus",
            "Politie\tUitbuiting\tControles\t18 februari\tloopt",
        ]
    )
    document = parse(text)
    assert document.title == "Actieplan Ondermijning 2021"
    # "Speerpunt" is a theme column, "Sub speerpunt" a topic column.
    assert [(theme.name, theme.goal) for theme in document.themes] == [
        ("Ondermijning", "Minder ondermijning."),
        ("Uitbuiting", ""),
    ]
    assert [
        (a.theme, a.topic, a.lead_organisation, a.lead_unit, a.partners, a.text, a.due_text)
        for a in document.actions
    ] == [
        (
            "Ondermijning",
            "Drugslabs",
            "Gemeente",
            "OOV",
            ["Politie"],
            "Signalen delen",
            "Q3 en Q4 2023",
        ),
        ("Ondermijning", "Zorgfraude", "RIEC", "", [], "Analyse maken", "Doorlopend"),
        ("Ondermijning", "Zorgfraude", "RIEC", "", [], "Casus bespreken", "Eind 2024"),
        ("Uitbuiting", "Mensenhandel", "Politie", "", [], "Controles", "18 februari"),
    ]
    assert [a.line for a in document.actions] == [8, 10, 10, 15]
    assert document.actions[-1].status == "in_progress"
    assert document.unparsed == []


def test_prose_between_rows_is_reported_prose_after_table_is_not():
    text = "\n".join(
        [
            "Thema: Test",
            "Titel\t\t\t",
            "Regievoerder (partners)\tOnderwerp\tActie\tWanneer",
            "Politie\tA\tEerste actie loopt door\t2017",
            "",
            "¹ Een voetnoot.",
            "",
            "\t\tin de volgende regel.\t",
            "",
            "Losse tekst na de tabel.",
        ]
    )
    document = parse(text)
    (action,) = document.actions
    assert action.text == "Eerste actie loopt door in de volgende regel."
    assert [(u.position.line, u.text) for u in document.unparsed] == [(6, "¹ Een voetnoot.")]


def test_repeated_header_continues_the_table():
    text = "\n".join(
        [
            "Titel\t\t\t",
            "Regievoerder (partners)\tOnderwerp\tActie\tWanneer",
            "Gemeente V&R (Politie,\tA\tActie een\t2017",
            "Regievoerder (partners)\tOnderwerp\tActie\tWanneer",
            "OM)\t\tloopt door\t",
            "Gemeente\tB\tActie twee\t2018",
        ]
    )
    document = parse(text)
    assert [(a.topic, a.lead, a.partners, a.text) for a in document.actions] == [
        ("Titel", "Gemeente V&R", ["Politie", "OM"], "Actie een loopt door"),
        ("Titel", "Gemeente", [], "Actie twee"),
    ]
    assert document.themes == []
    assert document.actions[0].theme == ""
    assert document.actions[0].goal == ""


def test_empty_document():
    document = parse("")
    assert document.title == ""
    assert document.actions == []
    assert document.unparsed == []


# --------------------------------------------------------------------------------------------
# Due cells with several dates (issue: never copy one date cell to every action)


def dues(document, line: int) -> list[tuple[str, date | None, date | None, str]]:
    return [
        (action.due_text, action.due_start, action.due_end, action.recurrence)
        for action in at_line(document, line)
    ]


Q1_2017 = ("Eerste kwartaal 2017", date(2017, 1, 1), date(2017, 3, 31), "")
CONTINUOUS = ("Doorlopend", date(2017, 1, 1), date(2018, 12, 31), "continuous")
YEAR_2017 = ("2017", date(2017, 1, 1), date(2017, 12, 31), "")
YEAR_2018 = ("2018", date(2018, 1, 1), date(2018, 12, 31), "")
NONE = ("", None, None, "")


def test_due_cells_with_several_dates(document):
    # Line 53: seven actions beside "2017 en 2018 2017 2017 2018" (one paragraph): the dates
    # are read from the first action down; the last three actions get none.
    assert dues(document, 53) == [
        ("2017 en 2018", date(2017, 1, 1), date(2018, 12, 31), ""),
        YEAR_2017,
        YEAR_2017,
        YEAR_2018,
        NONE,
        NONE,
        NONE,
    ]
    # Line 168: "<p>Doorlopend</p> <p>Begin 2018</p>" beside eight actions: "Doorlopend
    # monitoren" is continuous (it was due 31-3-2018 when every action got the whole cell).
    line_168 = dues(document, 168)
    assert at_line(document, 168)[0].text.startswith("Doorlopend monitoren")
    assert line_168[0] == CONTINUOUS
    assert line_168[1:7] == [NONE] * 6
    assert line_168[7] == ("Begin 2018", date(2018, 1, 1), date(2018, 3, 31), "")
    # Line 232: "<p>Eerste kwartaal 2017 (three times)</p> <p>Doorlopend</p>" beside five
    # BIBOB actions: the first three due 31-3-2017 each, "Casustafels BIBOB" continuous.
    actions = at_line(document, 232)
    assert [a.text for a in actions][-1] == "Casustafels BIBOB"
    assert dues(document, 232) == [Q1_2017, Q1_2017, Q1_2017, NONE, CONTINUOUS]
    # Line 233: "<p>2017</p> <p>2018</p>" beside three actions.
    assert dues(document, 233) == [YEAR_2017, NONE, YEAR_2018]
    # Line 242: "Doorlopend Eerste kwartaal 2017 Doorlopend" beside six actions.
    assert dues(document, 242) == [
        CONTINUOUS,
        Q1_2017,
        CONTINUOUS,
        NONE,
        NONE,
        NONE,
    ]
    # Each of these rows is reported as uncertain, with the whole due cell and a reason.
    uncertain = [entry for entry in document.unparsed if entry.reason]
    assert [entry.position.line for entry in uncertain] == [53, 168, 232, 233, 242]
    assert all("Controleer de planning" in entry.reason for entry in uncertain)
    assert "5 data naast 7 acties" not in uncertain[0].reason
    assert "4 data naast 7 acties" in uncertain[0].reason


def test_rows_holding_two_dated_actions(document):
    # Line 98: "...problematiek. Evaluatie doorontwikkeling..." | "2017 en 2018 Eind 2017"
    first, second = at_line(document, 98)
    assert first.text.startswith("Doorontwikkeling van het casuoverleg huiselijk geweld")
    assert first.text.endswith("met complexe huiselijke geweld problematiek.")
    assert (first.due_text, first.due_start, first.due_end) == (
        "2017 en 2018",
        date(2017, 1, 1),
        date(2018, 12, 31),
    )
    assert second.text == "Evaluatie doorontwikkeling casuoverleg huiselijke geweld"
    assert (second.due_text, second.due_end) == ("Eind 2017", date(2017, 12, 31))
    assert first.lead == second.lead == "Gemeente – Veiligheidskamer"
    # Line 189: "Reïntegratie ... voorkomen. Onderzoeken of ..." | "Doorlopend Vier kwartaal
    # 2017 start"
    first, second = at_line(document, 189)
    assert first.text.startswith("Reïntegratie van jeugdigen")
    assert (first.due_text, first.recurrence, first.due_end) == (
        "Doorlopend",
        "continuous",
        date(2018, 12, 31),
    )
    assert second.text.startswith("Onderzoeken of deze groep jongeren")
    assert (second.due_start, second.due_end) == (date(2017, 10, 1), date(2017, 12, 31))


def test_continuous_actions_span_the_plan_period(document):
    assert document.period == (2017, 2018)
    continuous = [a for a in document.actions if a.recurrence == "continuous"]
    assert len(continuous) > 30
    for action in continuous:
        assert action.due_start == date(2017, 1, 1), action.line
        assert action.due_end == date(2018, 12, 31), (action.line, action.due_text)
