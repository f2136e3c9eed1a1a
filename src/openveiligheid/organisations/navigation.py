"""Main menu entries of the organisations app (registered from OrganisationsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register
from openveiligheid.organisations.selectors import can_manage_members

register(
    MenuItem(
        label=_("Gebruikers en rollen"),
        url_name="organisations:home",
        order=800,
        section="organisations",
        condition=lambda request: can_manage_members(request.user),
    )
)
