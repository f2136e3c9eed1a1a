"""Organisations (municipalities, regions, partners), their units, roles and memberships."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import ScopedQuerySet


def logo_storage():
    """Logos live on the private upload storage (STORAGES["uploads"]), never under the web root:
    documents carry them inline (organisations.logos)."""
    return storages["uploads"]


def logo_path(organisation, filename: str) -> str:
    return f"logos/{organisation.slug}-{filename}"


class Organisation(models.Model):
    """One table for every kind of organisation, so that owners, leads and partners are one key."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeente")
        REGION = "region", _("Samenwerkingsverband")
        PARTNER = "partner", _("Ketenpartner")

    class PartnerType(models.TextChoices):
        NONE = "", _("–")
        POLICE = "police", _("Politie")
        PUBLIC_PROSECUTOR = "public_prosecutor", _("Openbaar Ministerie")
        RIEC = "riec", _("RIEC")
        TAX = "tax", _("Belastingdienst")
        CARE_SAFETY_HOUSE = "care_safety_house", _("Zorg- en Veiligheidshuis")
        HOUSING = "housing", _("Woningcorporatie")
        YOUTH_WORK = "youth_work", _("Jongerenwerk")
        FIRE_BRIGADE = "fire_brigade", _("Brandweer")
        OTHER = "other", _("Overig")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, null=True, blank=True, help_text="GM0200"
    )
    partner_type = models.CharField(
        _("soort partner"), max_length=30, choices=PartnerType.choices, blank=True
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="regions",
        blank=True,
        verbose_name=_("deelnemende organisaties"),
        help_text=_("Voor een samenwerkingsverband: de gemeenten en partners die deelnemen."),
    )
    brand_colour = models.CharField(
        _("huiskleur"),
        max_length=7,
        default="#154273",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Geef een kleur als #RRGGBB, zoals #154273."))
        ],
    )
    aliases = models.JSONField(_("andere schrijfwijzen"), default=list, blank=True)
    # A PNG redrawn by organisations.logos (never the uploaded bytes themselves), named after its
    # hash; set and removed through organisations.services.change_house_style only.
    logo = models.FileField(
        _("logo"), storage=logo_storage, upload_to=logo_path, max_length=255, blank=True
    )
    logo_sha256 = models.CharField(_("controlegetal logo"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kind == self.Kind.MUNICIPALITY and not self.cbs_code:
            raise ValidationError({"cbs_code": _("Een gemeente heeft een CBS-code, zoals GM0200.")})


class Unit(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("naam"), max_length=200)
    abbreviation = models.CharField(_("afkorting"), max_length=40, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        unique_together = [("organisation", "name")]
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")

    def __str__(self) -> str:
        return f"{self.organisation} {self.abbreviation or self.name}"


class MemberAdministrationQuerySet(ScopedQuerySet):
    """Roles, memberships and invitations: who holds which role where is seen and changed only by
    those who manage the members of that organisation (MANAGE_MEMBERS there, not in its
    region)."""

    organisation_lookup = "organisation"
    change_permissions = (Permission.MANAGE_MEMBERS,)

    def scope_q(self, access, action):
        managed = access.orgs_with(*self.change_permissions)
        # No organisation at all matches nothing, like an empty IN (), but has SQL to print
        # (tests compare the SQL of users whose view scope keys are equal).
        return Q(organisation__in=managed) if managed else Q(organisation__isnull=True)


class Role(models.Model):
    """A set of permissions that an organisation grants through memberships. Each organisation
    has its own roles (the default ones of permissions.DEFAULT_ROLES, made with its first
    membership), so that its administrators can change them without touching another's."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("organisatie"),
    )
    slug = models.SlugField(max_length=50)
    name = models.CharField(_("naam"), max_length=100)
    permissions = models.JSONField(_("rechten"), default=list, blank=True)

    objects = MemberAdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="organisations_role_unique_slug"
            )
        ]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        unknown = set(self.permissions) - set(Permission.values)
        if unknown:
            raise ValidationError(
                {"permissions": _("Onbekende rechten: %s") % ", ".join(sorted(unknown))}
            )

    @property
    def permission_labels(self) -> list[str]:
        return [label for value, label in Permission.choices if value in self.permissions]


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    # RESTRICT: a role in use cannot be deleted, except with its organisation (which takes the
    # memberships along; PROTECT would refuse that too).
    role = models.ForeignKey(Role, on_delete=models.RESTRICT, related_name="memberships")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)

    objects = MemberAdministrationQuerySet.as_manager()

    class Meta:
        unique_together = [("user", "organisation", "role")]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} – {self.role} – {self.organisation}"


class Invitation(models.Model):
    """How a user came in: invited by e-mail by someone managing an organisation's members.

    The link in the e-mail carries a token (organisations.tokens), not stored here; it stops
    working once the password is set, when a new invitation is sent, and when it expires. Open
    means neither accepted nor withdrawn (a deactivation before acceptance withdraws it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    sent_at = models.DateTimeField(_("laatst verstuurd"))
    accepted_at = models.DateTimeField(_("aanvaard op"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = MemberAdministrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A machine client's key to the API: bound to a user (whose roles and organisations apply),
    limited to reading or allowed to write, and always with an expiry.

    Only a hash of the key is stored; the key itself is shown once, when it is made."""

    class Scope(models.TextChoices):
        READ = "read", _("alleen lezen")
        WRITE = "write", _("lezen en schrijven")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("bereik"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
