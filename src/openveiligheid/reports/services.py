"""Every write of reports: creation, the duiding per theme, status changes and corrections."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, snapshot, user_or_none
from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.core.periods import HALF_YEAR, YEAR, Period
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.reports.models import (
    REPORT_TRANSITIONS,
    Report,
    ReportStatus,
    ReportStatusChange,
    ReportType,
    ThemeInterpretation,
)
from openveiligheid.reports.selectors import (
    REGIONAL_REPORT_TYPES,
    is_regional,
    may_write_interpretation,
    period_from_text,
    report_content,
)
from openveiligheid.reports.signals import report_published

logger = logging.getLogger(__name__)

INTERPRETATION_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 2000


def _period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return period_from_text(period)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from error


@transaction.atomic
def create_report(*, plan: Plan, report_type: str, period: Period | str, actor=None) -> Report:
    """A new draft report (version 1) of a type for a period within the plan's years."""
    period = _period(period)
    if report_type not in ReportType.values:
        raise ValidationError(
            {"report_type": _("Onbekende soort rapportage: %(type)s.") % {"type": report_type}}
        )
    if report_type in REGIONAL_REPORT_TYPES and not is_regional(plan):
        raise ValidationError(
            {
                "report_type": _(
                    "Een %(type)s is er alleen voor een regionaal plan (van een "
                    "samenwerkingsverband); dit plan is van %(owner)s."
                )
                % {"type": ReportType(report_type).label.lower(), "owner": plan.owner.name}
            }
        )
    if report_type == ReportType.TRIANGLE_HALF_YEAR and period.type != HALF_YEAR:
        raise ValidationError(
            {"period": _("Een halfjaarrapportage gaat over een halfjaar, zoals 2024-H1.")}
        )
    if report_type == ReportType.SAFETY_ANALYSIS and period.type != YEAR:
        raise ValidationError(
            {
                "period": _(
                    "Een veiligheidsanalyse gaat over de vier jaar tot en met een jaar; geef "
                    "dat jaar op, zoals 2026."
                )
            }
        )
    if not plan.period_start <= period.start.year <= plan.period_end:
        raise ValidationError(
            {
                "period": _(
                    "De periode %(period)s valt buiten de looptijd van het plan (%(plan)s)."
                )
                % {"period": period.label, "plan": plan.period_label}
            }
        )
    if Report.objects.filter(
        plan=plan, report_type=report_type, period_type=period.type, period_start=period.start
    ).exists():
        raise ValidationError(
            {
                "period": _(
                    "Er is al een %(type)s over %(period)s; corrigeer die in plaats van een "
                    "nieuwe te maken."
                )
                % {"type": ReportType(report_type).label.lower(), "period": period.label}
            }
        )
    report = Report.objects.create(
        plan=plan,
        report_type=report_type,
        period_type=period.type,
        period_start=period.start,
        created_by=user_or_none(actor),
    )
    ReportStatusChange.objects.create(
        report=report, to_status=ReportStatus.DRAFT, changed_by=user_or_none(actor)
    )
    record_change(report, actor, ChangeLogEntry.Operation.CREATE)
    return report


def _locked(report: Report) -> Report:
    return (
        Report.objects.order_by()
        .select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=report.pk)
    )


def _limited(field: str, text: str, label: str) -> str:
    text = (text or "").strip()
    if len(text) > INTERPRETATION_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("%(label)s mag hoogstens %(max)s tekens lang zijn.")
                % {"label": label, "max": f"{INTERPRETATION_MAX_LENGTH:,}".replace(",", ".")}
            }
        )
    return text


@transaction.atomic
def write_interpretation(
    *,
    report: Report,
    theme: Theme,
    text: str | None = None,
    actor,
    cooperation_examples: str | None = None,
) -> ThemeInterpretation:
    """The duiding of a theme for this report, and for a strategic theme its cooperation
    examples; only in the draft, only by who may write it. A text left None stays as it is."""
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            {
                "text": _(
                    "De duiding kan alleen worden gewijzigd zolang de rapportage een concept is."
                )
            }
        )
    if theme.plan_id != report.plan_id:
        raise ValidationError({"theme": _("Dit thema hoort niet bij het plan van de rapportage.")})
    if not may_write_interpretation(actor, report, theme):
        raise PermissionDenied(_("U mag de duiding van dit thema niet schrijven."))
    if text is not None:
        text = _limited("text", text, _("De duiding"))
    if cooperation_examples is not None:
        cooperation_examples = _limited(
            "cooperation_examples", cooperation_examples, _("De voorbeelden van samenwerking")
        )
        if cooperation_examples and theme.kind != Theme.Kind.STRATEGIC:
            raise ValidationError(
                {
                    "cooperation_examples": _(
                        "Voorbeelden van samenwerking horen alleen bij een strategisch thema."
                    )
                }
            )
    interpretation = ThemeInterpretation.objects.filter(report=report, theme=theme).first()
    if interpretation is None:
        interpretation = ThemeInterpretation.objects.create(
            report=report,
            theme=theme,
            text=text or "",
            cooperation_examples=cooperation_examples or "",
            written_by=user_or_none(actor),
        )
        record_change(interpretation, actor, ChangeLogEntry.Operation.CREATE)
        return interpretation
    before = snapshot(interpretation)
    if text is not None:
        interpretation.text = text
    if cooperation_examples is not None:
        interpretation.cooperation_examples = cooperation_examples
    interpretation.written_by = user_or_none(actor)
    interpretation.save()
    record_change(interpretation, actor, ChangeLogEntry.Operation.UPDATE, before)
    return interpretation


@transaction.atomic
def change_status(report: Report, to_status: str, *, actor=None, note: str = "") -> Report:
    """Move a report along the transition table; publishing freezes its content."""
    report = _locked(report)
    if to_status not in ReportStatus.values:
        raise ValidationError(
            {"status": _("Onbekende status: %(status)s.") % {"status": to_status}}
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("De toelichting mag hoogstens %(max)s tekens lang zijn.")
                % {"max": NOTE_MAX_LENGTH}
            }
        )
    if to_status not in REPORT_TRANSITIONS[report.status]:
        raise ValidationError(
            {
                "status": _("Een rapportage met status '%(current)s' kan niet naar '%(wanted)s'.")
                % {
                    "current": ReportStatus(report.status).label,
                    "wanted": ReportStatus(to_status).label,
                }
            }
        )
    before = snapshot(report)
    ReportStatusChange.objects.create(
        report=report,
        from_status=report.status,
        to_status=to_status,
        changed_by=user_or_none(actor),
        note=note,
    )
    report.status = to_status
    if to_status == ReportStatus.PUBLISHED:
        report.published_at = timezone.now()
        report.snapshot = report_content(report)
        report.snapshot["published_on"] = timezone.localdate(report.published_at).isoformat()
    report.save()
    record_change(report, actor, ChangeLogEntry.Operation.UPDATE, before)
    log_event(
        logger, "report_status_changed", report=report.pk, old=before["status"], new=to_status
    )
    if to_status == ReportStatus.PUBLISHED:
        # After the commit: a rolled-back publication announces nothing.
        published = report
        transaction.on_commit(
            lambda: report_published.send(sender=Report, report=published), robust=True
        )
    return report


@transaction.atomic
def create_correction(report: Report, *, reason: str, actor=None) -> Report:
    """Version n+1 of a published report, as a draft with the same duiding; the published
    version stays as it was and readable."""
    report = _locked(report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van de correctie op.")})
    if len(reason) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("De reden mag hoogstens %(max)s tekens lang zijn.")
                % {"max": NOTE_MAX_LENGTH}
            }
        )
    if report.status != ReportStatus.PUBLISHED:
        raise ValidationError(
            {"reason": _("Alleen een gepubliceerde rapportage kan worden gecorrigeerd.")}
        )
    if Report.objects.filter(corrects=report).exists():
        raise ValidationError(
            {"reason": _("Van deze versie bestaat al een correctie; corrigeer de nieuwste versie.")}
        )
    correction = Report.objects.create(
        plan=report.plan,
        report_type=report.report_type,
        period_type=report.period_type,
        period_start=report.period_start,
        version=report.version + 1,
        corrects=report,
        correction_reason=reason,
        created_by=user_or_none(actor),
    )
    ThemeInterpretation.objects.bulk_create(
        ThemeInterpretation(
            report=correction,
            theme_id=row.theme_id,
            text=row.text,
            cooperation_examples=row.cooperation_examples,
            written_by=row.written_by,
        )
        for row in report.interpretations.all()
    )
    ReportStatusChange.objects.create(
        report=correction, to_status=ReportStatus.DRAFT, changed_by=user_or_none(actor), note=reason
    )
    record_change(correction, actor, ChangeLogEntry.Operation.CREATE)
    return correction
