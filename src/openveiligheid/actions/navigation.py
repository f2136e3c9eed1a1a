"""Main menu entries of the actions app (registered from ActionsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.actions import views
from openveiligheid.core.navigation import MenuItem, StartSection, register, register_start_section
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for

# Who has actions of their own to report on: action leads and advisers (their own actions),
# partner contacts (their organisation's).
OWN_ACTION_PERMISSIONS = (Permission.UPDATE_OWN_ACTIONS, Permission.UPDATE_PARTNER_ACTIONS)


def has_own_actions(request) -> bool:
    access = access_for(request.user)
    return access is not None and access.holds_any(*OWN_ACTION_PERMISSIONS)


def manages_actions(request) -> bool:
    access = access_for(request.user)
    return access is not None and access.holds_any(Permission.MANAGE_ACTIONS)


register(
    MenuItem(label=_("Mijn acties"), url_name="actions:mine", order=120, condition=has_own_actions),
    MenuItem(label=_("Acties"), url_name="actions:list", order=200, section="actions"),
)
register_start_section(
    StartSection(
        name="actions:mine", order=100, render=views.my_actions_section, condition=has_own_actions
    ),
    StartSection(
        name="actions:late",
        order=200,
        render=views.late_actions_section,
        condition=manages_actions,
    ),
)
