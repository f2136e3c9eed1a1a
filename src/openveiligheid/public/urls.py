"""Pages without login: per municipality its published reports and open data."""

from django.urls import path

from openveiligheid.public import views

app_name = "public"
urlpatterns = [
    path("openbaar/<slug:slug>/", views.organisation_page, name="organisation"),
    path("openbaar/<slug:slug>/rapportages/<int:pk>/", views.report_page, name="report"),
    path(
        "openbaar/<slug:slug>/rapportages/<int:pk>/download.<str:output>",
        views.report_download,
        name="report-download",
    ),
    path("openbaar/<slug:slug>/abonneren/", views.subscribe, name="subscribe"),
    path("openbaar/<slug:slug>/abonneren/verstuurd/", views.subscribe_sent, name="subscribe-sent"),
    path("openbaar/<slug:slug>/abonnement/bevestigen/<str:token>/", views.confirm, name="confirm"),
    path(
        "openbaar/<slug:slug>/abonnement/afmelden/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
