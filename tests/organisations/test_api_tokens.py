"""API keys for machine clients: scope, expiry, revocation; no Basic authentication."""

import base64
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import openveiligheid
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.models import ApiToken
from openveiligheid.organisations.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_read_key_reads_with_the_users_scope(client, world):
    _token, key = create_api_token(
        user=world.users["council_member"], name="Dashboard", scope="read", days=30
    )
    response = client.get(reverse("plan-list"), **bearer(key))
    assert response.status_code == 200
    assert {plan["slug"] for plan in response.json()["results"]} == {"plan-a"}


def test_a_read_key_cannot_write(client, world):
    _token, key = create_api_token(
        user=world.users["programme_manager"], name="Lezer", scope="read", days=30
    )
    indicator = world.objects["a"]["indicator"]
    response = client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, "period": "2023", "value": "12"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Deze API-sleutel mag alleen lezen."
    assert not indicator.measurements.filter(period_start__year=2023).exists()


def test_a_write_key_writes(client, world):
    _token, key = create_api_token(
        user=world.users["programme_manager"], name="Koppeling", scope="write", days=30
    )
    indicator = world.objects["a"]["indicator"]
    response = client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, "period": "2023", "value": "12"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda token: None, None),
        (lambda token: token.delete(), "Deze API-sleutel is ongeldig of ingetrokken."),
        (lambda token: revoke_api_token(token), "Deze API-sleutel is ongeldig of ingetrokken."),
        (
            lambda token: ApiToken.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            ),
            "Deze API-sleutel is verlopen.",
        ),
    ],
)
def test_unusable_keys_get_401_with_a_dutch_message(client, world, spoil, message):
    token, key = create_api_token(
        user=world.users["council_member"], name="Test", scope="read", days=30
    )
    spoil(token)
    response = client.get(reverse("plan-list"), **bearer(key))
    if message is None:
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert response.json()["detail"] == message
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_key_and_no_credentials_get_401(client, world):
    assert client.get(reverse("plan-list"), **bearer("ov_verzonnen")).status_code == 401
    response = client.get(reverse("plan-list"))
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Log in of stuur een API-sleutel mee (Authorization: Bearer <sleutel>)."
    )


def test_basic_authentication_is_not_accepted(client, world):
    user = world.users["council_member"]
    credentials = base64.b64encode(f"{user.username}:geheim-wachtwoord-123".encode()).decode()
    response = client.get(reverse("plan-list"), HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 401


def test_only_a_hash_is_stored_and_the_change_log_holds_no_secret(world):
    token, key = create_api_token(
        user=world.users["council_member"], name="Test", scope="read", days=30
    )
    assert key.startswith("ov_") and key not in token.key_hash and len(key) > 40
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiToken), object_id=str(token.pk)
    )
    entry = entries.get(operation="create")
    assert "key_hash" not in entry.after and key not in str(entry.after)
    revoke_api_token(token)
    assert entries.filter(operation="update").exists()


@pytest.mark.parametrize(("scope", "days"), [("admin", 30), ("read", 0), ("read", 400)])
def test_scope_and_expiry_are_checked(world, scope, days):
    with pytest.raises(ValidationError):
        create_api_token(user=world.users["council_member"], name="x", scope=scope, days=days)


def test_commands_make_and_revoke_a_key(client, world, capsys):
    call_command("create-api-token", "council_member", "--name", "BI-tool", "--days", "10")
    key = capsys.readouterr().out.strip()
    assert client.get(reverse("plan-list"), **bearer(key)).status_code == 200
    call_command("revoke-api-token", key[3:11])
    assert client.get(reverse("plan-list"), **bearer(key)).status_code == 401


def test_a_key_never_begins_with_a_dash_so_the_revoke_command_can_take_it(
    world, monkeypatch, capsys
):
    draws = iter(["-starts-like-an-option", "Ab3-rest-of-the-secret"])
    monkeypatch.setattr("secrets.token_urlsafe", lambda nbytes: next(draws))
    call_command("create-api-token", "council_member", "--name", "BI-tool")
    key = capsys.readouterr().out.strip()
    assert key == "ov_Ab3-rest-of-the-secret"
    call_command("revoke-api-token", key)
    assert "is ingetrokken" in capsys.readouterr().out


def test_a_key_never_reaches_person_level_data(client, world):
    """A key is one factor: the meldpunt's reports and the audit trail need a session that passed
    the two-factor login, also for a user who may triage and for a write key."""
    _token, key = create_api_token(
        user=world.users["programme_manager"], name="Koppeling", scope="write", days=30
    )
    assert client.get(reverse("plan-list"), **bearer(key)).status_code == 200
    for url in (reverse("signal-report-list"), reverse("audit-entry-list")):
        response = client.get(url, **bearer(key))
        assert response.status_code == 403, url
        assert response.json()["detail"].startswith(
            "Een API-sleutel geeft geen toegang tot persoonsgegevens."
        )


def test_the_schema_offers_person_level_endpoints_to_the_session_only():
    schema = yaml.safe_load(
        (Path(openveiligheid.__file__).parent / "api" / "schema.yaml").read_text()
    )
    assert schema["paths"]["/api/v1/signal-reports/"]["get"]["security"] == [{"cookieAuth": []}]
    assert {"apiKey": []} in schema["paths"]["/api/v1/plans/"]["get"]["security"]
