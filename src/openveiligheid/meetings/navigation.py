"""Main menu entries of the meetings app (registered from MeetingsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, StartSection, register, register_start_section
from openveiligheid.meetings import views
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for


def sees_meetings(request) -> bool:
    """Driehoek agendas are internal working documents (meetings.models): only members who see
    unpublished material have any."""
    access = access_for(request.user)
    return access is not None and access.holds_any(Permission.VIEW_UNPUBLISHED)


def prepares_meetings(request) -> bool:
    """Who puts actions on the agendas (meetings.models: the series' change permissions)."""
    access = access_for(request.user)
    return (
        access is not None
        and access.holds_any(Permission.VIEW_UNPUBLISHED)
        and access.holds_any(Permission.MANAGE_ACTIONS, Permission.MANAGE_PROGRAMME)
    )


register(
    MenuItem(
        label=_("Overleggen"),
        url_name="meetings:series-list",
        order=400,
        section="meetings",
        condition=sees_meetings,
    )
)
register_start_section(
    StartSection(
        name="meetings:upcoming",
        order=260,
        render=views.upcoming_section,
        condition=prepares_meetings,
    )
)
