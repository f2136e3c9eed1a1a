"""Errors are pages of the product: styled, in Dutch (and English), with a way back."""

import pytest
from django.test import Client
from django.utils import translation

from tests.permissions import login

pytestmark = pytest.mark.django_db


def test_not_found_is_a_styled_dutch_page_with_a_way_back(client, world):
    login(client, world.users["programme_manager"])
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert 'href="/"' in html and "Naar uw startpagina" in html
    assert "utrecht-page-header" in html and "Hoofdmenu" in html


def test_forbidden_is_a_styled_dutch_page_with_a_way_back(client, world):
    login(client, world.users["council_member"])
    response = client.get("/cijfers/importeren/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Geen toegang" in html and "Naar uw startpagina" in html
    assert "403 Forbidden" not in html


def test_error_pages_are_translated(client, world):
    login(client, world.users["programme_manager"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/bestaat-niet/").content.decode()
    assert "Page not found" in html and "To your start page" in html
    translation.activate("nl")


def test_server_error_page_needs_no_request_context():
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and 'href="/"' in html
    assert "site.css" in html


def test_refused_form_token_is_a_styled_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulier verlopen" in html and "Naar de startpagina" in html


def test_database_away_is_a_503_page_with_retry_after():
    from unittest import mock

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "een-sessie"
    refused = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(SessionStore, "load", side_effect=refused):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Even niet bereikbaar" in html and "Probeert u het over een minuut opnieuw." in html
    assert "site.css" in html


def test_other_faults_stay_a_500_and_a_lost_session_save_is_a_503():
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.db import OperationalError
    from django.test import RequestFactory

    from openveiligheid.core import errors

    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        assert errors.server_error(request).status_code == 500
    # As SessionMiddleware raises it when saving the session fails on the database.
    try:
        try:
            try:
                raise OperationalError("server closed the connection unexpectedly")
            except OperationalError:
                raise UpdateError from None
        except UpdateError as update_error:
            raise SessionInterrupted("session deleted") from update_error
    except SessionInterrupted as interrupted:
        response = errors.bad_request(request, interrupted)
    assert response.status_code == 503 and "Even niet bereikbaar" in response.content.decode()
    assert errors.bad_request(request, SessionInterrupted("deleted")).status_code == 400
