"""Main menu entries of the meetings app (registered from MeetingsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register

register(
    MenuItem(label=_("Overleggen"), url_name="meetings:series-list", order=400, section="meetings")
)
