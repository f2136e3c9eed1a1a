"""Main menu entries of the privacy app: the audit trail (which links to the access review and
the retention periods), for privacy officers; the data subject requests, for those who may see
identities."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for


def _privacy_officer(request) -> bool:
    if not getattr(request.user, "is_authenticated", False):
        return False
    access = access_for(request.user)
    return access is not None and access.has(Permission.VIEW_AUDIT)


register(
    MenuItem(
        label=_("Audittrail"),
        url_name="privacy:audit-trail",
        order=900,
        section="privacy",
        condition=_privacy_officer,
    )
)


def _identity_officer(request) -> bool:
    if not getattr(request.user, "is_authenticated", False):
        return False
    access = access_for(request.user)
    return access is not None and access.has(Permission.VIEW_IDENTITIES)


register(
    MenuItem(
        label=_("AVG-verzoeken"),
        url_name="privacy:subject-requests",
        order=920,
        section="privacy",
        condition=_identity_officer,
    )
)
