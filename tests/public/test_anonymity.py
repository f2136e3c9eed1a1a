"""Without login or API key, /api/public/ answers and nothing else under /api/ hands out data:
every route of /api/v1/ (found by walking the URL configuration, so a new one is checked
without being listed here) answers 401 or 403 to every method."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from openveiligheid.signals.models import Report

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
# The API's documentation (the shape of the endpoints, no data) is open to everyone.
OPEN_DOCUMENTATION = {"/api/schema/", "/api/docs/"}
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern.lstrip("^").removesuffix("\\Z").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + regex)
        elif isinstance(pattern, URLPattern):
            yield prefix + regex


def api_paths() -> set[str]:
    """Every address under /api/ with its path parameters filled in; not the format-suffix
    twins of the router's routes, nor the catch-all that answers 404."""
    paths = set()
    for route in _routes(get_resolver().url_patterns):
        if not route.startswith("api/") or "format" in route or ".*" in route:
            continue
        path = "/" + _GROUP.sub(
            lambda group: "meldstad" if group.group(1) == "municipality" else "1", route
        )
        paths.add(path.replace("\\", ""))
    return paths


def test_the_walk_finds_the_api(world):
    paths = api_paths()
    assert {"/api/v1/", "/api/v1/plans/", "/api/v1/plans/1/", "/api/v1/actions/1/status/"} <= paths
    assert "/api/public/meldpunt/meldstad/reports/" in paths
    assert len([path for path in paths if path.startswith("/api/v1/")]) > 20


def test_anonymous_requests_reach_only_the_public_api(world):
    from tests.organisations.factories import OrganisationFactory

    OrganisationFactory(slug="meldstad")
    client = APIClient()
    reachable = set()
    for path in sorted(api_paths()):
        for method in METHODS:
            response = getattr(client, method)(path, {}, format="json")
            if path.startswith("/api/v1/"):
                assert response.status_code in (401, 403), (method, path, response.status_code)
            elif response.status_code not in (401, 403, 404, 405):
                reachable.add(path)
    public = {path for path in reachable if path.startswith("/api/public/")}
    assert public >= {
        "/api/public/schema/",
        "/api/public/meldpunt/meldstad/categories/",
        "/api/public/meldpunt/meldstad/reports/",
    }
    assert reachable - public == OPEN_DOCUMENTATION
    assert not Report.objects.exists()  # the empty POST was refused
