"""Anonymous requests reach nothing outside /api/public/ and the public pages: every other named
address of the site (found by walking the URL configuration, so a new one is checked without being
listed here) sends them to the login page or answers 401/403, to every method."""

import itertools

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from openveiligheid.signals.models import Report

pytestmark = pytest.mark.django_db

# Addresses meant for people who are not logged in, besides the public app's own: logging in and
# the steps around it, the language switch, the meldpunt, an invitation's link.
PUBLIC_NAMES = {
    "login",
    "logout",
    "set_language",
    "signals:report",
    "signals:receipt",
    "organisations:accept-invitation",
    # Single sign-on (off in the tests: these answer 404 until OIDC_RP_CLIENT_ID is set).
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "admin:login",
    "admin:logout",
}
PUBLIC_NAMESPACES = ("public:", "public-api:")
PUBLIC_API = "/api/public/"
SAMPLE_VALUES = ("1", "gemeente-a", "x", "csv", "auth")
API_METHODS = ("get", "post", "put", "patch", "delete")


def _named_patterns(resolver: URLResolver, namespace: str = "", groups: tuple = ()):
    """(qualified name, names of the route's parameters) of every named address."""
    for entry in resolver.url_patterns:
        inner_groups = groups + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner, inner_groups)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", inner_groups


def _sample_path(name: str, parameters: tuple) -> str | None:
    """An address of the name with sample values that its converters accept."""
    # A format suffix names a renderer: an unknown one would only give 404.
    choices = [("json",) if name == "format" else SAMPLE_VALUES for name in parameters]
    for values in itertools.product(*choices):
        try:
            return reverse(name, kwargs=dict(zip(parameters, values, strict=True)))
        except NoReverseMatch:
            continue
    return None


def _public(name: str, path: str) -> bool:
    return name in PUBLIC_NAMES or name.startswith(PUBLIC_NAMESPACES) or path.startswith(PUBLIC_API)


def test_every_other_address_needs_a_login(client, world):
    checked, failures = 0, []
    unreachable = []
    for name, parameters in _named_patterns(get_resolver()):
        path = _sample_path(name, parameters)
        if path is None:
            unreachable.append(name)
            continue
        if _public(name, path):
            continue
        methods = API_METHODS if path.startswith("/api/") else ("get", "post")
        for method in methods:
            response = getattr(client, method)(path)
            status = response.status_code
            to_login = status == 302 and (
                "/accounts/login/" in response["Location"]
                or "/beheer/login/" in response["Location"]
            )
            if not (to_login or status in (401, 403, 405)):
                failures.append(f"{name} {method.upper()} {path}: {status}")
            checked += 1
    assert checked > 100, checked
    assert not failures, "\n".join(failures)
    assert not unreachable, unreachable
    assert not Report.objects.exists()  # every empty POST was refused


def test_the_public_addresses_answer_without_login(client, world):
    for path in (
        "/openbaar/gemeente-a/",
        "/openbaar/gemeente-a/abonneren/",
        "/api/public/v1/gemeente-a/reports/",
        "/api/public/v1/gemeente-a/plans/",
        "/api/public/v1/gemeente-a/plans/plan-a/indicators/",
        "/api/public/v1/gemeente-a/plans/plan-a/indicators/inbraken-a.csv",
        "/api/public/v1/gemeente-a/plans/plan-a/indicators/inbraken-a.json",
        "/api/public/schema/",
        "/api/public/v1/meldpunt/gemeente-a/categories/",
    ):
        assert client.get(path).status_code == 200, path
