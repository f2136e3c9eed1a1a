"""Writing an imported plan: the Veluwe-Noord programme, its calendar, the command line."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openveiligheid.actions.models import Action, ActionPlan, ActionStatusChange
from openveiligheid.core.changelog import changes_for
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports.plans.services import import_plan, read_plan
from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries
from openveiligheid.meetings.selectors import year_calendar
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Plan, Theme, Topic
from tests.imports.plans import documents
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UserFactory

SEED = (
    Path(__file__).resolve().parents[3]
    / "src/openveiligheid/demo/documents/001_6ad9f3ac64820703.txt"
)


@pytest.fixture
def region(db):
    region = OrganisationFactory(
        kind=Organisation.Kind.REGION, name="Veluwe-Noord", slug="veluwe-noord", cbs_code=None
    )
    for code, name in documents.MUNICIPALITIES.items():
        region.members.add(OrganisationFactory(name=name, slug=name.lower(), cbs_code=code))
    police = PartnerFactory(
        name=documents.POLICE,
        slug="politie-noord-veluwe",
        partner_type=Organisation.PartnerType.POLICE,
    )
    region.members.add(police)
    # Another police organisation elsewhere: "politie" must still mean this region's team.
    PartnerFactory(name="Politie Oost-Brabant", slug="politie-ob")
    return region


@pytest.fixture
def manager(region):
    user = UserFactory(username="regiomanager")
    grant_membership(user=user, organisation=region, role_slug="programme_manager")
    return user


def test_regional_programme_imports_with_calendar_totals(region, manager, tmp_path):
    content = documents.veluwe_noord_docx()
    extracted = read_plan(content, "programma.docx", organisation=region)
    result = import_plan(extracted, organisation=region, actor=manager, file_name="programma.docx")

    plan = result.plan
    assert plan.kind == Plan.Kind.EXECUTION_PLAN
    assert plan.owner == region
    assert plan.status == Plan.Status.DRAFT
    assert (plan.period_start, plan.period_end) == (2021, 2021)
    assert result.actions == documents.VELUWE_NOORD_ACTIONS
    assert Action.objects.filter(action_plan__plan=plan).count() == documents.VELUWE_NOORD_ACTIONS
    assert set(Theme.objects.filter(plan=plan).values_list("name", flat=True)) == {
        "Ondermijning",
        "Zorg en veiligheid",
        "Veilige leefomgeving",
        "Veilig uitgaan",
    }
    assert Topic.objects.filter(theme__plan=plan, name="Drugs").exists()

    typo = Action.objects.get(action_plan__plan=plan, description__startswith="Integrale")
    assert typo.lead_text == "Harderwjik"
    assert typo.lead_organisation.name == "Harderwijk"
    drugs = Action.objects.get(action_plan__plan=plan, description__startswith="Bestuurlijke")
    assert drugs.lead_organisation.name == "Oldebroek"
    assert [p.name for p in drugs.partners.all()] == [documents.POLICE]
    assert drugs.due_start == drugs.due_end == date(2021, 9, 9)
    assert drugs.theme.name == "Ondermijning"
    assert drugs.topic.name == "Drugs"
    horeca = Action.objects.get(action_plan__plan=plan, description__startswith="Horeca")
    assert horeca.status == "in_progress"
    assert sorted(p.name for p in horeca.partners.all()) == ["Nunspeet", documents.POLICE]

    unplanned = Action.objects.filter(action_plan__plan=plan, is_unplanned=True).order_by("order")
    assert [(a.lead_organisation.name, a.unplanned_since) for a in unplanned] == [
        ("Nunspeet", date(2021, 3, 15)),
        (documents.POLICE, date(2021, 5, 2)),
        ("Putten", date(2021, 7, 1)),
    ]

    series = MeetingSeries.objects.get(organisation=region)
    assert series.kind == MeetingSeries.Kind.DRIEHOEK
    assert series.year == 2021
    meetings = list(Meeting.objects.filter(series=series).order_by("date"))
    assert [m.date.isoformat() for m in meetings] == documents.VELUWE_NOORD_MEETINGS
    assert [m.document_deadline.isoformat() for m in meetings] == (documents.VELUWE_NOORD_DEADLINES)
    assert result.agenda_items == sum(documents.VELUWE_NOORD_MEETING_TOTALS)

    calendar = year_calendar(series, 2021, manager)
    assert calendar.lead_totals == documents.VELUWE_NOORD_LEAD_TOTALS
    assert calendar.meeting_totals == documents.VELUWE_NOORD_MEETING_TOTALS
    assert calendar.grand_total == 16
    assert [entry.action.description for entry in calendar.unplanned] == [
        "Extra toezicht bij vakantieparken na incidenten",
        "Inval drugslab: nazorg buurt",
        "Ondermijningsbeeld actualiseren na RIEC-signaal",
    ]


def test_import_is_one_transaction(region, manager, monkeypatch):
    from openveiligheid.imports.plans import services

    extracted = read_plan(documents.veluwe_noord_docx(), "p.docx", organisation=region)

    def fail(*args, **kwargs):
        raise RuntimeError("stop")

    monkeypatch.setattr("openveiligheid.meetings.services.schedule_actions", fail)
    with pytest.raises(RuntimeError):
        services.import_plan(extracted, organisation=region, actor=manager)
    assert not Plan.objects.exists()
    assert not Action.objects.exists()
    assert not MeetingSeries.objects.exists()


def test_import_writes_history_and_change_log_for_everything(region, manager):
    extracted = read_plan(documents.veluwe_noord_docx(), "p.docx", organisation=region)
    result = import_plan(extracted, organisation=region, actor=manager)
    actions = list(Action.objects.filter(action_plan=result.action_plan))
    items = list(AgendaItem.objects.filter(action__in=actions))
    assert len(actions) == documents.VELUWE_NOORD_ACTIONS
    assert len(items) == sum(documents.VELUWE_NOORD_MEETING_TOTALS)
    history = ActionStatusChange.objects.filter(action__in=actions)
    assert sorted(history.values_list("action_id", "from_status")) == sorted(
        (action.pk, "") for action in actions
    )
    assert {change.changed_by for change in history} == {manager}
    for instance in [*actions, *items]:
        entry = changes_for(instance).get()
        assert (entry.operation, entry.actor) == (ChangeLogEntry.Operation.CREATE, manager)


def _import_queries(region, actions: int) -> int:
    content = documents.programme_docx(actions=actions, seed=actions)
    extracted = read_plan(content, "p.docx", organisation=region)
    with CaptureQueriesContext(connection) as queries:
        import_plan(extracted, organisation=region)
    assert Action.objects.filter(action_plan__plan__title=extracted.title).count() >= actions
    return len(queries.captured_queries)


def test_import_queries_hardly_grow_with_the_actions(region):
    """Actions and agenda items are written in batches: three times the actions add only a
    few insert batches (one at a time it was about ten queries per action)."""
    _import_queries(region, 100)  # fills the per-process caches (content types)
    few = _import_queries(region, 200)
    many = _import_queries(region, 600)
    assert many - few < 40
    assert many < 300


def test_seed_imports_for_a_municipality(db):
    apeldoorn = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    extracted = read_plan(SEED.read_bytes(), SEED.name, organisation=apeldoorn)
    result = import_plan(extracted, organisation=apeldoorn, file_name=SEED.name)
    assert result.actions == 229
    assert result.plan.title == "Uitvoeringsplan Integrale Veiligheid 2017 en 2018"
    assert (result.plan.period_start, result.plan.period_end) == (2017, 2018)
    action_plan = ActionPlan.objects.get(plan=result.plan)
    first = action_plan.actions.order_by("order").first()
    # "Gemeente V&R" in a municipality's own plan is that municipality.
    assert first.lead_organisation == apeldoorn
    assert first.lead_text == "Gemeente V&R"
    assert first.partner_text.startswith("Stadsdeelmanagers, Stadsdeelregisseurs Zorg, politie")
    assert first.due_text == "Doorlopend"
    assert Theme.objects.filter(plan=result.plan).count() == 6
    assert Theme.objects.get(plan=result.plan, name="Veilig Toerisme").goals.count() == 1
    assert not MeetingSeries.objects.exists()


def test_import_into_an_existing_plan(region, manager):
    from tests.plans.factories import PlanFactory

    plan = PlanFactory(owner=region, slug="programma-2021")
    extracted = read_plan(documents.small_plan_xlsx(), "plan.xlsx", organisation=region)
    result = import_plan(extracted, organisation=region, plan=plan)
    assert result.plan == plan
    assert plan.action_plans.count() == 1
    assert result.actions == 4


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.xlsx", documents.small_plan_xlsx), ("plan.pdf", documents.small_plan_pdf)],
)
def test_small_plans_import(name, content, db):
    ermelo = OrganisationFactory(name="Ermelo", slug="ermelo", cbs_code="GM0233")
    extracted = read_plan(content(), name, organisation=ermelo)
    result = import_plan(extracted, organisation=ermelo, file_name=name)
    actions = list(Action.objects.filter(action_plan__plan=result.plan).order_by("order"))
    assert [a.status for a in actions] == ["in_progress", "planned", "done", "planned"]
    assert [a.lead_organisation for a in actions] == [ermelo, None, ermelo, None]
    assert actions[0].partner_text == "Politie, OM"
    assert actions[0].due_start == date(2022, 4, 1)


# --------------------------------------------------------------------------------------------
# The command


def run(*args) -> str:
    out = StringIO()
    call_command("import-plan", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_needs_no_organisation_and_writes_nothing(db, tmp_path):
    path = tmp_path / "programma.docx"
    path.write_bytes(documents.veluwe_noord_docx())
    data = json.loads(run(str(path), "--region", "veluwe-noord", "--dry-run", "--json"))
    assert data["dry_run"] is True
    assert len(data["actions"]) == documents.VELUWE_NOORD_ACTIONS
    assert [m["date"] for m in data["meetings"]] == documents.VELUWE_NOORD_MEETINGS
    assert [m["deadline"] for m in data["meetings"]] == documents.VELUWE_NOORD_DEADLINES
    assert data["unparsed"] == []
    assert {"themes", "topics", "actions", "meetings", "unparsed"} <= set(data)
    action = next(a for a in data["actions"] if a["text"].startswith("Bestuurlijke"))
    assert action["lead"] == "Oldebroek"
    assert action["partners"] == ["politie"]
    assert action["due_start"] == action["due_end"] == "2021-09-09"
    assert action["meeting"] == "2021-09-09"
    assert action["unplanned"] is False
    assert not Organisation.objects.exists()
    assert not Plan.objects.exists()


def test_command_seed_dry_run_text_output(db):
    output = run(str(SEED), "--municipality", "GM0200", "--dry-run")
    assert "acties: 229" in output
    assert "niet geplaatst (regel 128)" in output
    assert "onzeker (regel 232): Onzeker: de kolom Wanneer noemt 4 data naast 5 acties" in output
    assert "Proefrun: niets opgeslagen." in output
    assert not Plan.objects.exists()


def test_command_writes(region, tmp_path):
    path = tmp_path / "programma.docx"
    path.write_bytes(documents.veluwe_noord_docx())
    output = run(str(path), "--region", "veluwe-noord")
    assert "17 acties, 5 overleggen, 16 agendapunten" in output
    assert AgendaItem.objects.count() == 16


def test_command_errors(db, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Niets")
    with pytest.raises(CommandError, match="Er is geen gemeente met CBS-code GM0200"):
        run(str(path), "--municipality", "GM0200")
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        run(str(tmp_path / "weg.docx"), "--municipality", "GM0200", "--dry-run")
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 geen zip")
    with pytest.raises(CommandError, match="kon niet als DOCX worden gelezen"):
        run(str(broken), "--municipality", "GM0200", "--dry-run")


# --------------------------------------------------------------------------------------------
# A calendar that names the actions of the tables


def test_calendar_entries_become_agenda_items_of_the_actions_they_name(db, tmp_path):
    ermelo = OrganisationFactory(name="Ermelo", slug="ermelo", cbs_code="GM0233")
    PartnerFactory(name="Politie", slug="politie", partner_type=Organisation.PartnerType.POLICE)
    extracted = read_plan(documents.calendar_plan_docx(), "plan.docx", organisation=ermelo)
    result = import_plan(extracted, organisation=ermelo, file_name="plan.docx")

    actions = Action.objects.filter(action_plan=result.action_plan)
    # Five table actions and one for the only entry that names none: no duplicates.
    assert actions.count() == len(documents.CALENDAR_PLAN_ACTIONS) + 1
    assert actions.values("description").distinct().count() == actions.count()
    items = {
        (item.meeting.date.isoformat(), item.action.description): item.what_to_report
        for item in AgendaItem.objects.filter(action__in=actions).select_related("meeting")
    }
    assert items == {
        # The cell "-Evaluatie jeugdaanpak -Sluitingsbeleid" is two entries.
        ("2023-02-09", "Evaluatie van de aanpak van jeugdgroepen"): "Evaluatie jeugdaanpak",
        ("2023-02-09", "Sluitingsbeleid voor horeca actualiseren"): "Sluitingsbeleid",
        ("2023-10-12", "Preventieprogramma voor scholen uitvoeren"): "Preventie op scholen",
        ("2023-02-09", "Inbraakcijfers per wijk analyseren"): "Inbraakcijfers analyse",
        ("2023-10-12", "Preventieavonden woninginbraak organiseren"): "Preventieavonden inbraak",
        ("2023-04-13", "Jaarverslag politie"): (
            "Jaarverslag politie (alleen genoemd in de vergaderkalender)"
        ),
    }
    created = actions.get(description="Jaarverslag politie")
    assert created.lead_text == "Politie"
    assert str(created.due_end) == "2023-04-13"

    path = tmp_path / "plan.docx"
    path.write_bytes(documents.calendar_plan_docx())
    data = json.loads(run(str(path), "--municipality", "GM0233", "--dry-run", "--json"))
    texts = [action["text"] for action in data["actions"]]
    by_text = {action["text"]: action for action in data["actions"]}
    assert by_text["Evaluatie van de aanpak van jeugdgroepen"]["meetings"] == ["2023-02-09"]
    assert by_text["Jaarverslag politie"]["source"] == "calendar"
    linked = {
        (entry["meeting"], entry["text"]): (texts[entry["action"]], entry["created"])
        for entry in data["calendar"]
    }
    assert linked[("2023-02-09", "Evaluatie jeugdaanpak")] == (
        "Evaluatie van de aanpak van jeugdgroepen",
        False,
    )
    assert linked[("2023-02-09", "Sluitingsbeleid")][0] == (
        "Sluitingsbeleid voor horeca actualiseren"
    )
    assert linked[("2023-04-13", "Jaarverslag politie")] == ("Jaarverslag politie", True)
    assert len(data["calendar"]) == 6


def test_one_log_line_per_import(db, caplog):
    ermelo = OrganisationFactory(name="Ermelo", slug="ermelo", cbs_code="GM0233")
    extracted = read_plan(documents.small_plan_xlsx(), "plan.xlsx", organisation=ermelo)
    with caplog.at_level("INFO", logger="openveiligheid.imports.plans.services"):
        result = import_plan(extracted, organisation=ermelo, file_name="plan.xlsx")
    (record,) = [r for r in caplog.records if r.name == "openveiligheid.imports.plans.services"]
    assert record.getMessage() == "plan_imported"
    assert (record.plan, record.organisation, record.actions) == (
        result.plan.slug,
        ermelo.pk,
        4,
    )
