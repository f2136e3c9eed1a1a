"""The open-data routes of /api/public/ (included from public/api/urls.py)."""

from django.urls import path

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
]
