"""Main menu entries of the actions app (registered from ActionsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register

register(MenuItem(label=_("Acties"), url_name="actions:list", order=200, section="actions"))
