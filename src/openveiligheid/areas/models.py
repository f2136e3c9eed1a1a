"""The CBS area hierarchy: country, gemeente, wijk (district) and buurt (neighbourhood)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("peiljaar inwoners"), null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        return self.name
