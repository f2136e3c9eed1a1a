"""Security headers on pages and on the API (listed in the README)."""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    organisation = OrganisationFactory(brand_colour="#004f9f")
    user = UserFactory()
    grant_membership(user=user, organisation=organisation, role_slug="programme_manager")
    login(client, user)
    return user


def _policy(response) -> dict[str, str]:
    return {
        directive.split(" ", 1)[0]: directive.split(" ", 1)[1] if " " in directive else ""
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
        if directive
    }


@pytest.mark.parametrize("url", ["/accounts/login/", "/plannen/", "/api/v1/plans/"])
def test_every_response_carries_the_security_headers(client, member, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_brand_colour_is_a_style_element_with_the_responses_nonce(client, member):
    response = client.get("/plannen/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", _policy(response)["style-src"]).group(1)
    assert f'<style nonce="{nonce}">.ov-body {{ --ov-brand-color: #004f9f; }}</style>' in html
    assert 'style="' not in html


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_headers() -> dict[str, str]:
    """The README's table under "Response headers": header name -> its value cell."""
    section = README.read_text().split("## Response headers", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([A-Za-z-]+)` \| (.+?) \|$", section, re.MULTILINE))


def _directives(value: str) -> list[str]:
    """A header value as its sorted directives (django-csp keeps no order), without the
    per-response nonce, which only a page that uses it carries (the README writes 'nonce-…')."""
    value = re.sub(r" 'nonce-[^']+'", "", value)
    return sorted(part.strip() for part in value.split(";") if part.strip())


def assert_as_documented(response, documented: dict[str, str]) -> None:
    for name, cell in documented.items():
        assert name in response, f"{name} missing from {response.wsgi_request.path}"
        actual = response[name]
        exact = re.match(r"`([^`]+)`", cell)
        if exact:
            assert _directives(actual) == _directives(exact[1]), f"{name}: {actual!r}"
        else:
            # Permissions-Policy: every feature the README lists as denied is denied.
            assert all(part.strip().endswith("=()") for part in actual.split(",")), actual


def production_settings() -> dict:
    """The HSTS settings as production computes them (a separate process with its variables)."""
    from tests.config.test_deployment import production_env

    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD')}))"
    )
    with tempfile.TemporaryDirectory() as scratch:
        env = production_env(Path(scratch))
        env["DJANGO_SETTINGS_MODULE"] = "openveiligheid.config.settings"
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_readme_lists_the_headers_of_a_page_and_of_the_api(client, member, settings):
    documented = readme_headers()
    assert {"Content-Security-Policy", "Permissions-Policy", "Strict-Transport-Security"} <= set(
        documented
    )
    everywhere = {name: cell for name, cell in documented.items() if "production" not in cell}
    for url in ("/plannen/", "/api/v1/plans/"):
        assert_as_documented(client.get(url), everywhere)
    assert "'nonce-" in client.get("/plannen/")["Content-Security-Policy"]

    # HSTS only in production and over HTTPS: with production's values, on a secure request.
    for key, value in production_settings().items():
        setattr(settings, key, value)
    # A new client: the security middleware reads its settings when it is built.
    production = Client()
    login(production, member)
    hsts = {"Strict-Transport-Security": documented["Strict-Transport-Security"]}
    for url in ("/plannen/", "/api/v1/plans/"):
        assert_as_documented(production.get(url, secure=True), hsts)
    assert "Strict-Transport-Security" not in production.get("/plannen/")
