"""Reminders before a meeting: each lead gets one e-mail with the actions it still has to report,
each programme manager a digest. ReminderLog makes a second run send nothing new.

Called by `openveiligheid send-reminders`; no user, so nothing here is scoped: the recipients are
exactly the people responsible for the actions and the series.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from openveiligheid.actions.selectors import lead_label
from openveiligheid.core.changelog import record_changes_bulk
from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.meetings.models import Meeting, ReminderLog
from openveiligheid.meetings.selectors import NO_LEAD, due_actions, programme_actions
from openveiligheid.organisations.models import Membership
from openveiligheid.organisations.permissions import Permission

logger = logging.getLogger(__name__)
DEFAULT_HORIZON_DAYS = 21
LEAD_PERMISSIONS = {Permission.UPDATE_OWN_ACTIONS, Permission.MANAGE_ACTIONS}
PROGRAMME_MANAGER_ROLE = "programme_manager"


@dataclass
class Due:
    action: object
    meeting: Meeting
    lead: str


@dataclass
class Outgoing:
    recipient: str
    kind: str
    entries: list[Due]
    subject: str = ""
    body: str = ""


@dataclass
class ReminderReport:
    meetings: int = 0
    due: int = 0
    messages: list[Outgoing] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.messages)


def _emails_by_organisation(organisation_ids, wanted, *, by_unit=False) -> dict:
    """Members' e-mail addresses per organisation (and per (organisation, unit) with by_unit),
    for members whose role passes `wanted`."""
    found: dict = defaultdict(set)
    memberships = Membership.objects.filter(
        organisation_id__in=organisation_ids, user__is_active=True
    ).exclude(user__email="")
    for organisation_id, unit_id, email, slug, permissions in memberships.values_list(
        "organisation_id", "unit_id", "user__email", "role__slug", "role__permissions"
    ):
        if wanted(slug, set(permissions or [])):
            found[organisation_id].add(email.lower())
            if by_unit and unit_id:
                found[(organisation_id, unit_id)].add(email.lower())
    return {key: sorted(value) for key, value in found.items()}


def _programme_managers(organisation_ids) -> dict[int, list[str]]:
    by_role = _emails_by_organisation(
        organisation_ids, lambda slug, _permissions: slug == PROGRAMME_MANAGER_ROLE
    )
    # Organisations that renamed the role: whoever may manage the programme.
    missing = [pk for pk in organisation_ids if pk not in by_role]
    if missing:
        by_role |= _emails_by_organisation(
            missing, lambda _slug, permissions: Permission.MANAGE_PROGRAMME in permissions
        )
    return by_role


def collect_due(today: date, horizon_days: int = DEFAULT_HORIZON_DAYS) -> list[Due]:
    """(action, meeting) pairs: meetings from today within the horizon, actions due for them."""
    meetings = list(
        Meeting.objects.filter(date__gte=today, date__lte=today + timedelta(days=horizon_days))
        .select_related("series__organisation")
        .order_by("date", "id")
    )
    entries = []
    for meeting in meetings:
        series = meeting.series
        actions = due_actions(meeting, programme_actions(series.organisation, series.year))
        for action in actions.select_related(
            "lead_person", "lead_organisation", "lead_unit__organisation"
        ).order_by("due_end", "id"):
            entries.append(Due(action, meeting, lead_label(action) or NO_LEAD))
    return entries


def _lead_recipients(entries: list[Due]) -> dict[str, list[Due]]:
    organisation_ids = {
        entry.action.lead_organisation_id
        for entry in entries
        if entry.action.lead_organisation_id
        and not (entry.action.lead_person_id and entry.action.lead_person.email)
    }
    members = _emails_by_organisation(
        organisation_ids,
        lambda _slug, permissions: bool(permissions & LEAD_PERMISSIONS),
        by_unit=True,
    )
    by_recipient: dict[str, list[Due]] = defaultdict(list)
    for entry in entries:
        action = entry.action
        if action.lead_person_id and action.lead_person.email:
            recipients = [action.lead_person.email.lower()]
        else:
            # The lead unit's members if the memberships say who they are, else the whole
            # organisation's members who may update actions.
            recipients = members.get(
                (action.lead_organisation_id, action.lead_unit_id)
            ) or members.get(action.lead_organisation_id, [])
        for recipient in recipients:
            by_recipient[recipient].append(entry)
    return by_recipient


def _digest_recipients(entries: list[Due]) -> dict[str, list[Due]]:
    managers = _programme_managers({entry.meeting.series.organisation_id for entry in entries})
    by_recipient: dict[str, list[Due]] = defaultdict(list)
    for entry in entries:
        for recipient in managers.get(entry.meeting.series.organisation_id, []):
            by_recipient[recipient].append(entry)
    return by_recipient


def _not_yet_sent(by_recipient: dict[str, list[Due]], kind: str) -> dict[str, list[Due]]:
    sent = set(
        ReminderLog.objects.filter(kind=kind, recipient__in=list(by_recipient)).values_list(
            "recipient", "action_id", "meeting_id"
        )
    )
    fresh = {}
    for recipient, entries in by_recipient.items():
        new = [e for e in entries if (recipient, e.action.pk, e.meeting.pk) not in sent]
        if new:
            fresh[recipient] = new
    return fresh


def _render(message: Outgoing, base_url: str) -> None:
    meetings = []
    for entry in message.entries:
        if entry.meeting not in meetings:
            meetings.append(entry.meeting)
    link = (
        {m.pk: base_url.rstrip("/") + reverse("meetings:agenda", args=[m.pk]) for m in meetings}
        if base_url
        else {}
    )
    groups = [
        {
            "meeting": meeting,
            "link": link.get(meeting.pk, ""),
            "entries": [e for e in message.entries if e.meeting == meeting],
        }
        for meeting in meetings
    ]
    template = "lead" if message.kind == ReminderLog.Kind.LEAD else "digest"
    context = {"groups": groups, "count": len(message.entries)}
    message.subject = " ".join(
        render_to_string(f"meetings/mail/{template}_subject.txt", context).split()
    )
    message.body = render_to_string(f"meetings/mail/{template}.txt", context)


def send_reminders(
    *,
    today: date,
    dry_run: bool = False,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    base_url: str = "",
) -> ReminderReport:
    entries = collect_due(today, horizon_days)
    report = ReminderReport(meetings=len({e.meeting.pk for e in entries}), due=len(entries))
    for kind, by_recipient in (
        (ReminderLog.Kind.LEAD, _lead_recipients(entries)),
        (ReminderLog.Kind.DIGEST, _digest_recipients(entries)),
    ):
        for recipient, fresh in sorted(_not_yet_sent(by_recipient, kind).items()):
            message = Outgoing(recipient, kind, fresh)
            _render(message, base_url)
            report.messages.append(message)
    if dry_run or not report.messages:
        return report
    connection = get_connection()
    sent = sum(_send_once(message, connection) for message in report.messages)
    log_event(logger, "reminders_sent", meetings=report.meetings, due=report.due, messages=sent)
    return report


def _send_once(message: Outgoing, connection) -> bool:
    """Log first, send inside the same transaction: a failed send rolls the log back, and a
    concurrent run that already logged these reminders makes this one skip them (False)."""
    try:
        with transaction.atomic():
            logged = ReminderLog.objects.bulk_create(
                [
                    ReminderLog(
                        action=entry.action,
                        meeting=entry.meeting,
                        recipient=message.recipient,
                        kind=message.kind,
                    )
                    for entry in message.entries
                ]
            )
            record_changes_bulk(logged, None, ChangeLogEntry.Operation.CREATE)
            EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.recipient],
                connection=connection,
            ).send()
    except IntegrityError:
        return False
    return True
