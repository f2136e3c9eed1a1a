"""Organisation scoping: the one way every view, API endpoint and export limits what a user sees.

Every scoped model's queryset derives from `ScopedQuerySet` and is narrowed with
`Model.objects.restrict(user, "view" | "change")`. The rules:

- a membership grants its role's permissions in that organisation; for viewing, a membership of a
  municipality or partner also reaches the regions (samenwerkingsverbanden) it takes part in;
- without VIEW_UNPUBLISHED (council members, partner contacts) only published material is visible:
  adopted plans and what hangs under them;
- models add their own reach through `extra_scope` (an action lead's own actions, a partner's
  actions, a safety adviser's themes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from openveiligheid.organisations.permissions import Permission

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class OrganisationLabel:
    """What the page header shows of the user's organisation."""

    pk: int
    name: str
    brand_colour: str


@dataclass
class Access:
    user: object
    is_superuser: bool = False
    permissions: dict[int, frozenset[str]] = field(default_factory=dict)
    regions_of: dict[int, set[int]] = field(default_factory=dict)
    # The organisation of the first membership: the one named in the page header.
    primary_organisation: OrganisationLabel | None = None
    # Organisation.Kind per membership organisation: what a page may offer differs between a
    # municipality's staff and a partner's contact (only a municipality imports figures).
    kinds: dict[int, str] = field(default_factory=dict)

    def orgs_with(self, *codes: str, reach_regions: bool = False) -> set[int]:
        org_ids = {org for org, perms in self.permissions.items() if perms.intersection(codes)}
        if reach_regions:
            for org in list(org_ids):
                org_ids |= self.regions_of.get(org, set())
        return org_ids

    @property
    def member_orgs(self) -> set[int]:
        org_ids = set(self.permissions)
        for org in list(org_ids):
            org_ids |= self.regions_of.get(org, set())
        return org_ids

    @property
    def view_scope_key(self) -> str:
        """Equal for two users exactly when `restrict(user, VIEW)` gives them the same rows.

        Viewing depends on the permissions per organisation and the regions they reach, never on
        the user as a person (extra_scope reads access.user only for CHANGE), so pages built from
        VIEW-scoped reads alone can be cached per scope and shared by users with the same key.
        """
        permissions = sorted((org, sorted(perms)) for org, perms in self.permissions.items())
        regions = sorted((org, sorted(ids)) for org, ids in self.regions_of.items())
        text = f"{self.is_superuser}|{permissions}|{regions}"
        return hashlib.sha256(text.encode(), usedforsecurity=False).hexdigest()[:24]

    def has(self, code: str, organisation_id: int | None = None) -> bool:
        if self.is_superuser:
            return True
        if organisation_id is None:
            return any(code in perms for perms in self.permissions.values())
        return code in self.permissions.get(organisation_id, frozenset())

    def holds_any(self, *codes: str, kinds: tuple[str, ...] = ()) -> bool:
        """Whether one of the user's organisations (of one of ``kinds``, when given) grants one of
        ``codes``; without codes, whether the user is a member of such an organisation at all.
        Decided from the access alone, without a query (menus ask it on every page)."""
        if self.is_superuser:
            return True
        return any(
            (not codes or perms.intersection(codes)) and (not kinds or self.kinds.get(org) in kinds)
            for org, perms in self.permissions.items()
        )


# Per membership (a row per region its organisation takes part in): what access is built from.
MEMBERSHIP_COLUMNS = (
    "organisation",
    "organisation__name",
    "organisation__brand_colour",
    "role__permissions",
    "organisation__regions",
    "organisation__kind",
)


def build_access(user, membership_rows) -> Access:
    """The access of ``user`` from rows of MEMBERSHIP_COLUMNS, in membership order, and remember
    it on the user object for the rest of the request."""
    access = Access(user=user, is_superuser=user.is_superuser)
    grants: dict[int, set[str]] = {}
    for organisation_id, name, brand_colour, permissions, region_id, kind in membership_rows:
        if organisation_id is None:
            continue  # a user without memberships (the outer join of the login backend)
        access.kinds[organisation_id] = kind
        if access.primary_organisation is None:
            access.primary_organisation = OrganisationLabel(organisation_id, name, brand_colour)
        grants.setdefault(organisation_id, set()).update(permissions or [])
        if region_id is not None:
            access.regions_of.setdefault(organisation_id, set()).add(region_id)
    access.permissions = {org: frozenset(perms) for org, perms in grants.items()}
    user._openveiligheid_access = access
    return access


def access_for(user) -> Access | None:
    """The user's access, computed once per user object (one request). The login backend
    (organisations.backends) builds it with the user; otherwise it takes one query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_openveiligheid_access", None)
    if cached is not None:
        return cached
    from openveiligheid.organisations.models import Membership

    rows = Membership.objects.filter(user=user).order_by("id").values_list(*MEMBERSHIP_COLUMNS)
    return build_access(user, rows)


class ScopedQuerySet(models.QuerySet):
    """Subclasses name the path to the owning organisation and the published condition."""

    organisation_lookup: str = "owner"
    published_filter: dict = {}
    change_permissions: tuple[str, ...] = (Permission.MANAGE_PLAN,)
    # False where need-to-know holds for superusers too: they reach rows only through a
    # membership, like everyone else.
    superuser_reaches_all: bool = True

    def restrict(self, user, action: str = VIEW):
        access = access_for(user)
        if access is None:
            return self.none()
        if access.is_superuser and self.superuser_reaches_all:
            return self
        return self.filter(self.scope_q(access, action))

    def scope_q(self, access: Access, action: str) -> Q:
        lookup = f"{self.organisation_lookup}__in"
        if action == VIEW:
            q = Q(**{lookup: access.orgs_with(Permission.VIEW_UNPUBLISHED, reach_regions=True)})
            q |= Q(**{lookup: access.member_orgs}, **self.published_filter)
        else:
            q = Q(**{lookup: access.orgs_with(*self.change_permissions)})
        return q | self.extra_scope(access, action)

    def extra_scope(self, access: Access, action: str) -> Q:
        return Q(pk__in=[])


def can(user, action: str, instance: models.Model) -> bool:
    """Object-level check through the same scoping as lists."""
    return type(instance).objects.filter(pk=instance.pk).restrict(user, action).exists()


def get_scoped_object_or_404(queryset, user, action: str = VIEW, **lookup):
    """The object if the user may act on it: 404 when it is out of sight, 403 when it is visible
    but the user may not change it (so nobody learns of objects outside their scope)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    visible = queryset.restrict(user, VIEW)
    try:
        instance = visible.get(**lookup)
    except queryset.model.DoesNotExist as error:
        raise Http404 from error
    if action != VIEW and not can(user, action, instance):
        raise PermissionDenied
    return instance
