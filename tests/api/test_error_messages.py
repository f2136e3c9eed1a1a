"""API errors speak the pages' Dutch (formal "u") and English on request (Accept-Language: en),
also where the message comes from DRF or Django rather than from a service."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from openveiligheid.core.api.messages import FIELD_MESSAGES
from tests.permissions import login

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.users["programme_manager"])
    return client


def detail(response, status: int) -> str:
    assert response.status_code == status, response.content
    return response.json()["detail"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Log in of stuur een API-sleutel mee (Authorization: Bearer <sleutel>)."),
        ("en", "Log in or send an API key (Authorization: Bearer <key>)."),
    ],
)
def test_not_authenticated(client, world, language, expected):
    response = client.get(reverse("plan-list"), HTTP_ACCEPT_LANGUAGE=language)
    assert detail(response, 401) == expected


@pytest.mark.parametrize(
    ("language", "not_found", "denied"),
    [
        (
            "nl",
            "Niet gevonden, of u heeft er geen toegang toe.",
            "U heeft geen toestemming voor deze handeling.",
        ),
        (
            "en",
            "Not found, or you have no access to it.",
            "You do not have permission for this action.",
        ),
    ],
)
def test_not_found_and_permission_denied(client, world, language, not_found, denied):
    login(client, world.users["council_member"])
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    # Django's get_object_or_404 says "No Action matches the given query." in any language.
    missing = client.get(reverse("action-detail", args=[999999]), **headers)
    assert detail(missing, 404) == not_found
    action = world.objects["a"]["action"]
    refused = client.patch(
        reverse("action-detail", args=[action.pk]),
        data={"subject": "Nieuw"},
        content_type="application/json",
        **headers,
    )
    assert detail(refused, 403) == denied


@pytest.mark.parametrize(
    ("language", "method", "media_type", "parse"),
    [
        (
            "nl",
            'De methode "DELETE" is hier niet toegestaan.',
            'Inhoud van het type "text/plain" wordt niet gelezen.',
            "De inhoud van het verzoek is onleesbaar; stuur geldige JSON.",
        ),
        (
            "en",
            'The method "DELETE" is not allowed here.',
            'Content of type "text/plain" is not read.',
            "The content of the request cannot be read; send valid JSON.",
        ),
    ],
)
def test_request_errors(api, world, language, method, media_type, parse):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    url = reverse("action-detail", args=[world.objects["a"]["action"].pk])
    assert detail(api.delete(url, **headers), 405) == method
    assert detail(api.patch(url, "x", content_type="text/plain", **headers), 415) == media_type
    # Python's JSON error ("Expecting property name ...") is not passed on.
    assert detail(api.patch(url, "{x", content_type="application/json", **headers), 400) == parse


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            {
                "required": "Dit veld is verplicht.",
                "boolean": "Geef true of false.",
                "missing": 'Er bestaat geen object met id "999999".',
                "list": 'Geef een lijst, geen "str".',
                "object": "Stuur een object met velden, geen list.",
            },
        ),
        (
            "en",
            {
                "required": "This field is required.",
                "boolean": "Send true or false.",
                "missing": 'No object with id "999999" exists.',
                "list": 'Send a list, not "str".',
                "object": "Send an object with fields, not list.",
            },
        ),
    ],
)
def test_validation_messages(api, world, language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    action = world.objects["a"]["action"]
    status = api.post(reverse("action-status", args=[action.pk]), {}, format="json", **headers)
    assert status.status_code == 400
    assert status.json() == {"status": [expected["required"]]}
    measurement = api.post(
        reverse("measurement-list"),
        {
            "indicator": world.objects["a"]["indicator"].pk,
            "period": "2024",
            "value": "1",
            "is_example_data": "misschien",
        },
        format="json",
        **headers,
    )
    assert measurement.json() == {"is_example_data": [expected["boolean"]]}
    url = reverse("action-detail", args=[action.pk])
    patched = api.patch(url, {"theme": 999999, "partners": "x"}, format="json", **headers)
    assert patched.json() == {"theme": [expected["missing"]], "partners": [expected["list"]]}
    not_an_object = api.patch(url, [1], format="json", **headers)
    assert not_an_object.json() == {"non_field_errors": [expected["object"]]}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Te veel verzoeken. Probeer het over 60 seconden opnieuw."),
        ("en", "Too many requests. Try again in 60 seconds."),
    ],
)
def test_throttled(api, world, monkeypatch, language, expected):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/minute"})
    api.get(reverse("plan-list"))
    assert detail(api.get(reverse("plan-list"), HTTP_ACCEPT_LANGUAGE=language), 429) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "De CSRF-controle is mislukt. Laad de pagina opnieuw en probeer het nog eens."),
        ("en", "The CSRF check failed. Reload the page and try again."),
    ],
)
def test_session_write_without_csrf_token(world, language, expected):
    browser = Client(enforce_csrf_checks=True)
    login(browser, world.users["programme_manager"])
    response = browser.patch(
        reverse("action-detail", args=[world.objects["a"]["action"].pk]),
        data={"subject": "Nieuw"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert detail(response, 403) == expected


def drf_classes(base):
    found, pending = [], [base]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("rest_framework."):
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found


def test_no_informal_dutch_in_any_default_message():
    messages = [
        str(message)
        for base in (fields.Field, relations.RelatedField, serializers.BaseSerializer)
        for cls in drf_classes(base)
        for message in cls.__dict__.get("default_error_messages", {}).values()
    ]
    messages += [str(cls.default_detail) for cls in drf_classes(exceptions.APIException)]
    assert messages
    assert [message for message in messages if INFORMAL.search(message)] == []


def test_the_replaced_field_messages_are_in_place():
    for base, replaced in FIELD_MESSAGES.items():
        for key, message in replaced.items():
            assert base.default_error_messages[key] is message, (base, key)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Niet gevonden, of u heeft er geen toegang toe."),
        ("en", "Not found, or you have no access to it."),
    ],
)
def test_an_address_under_api_that_names_nothing_is_a_json_404(client, world, language, expected):
    login(client, world.users["programme_manager"])
    for url in ("/api/v1/actions/1.5e-3/", "/api/v1/plans/caf%C3%A9/", "/api/v1/bestaat-niet/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response["Content-Type"] == "application/json", url
        assert detail(response, 404) == expected
    # Also a write, from a browser without a CSRF token: nothing to protect, so no CSRF page.
    browser = Client(enforce_csrf_checks=True)
    login(browser, world.users["programme_manager"])
    written = browser.patch("/api/v1/bestaat-niet/", data="{}", content_type="application/json")
    assert written["Content-Type"] == "application/json"
    assert written.status_code == 404
    # Without the closing slash Django still points to the address with it.
    assert client.get("/api/v1/plans").status_code == 301
