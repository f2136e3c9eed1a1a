"""The REST API: /api/v1/ (one router for every app's viewsets), the OpenAPI schema and its docs.

Each app keeps its serializers and viewsets in its own `api` package, built on the shared helpers of
`openveiligheid.core.api`; they are registered here so that the API has one root and one schema.
This is the only module that imports the apps' APIs: nothing imports `openveiligheid.api`."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from openveiligheid.actions.api.views import ActionPlanViewSet, ActionViewSet
from openveiligheid.core.api.not_found import not_found
from openveiligheid.indicators.api.views import (
    IndicatorViewSet,
    InterpretationViewSet,
    MeasurementViewSet,
)
from openveiligheid.organisations.api.views import OrganisationViewSet
from openveiligheid.plans.api.views import GoalViewSet, PlanViewSet, ThemeViewSet
from openveiligheid.privacy.api.views import AuditEntryViewSet
from openveiligheid.programme.api.views import ProgrammeViewSet
from openveiligheid.reports.api.views import ReportViewSet
from openveiligheid.signals.api.views import SignalReportViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("plans", PlanViewSet, basename="plan")
router.register("themes", ThemeViewSet, basename="theme")
router.register("goals", GoalViewSet, basename="goal")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("interpretations", InterpretationViewSet, basename="interpretation")
router.register("action-plans", ActionPlanViewSet, basename="action-plan")
router.register("actions", ActionViewSet, basename="action")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
router.register("reports", ReportViewSet, basename="report")
router.register("signal-reports", SignalReportViewSet, basename="signal-report")


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs need no inline script;
    # Swagger UI does set inline styles, which this page alone allows.
    path(
        "docs/",
        # A person who is not logged in is sent to the login page, not shown a bare 403.
        login_required(
            csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
                SpectacularSwaggerSplitView.as_view(url_name="api-schema")
            )
        ),
        name="api-docs",
    ),
    # Any character, also a line break: an address with one in it is no exception.
    re_path(r"^[\s\S]*/$", not_found),
]
