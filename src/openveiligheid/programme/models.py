"""A programme under a plan: pillars, assignments (opgaves), roles, participants, risks, budget."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import ScopedQuerySet
from openveiligheid.plans.models import Plan


class ProgrammeQuerySet(ScopedQuerySet):
    organisation_lookup = "plan__owner"
    published_filter = {"plan__status": "adopted"}
    change_permissions = (Permission.MANAGE_PROGRAMME,)


class Programme(models.Model):
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="programme")
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)
    # The totals per year as printed in the programme document, kept beside the computed ones so
    # that a difference between the lines and the printed total stays visible.
    stated_budget_totals = models.JSONField(_("totalen volgens document"), default=dict, blank=True)
    # The grand total a document prints for a whole budget table, by table (section) name, e.g.
    # {"Claims MPB (IVP)": 6934800}; kept for the same reason.
    stated_table_totals = models.JSONField(
        _("tabeltotalen volgens document"), default=dict, blank=True
    )
    # Where the money comes from, as the document's financial overview lists it:
    # {"rows": [{"source": "Ondermijningsgelden", "amount": 675000}, ...], "printed_total": ...}.
    funding_overview = models.JSONField(_("financieel overzicht"), default=dict, blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")

    def __str__(self) -> str:
        return self.title


class Pillar(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pillars")
    name = models.CharField(_("naam"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("pijler")
        verbose_name_plural = _("pijlers")

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    class Approach(models.TextChoices):
        PROJECT = "project", _("Project")
        ANALYSIS = "analysis", _("Analyse")
        PROCESS_DIRECTION = "process_direction", _("Procesregie")
        CASE_DIRECTION = "case_direction", _("Casusregie")

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="assignments")
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    title = models.CharField(_("titel"), max_length=300)
    what = models.TextField(_("wat is het"), blank=True)
    goal = models.TextField(_("doel"), blank=True)
    result = models.TextField(_("resultaat"), blank=True)
    who = models.TextField(_("wie"), blank=True)
    how = models.TextField(_("hoe"), blank=True)
    when = models.TextField(_("wanneer"), blank=True)
    approach = models.CharField(
        _("aanpak"), max_length=20, choices=Approach.choices, default=Approach.PROJECT
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pillar", "order", "id"]
        verbose_name = _("opgave")
        verbose_name_plural = _("opgaves")

    def __str__(self) -> str:
        return self.title


class ProgrammeRole(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("rol"), max_length=200)
    description = models.TextField(_("taken"), blank=True)
    holder = models.CharField(_("wie"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("programmarol")
        verbose_name_plural = _("programmarollen")

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("naam"), max_length=300)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(_("rol"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    LOW = "low", _("laag")
    MEDIUM = "medium", _("middel")
    HIGH = "high", _("hoog")


class Risk(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risico"))
    likelihood = models.CharField(_("kans"), max_length=10, choices=Level.choices, blank=True)
    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices, blank=True)
    mitigation = models.TextField(_("beheersmaatregel"), blank=True)
    owner = models.CharField(_("eigenaar"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("risico")
        verbose_name_plural = _("risico's")

    def __str__(self) -> str:
        return self.description[:80]


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    section = models.CharField(
        _("tabel"),
        max_length=200,
        blank=True,
        help_text=_("Begrotingstabel waartoe de regel hoort, bijvoorbeeld 'Claims MPB'."),
    )
    item = models.CharField(_("post"), max_length=300)
    funding_source = models.CharField(_("dekking"), max_length=300, blank=True)
    is_structural = models.BooleanField(_("structureel"), default=False)
    is_mpb_claim = models.BooleanField(_("MPB-claim"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")

    def __str__(self) -> str:
        return self.item


class BudgetAmount(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["line", "year"]
        unique_together = [("line", "year")]
        verbose_name = _("bedrag per jaar")
        verbose_name_plural = _("bedragen per jaar")

    def __str__(self) -> str:
        return f"{self.line} {self.year}: {self.amount}"
