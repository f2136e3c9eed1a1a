"""Main menu entries of the dashboards app (registered from DashboardsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, StartSection, register, register_start_section
from openveiligheid.dashboards import views
from openveiligheid.dashboards.selectors import FIGURE_PERMISSIONS
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for


def sees_plans(request) -> bool:
    """Plans belong to municipalities and regions: a partner's contact sees none of them (only
    the actions given to the partner), unless the partner takes part in a region."""
    access = access_for(request.user)
    if access is None:
        return False
    owner_kinds = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)
    return access.holds_any(kinds=owner_kinds) or bool(access.regions_of)


register(
    MenuItem(label=_("Start"), url_name="home", order=100),
    MenuItem(
        label=_("Plannen"),
        url_name="dashboards:plan-list",
        order=150,
        section="dashboards",
        condition=sees_plans,
    ),
)


def answers_for_figures(request) -> bool:
    access = access_for(request.user)
    return access is not None and access.holds_any(*FIGURE_PERMISSIONS)


def advises_themes(request) -> bool:
    access = access_for(request.user)
    return access is not None and access.holds_any(Permission.RECORD_THEME_MEASUREMENTS)


register_start_section(
    StartSection(
        name="dashboards:themes",
        order=140,
        render=views.themes_section,
        condition=advises_themes,
    ),
    StartSection(
        name="dashboards:attention",
        order=250,
        render=views.attention_section,
        condition=answers_for_figures,
    ),
    StartSection(
        name="dashboards:plans", order=150, render=views.plans_section, condition=sees_plans
    ),
)
