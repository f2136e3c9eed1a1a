"""Request bodies are refused before anything reads them: too large (413), or an upload from
someone who is not logged in (to the login page); nothing is parsed or written first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client, override_settings
from django.urls import reverse

from tests.permissions import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def parsing(monkeypatch):
    """Records whether a multipart body was parsed."""
    calls = []
    original = MultiPartParser.parse

    def parse(self):
        calls.append(True)
        return original(self)

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    return calls


def test_an_anonymous_upload_is_not_read(parsing):
    # With the CSRF check on, as in production: it reads the body to find the token.
    client = Client(enforce_csrf_checks=True)
    file = SimpleUploadedFile("cijfers.csv", b"a;b\n1;2\n" * 20_000, content_type="text/csv")
    response = client.post(reverse("imports:measurement-upload"), {"file": file})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert parsing == []


@override_settings(OPENVEILIGHEID_MAX_REQUEST_BYTES=1000)
def test_a_body_beyond_the_limit_is_refused_unread(client, world, parsing):
    login(client, world.users["programme_manager"])
    file = SimpleUploadedFile("cijfers.csv", b"x" * 5000, content_type="text/csv")
    response = client.post(reverse("imports:measurement-upload"), {"file": file})
    assert response.status_code == 413
    assert "te groot" in response.content.decode()
    assert parsing == []
    # Below the limit the same user's form posts are read as usual.
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 200


def test_a_logged_in_upload_is_read(client, world, parsing):
    login(client, world.users["programme_manager"])
    file = SimpleUploadedFile("cijfers.csv", b"a;b\n1;2\n", content_type="text/csv")
    client.post(reverse("imports:measurement-upload"), {"file": file})
    assert parsing == [True]
