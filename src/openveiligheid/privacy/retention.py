"""Retention: a period per kind of record and municipality, and the purge that deletes what has
expired.

privacy sits below the apps that hold the records, so it cannot query them: each app registers a
RetentionProvider from its AppConfig.ready() (signals: reports and attachments; later cases and
the hub). `purge()` asks every provider what has expired under the municipality's periods,
deletes each item in its own transaction, and leaves a metadata-only DeletionRecord and an audit
DELETE entry. What was deleted is no longer found, so a second run deletes nothing.

Indicator values are stored measurements (indicators.services.record_measurement), not counts
over reports, so a purge leaves every value of every plan as it was.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, snapshot
from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.privacy.models import (
    MAX_RETENTION_MONTHS,
    AuditEntry,
    DeletionRecord,
    RetentionKind,
    RetentionPeriod,
)

logger = logging.getLogger(__name__)


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (31 March minus one month: 28 or 29
    February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def default_months(kind: str) -> int:
    return int(settings.OPENVEILIGHEID_RETENTION_MONTHS[kind])


class RetentionPolicy:
    """The periods of every municipality, read once: its own where set, else the default."""

    def __init__(self, now: datetime | None = None):
        self.now = now or timezone.now()
        self._own: dict[tuple[int, str], int] = {
            (organisation_id, kind): months
            for organisation_id, kind, months in RetentionPeriod.objects.values_list(
                "organisation_id", "kind", "months"
            )
        }

    def months(self, organisation_id: int, kind: str) -> int:
        return self._own.get((organisation_id, kind), default_months(kind))

    def cutoff(self, organisation_id: int, kind: str) -> datetime:
        """Whatever counted from before this moment has expired."""
        return months_before(self.now, self.months(organisation_id, kind))


@dataclass
class ExpiredItem:
    """One record whose period has passed, as a provider reports it. `delete` removes it (and
    its files, after the transaction commits) and returns False when it was already gone."""

    kind: str
    object_type: str
    object_id: str
    reference: str
    organisation_id: int
    organisation_name: str
    counted_from: date
    months: int
    delete: Callable[[], bool] = field(repr=False)

    @property
    def label(self) -> str:
        return str(RetentionKind(self.kind).label)


class RetentionProvider(Protocol):
    def expired(self, policy: RetentionPolicy) -> Iterable[ExpiredItem]: ...


_PROVIDERS: list[RetentionProvider] = []


def register_retention_provider(provider: RetentionProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def retention_providers() -> list[RetentionProvider]:
    return list(_PROVIDERS)


@dataclass
class PurgeResult:
    deleted: list[ExpiredItem] = field(default_factory=list)
    dry_run: bool = False


def purge(*, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Delete everything whose retention period has passed (with dry_run: only list it)."""
    policy = RetentionPolicy(now)
    result = PurgeResult(dry_run=dry_run)
    for provider in retention_providers():
        for item in provider.expired(policy):
            if dry_run:
                result.deleted.append(item)
                continue
            with transaction.atomic():
                if not item.delete():
                    continue
                DeletionRecord.objects.create(
                    object_type=item.object_type,
                    kind=item.kind,
                    reference=item.reference,
                    what=item.label,
                    organisation_id=item.organisation_id,
                    reason=DeletionRecord.Reason.RETENTION,
                    period_months=item.months,
                    counted_from=item.counted_from,
                    deleted_at=policy.now,
                )
                _record_deletion(item)
            result.deleted.append(item)
    if not dry_run:
        log_event(logger, "retention_purged", deleted=len(result.deleted))
    return result


def _record_deletion(item: ExpiredItem) -> None:
    from openveiligheid.privacy.services import record

    record(
        action=AuditEntry.Action.DELETE,
        object_type=item.object_type,
        object_id=item.object_id,
        object_repr=item.reference,
        organisation=item.organisation_id,
        purpose=_("Bewaartermijn verstreken: %(kind)s, %(months)d maanden")
        % {"kind": item.label, "months": item.months},
    )


@dataclass(frozen=True)
class PeriodRow:
    kind: str
    label: str
    months: int
    default: int
    is_own: bool


def periods_of(organisation) -> list[PeriodRow]:
    """Every kind with the municipality's period and the default, for the settings page."""
    own = dict(
        RetentionPeriod.objects.filter(organisation=organisation).values_list("kind", "months")
    )
    return [
        PeriodRow(
            kind=kind,
            label=str(label),
            months=own.get(kind, default_months(kind)),
            default=default_months(kind),
            is_own=kind in own,
        )
        for kind, label in RetentionKind.choices
    ]


def set_retention_periods(
    *, actor, organisation, months_by_kind: dict[str, int], request=None
) -> list[RetentionPeriod]:
    """Set the municipality's periods. Only a privacy officer (VIEW_AUDIT) of the organisation
    may; every changed period is in the change log and the audit trail."""
    from openveiligheid.privacy.services import record

    access = access_for(actor)
    if access is None or not access.has(Permission.VIEW_AUDIT, organisation.pk):
        raise PermissionDenied
    errors = {}
    for kind, months in months_by_kind.items():
        if kind not in RetentionKind.values:
            errors[kind] = _("Onbekende soort gegevens.")
        elif not isinstance(months, int) or not 1 <= months <= MAX_RETENTION_MONTHS:
            errors[kind] = _("Kies een bewaartermijn van 1 tot en met %(max)d maanden.") % {
                "max": MAX_RETENTION_MONTHS
            }
    if errors:
        raise ValidationError(errors)
    changed = []
    with transaction.atomic():
        existing = {
            period.kind: period
            for period in RetentionPeriod.objects.select_for_update().filter(
                organisation=organisation
            )
        }
        for kind, months in months_by_kind.items():
            period = existing.get(kind)
            if period is None:
                if months == default_months(kind):
                    continue
                period = RetentionPeriod.objects.create(
                    organisation=organisation, kind=kind, months=months
                )
                record_change(period, actor, ChangeLogEntry.Operation.CREATE)
            elif period.months != months:
                before = snapshot(period)
                period.months = months
                period.save(update_fields=["months", "updated_at"])
                record_change(period, actor, ChangeLogEntry.Operation.UPDATE, before=before)
            else:
                continue
            changed.append(period)
            record(
                action=AuditEntry.Action.CHANGE,
                actor=actor,
                obj=period,
                organisation=organisation,
                purpose=_("Bewaartermijn %(kind)s: %(months)d maanden")
                % {"kind": period.get_kind_display(), "months": months},
                request=request,
            )
    return changed
