"""The meldpunt: categories kept per municipality, reports filed by residents and their
attachments. Contact details are stored only encrypted (privacy.identities); attachments on the
private upload storage, never under the web root."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.models import AppendOnlyModel
from openveiligheid.organisations.models import Organisation
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
    """Need-to-know: holders of VIEW_SIGNALS in the report's municipality read it, and so do
    holders of VIEW_SIGNALS in the partner organisation it was forwarded to (the police, the
    RIEC: only what was passed to them); only holders of TRIAGE_SIGNALS in the municipality
    change it (the triage services). Superusers too read and triage only through such a
    membership."""

    organisation_lookup = "organisation"
    change_permissions = (Permission.TRIAGE_SIGNALS,)
    superuser_reaches_all = False

    def scope_q(self, access: Access, action: str) -> models.Q:
        scope = models.Q(pk__in=[])
        if action == VIEW:
            readers = access.orgs_with(Permission.VIEW_SIGNALS)
            municipalities = {
                org for org in readers if access.kinds.get(org) == Organisation.Kind.MUNICIPALITY
            }
            partners = {
                org for org in readers if access.kinds.get(org) == Organisation.Kind.PARTNER
            }
            if municipalities:
                scope |= models.Q(organisation__in=municipalities)
            if partners:
                scope |= models.Q(forwarded_to__in=partners)
        else:
            triagers = access.orgs_with(*self.change_permissions)
            if triagers:
                scope |= models.Q(organisation__in=triagers)
        return scope


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

    class Priority(models.TextChoices):
        LOW = "low", _("laag")
        NORMAL = "normal", _("normaal")
        HIGH = "high", _("hoog")
        URGENT = "urgent", _("spoed")

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
    priority = models.CharField(
        _("prioriteit"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # The partner organisation the report was passed to, or none when it was passed to a
    # service outside the product (Meld Misdaad Anoniem); forwarded_to_name names either.
    forwarded_to = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_reports_received",
        verbose_name=_("doorgezet naar"),
    )
    forwarded_to_name = models.CharField(_("doorgezet naar"), max_length=200, blank=True)
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

    @property
    def allowed_steps(self) -> frozenset[str]:
        return TRIAGE_STEPS[self.status]

    @property
    def postcode_area(self) -> str:
        """The four digits of the postcode: the neighbourhood link suggestions look in."""
        return self.postcode[:4]


Status = Report.Status


class TriageStep(models.TextChoices):
    """What is done with a report, each a service in signals.services: the steps staff take in
    triage, and the changes a data subject request makes to the reporter's contact details,
    which the privacy officer makes from the request (never a step of TRIAGE_STEPS)."""

    TAKE = "take", _("in behandeling nemen")
    CLASSIFY = "classify", _("categorie wijzigen")
    PRIORITISE = "prioritise", _("prioriteit bepalen")
    FORWARD = "forward", _("doorzetten")
    ASK_REPORTER = "ask_reporter", _("melder om informatie vragen")
    LINK = "link", _("koppelen")
    CLOSE = "close", _("afsluiten")
    ERASE_CONTACT = "erase_contact", _("persoonsgegevens gewist")
    RECTIFY_CONTACT = "rectify_contact", _("persoonsgegevens gecorrigeerd")


# The only status changes of a report. A closed report is final: retention counts from
# closed_at, and a new fact about the same situation is a new report (linked to this one).
TRIAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_TRIAGE, Status.CLOSED}),
    Status.IN_TRIAGE: frozenset({Status.WAITING_FOR_REPORTER, Status.FORWARDED, Status.CLOSED}),
    Status.WAITING_FOR_REPORTER: frozenset({Status.IN_TRIAGE, Status.FORWARDED, Status.CLOSED}),
    Status.FORWARDED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# The status each step leads to; steps without one leave the status as it is.
STEP_TARGETS: dict[str, str] = {
    TriageStep.TAKE: Status.IN_TRIAGE,
    TriageStep.FORWARD: Status.FORWARDED,
    TriageStep.ASK_REPORTER: Status.WAITING_FOR_REPORTER,
    TriageStep.CLOSE: Status.CLOSED,
}

# A report is classified and prioritised once someone has taken it into triage; it can be
# linked as long as it is open (a new report may be closed at once as a duplicate).
_EDITING_STEPS = {TriageStep.CLASSIFY, TriageStep.PRIORITISE, TriageStep.LINK}


def _steps_from(status: str, extra: set[str]) -> frozenset[str]:
    moves = {step for step, target in STEP_TARGETS.items() if target in TRIAGE_TRANSITIONS[status]}
    return frozenset(moves | extra)


# Steps of a data subject request (AVG art. 16 and 17): in the report's history, whatever its
# status, so triagers see why contact details changed or are gone; they move no status.
SUBJECT_REQUEST_STEPS = frozenset({TriageStep.ERASE_CONTACT, TriageStep.RECTIFY_CONTACT})

TRIAGE_STEPS: dict[str, frozenset[str]] = {
    Status.NEW: _steps_from(Status.NEW, {TriageStep.LINK}),
    Status.IN_TRIAGE: _steps_from(Status.IN_TRIAGE, _EDITING_STEPS),
    Status.WAITING_FOR_REPORTER: _steps_from(Status.WAITING_FOR_REPORTER, _EDITING_STEPS),
    Status.FORWARDED: _steps_from(Status.FORWARDED, {TriageStep.LINK}),
    Status.CLOSED: frozenset(),
}


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


class ReportEvent(AppendOnlyModel):
    """One triage step on a report, appended by signals.services and never changed. Deleted
    only with its report (retention)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("melding")
    )
    step = models.CharField(_("stap"), max_length=20, choices=TriageStep.choices)
    from_status = models.CharField(
        _("van status"), max_length=20, choices=Report.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("naar status"), max_length=20, choices=Report.Status.choices, blank=True
    )
    # What the step changed, in words that stay true when a category or partner is renamed
    # or deleted later, e.g. "Overlast → Drugs".
    summary = models.CharField(_("wijziging"), max_length=300, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_name = models.CharField(_("door"), max_length=150, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("stap in de behandeling")
        verbose_name_plural = _("geschiedenis van meldingen")

    def __str__(self) -> str:
        return f"{self.report}: {self.get_step_display()}"


class ReportLink(models.Model):
    """Two reports of one municipality about the same address or subject. Stored once per
    pair, the lower id first."""

    class Reason(models.TextChoices):
        SAME_ADDRESS = "same_address", _("zelfde adres")
        SAME_SUBJECT = "same_subject", _("zelfde onderwerp")
        DUPLICATE = "duplicate", _("dubbele melding")

    first = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("koppeling tussen meldingen")
        verbose_name_plural = _("koppelingen tussen meldingen")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="signals_link_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="signals_link_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"

    def other(self, report: Report) -> Report:
        return self.second if self.first_id == report.pk else self.first
