"""Security headers on pages and on the API (listed in the README)."""

import re

import pytest

from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    organisation = OrganisationFactory(brand_colour="#004f9f")
    user = UserFactory()
    grant_membership(user=user, organisation=organisation, role_slug="programme_manager")
    client.force_login(user)
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
