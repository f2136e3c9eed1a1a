"""Main menu entries of the dashboards app (registered from DashboardsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register

register(MenuItem(label=_("Dashboard"), url_name="home", order=100))
