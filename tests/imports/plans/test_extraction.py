"""Extraction of action tables, calendars and unplanned actions from every reader's items."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from openveiligheid.imports.plans.extraction import (
    extract,
    prepare_action_cell,
    split_due_and_leads,
    split_names,
)
from openveiligheid.imports.plans.readers import read_document, read_text
from openveiligheid.organisations.matching import Candidate, OrganisationMatcher
from tests.imports.plans import documents
from tests.imports.plans.test_seed_001 import EXPECTED_TABLES

SEED = (
    Path(__file__).resolve().parents[3]
    / "src/openveiligheid/demo/documents/001_6ad9f3ac64820703.txt"
)


@pytest.fixture(scope="module")
def matcher():
    candidates = [
        Candidate(name, pk=index, kind="municipality", cbs_code=code)
        for index, (code, name) in enumerate(documents.MUNICIPALITIES.items(), start=1)
    ]
    candidates.append(
        Candidate(documents.POLICE, pk=99, kind="partner", partner_type="police", preferred=True)
    )
    return OrganisationMatcher(candidates)


# --------------------------------------------------------------------------------------------
# Seed 001 (plain text)


@pytest.fixture(scope="module")
def seed():
    return extract(read_text(SEED.read_bytes()))


def test_seed_counts_per_table(seed):
    counts = Counter((action.theme, action.topic) for action in seed.actions)
    assert counts == Counter({(theme, topic): count for theme, topic, count in EXPECTED_TABLES})
    assert len(seed.actions) == 229
    assert [(t["title"], t["actions"]) for t in seed.tables] == [
        (topic, count) for _theme, topic, count in EXPECTED_TABLES
    ]
    assert seed.year == 2017
    assert len(seed.themes) == 6


def test_seed_sample_rows(seed):
    first, second = [a for a in seed.actions if a.line == 44]
    assert first.lead == "Gemeente V&R"
    assert first.lead_unit == "V&R"
    assert first.partners[:3] == ["Stadsdeelmanagers", "Stadsdeelregisseurs Zorg", "politie"]
    assert first.due_text == "Doorlopend"
    assert first.recurrence == "continuous"
    assert second.due_text == "Eind 2017"
    assert second.due_end == date(2017, 12, 31)
    rl = next(a for a in seed.actions if a.lead == "Gemeente RL" and a.subject == "Actieteam")
    assert rl.partners == ["Brandweer", "OM"]
    assert rl.due_text == "Maandelijks / ad hoc"
    assert rl.recurrence == "monthly"


def test_seed_every_action_has_lead_and_due(seed):
    assert all(action.lead for action in seed.actions)
    # 14 actions sit beside a due cell with fewer dates than actions and get none; two rows
    # give no date at all.
    assert sum(1 for action in seed.actions if not action.due_text) == 16
    understood = sum(1 for action in seed.actions if action.due_understood)
    assert understood >= 200


def test_seed_unparsed_holds_no_actions(seed):
    # Only the footnotes printed between two table rows are left over, besides the rows whose
    # due cell holds several dates for a different number of actions (reported as uncertain).
    assert [entry.position.line for entry in seed.unparsed if not entry.reason] == [
        128,
        130,
        132,
        133,
        135,
        137,
        139,
        159,
    ]
    footnotes = [entry for entry in seed.unparsed if not entry.reason]
    assert footnotes[0].text.startswith("¹ Voor een strafbare voorbereiding")
    assert footnotes[-1].text.startswith("² Het opkopersregister")


def test_seed_json_has_the_documented_keys(seed):
    data = seed.as_dict()
    assert {"themes", "topics", "actions", "meetings", "unparsed"} <= set(data)
    action = data["actions"][0]
    for key in (
        "topic",
        "lead",
        "partners",
        "text",
        "due_text",
        "due_start",
        "due_end",
        "recurrence",
        "unplanned",
        "meeting",
    ):
        assert key in action
    assert data["unparsed"][0]["position"] == {"line": 53}
    assert data["unparsed"][0]["reason"].startswith("Onzeker")
    assert data["unparsed"][1] == {
        "position": {"line": 128},
        "label": "regel 128",
        "text": data["unparsed"][1]["text"],
        "reason": "",
    }
    assert data["period"] == [2017, 2018]
    assert data["calendar"] == []


# --------------------------------------------------------------------------------------------
# The Veluwe-Noord programme (DOCX)


@pytest.fixture(scope="module")
def veluwe(matcher):
    source = read_document(documents.veluwe_noord_docx(), "programma.docx")
    return source, extract(source, matcher=matcher)


def by_text(plan, text):
    found = [action for action in plan.actions if action.text == text]
    assert len(found) == 1, [a.text for a in plan.actions]
    return found[0]


def test_veluwe_actions_and_meetings(veluwe):
    _source, plan = veluwe
    assert plan.title == "Veiligheidsprogramma Veluwe-Noord 2021"
    assert plan.year == 2021
    assert len(plan.actions) == documents.VELUWE_NOORD_ACTIONS
    assert [m.date.isoformat() for m in plan.meetings] == documents.VELUWE_NOORD_MEETINGS
    assert [m.deadline.isoformat() for m in plan.meetings] == documents.VELUWE_NOORD_DEADLINES
    assert plan.unparsed == []
    assert {t.name for t in plan.themes} == {
        "Ondermijning",
        "Zorg en veiligheid",
        "Veilige leefomgeving",
        "Veilig uitgaan",
    }


def test_veluwe_due_cell_with_leads(veluwe):
    _source, plan = veluwe
    first = by_text(plan, "Bestuurlijke rapportage drugsafval opstellen")
    second = by_text(plan, "Voorlichting aan agrariërs over drugsafval")
    for action in (first, second):
        assert action.theme == "Ondermijning"
        assert action.topic == "Drugs"
        assert action.lead == "Oldebroek"
        assert action.partners == ["politie"]
        assert action.due_text == "9 september"
        assert action.due_start == action.due_end == date(2021, 9, 9)
        assert action.meetings == [date(2021, 9, 9)]
        assert action.partner_matches[0].name == documents.POLICE


def test_veluwe_typo_and_prefix_in_lead(veluwe):
    _source, plan = veluwe
    typo = by_text(plan, "Integrale controles bedrijventerreinen")
    assert typo.lead == "Harderwjik"
    assert typo.lead_match.name == "Harderwijk"
    assert typo.lead_match.method == "typo"
    assert typo.theme == "Ondermijning"  # from the merged Speerpunt cell
    prefixed = by_text(plan, "Preventieavonden woninginbraak organiseren")
    assert prefixed.lead_match.name == "Ermelo"
    assert prefixed.due_text == "Q4"


def test_veluwe_continuation_row_and_line_breaks(veluwe):
    _source, plan = veluwe
    joined = by_text(
        plan, "Werkwijze Top X verward gedrag evalueren en bijstellen met zorgpartners"
    )
    assert joined.theme == "Zorg en veiligheid"
    assert joined.lead == "Nunspeet"
    campaign = by_text(plan, "Campagne huiselijk geweld tijdens de feestdagen")
    training = by_text(plan, "Aandachtsfunctionarissen trainen")
    assert (campaign.due_text, training.due_text) == ("december", "1e helft 2021")
    assert campaign.theme == training.theme == "Zorg en veiligheid"


def test_veluwe_second_table_style(veluwe):
    _source, plan = veluwe
    horeca = by_text(plan, "Horecaconvenant actualiseren")
    assert horeca.theme == "Veilig uitgaan"
    assert horeca.topic == "Horeca en evenementen"
    assert horeca.partners == ["politie", "Nunspeet"]
    assert horeca.status == "in_progress"
    assert by_text(plan, "Evaluatie oud en nieuw").status == "done"
    calendar = by_text(plan, "Evenementenkalender afstemmen")
    assert calendar.meetings == [date(2021, 4, 8), date(2021, 6, 10), date(2021, 9, 9)]
    assert calendar.lead_match.name == documents.POLICE


def test_veluwe_calendar_only_item_becomes_an_action(veluwe):
    _source, plan = veluwe
    figures = by_text(plan, "Jaarcijfers criminaliteit Noord-Veluwe")
    assert figures.source == "calendar"
    assert figures.lead == "Politie"
    assert figures.meetings == [date(2021, 2, 11), date(2021, 11, 11)]


def test_veluwe_unplanned_table_and_list(veluwe):
    _source, plan = veluwe
    unplanned = [action for action in plan.actions if action.unplanned]
    assert [a.text for a in unplanned] == [
        "Extra toezicht bij vakantieparken na incidenten",
        "Inval drugslab: nazorg buurt",
        "Ondermijningsbeeld actualiseren na RIEC-signaal",
    ]
    assert [a.unplanned_since for a in unplanned] == [
        date(2021, 3, 15),
        date(2021, 5, 2),
        date(2021, 7, 1),
    ]
    assert unplanned[0].meetings == [date(2021, 6, 10)]
    assert unplanned[1].partners == ["Elburg"]
    assert unplanned[2].lead == "Putten"
    assert all(not a.theme for a in unplanned)


def test_veluwe_every_table_cell_is_accounted_for(veluwe):
    source, plan = veluwe
    for item in source.items:
        if item.kind != "row":
            continue
        for cell in item.cells:
            if cell.text and cell.covered is None:
                assert cell.position in plan.accounted or item.position in plan.accounted, (
                    f"{cell.position.label}: {cell.text!r} was dropped"
                )


def test_unknown_columns_and_headerless_tables_go_to_unparsed():
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["Trekker", "Onderwerp", "Actie", "Wanneer", "Kosten"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["Ermelo", "Drugs", "Controles", "Q2 2021", "€ 5.000"], strict=True
    ):
        cell.text = text
    document.add_paragraph("Bijlage")
    other = document.add_table(rows=1, cols=2)
    other.rows[0].cells[0].text = "Budget"
    other.rows[0].cells[1].text = "€ 10.000"
    import io

    buffer = io.BytesIO()
    document.save(buffer)
    plan = extract(read_document(buffer.getvalue(), "x.docx"))
    assert [a.text for a in plan.actions] == ["Controles"]
    assert [(u.position.label, u.text) for u in plan.unparsed] == [
        ("tabel 1, rij 2, kolom 5", "€ 5.000"),
        ("tabel 2, rij 1, kolom 1", "Budget"),
        ("tabel 2, rij 1, kolom 2", "€ 10.000"),
    ]


# --------------------------------------------------------------------------------------------
# XLSX and PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.xlsx", documents.small_plan_xlsx), ("plan.pdf", documents.small_plan_pdf)],
)
def test_small_plan_formats(name, content, matcher):
    plan = extract(read_document(content(), name), matcher=matcher)
    assert plan.format == name.rsplit(".", 1)[1]
    assert plan.title == documents.SMALL_TITLE
    assert plan.year == 2022
    assert [t.name for t in plan.themes] == ["Ondermijning"]
    assert [a.lead for a in plan.actions] == ["Gemeente VTH", "Politie", "Gemeente Ermelo", "RIEC"]
    first = plan.actions[0]
    assert (first.lead_unit, first.partners, first.due_text, first.status) == (
        "VTH",
        ["Politie", "OM"],
        "Q2 2022",
        "in_progress",
    )
    assert first.due_start == date(2022, 4, 1)
    assert all(a.topic == "Aanpak 2022" for a in plan.actions)
    assert plan.actions[2].lead_match.name == "Ermelo"
    assert plan.actions[3].text.startswith("Ondermijningsbeeld opstellen")
    if name.endswith("pdf"):
        # The wrapped cell continues on two more lines; they belong to the row.
        assert plan.actions[3].text.endswith("uitkomsten bespreken")
        assert plan.unparsed == []
    else:
        assert [(u.position.label, u.text) for u in plan.unparsed] == [
            ("blad Acties, cel F10", "Losse notitie buiten de kolommen")
        ]


# --------------------------------------------------------------------------------------------
# Helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 september Oldebroek en politie", ("9 september", ["Oldebroek", "politie"])),
        ("Q2 2021: Harderwijk", ("Q2 2021", ["Harderwijk"])),
        ("Ermelo, 11-11-2021", ("11-11-2021", ["Ermelo"])),
        ("Doorlopend", ("Doorlopend", [])),
        ("Putten en politie", ("", ["Putten", "politie"])),
        ("na de zomer als het kan", ("na de zomer als het kan", [])),
    ],
)
def test_split_due_and_leads(text, expected, matcher):
    assert split_due_and_leads(text, 2021, matcher) == expected


def test_split_names():
    assert split_names("Trekker: Ermelo, Putten / OM & RIEC") == ["Ermelo", "Putten", "OM", "RIEC"]


def test_prepare_action_cell_line_breaks():
    assert prepare_action_cell("Eén actie") == "Eén actie"
    assert prepare_action_cell("Actie A\nActie B") == "• Actie A • Actie B"
    assert prepare_action_cell("Actie A die doorloopt\nop de volgende regel") == (
        "Actie A die doorloopt op de volgende regel"
    )
    assert prepare_action_cell("Informatieavond over:\n• preventie\n• ontruiming") == (
        "<p>Informatieavond over:</p> • preventie • ontruiming"
    )
