"""Repeated failed logins lock the account and the address out for a while (django-axes)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


def attempt(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_right_password_no_longer_works_after_too_many_wrong_ones(client):
    user = UserFactory(username="medewerker")
    for _ in range(2):
        assert attempt(client, user.username, "fout").status_code == 200
    response = attempt(client, user.username, "fout")
    assert response.status_code == 429
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "15 minuten" in response.content.decode()
    # Per account: from another address the account stays locked.
    assert attempt(Client(), user.username, PASSWORD, address="198.51.100.7").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_many_accounts_from_one_address_lock_that_address(client):
    UserFactory(username="iemand")
    for name in ("a", "b", "c"):
        attempt(client, name, "fout")
    assert attempt(client, "iemand", PASSWORD).status_code == 429
    # Another address can still log in to that account.
    assert attempt(Client(), "iemand", PASSWORD, address="198.51.100.8").status_code == 302


def test_a_good_login_works_and_resets_the_count(client):
    UserFactory(username="collega")
    for _ in range(3):
        attempt(client, "collega", "fout")
    assert attempt(client, "collega", PASSWORD).status_code == 302


def test_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_password("Kort-12345")
    assert any("12" in message for message in error.value.messages)
    validate_password("een-lang-wachtwoord-2026")
