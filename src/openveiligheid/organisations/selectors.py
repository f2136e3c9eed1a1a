"""Reads for the administration of an organisation's members (pages under /gebruikers/)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.logos import logo_record
from openveiligheid.organisations.models import Invitation, Membership, Organisation, Role
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import CHANGE, access_for

logger = logging.getLogger(__name__)


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    INVITED = "invited", _("Uitgenodigd")
    INVITATION_EXPIRED = "invitation_expired", _("Uitnodiging verlopen")
    DEACTIVATED = "deactivated", _("Gedeactiveerd")


def member_status(user, now=None) -> MemberStatus:
    """Active; invited (an open invitation, its link valid or expired); else deactivated."""
    if user.is_active:
        return MemberStatus.ACTIVE
    try:
        invitation = user.invitation
    except Invitation.DoesNotExist:
        return MemberStatus.DEACTIVATED
    if not invitation.is_open:
        return MemberStatus.DEACTIVATED
    valid_until = invitation.sent_at + timedelta(hours=settings.OPENVEILIGHEID_INVITATION_HOURS)
    if valid_until < (now or timezone.now()):
        return MemberStatus.INVITATION_EXPIRED
    return MemberStatus.INVITED


def can_manage_members(user) -> bool:
    """Whether the user manages the members of any organisation (the menu entry)."""
    access = access_for(user)
    return access is not None and access.has(Permission.MANAGE_MEMBERS)


def managed_organisations(user):
    """The organisations whose members the user manages: MANAGE_MEMBERS there (a superuser:
    all). Organisation is the scope itself, so this reads the user's access directly."""
    access = access_for(user)
    if access is None:
        return Organisation.objects.none()
    if access.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.orgs_with(Permission.MANAGE_MEMBERS))


@dataclass
class Member:
    user: object
    memberships: list
    status: MemberStatus

    @property
    def may_be_invited_again(self) -> bool:
        return self.status in (MemberStatus.INVITED, MemberStatus.INVITATION_EXPIRED) or (
            self.status == MemberStatus.DEACTIVATED and not self.user.has_usable_password()
        )


def members_of(organisation: Organisation, actor, *, user_id: int | None = None) -> list[Member]:
    """The users holding a role in ``organisation``, with their roles there, in three queries
    (users with their invitation, memberships with their roles). Memberships are read through
    restrict(actor, CHANGE): an actor who does not manage the organisation sees nobody."""
    memberships = (
        Membership.objects.restrict(actor, CHANGE)
        .filter(organisation=organisation)
        .select_related("role", "unit")
        .order_by("role__name", "pk")
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"))
        .select_related("invitation")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="roles_here"))
        .order_by("last_name", "first_name", "username")
    )
    if user_id is not None:
        users = users.filter(pk=user_id)
    now = timezone.now()
    return [Member(user, user.roles_here, member_status(user, now)) for user in users]


def roles_of(organisation: Organisation, actor):
    """The organisation's roles, through restrict(actor, CHANGE), with how many hold each."""
    return (
        Role.objects.restrict(actor, CHANGE)
        .filter(organisation=organisation)
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )


def roles_to_grant(organisation: Organisation, member: Member, actor):
    """The organisation's roles the member does not hold yet."""
    held = [membership.role_id for membership in member.memberships]
    return (
        Role.objects.restrict(actor, CHANGE).filter(organisation=organisation).exclude(pk__in=held)
    )


def logo_of(organisation: Organisation) -> dict | None:
    """The organisation's logo as documents carry it (organisations.logos.logo_record), or None
    without one. A stored file that cannot be read counts as no logo: a report still builds."""
    if not organisation.logo:
        return None
    try:
        with organisation.logo.open("rb") as stored:
            data = stored.read()
    except OSError:
        logger.warning("Logo of organisation %s cannot be read", organisation.pk)
        return None
    return logo_record(data)
