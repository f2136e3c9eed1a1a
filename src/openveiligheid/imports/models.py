"""Uploaded files waiting between preview and confirmation, with their provenance; the mapping
of table measures to indicators, and the CBS tables that are refreshed on a schedule."""

import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.concurrency import VersionedModel
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import ScopedQuerySet

AREA_LEVEL_CHOICES = [
    ("municipality", _("Gemeente")),
    ("district", _("Wijk")),
    ("neighbourhood", _("Buurt")),
    ("postcode", _("Postcodegebied")),
    ("country", _("Land")),
]


class UploadQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    published_filter = {"pk__in": []}
    # Whoever may record figures for an organisation may import them.
    change_permissions = (Permission.MANAGE_PLAN, Permission.RECORD_MEASUREMENTS)


def upload_storage():
    """The private storage of uploaded files (``STORAGES["uploads"]``): outside the web root and
    the static files, never served."""
    return storages["uploads"]


def upload_path(upload, file_name: str) -> str:
    """A name that reveals nothing of the original file (that stays in ``file_name``)."""
    suffix = PurePath(file_name).suffix.lower()[:10]
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class UploadStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Geüpload")
    PREVIEWED = "previewed", _("Voorbeeld getoond")
    CONFIRMED = "confirmed", _("Ingelezen")
    FAILED = "failed", _("Mislukt")
    EXPIRED = "expired", _("Verlopen")


# The only status changes an upload may go through (imports.uploads checks them under a row lock).
UPLOAD_TRANSITIONS = {
    UploadStatus.UPLOADED: {UploadStatus.PREVIEWED, UploadStatus.FAILED, UploadStatus.EXPIRED},
    UploadStatus.PREVIEWED: {UploadStatus.CONFIRMED, UploadStatus.FAILED, UploadStatus.EXPIRED},
    UploadStatus.CONFIRMED: {UploadStatus.EXPIRED},
    UploadStatus.FAILED: {UploadStatus.EXPIRED},
    UploadStatus.EXPIRED: set(),
}


class Upload(models.Model):
    """One uploaded file (a plan document, an export of figures, an edited action sheet). The
    file is kept on private storage so that the confirmation imports exactly what was previewed;
    the hash identifies re-imports. After the retention period the file is removed and the row
    stays, expired, as the provenance the imported data refers to."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan of programma")
        MEASUREMENTS = "measurements", _("Cijfers")
        ACTION_SHEET = "action_sheet", _("Actielijst (Excel)")

    Status = UploadStatus

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(
        _("bestand"), storage=upload_storage, upload_to=upload_path, max_length=255, blank=True
    )
    size = models.PositiveBigIntegerField(_("grootte in bytes"), default=0)
    options = models.JSONField(_("keuzes"), default=dict, blank=True)
    summary = models.JSONField(_("samenvatting"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("ingelezen op"), null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return self.file_name

    def read_content(self) -> bytes:
        with self.file.open("rb") as stored:
            return stored.read()

    @staticmethod
    def hash_of(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class MeasureMappingQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    published_filter = {"pk__in": []}
    change_permissions = (Permission.MANAGE_PLAN,)


class MeasureMapping(VersionedModel):
    """Which indicator a measure of an exported table feeds, as data.

    Two kinds of rows share this table:

    - a *rule* names a table (``table_id``, empty = any table) and/or a ``measure`` and says which
      indicator it feeds: directly (``indicator``) or through a plan-independent ``key``;
    - a *binding* (no table, no measure) ties a ``key`` to one organisation's ``indicator``.

    Default rules have no organisation and hold for every municipality; a municipality's own rules
    take precedence. An observation is matched for the municipality it is about (or the one the
    import is for), so the default "47013NED Geregistreerde misdrijven -> misdrijven-politie" feeds
    each municipality's own indicator bound to "misdrijven-politie"."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measure_mappings",
        verbose_name=_("organisatie"),
        help_text=_("Leeg: standaardkoppeling voor alle gemeenten."),
    )
    table_id = models.CharField(
        _("tabel"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld 47013NED; leeg: elke tabel."),
    )
    measure = models.CharField(
        _("onderwerp in het bestand"),
        max_length=300,
        blank=True,
        help_text=_("Zoals in de kolom of het onderwerp van de tabel, bijvoorbeeld Woninginbraak."),
    )
    key = models.SlugField(
        _("sleutel"),
        max_length=100,
        blank=True,
        help_text=_("Planonafhankelijke naam van de reeks, bijvoorbeeld misdrijven-politie."),
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("indicator"),
    )
    area_level = models.CharField(
        _("gebiedsniveau"),
        max_length=20,
        choices=AREA_LEVEL_CHOICES,
        blank=True,
        help_text=_("Waarden van kleinere gebieden worden opgeteld tot dit niveau."),
    )
    extra_areas = models.JSONField(
        _("extra gebieden"),
        default=list,
        blank=True,
        help_text=_("CBS-codes van vergelijkingsgebieden buiten de eigen gemeente."),
    )
    active = models.BooleanField(_("actief"), default=True)

    objects = MeasureMappingQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "table_id", "measure", "key", "id"]
        verbose_name = _("koppeling van cijfers")
        verbose_name_plural = _("koppelingen van cijfers")

    def __str__(self) -> str:
        what = " / ".join(part for part in (self.table_id, self.measure) if part) or self.key
        target = self.indicator.name if self.indicator_id else self.key
        return f"{what} → {target}"

    @property
    def is_binding(self) -> bool:
        return not self.table_id and not self.measure


class RefreshTable(models.Model):
    """A CBS OData table that `refresh-measurements` fetches (configuration as data)."""

    table_id = models.CharField(_("tabel"), max_length=40, help_text="83648NED")
    filter = models.CharField(
        _("filter"),
        max_length=500,
        blank=True,
        help_text=_("OData-filter, bijvoorbeeld substringof('GM0200', RegioS)."),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    active = models.BooleanField(_("actief"), default=True)
    last_run_at = models.DateTimeField(_("laatst opgehaald"), null=True, blank=True)
    last_result = models.JSONField(_("laatste resultaat"), default=dict, blank=True)

    class Meta:
        ordering = ["table_id", "id"]
        verbose_name = _("CBS-tabel om te verversen")
        verbose_name_plural = _("CBS-tabellen om te verversen")

    def __str__(self) -> str:
        return f"{self.table_id} {self.filter}".strip()
