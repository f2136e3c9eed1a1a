"""The meldpunt: categories kept per municipality, reports filed by residents and their
attachments. Contact details are stored only encrypted (privacy.identities); attachments on the
private upload storage, never under the web root."""

from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import VIEW, Access, ScopedQuerySet


def upload_storage():
    """The private storage of uploaded files (STORAGES["uploads"]): outside the web root."""
    return storages["uploads"]


class Category(models.Model):
    """What a report is about; each municipality keeps its own list."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="signal_categories",
        verbose_name=_("organisatie"),
    )
    slug = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=100)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="signals_category_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReportQuerySet(ScopedQuerySet):
    """Need-to-know: only holders of VIEW_SIGNALS in the report's municipality read it; nobody
    changes a report through a page yet."""

    organisation_lookup = "organisation"
    change_permissions = ()

    def scope_q(self, access: Access, action: str) -> models.Q:
        organisations = access.orgs_with(Permission.VIEW_SIGNALS) if action == VIEW else set()
        return models.Q(organisation__in=organisations) if organisations else models.Q(pk__in=[])


class Report(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("nieuw")
        IN_TRIAGE = "in_triage", _("in behandeling")
        WAITING_FOR_REPORTER = "waiting_for_reporter", _("wacht op melder")
        FORWARDED = "forwarded", _("doorgezet")
        CLOSED = "closed", _("afgesloten")

    class CloseReason(models.TextChoices):
        DISMISSED = "dismissed", _("geen vervolg")
        HANDLED = "handled", _("afgehandeld")
        DUPLICATE = "duplicate", _("dubbele melding")
        CASE = "case", _("opgenomen in een casus")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="signal_reports",
        verbose_name=_("organisatie"),
    )
    reference = models.CharField(_("kenmerk"), max_length=12, unique=True, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("categorie")
    )
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=10, blank=True)
    location_description = models.CharField(
        _("omschrijving van de plek"), max_length=300, blank=True
    )
    occurred_on = models.DateField(_("datum"), null=True, blank=True)
    description = models.TextField(_("omschrijving"))
    # A Fernet token of the reporter's contact details (privacy.identities.IdentityData), or
    # empty for an anonymous report.
    encrypted_contact = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    # Set by the triage services (signals.services); the retention periods count from these.
    close_reason = models.CharField(
        _("reden van afsluiten"), max_length=20, choices=CloseReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("doorgezet op"), null=True, blank=True)
    created_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_anonymous(self) -> bool:
        return not self.encrypted_contact


def attachment_path(instance, filename: str) -> str:
    # The stored name is generated (services.submit_report); the resident's name is kept apart.
    return f"signals/{instance.report.organisation_id}/{filename}"


class Attachment(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("melding")
    )
    file = models.FileField(
        _("bestand"), storage=upload_storage, upload_to=attachment_path, max_length=255
    )
    original_name = models.CharField(_("bestandsnaam"), max_length=120)
    content_type = models.CharField(_("soort"), max_length=40)
    size = models.PositiveIntegerField(_("grootte in bytes"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.original_name
