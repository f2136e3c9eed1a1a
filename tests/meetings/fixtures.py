"""A known calendar: one municipality, its police partner, three meetings, eleven items."""

from dataclasses import dataclass, field
from datetime import date

from openveiligheid.meetings import services
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import grant_membership
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory
from tests.organisations.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.plans.factories import PlanFactory


@dataclass
class CalendarFixture:
    municipality: Organisation
    police: Organisation
    series: object
    meetings: list
    actions: dict
    users: dict = field(default_factory=dict)


def build_calendar() -> CalendarFixture:
    municipality = OrganisationFactory(name="Gemeente Mstad", slug="mstad", cbs_code="GM9301")
    police = OrganisationFactory(
        kind=Organisation.Kind.PARTNER, name="Politie Mstad", slug="politie-mstad", cbs_code=None
    )
    vr = UnitFactory(organisation=municipality, name="Veiligheid & Regie", abbreviation="V&R")
    action_plan = ActionPlanFactory(
        plan=PlanFactory(owner=municipality, slug="plan-mstad"), year_start=2023, year_end=2023
    )
    series = MeetingSeriesFactory(organisation=municipality, name="Driehoek Mstad", year=2023)
    meetings = [
        MeetingFactory(series=series, date=date(2023, 2, 9), document_deadline=date(2023, 1, 26)),
        MeetingFactory(series=series, date=date(2023, 4, 13), document_deadline=date(2023, 3, 30)),
        MeetingFactory(series=series, date=date(2023, 6, 8), document_deadline=date(2023, 5, 25)),
    ]

    def action(key, **fields):
        fields.setdefault("due_end", date(2023, 12, 31))
        return ActionFactory(action_plan=action_plan, subject=key, due_text="", **fields)

    actions = {
        "a1": action("a1", lead_organisation=municipality, lead_unit=vr),
        "a2": action("a2", lead_organisation=municipality, lead_unit=vr),
        "a3": action("a3", lead_organisation=police),
        "a4": action("a4", lead_text="Jongerenwerk"),
        "a5": action("a5"),
        "a6": action(
            "a6", lead_organisation=police, is_unplanned=True, unplanned_since=date(2023, 3, 1)
        ),
        "a7": action("a7", lead_organisation=police, is_new=True),
        "a8": action(
            "a8", lead_organisation=police, is_unplanned=True, unplanned_since=date(2023, 5, 1)
        ),
    }
    m1, m2, m3 = meetings
    for meeting, keys in ((m1, "a1 a3"), (m2, "a1 a2 a3 a4 a6"), (m3, "a3 a5 a7")):
        for key in keys.split():
            services.schedule_action(meeting, actions[key], what_to_report=f"Stand {key}")
    services.add_agenda_item(m3, title="Rondvraag")
    users = {}
    for role in ("programme_manager", "action_lead", "council_member"):
        users[role] = UserFactory(username=f"mstad-{role}")
        grant_membership(user=users[role], organisation=municipality, role_slug=role)
    return CalendarFixture(municipality, police, series, meetings, actions, users)


# Titles as long as the plans' own ("Taskforce alternatieve huisvesting ..."), and long words.
LONG_TITLES = (
    "Taskforce alternatieve huisvesting voor verschillende doelgroepen",
    "Bewustwording georganiseerde criminaliteit bij ondernemers",
    "Controle- en handhavingsacties woonoverlast",
    "Registratie huiselijk geweld en kindermishandeling",
    "Convenant aanpak jeugdgroepen en jeugdcriminaliteitpreventie",
)


def build_wide_calendar(meeting_count: int = 12) -> CalendarFixture:
    """The known calendar grown to ``meeting_count`` meetings (one a month), each with long
    action titles under long lead names: a calendar as wide as a real year."""
    known = build_calendar()
    unit = UnitFactory(
        organisation=known.municipality,
        name="Coördinator Jeugdcriminaliteitpreventie en Veiligheidshuis",
        abbreviation="Coördinator Jeugdcriminaliteitpreventie",
    )
    action_plan = known.actions["a1"].action_plan
    long_actions = [
        ActionFactory(
            action_plan=action_plan,
            subject=title,
            due_text="",
            due_end=date(2023, 12, 31),
            lead_organisation=known.municipality,
            lead_unit=unit,
        )
        for title in LONG_TITLES
    ]
    for month in range(len(known.meetings) + 1, meeting_count + 1):
        meeting = MeetingFactory(
            series=known.series, date=date(2023, month, 20), document_deadline=date(2023, month, 6)
        )
        known.meetings.append(meeting)
    # Enough leads for a second page: the column headers must come back on it.
    team_actions = [
        ActionFactory(
            action_plan=action_plan,
            subject=f"Buurtaanpak {number}",
            due_text="",
            due_end=date(2023, 12, 31),
            lead_text=f"Wijkteam {number}",
        )
        for number in range(1, 16)
    ]
    for index, meeting in enumerate(known.meetings):
        for action in long_actions[index % 2 :: 2] + team_actions[index % 3 :: 3]:
            services.schedule_action(meeting, action, what_to_report="Voortgang en knelpunten")
    return known
