"""Reports to the council (veiligheidsbrief, jaarrapportage, evaluations) for a plan and a
period, with their workflow, the duiding per theme and, once published, a frozen snapshot."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.models import TimeStampedModel
from openveiligheid.core.periods import Period
from openveiligheid.indicators.models import PERIOD_CHOICES
from openveiligheid.organisations.scoping import ScopedQuerySet
from openveiligheid.plans.models import Plan, PlannedReport, Theme

ReportType = PlannedReport.ReportType


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    IN_REVIEW = "in_review", _("Ter beoordeling")
    APPROVED = "approved", _("Goedgekeurd")
    PUBLISHED = "published", _("Gepubliceerd")


# The only status changes allowed. A published report is final: a correction is a new version.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.IN_REVIEW}),
    ReportStatus.IN_REVIEW: frozenset({ReportStatus.DRAFT, ReportStatus.APPROVED}),
    ReportStatus.APPROVED: frozenset({ReportStatus.DRAFT, ReportStatus.PUBLISHED}),
    ReportStatus.PUBLISHED: frozenset(),
}


class ReportQuerySet(ScopedQuerySet):
    organisation_lookup = "plan__owner"
    # Without VIEW_UNPUBLISHED (council members) only published reports of adopted plans.
    published_filter = {"status": ReportStatus.PUBLISHED, "plan__status": "adopted"}


class Report(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reports")
    report_type = models.CharField(_("soort rapportage"), max_length=30, choices=ReportType.choices)
    period_type = models.CharField(_("periodetype"), max_length=20, choices=PERIOD_CHOICES)
    period_start = models.DateField(_("begin periode"))
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        verbose_name=_("corrigeert"),
    )
    correction_reason = models.TextField(_("reden van de correctie"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The content as it was when the report was published (reports.selectors.report_content);
    # a published report renders from this, never from live data.
    snapshot = models.JSONField(_("vastgelegde inhoud"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-period_start", "report_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "report_type", "period_type", "period_start", "version"],
                name="one_report_version_per_plan_type_period",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(snapshot__isnull=False),
                name="published_report_has_snapshot",
            ),
        ]
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")

    def __str__(self) -> str:
        text = f"{self.get_report_type_display()} {self.period.label}"
        if self.version > 1:
            return str(
                _("%(report)s (versie %(version)s)") % {"report": text, "version": self.version}
            )
        return text

    @property
    def period(self) -> Period:
        return Period(self.period_type, self.period_start)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def allowed_transitions(self) -> list[str]:
        return sorted(REPORT_TRANSITIONS[self.status])


class ReportStatusChange(models.Model):
    """Appended on every status change; never edited."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "changed_at", "id"]
        verbose_name = _("statuswijziging rapportage")
        verbose_name_plural = _("statuswijzigingen rapportage")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status or '–'} → {self.to_status}"


class ThemeInterpretationQuerySet(ScopedQuerySet):
    organisation_lookup = "report__plan__owner"
    published_filter = {"report__status": ReportStatus.PUBLISHED, "report__plan__status": "adopted"}


class ThemeInterpretation(models.Model):
    """The duiding of one theme for one report, written by the theme's advisers in the draft."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="interpretations")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("duiding"), blank=True)
    # Only for a strategic theme: how the partners worked together, beside the duiding.
    cooperation_examples = models.TextField(_("voorbeelden van samenwerking"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(_("geschreven op"), auto_now=True)

    objects = ThemeInterpretationQuerySet.as_manager()

    class Meta:
        ordering = ["report", "theme__order", "theme_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "theme"], name="one_interpretation_per_report_theme"
            )
        ]
        verbose_name = _("duiding per thema")
        verbose_name_plural = _("duidingen per thema")

    def __str__(self) -> str:
        return f"{self.report}: {self.theme}"
