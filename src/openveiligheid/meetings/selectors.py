"""Reads of meetings: the year calendar (leads x meetings) and one meeting's agenda.

Both take the user and narrow everything through restrict(); both run a fixed number of queries,
however many meetings, leads and items there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.actions.selectors import lead_label
from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import VIEW

NO_LEAD = "Geen trekker"
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


@dataclass
class CalendarRow:
    key: tuple
    label: str
    organisation: Organisation | None
    cells: list[list[AgendaItem]]
    total: int = 0


@dataclass
class UnplannedEntry:
    action: Action
    lead: str
    since: date | None
    meetings: list[Meeting]


@dataclass
class Calendar:
    title: str
    year: int
    organisation: Organisation
    series: MeetingSeries | None
    meetings: list[Meeting]
    rows: list[CalendarRow]
    meeting_totals: list[int]
    grand_total: int
    unplanned: list[UnplannedEntry] = field(default_factory=list)

    @property
    def has_example_data(self) -> bool:
        """Whether any meeting belongs to an invented (example) series."""
        if self.series is not None:
            return self.series.is_example
        return any(meeting.series.is_example for meeting in self.meetings)

    @property
    def lead_totals(self) -> dict[str, int]:
        return {row.label: row.total for row in self.rows}

    @property
    def columns(self) -> list[tuple[Meeting, int]]:
        return list(zip(self.meetings, self.meeting_totals, strict=True))


def programme_organisation_ids(organisation: Organisation) -> set[int]:
    """Whose plans feed a series: the organisation, and for a region its members too."""
    ids = {organisation.pk}
    if organisation.kind == Organisation.Kind.REGION:
        ids |= set(organisation.members.values_list("pk", flat=True))
    return ids


def programme_actions(organisation: Organisation, year: int) -> QuerySet[Action]:
    """Unscoped: the actions of the organisation's action plans that run in `year`.

    Callers narrow with .restrict(user); the reminder command (no user) uses it as is.
    """
    return Action.objects.filter(
        action_plan__plan__owner__in=programme_organisation_ids(organisation),
        action_plan__year_start__lte=year,
        action_plan__year_end__gte=year,
    )


def lead_of(item: AgendaItem, own_organisation_id=None) -> tuple[tuple, str, Organisation | None]:
    """The calendar row an item belongs to: its lead organisation, else its lead text.

    Actions the series' own organisation leads are split by its units ("Apeldoorn V&R"): one row
    "Apeldoorn" holding most of a municipality's agenda would say nothing.
    """
    organisation = item.lead_organisation
    if organisation is None and item.action_id and not item.lead_text:
        organisation = item.action.lead_organisation
    if organisation is not None:
        unit_id = item.action.lead_unit_id if item.action_id else None
        if unit_id and organisation.pk == own_organisation_id:
            unit = item.action.lead_unit
            if unit.organisation_id == organisation.pk:
                return (
                    ("unit", unit_id),
                    f"{organisation.name} {unit.abbreviation or unit.name}",
                    organisation,
                )
        return ("organisation", organisation.pk), organisation.name, organisation
    text = " ".join(item.lead_text.split())
    if not text and item.action_id:
        text = " ".join((item.action.lead_text or "").split())
    if text:
        return ("text", text.casefold()), text, None
    return ("none",), NO_LEAD, None


def _row_order(row: CalendarRow):
    # Organisations first, then units/persons as written, "no lead" last; each alphabetically.
    rank = {"organisation": 0, "unit": 0, "text": 1, "none": 2}[row.key[0]]
    return rank, row.label.casefold()


def _items_for(meetings: list[Meeting], user) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.restrict(user, VIEW)
        .filter(meeting__in=[meeting.pk for meeting in meetings])
        .filter(Q(action__isnull=True) | Q(action__in=Action.objects.restrict(user, VIEW)))
        .select_related("lead_organisation", "action__lead_organisation", "action__lead_unit")
        .order_by("meeting__date", "order", "id")
    )


def year_calendar(series_or_organisation, year: int, user) -> Calendar:
    """Leads as rows, meetings as columns, agenda items in the cells, with totals.

    For a series: its meetings. For an organisation: the meetings of all its series of that
    year that the user may see. Unplanned actions of the programme are listed apart as well.
    """
    if isinstance(series_or_organisation, MeetingSeries):
        series = series_or_organisation
        organisation = series.organisation
        meeting_filter = Q(series=series)
        title = f"{series.name} {year}"
    else:
        series = None
        organisation = series_or_organisation
        meeting_filter = Q(series__organisation=organisation, series__year=year)
        title = f"{organisation.name} {year}"
    meetings = list(
        Meeting.objects.restrict(user, VIEW)
        .filter(meeting_filter)
        .select_related("series")
        .order_by("date", "series__name", "id")
    )
    column_of = {meeting.pk: index for index, meeting in enumerate(meetings)}
    items = _items_for(meetings, user) if meetings else []

    rows: dict[tuple, CalendarRow] = {}
    meeting_totals = [0] * len(meetings)
    scheduled_on: dict[int, list[Meeting]] = {}
    for item in items:
        key, label, lead_organisation = lead_of(item, organisation.pk)
        row = rows.get(key)
        if row is None:
            row = rows[key] = CalendarRow(
                key, label, lead_organisation, [[] for _meeting in meetings]
            )
        column = column_of[item.meeting_id]
        row.cells[column].append(item)
        row.total += 1
        meeting_totals[column] += 1
        if item.action_id:
            scheduled_on.setdefault(item.action_id, []).append(meetings[column])

    unplanned = [
        UnplannedEntry(
            action=action,
            lead=action.lead_organisation.name
            if action.lead_organisation_id
            else (action.lead_text or NO_LEAD),
            since=action.unplanned_since,
            meetings=scheduled_on.get(action.pk, []),
        )
        for action in programme_actions(organisation, year)
        .restrict(user, VIEW)
        .filter(is_unplanned=True)
        .select_related("lead_organisation")
        .order_by("unplanned_since", "order", "id")
    ]
    return Calendar(
        title=title,
        year=year,
        organisation=organisation,
        series=series,
        meetings=meetings,
        rows=sorted(rows.values(), key=_row_order),
        meeting_totals=meeting_totals,
        grand_total=sum(meeting_totals),
        unplanned=unplanned,
    )


@dataclass
class AgendaRow:
    item: AgendaItem
    lead: str
    is_due: bool
    is_late: bool


@dataclass
class Agenda:
    meeting: Meeting
    reference_date: date  # the document deadline, or the meeting date when there is none
    rows: list[AgendaRow]
    due: list[Action]
    late: list[Action]
    reported: list[AgendaItem]

    @property
    def scheduled_action_ids(self) -> set[int]:
        return {row.item.action_id for row in self.rows if row.item.action_id}


def due_actions(meeting: Meeting, actions: QuerySet[Action]) -> QuerySet[Action]:
    """Of `actions`, those to be reported at `meeting` and not yet reported.

    Due: the action is on this meeting's agenda, or its due range ends on or before the
    document deadline; not yet reported: no reported agenda item for it at a meeting of the same
    organisation on or before this one.
    """
    reference = meeting.document_deadline or meeting.date
    reported = AgendaItem.objects.filter(
        reported=True,
        meeting__series__organisation_id=meeting.series.organisation_id,
        meeting__date__lte=meeting.date,
    ).values("action_id")
    on_agenda = AgendaItem.objects.filter(meeting=meeting, action__isnull=False).values("action_id")
    return (
        actions.filter(Q(due_end__lte=reference) | Q(pk__in=on_agenda))
        .exclude(pk__in=reported)
        .exclude(status=ActionStatus.CANCELLED)
    )


def late_actions(meeting: Meeting, actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.filter(due_end__lt=meeting.date).exclude(status__in=CLOSED_STATUSES)


def meeting_agenda(meeting: Meeting, user) -> Agenda:
    """The agenda of one meeting with what is due and what is late (5 queries)."""
    series = meeting.series
    items = _items_for([meeting], user)
    programme = programme_actions(series.organisation, series.year).restrict(user, VIEW)
    related = ("lead_organisation", "lead_unit__organisation", "lead_person")
    due = list(due_actions(meeting, programme).select_related(*related).order_by("due_end", "id"))
    late = list(late_actions(meeting, programme).select_related(*related).order_by("due_end", "id"))
    for action in (*due, *late):
        action.lead_label = lead_label(action) or NO_LEAD
    due_ids = {action.pk for action in due}
    late_ids = {action.pk for action in late}
    rows = [
        AgendaRow(
            item=item,
            lead=lead_of(item, series.organisation_id)[1],
            is_due=item.action_id in due_ids,
            is_late=item.action_id in late_ids,
        )
        for item in items
    ]
    return Agenda(
        meeting=meeting,
        reference_date=meeting.document_deadline or meeting.date,
        rows=rows,
        due=due,
        late=late,
        reported=[item for item in items if item.reported],
    )


def schedulable_actions(meeting: Meeting, user) -> QuerySet[Action]:
    """The actions a user may put on this meeting's agenda: visible, of the series' programme."""
    series = meeting.series
    return (
        programme_actions(series.organisation, series.year)
        .restrict(user, VIEW)
        .exclude(status=ActionStatus.CANCELLED)
        .order_by("action_plan", "order", "id")
    )


@dataclass
class UpcomingMeeting:
    meeting: Meeting
    due: int  # actions to be reported at it and not yet reported (due_actions)


def upcoming_meetings(user, today: date, limit: int) -> list[UpcomingMeeting]:
    """The user's next meetings from today on, the soonest first, each with the number of actions
    whose documents are due for it. Two queries per meeting, for at most ``limit`` meetings."""
    meetings = (
        Meeting.objects.restrict(user, VIEW)
        .filter(date__gte=today)
        .select_related("series__organisation")
        .order_by("date", "id")[:limit]
    )
    result = []
    for meeting in meetings:
        series = meeting.series
        actions = programme_actions(series.organisation, series.year).restrict(user, VIEW)
        result.append(UpcomingMeeting(meeting, due_actions(meeting, actions).count()))
    return result
