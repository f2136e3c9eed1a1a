from django.urls import path

from openveiligheid.public.api.meldpunt import views

urlpatterns = [
    path(
        "<slug:municipality>/categories/",
        views.CategoryListView.as_view(),
        name="public-meldpunt-categories",
    ),
    path(
        "<slug:municipality>/reports/",
        views.ReportCreateView.as_view(),
        name="public-meldpunt-reports",
    ),
]
