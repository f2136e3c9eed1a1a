"""Every write of meeting series, meetings, agenda items and their reporting, one transaction each.

The plan importer calls these too: create_series / add_meeting for a calendar it found in a plan,
parse_meeting_date for cells like "11-2-2021 (28-1)", schedule_action for the per-lead cells.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openveiligheid.actions.models import Action
from openveiligheid.core.changelog import record_change, snapshot
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.core.periods import DUTCH_MONTHS
from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries
from openveiligheid.organisations.models import Organisation

__all__ = [
    "add_agenda_item",
    "add_meeting",
    "create_series",
    "mark_reported",
    "parse_meeting_date",
    "schedule_action",
]

_MONTHS: dict[str, int] = {name: number for number, name in enumerate(DUTCH_MONTHS, start=1)}
_MONTHS.update(
    {
        "jan": 1,
        "feb": 2,
        "febr": 2,
        "mrt": 3,
        "mar": 3,
        "maa": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)
_WEEKDAYS = r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo"
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(rf"^(\d{{1,2}})\s+({_MONTH_WORD})\.?(?:\s+(\d{{4}}))?$", re.IGNORECASE)
_LEADING_WEEKDAY = re.compile(rf"^(?:{_WEEKDAYS})\.?\s+", re.IGNORECASE)
_DEADLINE = re.compile(r"^(?P<meeting>.*?)\s*\((?P<deadline>[^)]*)\)\s*$")
# Words plans put before the deadline inside the brackets: "(stukken 28-1)", "(deadline: 28-1)".
_DEADLINE_WORDS = re.compile(
    r"^(?:aanleveren|aanlevering|stukken|deadline|uiterlijk|inleveren|voor)\b[\s:]*",
    re.IGNORECASE,
)


def _one_date(text: str, year: int | None, original: str) -> tuple[int, int, int | None]:
    """Day, month and the year if written (None when not). Raises ValueError in Dutch."""
    cleaned = _LEADING_WEEKDAY.sub("", text.strip().rstrip(".,;").strip())
    if match := _ISO.match(cleaned):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _NUMERIC.match(cleaned):
        written_year = match[3]
        year_value = None
        if written_year:
            year_value = int(written_year)
            if year_value < 100:
                year_value += 2000
        return int(match[1]), int(match[2]), year_value
    if match := _WORDS.match(cleaned):
        return int(match[1]), _MONTHS[match[2].lower()], int(match[3]) if match[3] else None
    raise ValueError(
        f'"{original}" is geen datum die ik kan lezen; schrijf bijvoorbeeld "11-2-2021", '
        f'"11 februari 2021" of "11-2-2021 (28-1)".'
    )


def _make_date(day: int, month: int, year: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f'"{original}" bevat geen bestaande datum.') from error


def parse_meeting_date(text: str, year: int | None = None) -> tuple[date, date | None]:
    """Read a meeting date with an optional document deadline in brackets.

    "11-2-2021 (28-1)" -> (2021-02-11, 2021-01-28); "11 februari 2021" -> (2021-02-11, None);
    "11-02" with year 2021 -> (2021-02-11, None). A deadline without a year lies before the
    meeting, so "8-1-2021 (20-12)" has its deadline in 2020. Raises ValueError in Dutch.
    """
    original = " ".join(str(text or "").split())
    if not original:
        raise ValueError("Geen datum opgegeven.")
    meeting_text, deadline_text = original, ""
    if match := _DEADLINE.match(original):
        meeting_text, deadline_text = match["meeting"], match["deadline"].strip()
    day, month, written_year = _one_date(meeting_text, year, original)
    meeting_year = written_year or year
    if meeting_year is None:
        raise ValueError(f'In "{original}" staat geen jaar; geef het jaar erbij.')
    meeting_date = _make_date(day, month, meeting_year, original)

    deadline = None
    deadline_text = _DEADLINE_WORDS.sub("", deadline_text)
    if deadline_text:
        d_day, d_month, d_year = _one_date(deadline_text, meeting_year, original)
        if d_year is None:
            # "8-1-2021 (20-12)": a deadline after the meeting's day in the year lies in the
            # year before, but only when that is close (a deadline a year ahead is a typo).
            d_year = meeting_year if (d_month, d_day) <= (month, day) else meeting_year - 1
        deadline = _make_date(d_day, d_month, d_year, original)
        if deadline > meeting_date or (meeting_date - deadline).days > 92:
            raise ValueError(
                f'In "{original}" ligt de datum voor het aanleveren van stukken niet kort '
                "vóór het overleg."
            )
    return meeting_date, deadline


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _organisations_of(series: MeetingSeries) -> set[int]:
    """The series' organisation, and for a region the municipalities and partners in it."""
    ids = {series.organisation_id}
    if series.organisation.kind == Organisation.Kind.REGION:
        ids |= set(series.organisation.members.values_list("pk", flat=True))
    return ids


@transaction.atomic
def create_series(
    *, organisation: Organisation, kind: str, name: str, year: int, theme=None, actor=None
) -> MeetingSeries:
    if kind not in MeetingSeries.Kind.values:
        raise ValidationError({"kind": f"Onbekende soort overleg: {kind}."})
    name = (name or "").strip() or str(MeetingSeries.Kind(kind).label)
    series = MeetingSeries(organisation=organisation, kind=kind, name=name, year=year, theme=theme)
    if theme is not None and theme.plan.owner_id not in _organisations_of(series):
        raise ValidationError({"theme": "Het thema hoort bij een plan van een andere organisatie."})
    series.full_clean()
    series.save()
    record_change(series, actor, ChangeLogEntry.Operation.CREATE)
    return series


@transaction.atomic
def add_meeting(
    series: MeetingSeries,
    *,
    date: date,
    document_deadline: date | None = None,
    location: str = "",
    participants: str = "",
    participant_organisations=(),
    actor=None,
) -> Meeting:
    if document_deadline is not None and document_deadline > date:
        raise ValidationError(
            {
                "document_deadline": "De stukken moeten uiterlijk op de dag van het overleg "
                "binnen zijn."
            }
        )
    meeting = Meeting(
        series=series,
        date=date,
        document_deadline=document_deadline,
        location=(location or "").strip(),
        participants=(participants or "").strip(),
    )
    meeting.full_clean()
    meeting.save()
    if participant_organisations:
        meeting.participant_organisations.set(participant_organisations)
    record_change(meeting, actor, ChangeLogEntry.Operation.CREATE)
    return meeting


def _lead_text_of(action: Action) -> str:
    if action.lead_unit_id:
        return str(action.lead_unit)
    if action.lead_person_id:
        return action.lead_person.get_full_name() or action.lead_person.get_username()
    return action.lead_text


@transaction.atomic
def schedule_action(
    meeting: Meeting,
    action: Action,
    *,
    what_to_report: str = "",
    lead_organisation: Organisation | None = None,
    lead_text: str = "",
    actor=None,
) -> AgendaItem:
    """Put an action on a meeting's agenda; scheduling it again updates what is to be reported.

    The lead comes from the action (its organisation, else its unit, person or lead text) unless
    given; the calendar counts items per lead.
    """
    series = meeting.series
    if action.action_plan.plan.owner_id not in _organisations_of(series):
        raise ValidationError(
            {"action": "Deze actie hoort bij een plan van een andere organisatie dan het overleg."}
        )
    what_to_report = (what_to_report or "").strip()
    existing = AgendaItem.objects.select_for_update().filter(meeting=meeting, action=action).first()
    if existing is not None:
        before = snapshot(existing)
        if what_to_report:
            existing.what_to_report = what_to_report
        if lead_organisation is not None:
            existing.lead_organisation = lead_organisation
        if lead_text:
            existing.lead_text = lead_text.strip()
        existing.save()
        record_change(existing, actor, ChangeLogEntry.Operation.UPDATE, before)
        return existing
    if lead_organisation is None and not lead_text:
        lead_organisation = action.lead_organisation
        lead_text = "" if lead_organisation is not None else _lead_text_of(action)
    item = AgendaItem(
        meeting=meeting,
        action=action,
        lead_organisation=lead_organisation,
        lead_text=(lead_text or "").strip()[:300],
        what_to_report=what_to_report,
        order=_next_order(meeting),
    )
    item.full_clean()
    item.save()
    record_change(item, actor, ChangeLogEntry.Operation.CREATE)
    return item


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    lead_organisation: Organisation | None = None,
    lead_text: str = "",
    what_to_report: str = "",
    actor=None,
) -> AgendaItem:
    """A free agenda item, not linked to an action (e.g. "Rondvraag", a calendar cell)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Geef het agendapunt een onderwerp."})
    item = AgendaItem(
        meeting=meeting,
        title=title[:300],
        lead_organisation=lead_organisation,
        lead_text=(lead_text or "").strip()[:300],
        what_to_report=(what_to_report or "").strip(),
        order=_next_order(meeting),
    )
    item.full_clean()
    item.save()
    record_change(item, actor, ChangeLogEntry.Operation.CREATE)
    return item


def _next_order(meeting: Meeting) -> int:
    last = meeting.items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def mark_reported(item: AgendaItem, actor=None, *, reported: bool = True) -> AgendaItem:
    """Record that the item was reported at its meeting (or undo that with reported=False)."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.reported == reported:
        return item
    before = snapshot(item)
    item.reported = reported
    item.reported_at = timezone.now() if reported else None
    item.reported_by = _user(actor) if reported else None
    item.save(update_fields=["reported", "reported_at", "reported_by", "updated_at"])
    record_change(item, actor, ChangeLogEntry.Operation.UPDATE, before)
    return item
