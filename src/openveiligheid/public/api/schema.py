"""The OpenAPI schema of /api/public/ alone, at /api/public/schema/: what a website or app of a
municipality needs, apart from the schema of /api/v1/ (which leaves /api/public/ out,
core.api.schema.leave_out_public_api)."""

from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from openveiligheid.core.api.schema import COMPONENTS, ERROR, FIELD_ERRORS, WRITE_METHODS
from openveiligheid.public.api.throttling import PublicRateThrottle


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_public_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers of the public endpoints, which
    need no login (so no 401 or 403)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            if method in WRITE_METHODS or any(p["in"] == "query" for p in parameters):
                responses.setdefault(
                    "400", _response("Invalid request: the messages per field.", FIELD_ERRORS)
                )
            if method in WRITE_METHODS:
                responses.setdefault(
                    "415", _response("A request body of a type the API does not read.", ERROR)
                )
            if any(parameter["in"] == "path" for parameter in parameters):
                responses.setdefault(
                    "404",
                    _response("No such municipality, plan or indicator, or not public.", ERROR),
                )
            responses.setdefault("429", _response("Too many requests; see Retry-After.", ERROR))
    return result


# Also what `make schema` writes the committed copy (public/api/schema.yaml) with.
PUBLIC_SCHEMA_SETTINGS = {
    "TITLE": "Open Veiligheid public API",
    "DESCRIPTION": (
        "The endpoints that need no login: the meldpunt of each municipality (its categories "
        "and filing a report), its published reports and the open data of its adopted plans' "
        "indicators (counts below a threshold suppressed). Every endpoint is throttled per "
        "client."
    ),
    "PREPROCESSING_HOOKS": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "openveiligheid.public.api.schema.document_public_errors",
    ],
}


class PublicSchemaView(SpectacularAPIView):
    urlconf = "openveiligheid.public.api.schema_urls"
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle,)
    throttle_scope = "public"
    custom_settings = PUBLIC_SCHEMA_SETTINGS
