"""The audit trail of person-level data and the yearly access review.

An audit entry is written once (privacy.services.record) and never changed: save() refuses an
update, delete() refuses, the queryset refuses update() and delete(), and the database refuses an
UPDATE (and on PostgreSQL a DELETE) through a trigger. What someone with direct database access
could still do, the hash chain shows: every entry holds an HMAC over its own content and the
previous entry's hash (privacy.chain), and `openveiligheid audit verify` recomputes it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.models import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import VIEW, Access, ScopedQuerySet

# Matches no row, and, unlike an empty IN (...), can still be printed as SQL.
NO_ROWS = models.Q(pk__isnull=True)


def _organisation_q(access: Access, action: str, permission: str) -> models.Q:
    organisations = access.orgs_with(permission) if action == VIEW else set()
    return models.Q(organisation__in=organisations) if organisations else NO_ROWS


class PrivacyOfficerQuerySet(ScopedQuerySet):
    """Only privacy officers (VIEW_AUDIT) see these rows, of their own organisations; nobody
    changes them through a page."""

    organisation_lookup = "organisation"
    change_permissions = ()

    def scope_q(self, access: Access, action: str) -> models.Q:
        return _organisation_q(access, action, Permission.VIEW_AUDIT)


class AuditEntryQuerySet(AppendOnlyQuerySet, PrivacyOfficerQuerySet):
    def delete(self):
        raise AppendOnlyError("audit entries are never deleted")


class AuditEntry(AppendOnlyModel):
    class Action(models.TextChoices):
        READ = "read", _("inzien")
        CHANGE = "change", _("wijzigen")
        CREATE = "create", _("aanmaken")
        DELETE = "delete", _("verwijderen")
        EXPORT = "export", _("exporteren")
        REVEAL = "reveal", _("identiteit inzien")
        SIGN_OFF = "sign_off", _("aftekenen")

    class Result(models.TextChoices):
        ALLOWED = "allowed", _("toegestaan")
        REFUSED = "refused", _("geweigerd")
        ERROR = "error", _("fout")

    # Position in the chain: 1, 2, 3, ... without gaps, so a deleted entry shows as a gap.
    sequence = models.BigIntegerField(_("volgnummer"), unique=True, editable=False)
    at = models.DateTimeField(_("tijdstip"), db_index=True, editable=False)
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices)
    result = models.CharField(_("resultaat"), max_length=10, choices=Result.choices)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    # Plain references without a database constraint: the trail outlives users and
    # organisations, and deleting one must not change (and so break) an entry.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    actor_name = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=128, blank=True)
    purpose = models.TextField(_("doel"), blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["organisation", "-sequence"], name="privacy_audit_org_seq"),
            models.Index(fields=["object_type", "object_id"], name="privacy_audit_object"),
        ]
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()} {self.object_repr}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are never deleted")


class AuditChainHead(models.Model):
    """One row: the last entry of the chain. Writers lock it, so concurrent writers queue and
    form one chain, and `audit verify` checks that the last entry is the one recorded here."""

    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("einde van de audittrail")

    def __str__(self) -> str:
        return f"#{self.last_sequence}"


class AccessReview(models.Model):
    """The yearly sign-off of who could see what in an organisation, with what was signed."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="access_reviews",
        verbose_name=_("organisatie"),
    )
    year = models.PositiveIntegerField(_("jaar"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("afgetekend door"),
    )
    signed_at = models.DateTimeField(_("afgetekend op"))
    note = models.TextField(_("toelichting"), blank=True)
    # Who held which roles and permissions at the moment of signing: [{user, roles, permissions}]
    snapshot = models.JSONField(default=list)

    objects = PrivacyOfficerQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="privacy_one_access_review_per_year"
            )
        ]
        verbose_name = _("toegangsreview")
        verbose_name_plural = _("toegangsreviews")

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class IdentityQuerySet(ScopedQuerySet):
    """An identity belongs to the organisation that holds the data about the person. Nobody
    reads it through a queryset: privacy.services.reveal_identity decrypts it for a purpose."""

    organisation_lookup = "organisation"
    change_permissions = ()

    def scope_q(self, access: Access, action: str) -> models.Q:
        return _organisation_q(access, action, Permission.VIEW_IDENTITIES)


class Identity(models.Model):
    """A person behind a pseudonym. Reports and cases store only the pseudonym; the identifying
    data lives here, encrypted (privacy.identities), and is decrypted only by reveal_identity."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="identities",
        verbose_name=_("organisatie"),
    )
    pseudonym = models.CharField(_("pseudoniem"), max_length=64, unique=True, editable=False)
    # A Fernet token of the person's data (privacy.identities.IdentityData as JSON).
    encrypted_data = models.TextField(editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = IdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("identiteit")
        verbose_name_plural = _("identiteiten")

    def __str__(self) -> str:
        return _("Persoon %(pseudonym)s") % {"pseudonym": self.short_pseudonym}

    @property
    def short_pseudonym(self) -> str:
        return self.pseudonym[:12]


class RetentionKind(models.TextChoices):
    """What a retention period applies to. The apps holding the records (signals, later cases
    and the hub) register a retention provider for their kinds (privacy.retention)."""

    REPORT_DISMISSED = "report_dismissed", _("melding zonder vervolg")
    REPORT_HANDLED = "report_handled", _("afgehandelde melding")
    REPORT_FORWARDED = "report_forwarded", _("doorgezette melding")
    REPORT_CASE = "report_case", _("melding opgenomen in een casus")
    ATTACHMENT = "attachment", _("bijlage van een melding")


# The longest period a municipality may set: 20 years.
MAX_RETENTION_MONTHS = 240


class RetentionPeriod(models.Model):
    """A municipality's own retention period for one kind; without a row the default of
    OPENVEILIGHEID_RETENTION_MONTHS applies."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="retention_periods",
        verbose_name=_("organisatie"),
    )
    kind = models.CharField(_("soort"), max_length=40, choices=RetentionKind.choices)
    months = models.PositiveSmallIntegerField(_("bewaartermijn in maanden"))
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = PrivacyOfficerQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="privacy_one_retention_period_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=1, months__lte=MAX_RETENTION_MONTHS),
                name="privacy_retention_months_in_range",
            ),
        ]
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.months}"


class DeletionRecord(models.Model):
    """That something was deleted, when, why and under which period: metadata only. It names a
    record by its reference (a report's kenmerk), never by anything about a person, so it may be
    kept after the data itself is gone."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("bewaartermijn verstreken")
        ERASURE = "erasure", _("verzoek om verwijdering (AVG art. 17)")

    object_type = models.CharField(_("soort object"), max_length=100)
    kind = models.CharField(_("soort"), max_length=40, choices=RetentionKind.choices, blank=True)
    reference = models.CharField(_("referentie"), max_length=100)
    what = models.CharField(_("wat is verwijderd"), max_length=200)
    # Like the audit trail: the record outlives the organisation's other data.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    period_months = models.PositiveSmallIntegerField(
        _("bewaartermijn in maanden"), null=True, blank=True
    )
    counted_from = models.DateField(_("termijn geteld vanaf"), null=True, blank=True)
    subject_request = models.ForeignKey(
        "privacy.SubjectRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deletions",
        verbose_name=_("AVG-verzoek"),
    )
    deleted_at = models.DateTimeField(_("verwijderd op"), db_index=True)
    deleted_by_name = models.CharField(_("verwijderd door"), max_length=150, blank=True)

    objects = PrivacyOfficerQuerySet.as_manager()

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("verwijderingsregistratie")
        verbose_name_plural = _("verwijderingsregistraties")

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_reason_display()})"


class SubjectRequestQuerySet(ScopedQuerySet):
    """Requests of data subjects: read and handled by whoever may see identities (the privacy
    officer) in the organisation that received them."""

    organisation_lookup = "organisation"
    change_permissions = (Permission.VIEW_IDENTITIES,)

    def scope_q(self, access: Access, action: str) -> models.Q:
        organisations = access.orgs_with(Permission.VIEW_IDENTITIES)
        return models.Q(organisation__in=organisations) if organisations else NO_ROWS


class SubjectRequest(models.Model):
    """A request of a person about the data held on them (AVG art. 15, 16, 17). The person's
    name, e-mail address and phone number are the search terms, stored encrypted like an
    identity (privacy.identities)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("inzage (art. 15)")
        RECTIFICATION = "rectification", _("rectificatie (art. 16)")
        ERASURE = "erasure", _("verwijdering (art. 17)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("ontvangen")
        IN_PROGRESS = "in_progress", _("in behandeling")
        COMPLETED = "completed", _("afgehandeld")
        REFUSED = "refused", _("afgewezen")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="subject_requests",
        verbose_name=_("organisatie"),
    )
    kind = models.CharField(_("soort verzoek"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # A Fernet token of privacy.identities.IdentityData (name, email, phone).
    encrypted_terms = models.TextField(editable=False)
    received_on = models.DateField(_("ontvangen op"))
    deadline = models.DateField(_("uiterste datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("AVG-verzoek")
        verbose_name_plural = _("AVG-verzoeken")

    def __str__(self) -> str:
        return _("AVG-verzoek %(number)d") % {"number": self.pk or 0}

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)


class SubjectRequestEvent(AppendOnlyModel):
    """One step in a request's history; appended, never changed. Notes name records by their
    reference, never the person."""

    class Step(models.TextChoices):
        REGISTERED = "registered", _("geregistreerd")
        STATUS = "status", _("status gewijzigd")
        SEARCHED = "searched", _("gezocht")
        EXPORTED = "exported", _("geëxporteerd")
        RECTIFIED = "rectified", _("gerectificeerd")
        ERASED = "erased", _("verwijderd")
        ERASURE_REFUSED = "erasure_refused", _("verwijdering geweigerd")

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("verzoek")
    )
    at = models.DateTimeField(_("tijdstip"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    step = models.CharField(_("stap"), max_length=20, choices=Step.choices)
    from_status = models.CharField(_("van status"), max_length=20, blank=True)
    to_status = models.CharField(_("naar status"), max_length=20, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("stap in een AVG-verzoek")
        verbose_name_plural = _("stappen in AVG-verzoeken")

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def from_status_label(self) -> str:
        return SubjectRequest.Status(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return SubjectRequest.Status(self.to_status).label if self.to_status else ""
