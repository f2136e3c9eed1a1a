"""Uploaded files waiting between preview and confirmation, with their provenance."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import ScopedQuerySet


class UploadQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    published_filter = {"pk__in": []}


class Upload(models.Model):
    """One uploaded file (a plan document, an export of figures). The content is kept so that the
    confirmation imports exactly what was previewed, and the hash identifies re-imports."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan of programma")
        MEASUREMENTS = "measurements", _("Cijfers")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Voorbeeld getoond")
        IMPORTED = "imported", _("Geïmporteerd")
        FAILED = "failed", _("Mislukt")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("inhoud"))
    options = models.JSONField(_("keuzes"), default=dict, blank=True)
    summary = models.JSONField(_("samenvatting"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    imported_at = models.DateTimeField(_("geïmporteerd op"), null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return self.file_name

    @staticmethod
    def hash_of(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()
