"""Writes for organisations, memberships and roles."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, save_changes, save_new
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.models import Membership, Organisation, Role, Unit


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
