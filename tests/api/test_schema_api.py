"""The OpenAPI schema and its documentation page (served without a CDN)."""

import json

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from tests.organisations.factories import UserFactory


@pytest.fixture
def client(client, db):
    """The schema and its documentation are for people who use the API: a login is needed."""
    client.force_login(UserFactory())
    return client


pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/organisations/",
    "/api/v1/plans/",
    "/api/v1/plans/{slug}/",
    "/api/v1/plans/{slug}/themes/",
    "/api/v1/themes/",
    "/api/v1/goals/",
    "/api/v1/indicators/",
    "/api/v1/indicators/{id}/",
    "/api/v1/measurements/",
    "/api/v1/interpretations/",
    "/api/v1/action-plans/",
    "/api/v1/actions/",
    "/api/v1/actions/{id}/",
    "/api/v1/actions/{id}/status/",
    "/api/v1/actions/{id}/progress/",
    "/api/v1/programmes/",
    "/api/v1/programmes/{id}/",
}


def test_schema_is_valid_openapi_3_yaml_and_json(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert set(schema["paths"]) >= EXPECTED_PATHS
    assert set(schema["paths"]["/api/v1/actions/{id}/"]) == {"get", "patch"}
    assert set(schema["paths"]["/api/v1/measurements/"]) == {"get", "post"}

    as_json = client.get(reverse("api-schema"), {"format": "json"})
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["paths"].keys() == schema["paths"].keys()


def test_docs_use_our_own_static_files_not_a_cdn(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower()


def test_schema_and_docs_need_a_login(db):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(reverse("api-schema")).status_code in (401, 403)
    docs = anonymous.get(reverse("api-docs"))
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
