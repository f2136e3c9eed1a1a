"""The CBS area hierarchy: country, gemeente, wijk (district) and buurt (neighbourhood).

Historic municipalities (merged or renamed ones, from the CBS municipal classification) stay in the
table with their old code and validity dates, so that older figures keep their own area.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AreaQuerySet(models.QuerySet):
    def valid_on(self, on: datetime.date | None = None):
        """Areas that existed on a date (today when None); areas without dates always exist."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gt=on),
        )

    def current(self):
        """Areas that have not ended (historic municipalities left out)."""
        return self.filter(valid_until__isnull=True)

    def municipalities(self):
        return self.filter(level=Area.Level.MUNICIPALITY)


class Area(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", _("Land")
        MUNICIPALITY = "municipality", _("Gemeente")
        DISTRICT = "district", _("Wijk")
        NEIGHBOURHOOD = "neighbourhood", _("Buurt")
        POSTCODE = "postcode", _("Postcodegebied")

    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text="NL01, GM0200, WK020001"
    )
    name = models.CharField(_("naam"), max_length=200)
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices)
    # CASCADE within the tree: removing a gemeente removes its wijken and buurten (measurements
    # still PROTECT the areas they belong to). PROTECT here made deleting the hierarchy impossible.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    population = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("peiljaar inwoners"), null=True, blank=True
    )
    province = models.CharField(_("provincie"), max_length=40, blank=True)
    valid_from = models.DateField(
        _("geldig vanaf"),
        null=True,
        blank=True,
        help_text=_("Eerste dag waarop het gebied bestond."),
    )
    valid_until = models.DateField(
        _("geldig tot"),
        null=True,
        blank=True,
        help_text=_(
            "Eerste dag waarop het gebied niet meer bestond (bijvoorbeeld door een herindeling); "
            "leeg als het nog bestaat."
        ),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        return self.name

    @property
    def is_historic(self) -> bool:
        return self.valid_until is not None

    def is_valid_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on < self.valid_until
        )
