"""The API's error answers in the OpenAPI schema, so that a client knows every status an operation
may give and the shape of its body (and the schemathesis test checks them like the others).

Every error has a `detail` message, except a 400 on the request's content, which gives the
messages per field (`non_field_errors` for the request as a whole), as DRF does."""

from __future__ import annotations

WRITE_METHODS = {"post", "put", "patch", "delete"}
ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}

COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "An error, with a message in the language of Accept-Language (nl, en).",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": (
            "Messages per field or query parameter; `non_field_errors` for the request as a "
            "whole; `detail` when the request could not be read."
        ),
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        },
    },
}


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(method: str, operation: dict) -> dict[str, dict]:
    """The error statuses `operation` may answer with, besides its successes."""
    writes = method in WRITE_METHODS
    parameters = operation.get("parameters", [])
    responses = {
        "401": _response("Not logged in, or an invalid or expired API key.", ERROR),
    }
    if writes or any(parameter["in"] == "query" for parameter in parameters):
        responses["400"] = _response("Invalid request: the messages per field.", FIELD_ERRORS)
    # organisations.api.authentication: the endpoints of person-level data refuse a key.
    key_refused = not any("apiKey" in requirement for requirement in operation.get("security", []))
    if key_refused:
        responses["403"] = _response(
            "Not allowed: an API key never reaches person-level data (use a session that passed "
            "the two-factor login), no CSRF token, or no right to this.",
            ERROR,
        )
    elif writes:
        responses["403"] = _response(
            "Not allowed: a read-only API key, no CSRF token, or no right to change this.", ERROR
        )
    if writes or any(parameter["in"] == "path" for parameter in parameters):
        responses["404"] = _response(
            "Not found, or outside what the user may see (the answer is the same).", ERROR
        )
    if writes:
        responses["412"] = _response(
            "If-Match does not name the current version (the ETag of a GET).", ERROR
        )
        responses["415"] = _response("A request body of a type the API does not read.", ERROR)
    responses["429"] = _response("Too many requests; see Retry-After.", ERROR)
    return responses


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status, response in error_responses(method, operation).items():
                responses.setdefault(status, response)
    return result


def leave_out_public_api(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: /api/public/ has a schema of its own (served there);
    the schema of /api/v1/ describes only the endpoints that need a login or an API key."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/api/public/")]
