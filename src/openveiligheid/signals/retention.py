"""The meldpunt's retention provider (privacy.retention): closed and forwarded reports and the
attachments of reports whose handling has ended, each kind counted from its own moment.

- report without follow-up (or a duplicate), handled, linked to a case: from closed_at;
- forwarded to a partner: from forwarded_at;
- attachment: from the moment its report was closed or forwarded (open reports keep theirs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from openveiligheid.privacy.models import RetentionKind
from openveiligheid.privacy.retention import ExpiredItem, RetentionPolicy
from openveiligheid.signals.models import Attachment, Report, upload_storage

CLOSED = Report.Status.CLOSED
REASON = Report.CloseReason

# Per kind of report: which reports it covers and the field its period counts from.
REPORT_KINDS: dict[str, tuple[Q, str]] = {
    RetentionKind.REPORT_DISMISSED: (
        Q(status=CLOSED, close_reason__in=[REASON.DISMISSED, REASON.DUPLICATE]),
        "closed_at",
    ),
    RetentionKind.REPORT_HANDLED: (Q(status=CLOSED, close_reason=REASON.HANDLED), "closed_at"),
    RetentionKind.REPORT_CASE: (Q(status=CLOSED, close_reason=REASON.CASE), "closed_at"),
    RetentionKind.REPORT_FORWARDED: (Q(status=Report.Status.FORWARDED), "forwarded_at"),
}


# The same kinds as REPORT_KINDS, for one report in memory: (status, close reason) -> kind.
_KIND_OF = {
    (CLOSED, REASON.DISMISSED): RetentionKind.REPORT_DISMISSED,
    (CLOSED, REASON.DUPLICATE): RetentionKind.REPORT_DISMISSED,
    (CLOSED, REASON.HANDLED): RetentionKind.REPORT_HANDLED,
    (CLOSED, REASON.CASE): RetentionKind.REPORT_CASE,
}


def retention_kind_of(report: Report) -> str | None:
    """The retention kind a report falls under now; None while it is still being handled."""
    if report.status == Report.Status.FORWARDED:
        return RetentionKind.REPORT_FORWARDED
    return _KIND_OF.get((report.status, report.close_reason))


def delete_files_on_commit(names: list[str]) -> None:
    """Remove stored files once the deletion of their rows has committed: a rolled-back
    deletion keeps its files."""
    storage = upload_storage()

    def remove():
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(remove)


def delete_report(report: Report) -> None:
    """Delete a report with its attachments and their files."""
    names = [attachment.file.name for attachment in report.attachments.all()]
    report.delete()
    delete_files_on_commit(names)


def _deleter(queryset: QuerySet, pk: int, remove) -> Callable[[], bool]:
    def delete() -> bool:
        # Checked again under a lock: a report reopened since it was listed stays.
        row = queryset.select_for_update().filter(pk=pk).first()
        if row is None:
            return False
        remove(row)
        return True

    return delete


def _delete_attachment(attachment: Attachment) -> None:
    name = attachment.file.name
    attachment.delete()
    delete_files_on_commit([name])


class ReportRetention:
    """Registered from SignalsConfig.ready()."""

    def expired(self, policy: RetentionPolicy) -> Iterator[ExpiredItem]:
        organisations = (
            Report.objects.order_by()
            .values_list("organisation_id", "organisation__name")
            .distinct()
        )
        for organisation_id, organisation_name in sorted(organisations, key=lambda row: row[1]):
            yield from self._attachments(policy, organisation_id, organisation_name)
            for kind, (condition, counted_from) in REPORT_KINDS.items():
                yield from self._reports(
                    policy, organisation_id, organisation_name, kind, condition, counted_from
                )

    def _reports(self, policy, organisation_id, organisation_name, kind, condition, field):
        months = policy.months(organisation_id, kind)
        expired = Report.objects.filter(
            condition,
            organisation_id=organisation_id,
            **{f"{field}__lt": policy.cutoff(organisation_id, kind)},
        )
        for pk, reference, moment in expired.order_by(field, "pk").values_list(
            "pk", "reference", field
        ):
            yield ExpiredItem(
                kind=kind,
                object_type="signals.report",
                object_id=str(pk),
                reference=reference,
                organisation_id=organisation_id,
                organisation_name=organisation_name,
                counted_from=moment.date(),
                months=months,
                delete=_deleter(expired, pk, delete_report),
            )

    def _attachments(self, policy, organisation_id, organisation_name):
        kind = RetentionKind.ATTACHMENT
        months = policy.months(organisation_id, kind)
        expired = (
            Attachment.objects.filter(report__organisation_id=organisation_id)
            .filter(Q(report__status=CLOSED) | Q(report__status=Report.Status.FORWARDED))
            .annotate(ended_at=Coalesce("report__closed_at", "report__forwarded_at"))
            .filter(ended_at__lt=policy.cutoff(organisation_id, kind))
        )
        for pk, report_reference, ended_at in expired.order_by("ended_at", "pk").values_list(
            "pk", "report__reference", "ended_at"
        ):
            yield ExpiredItem(
                kind=kind,
                object_type="signals.attachment",
                object_id=str(pk),
                # The resident's file name may say something about a person: not kept.
                reference=f"{report_reference}/bijlage-{pk}",
                organisation_id=organisation_id,
                organisation_name=organisation_name,
                counted_from=ended_at.date(),
                months=months,
                delete=_deleter(expired, pk, _delete_attachment),
            )
