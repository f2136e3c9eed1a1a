"""The public API has a schema of its own (/api/public/schema/); the authenticated API's schema
(/api/schema/, api/schema.yaml) leaves it out."""

PUBLIC_PREFIX = "/api/public/"


def only_public(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


def without_public(endpoints):
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(PUBLIC_PREFIX)]


def document_errors(result, generator, request, public):
    """Every public operation may answer 404 (an unknown or non-public municipality, plan or
    indicator) and 429 (too many requests); none needs credentials, so none answers 401."""
    error = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    result.setdefault("components", {}).setdefault("schemas", {})["PublicError"] = error
    reference = {"$ref": "#/components/schemas/PublicError"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "404",
                {
                    "description": "Not found, or not public (a concept plan, an unpublished "
                    "report).",
                    "content": {"application/json": {"schema": reference}},
                },
            )
            responses.setdefault(
                "429",
                {
                    "description": "Too many requests from this address; see Retry-After.",
                    "content": {"application/json": {"schema": reference}},
                },
            )
            operation["tags"] = ["public"]
    return result
