"""Writes for organisations, memberships and roles."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, save_changes, save_new
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.models import ApiToken, Membership, Organisation, Role, Unit


@transaction.atomic
def upsert_organisation(*, kind: str, name: str, actor=None, **fields) -> Organisation:
    """Find an organisation by CBS code or slug and bring its fields up to date."""
    slug = fields.pop("slug", None) or slugify(name)[:100]
    cbs_code = fields.get("cbs_code")
    existing = (
        Organisation.objects.filter(cbs_code=cbs_code).first()
        if cbs_code
        else Organisation.objects.filter(slug=slug).first()
    )
    if existing is None:
        return save_new(Organisation(kind=kind, name=name, slug=slug, **fields), actor)
    return save_changes(existing, actor, kind=kind, name=name, **fields)


@transaction.atomic
def get_or_create_unit(organisation: Organisation, abbreviation: str, actor=None) -> Unit:
    unit, created = Unit.objects.get_or_create(
        organisation=organisation,
        name=abbreviation,
        defaults={"abbreviation": abbreviation},
    )
    if created:
        record_change(unit, actor, ChangeLogEntry.Operation.CREATE)
    return unit


def role_by_slug(slug: str) -> Role:
    """The role with this slug. Default roles come from a migration only: one that an
    administrator removed stays removed, and granting it is refused with a message."""
    role = Role.objects.filter(slug=slug).first()
    if role is None:
        raise ValidationError(
            {
                "role": _(
                    "De rol '%(slug)s' bestaat niet (meer). Een beheerder kan hem onder /beheer/ "
                    "opnieuw aanmaken."
                )
                % {"slug": slug}
            }
        )
    return role


@transaction.atomic
def grant_membership(*, user, organisation: Organisation, role_slug: str, actor=None) -> Membership:
    role = role_by_slug(role_slug)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        record_change(membership, actor, ChangeLogEntry.Operation.CREATE)
    return membership


@transaction.atomic
def ensure_user(*, username: str, password: str, full_name: str = "", email: str = ""):
    user_model = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email}
    )
    if created:
        user.set_password(password)
        user.save()
    return user


# --- API tokens ----------------------------------------------------------------------------------

API_TOKEN_PREFIX = "ov_"
API_TOKEN_MAX_DAYS = 366


def hash_api_key(key: str) -> str:
    # The key has 256 random bits, so a plain SHA-256 (not a slow password hash) cannot be
    # brute-forced, and authenticating a request costs microseconds instead of a password hash.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user, name: str, scope: str, days: int, actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the token and its key (shown once, never stored)."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError(
            {"scope": _("Kies als bereik 'read' (alleen lezen) of 'write' (lezen en schrijven).")}
        )
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "expires_at": _("Een API-sleutel is 1 tot %(max)d dagen geldig.")
                % {"max": API_TOKEN_MAX_DAYS}
            }
        )
    if not user.is_active:
        raise ValidationError(_("Een gedeactiveerde gebruiker krijgt geen API-sleutel."))
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip()[:100],
        prefix=key[len(API_TOKEN_PREFIX) : len(API_TOKEN_PREFIX) + 8],
        key_hash=hash_api_key(key),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    save_new(token, actor)
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        save_changes(token, actor, revoked_at=timezone.now())
    return token
