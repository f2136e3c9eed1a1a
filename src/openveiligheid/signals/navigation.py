"""Main menu entry of the meldpunt: the reports, for those who may read them (VIEW_SIGNALS)."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for


def _reads_signals(request) -> bool:
    if not getattr(request.user, "is_authenticated", False):
        return False
    access = access_for(request.user)
    return access is not None and access.has(Permission.VIEW_SIGNALS)


register(
    MenuItem(
        label=_("Meldingen"),
        url_name="signals:staff-list",
        order=850,
        section="signals",
        condition=_reads_signals,
    )
)
