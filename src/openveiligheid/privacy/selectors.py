"""Reads of the privacy app: who can see what in an organisation (the access review)."""

from __future__ import annotations

from dataclasses import dataclass, field

from openveiligheid.organisations.models import Membership
from openveiligheid.organisations.permissions import Permission


@dataclass
class MemberAccess:
    """One user of an organisation with every role and permission they hold there."""

    username: str
    full_name: str
    is_active: bool
    last_login: object
    roles: list[str] = field(default_factory=list)
    permission_codes: list[str] = field(default_factory=list)

    @property
    def permission_labels(self) -> list[str]:
        return [str(Permission(code).label) for code in self.permission_codes]


def access_overview(organisation) -> list[MemberAccess]:
    """Per user of the organisation (by username) the roles and the permissions they grant."""
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "role")
        .order_by("user__username", "role__name")
    )
    by_user: dict[int, MemberAccess] = {}
    for membership in memberships:
        user = membership.user
        row = by_user.get(user.pk)
        if row is None:
            row = by_user[user.pk] = MemberAccess(
                username=user.get_username(),
                full_name=user.get_full_name(),
                is_active=user.is_active,
                last_login=user.last_login,
            )
        row.roles.append(membership.role.name)
        codes = set(row.permission_codes) | set(membership.role.permissions)
        # In the order the product names them, unknown codes (left in a role's data) left out.
        row.permission_codes = [code for code in Permission.values if code in codes]
    return list(by_user.values())


def audit_organisations(user):
    """The organisations whose audit trail and access the user may see, by name."""
    from openveiligheid.organisations.models import Organisation
    from openveiligheid.organisations.scoping import access_for

    access = access_for(user)
    if access is None:
        return Organisation.objects.none()
    if access.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.orgs_with(Permission.VIEW_AUDIT))
