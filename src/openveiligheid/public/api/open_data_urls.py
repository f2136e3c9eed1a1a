"""The open-data routes of /api/public/ (included from public/api/urls.py) and the OpenAPI schema
of everything under /api/public/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from openveiligheid.public.api import views

app_name = "public-api"
PREFIX = "v1/<slug:organisation>/"
urlpatterns = [
    path(PREFIX + "reports/", views.ReportList.as_view(), name="report-list"),
    path(PREFIX + "plans/", views.PlanList.as_view(), name="plan-list"),
    path(
        PREFIX + "plans/<slug:plan>/indicators/",
        views.IndicatorList.as_view(),
        name="indicator-list",
    ),
    path(
        PREFIX + "plans/<slug:plan>/indicators/<slug:indicator>.json",
        views.IndicatorJSON.as_view(),
        name="indicator-json",
    ),
    path(
        PREFIX + "plans/<slug:plan>/indicators/<slug:indicator>.csv",
        views.IndicatorCSV.as_view(),
        name="indicator-csv",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            authentication_classes=[],
            permission_classes=[],
            custom_settings={
                "TITLE": "Open Veiligheid public API",
                "DESCRIPTION": (
                    "Without login: per municipality its published reports and the open data "
                    "of its adopted plans' indicators (counts below a threshold suppressed). "
                    "Read-only and throttled per client address."
                ),
                "PREPROCESSING_HOOKS": ["openveiligheid.public.api.schema.only_public"],
                "POSTPROCESSING_HOOKS": [
                    "drf_spectacular.hooks.postprocess_schema_enums",
                    "openveiligheid.public.api.schema.document_errors",
                ],
            },
        ),
        name="schema",
    ),
]
