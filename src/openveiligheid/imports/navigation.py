"""Main menu entries of the imports app (registered from ImportsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register

register(
    MenuItem(
        label=_("Cijfers importeren"),
        url_name="imports:measurement-upload",
        order=500,
        section="imports",
    )
)
