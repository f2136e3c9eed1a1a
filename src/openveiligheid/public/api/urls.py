"""/api/public/: the only endpoints that need no login. Read-only except the meldpunt's POST of
a report; every one throttled per client."""

from django.urls import include, path

from openveiligheid.public.api.schema import PublicSchemaView

urlpatterns: list = [
    path("schema/", PublicSchemaView.as_view(), name="public-api-schema"),
    path("meldpunt/", include("openveiligheid.public.api.meldpunt.urls")),
    # Published reports and open data per municipality.
    path("", include("openveiligheid.public.api.open_data_urls")),
]
