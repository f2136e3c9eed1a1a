"""Reads of the meldpunt."""

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import VIEW, access_for
from openveiligheid.signals.models import Report


def signal_organisations(user) -> list[Organisation]:
    """The organisations whose reports `user` may read (VIEW_SIGNALS)."""
    access = access_for(user)
    if access is None:
        return []
    return list(Organisation.objects.filter(pk__in=access.orgs_with(Permission.VIEW_SIGNALS)))


def reports_for(user):
    return Report.objects.restrict(user, VIEW).select_related("category", "organisation")
