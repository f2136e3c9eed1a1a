"""Passwords: at least 12 characters and not built on a breached or common one, checked offline
(organisations.passwords, README "Passwords")."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from openveiligheid.organisations.passwords import cores


@pytest.mark.parametrize(
    "password",
    [
        "qwerty123456",  # in Django's list as it is
        "Welkom2024!!",  # a common Dutch one with a year and signs
        "Password1234",
        "P@ssw0rd1234",  # letter swaps
        "qwertyqwerty",  # repetition
        "dragondragondragon",
        "!!Sunshine2025",
        "Zomer2025zomer2025",
        "Wachtwoord123",
        "Openveiligheid1",
        "123456789012",  # numeric and common
    ],
)
def test_common_and_padded_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_message_is_dutch(settings):
    with pytest.raises(ValidationError) as refused:
        validate_password("Welkom2024!!")
    assert any("veelgebruikt of gelekt wachtwoord" in message for message in refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "paarden eten graag appels",
        "k8#Lm2pQ9vXz",
        "een-lang-wachtwoord-2026",
        "Tram 7 naar de Uithof",
    ],
)
def test_long_uncommon_passwords_pass(password):
    validate_password(password)


def test_short_passwords_are_refused_whatever_they_are():
    with pytest.raises(ValidationError):
        validate_password("k8#Lm2pQ9v")


def test_cores_leave_out_fragments_too_short_to_judge():
    assert cores("ab12345678!!") == {"ab12345678!!"}
    assert "welkom" in cores("Welkom2024!!")
    assert "qwerty" in cores("QwertyQwerty")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("Bearer ov_verzonnen", "Deze API-sleutel is ongeldig of ingetrokken."),
        ("Basic Y291bmNpbDpmb3V0LXdhY2h0d29vcmQ=", "Authenticatiegegevens zijn niet opgegeven."),
    ],
)
def test_wrong_api_credentials_get_401_with_a_dutch_message(client, authorization, message):
    response = client.get("/api/v1/plans/", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert response.json()["detail"] == message
    assert response["WWW-Authenticate"].startswith("Bearer")
