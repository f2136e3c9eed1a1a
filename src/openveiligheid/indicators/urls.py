from django.urls import path, re_path

from openveiligheid.indicators import views

app_name = "indicators"
urlpatterns = [
    path(
        "plannen/<slug:slug>/indicatoren/<slug:indicator_slug>/",
        views.detail,
        name="detail",
    ),
    path(
        "plannen/<slug:slug>/indicatoren/<slug:indicator_slug>/metingen/",
        views.add_measurement,
        name="add-measurement",
    ),
    path(
        "plannen/<slug:slug>/indicatoren/<slug:indicator_slug>/meldpunt/",
        views.signal_category,
        name="signal-category",
    ),
    path(
        "plannen/<slug:slug>/indicatoren/<slug:indicator_slug>/vergelijking/",
        views.comparison,
        name="comparison",
    ),
    re_path(
        r"^plannen/(?P<slug>[-a-zA-Z0-9_]+)/indicatoren/(?P<indicator_slug>[-a-zA-Z0-9_]+)"
        r"/download\.(?P<fmt>csv|xlsx)$",
        views.download,
        name="download",
    ),
]
