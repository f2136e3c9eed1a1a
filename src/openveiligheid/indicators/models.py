"""Indicators with their target, measurements per period and area, and the duiding per period."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.areas.models import Area
from openveiligheid.core.concurrency import VersionedModel
from openveiligheid.core.periods import Period
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import CHANGE, Access, ScopedQuerySet
from openveiligheid.plans.models import Goal, Plan, Theme

PERIOD_CHOICES = [
    ("year", _("jaar")),
    ("half_year", _("halfjaar")),
    ("quarter", _("kwartaal")),
    ("month", _("maand")),
]
# How often an indicator is measured: a period type, or every other year (a survey such as the
# Veiligheidsmonitor held "1x per 2 jaar"), whose measurements are yearly values.
TWO_YEARS = "two_years"
FREQUENCY_CHOICES = [*PERIOD_CHOICES, (TWO_YEARS, _("eens per twee jaar"))]


class Source(models.Model):
    """Where figures come from: police registration, a survey, CBS, the municipality itself."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Politieregistratie")
        SURVEY = "survey", _("Enquête")
        STATISTICS = "statistics", _("CBS / open data")
        MUNICIPALITY = "municipality", _("Eigen registratie gemeente")
        PARTNER = "partner", _("Registratie ketenpartner")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    url = models.URLField(_("vindplaats"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")

    def __str__(self) -> str:
        return self.name


class IndicatorQuerySet(ScopedQuerySet):
    organisation_lookup = "plan__owner"
    published_filter = {"plan__status": "adopted"}
    change_permissions = (Permission.MANAGE_PLAN, Permission.RECORD_MEASUREMENTS)

    def extra_scope(self, access: Access, action: str):
        if action != CHANGE:
            return super().extra_scope(access, action)
        # A safety adviser records figures for the themes they advise on, in their own organisation.
        return models.Q(
            plan__owner__in=access.orgs_with(Permission.RECORD_THEME_MEASUREMENTS),
            theme__in=Theme.advisers.through.objects.filter(user=access.user).values("theme"),
        )


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", _("aantal")
        PERCENTAGE = "percentage", _("percentage")
        EURO = "euro", _("euro")
        GRADE = "grade", _("rapportcijfer")
        RATE = "rate", _("per 1.000 inwoners")

    class Direction(models.TextChoices):
        UP = "up", _("hoger is beter")
        DOWN = "down", _("lager is beter")
        NONE = "none", _("geen voorkeursrichting")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    name = models.CharField(_("naam"), max_length=300)
    slug = models.SlugField(max_length=120)
    unit = models.CharField(_("eenheid"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("gewenste richting"), max_length=10, choices=Direction.choices)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    frequency = models.CharField(_("frequentie"), max_length=20, choices=FREQUENCY_CHOICES)
    definition = models.TextField(_("definitie"), blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gebied"),
        help_text=_("Het gebied waarvoor het plan deze indicator volgt."),
    )
    start_year = models.PositiveSmallIntegerField(_("startjaar"), null=True, blank=True)
    is_headline = models.BooleanField(_("kerncijfer"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    # A derived indicator is computed from two other series and never typed in.
    numerator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    per = models.PositiveIntegerField(_("per"), null=True, blank=True, help_text="1000")
    # A count indicator fed by the meldpunt: the reports of this category per period, recorded
    # as measurements by services.record_signal_counts (`openveiligheid signal-counts`).
    signal_category = models.ForeignKey(
        "signals.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("meldpuntcategorie"),
        help_text=_(
            "De meldingen in deze categorie worden per periode geteld en als meting vastgelegd."
        ),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "theme__order", "order", "id"]
        unique_together = [("plan", "slug")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """The theme is one of the plan's; the goal belongs to the theme (or, without a theme, to
        the plan)."""
        errors = {}
        if self.theme_id is not None and self.theme.plan_id != self.plan_id:
            errors["theme"] = _("Dit thema hoort niet bij het plan van de indicator.")
        if self.goal_id is not None:
            if self.theme_id is not None and self.goal.theme_id != self.theme_id:
                errors["goal"] = _("Dit doel hoort niet bij het thema van de indicator.")
            elif self.theme_id is None and self.goal.theme.plan_id != self.plan_id:
                errors["goal"] = _("Dit doel hoort niet bij het plan van de indicator.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_derived(self) -> bool:
        return self.numerator_id is not None and self.denominator_id is not None

    @property
    def period_type(self) -> str:
        return period_type_of(self.frequency)


def period_type_of(frequency: str) -> str:
    """The period type of an indicator's own measurements: its frequency, or a year for an
    indicator measured every other year."""
    return "year" if frequency == TWO_YEARS else frequency


class Target(models.Model):
    class Comparison(models.TextChoices):
        AT_LEAST = "gte", _("minimaal")
        AT_MOST = "lte", _("maximaal")
        NOT_ABOVE_START = "not_above_start", _("niet hoger dan de startwaarde")
        NOT_BELOW_START = "not_below_start", _("niet lager dan de startwaarde")

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="target")
    comparison = models.CharField(_("vergelijking"), max_length=20, choices=Comparison.choices)
    value = models.DecimalField(
        _("streefwaarde"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("streefjaar"), null=True, blank=True)
    text = models.CharField(_("zoals geformuleerd"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("streefwaarde")
        verbose_name_plural = _("streefwaarden")

    def __str__(self) -> str:
        return self.text or f"{self.get_comparison_display()} {self.value}"


class MeasurementQuerySet(ScopedQuerySet):
    organisation_lookup = "indicator__plan__owner"
    published_filter = {"indicator__plan__status": "adopted"}


class Measurement(VersionedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="measurements")
    period_type = models.CharField(_("periodetype"), max_length=20, choices=PERIOD_CHOICES)
    period_start = models.DateField(_("begin periode"))
    value = models.DecimalField(_("waarde"), max_digits=20, decimal_places=4)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="measurements"
    )
    is_example = models.BooleanField(
        _("voorbeelddata"),
        default=False,
        help_text=_("Gegenereerde voorbeeldwaarde, geen echte meting."),
    )
    note = models.TextField(_("toelichting"), blank=True)
    provenance = models.JSONField(_("herkomst"), default=dict, blank=True)
    entered_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "area", "period_type", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period_type", "period_start"],
                name="one_measurement_per_indicator_area_period",
            )
        ]
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")

    def __str__(self) -> str:
        return f"{self.indicator} {self.period.label}: {self.value}"

    @property
    def period(self) -> Period:
        return Period(self.period_type, self.period_start)


class InterpretationQuerySet(MeasurementQuerySet):
    pass


class Interpretation(VersionedModel):
    """The professionals' duiding of an indicator for one reporting period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="interpretations"
    )
    period_type = models.CharField(_("periodetype"), max_length=20, choices=PERIOD_CHOICES)
    period_start = models.DateField(_("begin periode"))
    text = models.TextField(_("duiding"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(_("geschreven op"), auto_now=True)

    objects = InterpretationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_type", "period_start"],
                name="one_interpretation_per_indicator_period",
            )
        ]
        verbose_name = _("duiding")
        verbose_name_plural = _("duidingen")

    def __str__(self) -> str:
        return f"{self.indicator} {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.period_type, self.period_start)


class IndicatorState(models.Model):
    """What the plan dashboard shows of an indicator in its own area, kept current by the
    services that write measurements (indicators.state), so that a dashboard reads one row per
    indicator instead of its whole series.

    Computed over the dashboard's window (from ``window_start``, see
    indicators.state.window_start): the start, latest and previous point, whether any value in
    the window is voorbeelddata, and the sparkline of the points in the indicator's own
    frequency as a summary and a drawing. The status is not stored: it depends on the target and
    on today's date, and is assessed from these points when read. A row whose window, area or
    basis no longer matches is not used (the dashboard computes that indicator from its
    measurements).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="states")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateField()
    # The indicator's fields the state was computed from (indicators.state.basis_of): an edit
    # that bypasses the services (the admin site) makes the state unused, not wrong.
    basis = models.CharField(max_length=100, blank=True)
    start_period_type = models.CharField(max_length=20, choices=PERIOD_CHOICES, blank=True)
    start_period_start = models.DateField(null=True, blank=True)
    start_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    start_is_example = models.BooleanField(default=False)
    latest_period_type = models.CharField(max_length=20, choices=PERIOD_CHOICES, blank=True)
    latest_period_start = models.DateField(null=True, blank=True)
    latest_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    latest_is_example = models.BooleanField(default=False)
    previous_period_type = models.CharField(max_length=20, choices=PERIOD_CHOICES, blank=True)
    previous_period_start = models.DateField(null=True, blank=True)
    previous_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    previous_is_example = models.BooleanField(default=False)
    has_example_data = models.BooleanField(default=False)
    # The sparkline: [count, first point, last point, lowest, highest, example count], points as
    # [period type, first day, value, is example], values as text (exact decimals).
    sparkline_summary = models.JSONField(default=list, blank=True)
    sparkline_shape = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area"], name="one_state_per_indicator_area"
            )
        ]
        verbose_name = _("stand van een indicator")
        verbose_name_plural = _("standen van indicatoren")

    def __str__(self) -> str:
        return f"{self.indicator_id} / {self.area_id}"
