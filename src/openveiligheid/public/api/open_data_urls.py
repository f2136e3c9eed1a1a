"""The open-data routes of /api/public/ (included from public/api/urls.py)."""

from django.urls import path

from openveiligheid.public.api import views

app_name = "public-api"
# The keys are slugs, but the routes take any text: a key that is no slug then gets the API's own
# JSON 404 from the view, not Django's HTML page for an address that matches no route.
PREFIX = "v1/<str:organisation>/"
urlpatterns = [
    path(PREFIX + "reports/", views.ReportList.as_view(), name="report-list"),
    path(PREFIX + "plans/", views.PlanList.as_view(), name="plan-list"),
    path(
        PREFIX + "plans/<str:plan>/indicators/",
        views.IndicatorList.as_view(),
        name="indicator-list",
    ),
    path(
        PREFIX + "plans/<str:plan>/indicators/<str:indicator>.json",
        views.IndicatorJSON.as_view(),
        name="indicator-json",
    ),
    path(
        PREFIX + "plans/<str:plan>/indicators/<str:indicator>.csv",
        views.IndicatorCSV.as_view(),
        name="indicator-csv",
    ),
]
