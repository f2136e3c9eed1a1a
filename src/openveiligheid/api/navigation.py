"""Main menu entries of the api app (registered from ApiConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register

register(MenuItem(label=_("API"), url_name="api-docs", order=900))
