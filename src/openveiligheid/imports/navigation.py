"""Main menu entries of the imports app (registered from ImportsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openveiligheid.core.navigation import MenuItem, register
from openveiligheid.imports.plans.services import IMPORT_PERMISSIONS
from openveiligheid.imports.services import FIGURE_PERMISSIONS
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import access_for


def may_import_figures(request) -> bool:
    """The same rule as the upload page (imports.forms.import_organisations): figures are read in
    for a municipality, by whoever records its measurements or manages its plan."""
    access = access_for(request.user)
    return access is not None and access.holds_any(
        *FIGURE_PERMISSIONS, kinds=(Organisation.Kind.MUNICIPALITY,)
    )


def may_import_plans(request) -> bool:
    """The same rule as imports.plans.services.importable_organisations."""
    access = access_for(request.user)
    return access is not None and access.holds_any(
        *IMPORT_PERMISSIONS, kinds=(Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION)
    )


register(
    MenuItem(
        label=_("Cijfers inlezen"),
        url_name="imports:measurement-upload",
        order=500,
        section="imports",
        condition=may_import_figures,
    ),
    MenuItem(
        label=_("Plan inlezen"),
        url_name="plan_imports:upload",
        order=550,
        section="plan_imports",
        condition=may_import_plans,
    ),
)
