"""Every write of meeting series, meetings, agenda items and their reporting, one transaction each.

The plan importer calls these too: create_series / add_meeting for a calendar it found in a plan,
schedule_action for the per-lead cells. Dates such as "11-2-2021 (28-1)" are read by
`core.dutch.parse_meeting_date` (also offered here for the importer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.actions.models import Action
from openveiligheid.core.changelog import record_change, record_changes_bulk, snapshot
from openveiligheid.core.concurrency import check_version
from openveiligheid.core.dutch import parse_meeting_date
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries
from openveiligheid.organisations.models import Organisation, Unit

__all__ = [
    "add_agenda_item",
    "add_meeting",
    "create_series",
    "mark_reported",
    "parse_meeting_date",
    "schedule_action",
    "schedule_actions",
]


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
    *,
    organisation: Organisation,
    kind: str,
    name: str,
    year: int,
    theme=None,
    is_example: bool = False,
    actor=None,
) -> MeetingSeries:
    if kind not in MeetingSeries.Kind.values:
        raise ValidationError({"kind": _("Onbekende soort overleg: %(kind)s.") % {"kind": kind}})
    name = (name or "").strip() or str(MeetingSeries.Kind(kind).label)
    series = MeetingSeries(
        organisation=organisation,
        kind=kind,
        name=name,
        year=year,
        theme=theme,
        is_example=is_example,
    )
    if theme is not None and theme.plan.owner_id not in _organisations_of(series):
        raise ValidationError(
            {"theme": _("Het thema hoort bij een plan van een andere organisatie.")}
        )
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
                "document_deadline": _(
                    "De stukken moeten uiterlijk op de dag van het overleg binnen zijn."
                )
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


def _lead_text_of(action: Action, units: dict | None = None, people: dict | None = None) -> str:
    """The lead of an action without a lead organisation: its unit, else its person, else the
    text; ``units`` and ``people`` (by id) spare the queries when scheduling in bulk."""
    if action.lead_unit_id:
        unit = (units or {}).get(action.lead_unit_id) or action.lead_unit
        return str(unit)
    if action.lead_person_id:
        person = (people or {}).get(action.lead_person_id) or action.lead_person
        return person.get_full_name() or person.get_username()
    return action.lead_text


@dataclass
class _Scheduling:
    """One request to put an action on a meeting's agenda."""

    meeting: Meeting
    action: Action
    what_to_report: str = ""
    lead_organisation: Organisation | None = None
    lead_text: str = ""
    # The version of the item the scheduling form saw (ABSENT: none), see core.concurrency.
    expected_version: int | None = None


def schedule_action(
    meeting: Meeting,
    action: Action,
    *,
    what_to_report: str = "",
    lead_organisation: Organisation | None = None,
    lead_text: str = "",
    actor=None,
    expected_version: int | None = None,
) -> AgendaItem:
    """Put an action on a meeting's agenda; scheduling it again updates what is to be reported.

    The lead comes from the action (its organisation, else its unit, person or lead text) unless
    given; the calendar counts items per lead. `expected_version` is the version of the item
    the form saw (ABSENT when it saw none): another raises EditConflict.
    """
    row = _Scheduling(
        meeting, action, what_to_report, lead_organisation, lead_text, expected_version
    )
    return _schedule([row], actor=actor)[0]


def schedule_actions(items, *, actor=None) -> list[AgendaItem]:
    """schedule_action for many (meeting, action, what_to_report) tuples, in bulk.

    The same rules: an action already on a meeting's agenda gets its item updated (an empty
    text keeps what was to be reported), an action of a plan of another organisation than the
    meeting's is refused. Any refusal writes nothing; the messages name the position of the
    tuple ("Agendapunt 3: ..."). Returns the items in the order of ``items``; an action given
    twice for the same meeting gets one item."""
    rows = [_Scheduling(meeting, action, *rest) for meeting, action, *rest in items]
    return _schedule(rows, actor=actor)


def _refusals(rows: list[_Scheduling]) -> dict[int, dict[str, list[str]]]:
    """Per position, Dutch messages for a missing meeting, action or lead organisation, or an
    action of another organisation than the meeting's. A fixed number of queries."""
    meeting_ids = {row.meeting.pk for row in rows}
    action_ids = {row.action.pk for row in rows}
    series_of = dict(Meeting.objects.filter(pk__in=meeting_ids).values_list("pk", "series_id"))
    owner_of = dict(
        Action.objects.filter(pk__in=action_ids).values_list("pk", "action_plan__plan__owner_id")
    )
    organisation_of = dict(
        MeetingSeries.objects.filter(pk__in=set(series_of.values())).values_list(
            "pk", "organisation_id"
        )
    )
    # A region's series also takes the actions of its municipalities and partners.
    allowed: dict[int, set[int]] = {pk: {pk} for pk in organisation_of.values()}
    for region_id, member_id in Organisation.members.through.objects.filter(
        from_organisation_id__in=allowed
    ).values_list("from_organisation_id", "to_organisation_id"):
        allowed[region_id].add(member_id)
    leads = {row.lead_organisation.pk for row in rows if row.lead_organisation is not None}
    known_leads = set(Organisation.objects.filter(pk__in=leads).values_list("pk", flat=True))

    errors: dict[int, dict[str, list[str]]] = {}
    for position, row in enumerate(rows):
        messages = errors.setdefault(position, {})
        if row.meeting.pk not in series_of:
            messages["meeting"] = [f"Het overleg met id {row.meeting.pk} bestaat niet (meer)."]
        if row.action.pk not in owner_of:
            messages["action"] = [f"De actie met id {row.action.pk} bestaat niet (meer)."]
        elif row.meeting.pk in series_of:
            organisation_id = organisation_of[series_of[row.meeting.pk]]
            if owner_of[row.action.pk] not in allowed[organisation_id]:
                messages["action"] = [
                    "Deze actie hoort bij een plan van een andere organisatie dan het overleg."
                ]
        if row.lead_organisation is not None and row.lead_organisation.pk not in known_leads:
            messages["lead_organisation"] = [
                f"De trekker (organisatie) met id {row.lead_organisation.pk} bestaat niet (meer)."
            ]
        if not messages:
            del errors[position]
    return errors


def _leads_of(rows: list[_Scheduling]) -> tuple[dict, dict]:
    """The units and people that lead the actions without a lead organisation, by id."""
    unit_ids = {
        row.action.lead_unit_id
        for row in rows
        if row.action.lead_organisation_id is None and row.action.lead_unit_id
    }
    person_ids = {
        row.action.lead_person_id
        for row in rows
        if row.action.lead_organisation_id is None
        and not row.action.lead_unit_id
        and row.action.lead_person_id
    }
    units = Unit.objects.select_related("organisation").in_bulk(unit_ids) if unit_ids else {}
    people = get_user_model().objects.in_bulk(person_ids) if person_ids else {}
    return units, people


# Checked by _refusals (references) and by looking for the existing item (the one agenda item
# per action per meeting), for the whole batch at once instead of per item.
_ITEM_REFERENCES = ("meeting", "action", "lead_organisation", "reported_by")


@transaction.atomic
def _schedule(rows: list[_Scheduling], *, actor=None) -> list[AgendaItem]:
    if not rows:
        return []
    errors = _refusals(rows)
    if errors:
        merged: dict[str, list[str]] = {}
        for position in sorted(errors):
            for key, messages in errors[position].items():
                for message in messages:
                    text = message if len(rows) == 1 else f"Agendapunt {position + 1}: {message}"
                    merged.setdefault(key, []).append(text)
        raise ValidationError(merged)

    meeting_ids = {row.meeting.pk for row in rows}
    action_ids = {row.action.pk for row in rows}
    items: dict[tuple[int, int], AgendaItem] = {
        (item.meeting_id, item.action_id): item
        for item in AgendaItem.objects.select_for_update().filter(
            meeting_id__in=meeting_ids, action_id__in=action_ids
        )
    }
    last_order = dict(
        AgendaItem.objects.filter(meeting_id__in=meeting_ids)
        .order_by()
        .values("meeting_id")
        .annotate(last=Max("order"))
        .values_list("meeting_id", "last")
    )
    units, people = _leads_of(rows)
    befores: dict[int, dict] = {}  # id(item) -> snapshot before this batch, for existing items
    created: list[AgendaItem] = []
    result: list[AgendaItem] = []
    for row in rows:
        key = (row.meeting.pk, row.action.pk)
        what_to_report = (row.what_to_report or "").strip()
        item = items.get(key)
        if item is not None and item.pk is not None:
            check_version(item, row.expected_version)
        if item is not None:
            if item.pk is not None and id(item) not in befores:
                befores[id(item)] = snapshot(item)
            if what_to_report:
                item.what_to_report = what_to_report
            if row.lead_organisation is not None:
                item.lead_organisation = row.lead_organisation
            if row.lead_text:
                item.lead_text = row.lead_text.strip()[:300]
            result.append(item)
            continue
        lead_organisation, lead_text = row.lead_organisation, row.lead_text
        if lead_organisation is None and not lead_text:
            lead_organisation_id = row.action.lead_organisation_id
            lead_text = "" if lead_organisation_id else _lead_text_of(row.action, units, people)
        else:
            lead_organisation_id = lead_organisation.pk if lead_organisation else None
        order = last_order.get(row.meeting.pk, 0) + 1
        last_order[row.meeting.pk] = order
        item = AgendaItem(
            meeting=row.meeting,
            action=row.action,
            lead_organisation_id=lead_organisation_id,
            lead_text=(lead_text or "").strip()[:300],
            what_to_report=what_to_report,
            order=order,
        )
        items[key] = item
        created.append(item)
        result.append(item)
    for item in created:
        item.full_clean(exclude=_ITEM_REFERENCES)
    AgendaItem.objects.bulk_create(created, batch_size=1000)
    record_changes_bulk(created, actor, ChangeLogEntry.Operation.CREATE)

    changed, changed_befores = [], []
    now = timezone.now()
    for item in {id(item): item for item in result if id(item) in befores}.values():
        if snapshot(item) == befores[id(item)]:
            continue  # scheduled again without anything new: nothing to save or log
        item.full_clean(exclude=_ITEM_REFERENCES)
        item.updated_at = now
        # bulk_update passes by VersionedModel.save: the version goes up here.
        item.version += 1
        changed.append(item)
        changed_befores.append(befores[id(item)])
    AgendaItem.objects.bulk_update(
        changed,
        ["what_to_report", "lead_organisation", "lead_text", "updated_at", "version"],
        batch_size=500,
    )
    record_changes_bulk(changed, actor, ChangeLogEntry.Operation.UPDATE, changed_befores)
    return result


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
        raise ValidationError({"title": _("Geef het agendapunt een onderwerp.")})
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
