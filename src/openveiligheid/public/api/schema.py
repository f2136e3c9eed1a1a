"""The public API has a schema of its own (/api/public/schema/); the authenticated API's schema
(/api/schema/, api/schema.yaml) leaves it out."""

PUBLIC_PREFIX = "/api/public/"


def only_public(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


def without_public(endpoints):
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(PUBLIC_PREFIX)]
