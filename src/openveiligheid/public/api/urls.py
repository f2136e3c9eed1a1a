"""/api/public/: the only endpoints that need no login. Read-only except the meldpunt's POST of
a report; every one throttled per client."""

from django.urls import include, path, re_path

from openveiligheid.core.api.not_found import not_found
from openveiligheid.public.api.schema import PublicSchemaView

urlpatterns: list = [
    path("schema/", PublicSchemaView.as_view(), name="public-api-schema"),
    path("v1/meldpunt/", include("openveiligheid.public.api.meldpunt.urls")),
    # Published reports and open data per municipality.
    path("", include("openveiligheid.public.api.open_data_urls")),
    # Any other address, with or without a slash at the end: a JSON 404, not a redirect to the
    # address with a slash (which would be a 404 too) nor the HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
