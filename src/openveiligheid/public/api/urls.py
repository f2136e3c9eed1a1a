"""/api/public/: the only endpoints that need no login. Read-only except the meldpunt's POST of
a report; every one throttled per client."""

from django.urls import include, path

urlpatterns: list = [
    # Published reports and open data per municipality, and the public schema.
    path("", include("openveiligheid.public.api.open_data_urls")),
]
