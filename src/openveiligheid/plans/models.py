"""The plan: an IVP or execution plan with its themes, topics and goals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.concurrency import VersionedModel
from openveiligheid.core.models import TimeStampedModel
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import ScopedQuerySet


class PlanQuerySet(ScopedQuerySet):
    organisation_lookup = "owner"
    published_filter = {"status": "adopted"}


class Plan(VersionedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        INTEGRAL_PLAN = "integral_plan", _("Integraal veiligheidsplan")
        EXECUTION_PLAN = "execution_plan", _("Uitvoeringsplan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        ADOPTED = "adopted", _("Vastgesteld")

    slug = models.SlugField(_("korte naam"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    period_start = models.PositiveSmallIntegerField(_("beginjaar"))
    period_end = models.PositiveSmallIntegerField(_("eindjaar"))
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name=_("eigenaar")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    source_document = models.CharField(_("brondocument"), max_length=200, blank=True)
    # Partners see published plans only; the owner may share a concept with a partner on
    # purpose (to prepare the actions together), and every page then says it is a concept.
    shared_with = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="shared_concept_plans",
        verbose_name=_("concept gedeeld met"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plannen")

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.period_start}–{self.period_end}"

    @property
    def is_concept(self) -> bool:
        return self.status != self.Status.ADOPTED


class ThemeQuerySet(ScopedQuerySet):
    organisation_lookup = "plan__owner"
    published_filter = {"plan__status": "adopted"}


class Theme(models.Model):
    class Kind(models.TextChoices):
        PRIORITY = "priority", _("Prioriteit")
        STRATEGIC = "strategic", _("Strategisch thema")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=300)
    slug = models.SlugField(max_length=100)
    description = models.TextField(_("toelichting"), blank=True)
    situation = models.TextField(_("veiligheidsbeeld"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="advised_themes",
        verbose_name=_("adviseurs veiligheid"),
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "id"]
        unique_together = [("plan", "slug")]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("naam"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "order", "id"]
        verbose_name = _("subthema")
        verbose_name_plural = _("subthema's")

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="goals")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    text = models.TextField(_("doel"))
    target_text = models.CharField(_("meetbaar doel"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "order", "id"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")

    def __str__(self) -> str:
        return self.text[:80]


class PlannedReport(models.Model):
    """One kind of report to the council that the plan promises, with its rhythm: the plan's
    reporting cycle as data (e.g. a veiligheidsbrief every six months, an interim evaluation
    after two years), so that reports can be scheduled from it."""

    class ReportType(models.TextChoices):
        SAFETY_LETTER = "veiligheidsbrief", _("Veiligheidsbrief")
        ANNUAL_REPORT = "jaarrapportage", _("Jaarrapportage")
        INTERIM_EVALUATION = "tussentijdse_evaluatie", _("Tussentijdse evaluatie")
        FINAL_EVALUATION = "eindevaluatie", _("Eindevaluatie")
        # For a regional plan: how the local priorities agreed in the driehoek are doing.
        TRIANGLE_HALF_YEAR = "driehoek_halfjaar", _("Halfjaarrapportage lokale prioriteiten")
        TRIANGLE_FINAL = "driehoek_eind", _("Eindrapportage lokale prioriteiten")
        # Opens the next cycle: four-year trends, comparison and points to prioritise.
        SAFETY_ANALYSIS = "veiligheidsanalyse", _("Veiligheidsanalyse")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="planned_reports")
    report_type = models.CharField(_("soort rapportage"), max_length=30, choices=ReportType.choices)
    interval_months = models.PositiveSmallIntegerField(
        _("interval in maanden"),
        null=True,
        blank=True,
        help_text=_("Leeg voor een rapportage die eenmaal verschijnt."),
    )
    first_due = models.DateField(_("eerste keer uiterlijk"))
    source_text = models.TextField(
        _("tekst in het plan"),
        blank=True,
        help_text=_("De zin in het plan die deze afspraak noemt."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "report_type"], name="planned_report_one_per_type"
            ),
            models.CheckConstraint(
                condition=models.Q(interval_months__isnull=True) | models.Q(interval_months__gt=0),
                name="planned_report_interval_positive",
                violation_error_message=_("Het interval moet minstens één maand zijn."),
            ),
        ]
        verbose_name = _("rapportageafspraak")
        verbose_name_plural = _("rapportagecyclus")

    def __str__(self) -> str:
        return str(self.get_report_type_display())

    @property
    def rhythm_label(self) -> str:
        if self.interval_months is None:
            return str(_("eenmalig"))
        if self.interval_months == 6:
            return str(_("elk half jaar"))
        if self.interval_months == 12:
            return str(_("elk jaar"))
        return str(_("elke %(months)s maanden") % {"months": self.interval_months})
