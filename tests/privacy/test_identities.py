"""Identities behind pseudonyms: encrypted at rest, revealed only for a purpose to roles that
hold VIEW_IDENTITIES, every reveal audited; BSN checked with the elfproef."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from openveiligheid.privacy.identities import pseudonym_for, validate_bsn
from openveiligheid.privacy.models import AuditEntry, Identity
from openveiligheid.privacy.services import reveal_identity, store_identity
from tests.privacy.factories import privacy_officer

NAME = "Jan Testpersoon"
BSN = "111222333"  # passes the elfproef; generated, no real person
EMAIL = "jan.testpersoon@example.invalid"
PURPOSE = "Beoordeling melding 2026-0001"


@pytest.fixture
def officer(world):
    return privacy_officer(world.municipality_a)


@pytest.fixture
def identity(world):
    return store_identity(
        organisation=world.municipality_a,
        name=NAME,
        bsn=BSN,
        email=EMAIL,
        phone="06-12345678",
    )


@pytest.mark.parametrize("value", ["111222333", "1112 22 333", "12345672", "999999990"])
def test_valid_bsn(value):
    assert len(validate_bsn(value)) == 9


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("111222334", "Dit is geen geldig burgerservicenummer: het voldoet niet aan de elfproef."),
        ("000000000", "elfproef"),
        ("12345", "Een burgerservicenummer bestaat uit 9 cijfers."),
        ("12345678a", "Een burgerservicenummer bestaat uit 9 cijfers."),
    ],
)
def test_invalid_bsn_has_a_dutch_message(value, message):
    with pytest.raises(ValidationError) as error:
        validate_bsn(value)
    assert message in error.value.messages[0]


def test_store_refuses_a_wrong_bsn_and_stores_nothing(world):
    with pytest.raises(ValidationError) as error:
        store_identity(organisation=world.municipality_a, name=NAME, bsn="111222334")
    assert "elfproef" in str(error.value.message_dict["bsn"])
    assert not Identity.objects.exists()


def test_the_database_never_holds_the_plain_text(world, identity):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM privacy_identity")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM privacy_auditentry")
        rows += cursor.fetchall()
        cursor.execute("SELECT before, after, object_repr FROM core_changelogentry")
        rows += cursor.fetchall()
    text = repr(rows).lower()
    for secret in (NAME.lower(), "testpersoon", BSN, EMAIL, "12345678"):
        assert secret not in text


def test_pseudonym_is_keyed_stable_and_per_organisation(world, identity, settings):
    again = store_identity(organisation=world.municipality_a, name="jan  testpersoon", bsn=BSN)
    assert again.pk == identity.pk
    other = store_identity(organisation=world.municipality_b, name=NAME, bsn=BSN)
    assert other.pseudonym != identity.pseudonym
    assert len(identity.pseudonym) == 64
    data = reveal_identity(
        actor=privacy_officer(world.municipality_a), pseudonym=identity.pseudonym, purpose=PURPOSE
    )
    settings.OPENVEILIGHEID_PSEUDONYM_KEY = "een-andere-sleutel-" + "z" * 30
    assert pseudonym_for(world.municipality_a.pk, data) != identity.pseudonym


def test_same_name_and_birth_date_without_bsn_is_one_person(world):
    first = store_identity(
        organisation=world.municipality_a, name="Piet Proef", date_of_birth="1980-02-03"
    )
    second = store_identity(
        organisation=world.municipality_a,
        name="PIET PROEF",
        date_of_birth="1980-02-03",
        phone="0201234567",
    )
    assert first.pk == second.pk
    assert AuditEntry.objects.filter(action="change", object_id=str(first.pk)).exists()


def test_reveal_for_a_purpose_is_audited(world, identity, officer):
    data = reveal_identity(actor=officer, pseudonym=identity.pseudonym, purpose=PURPOSE)
    assert (data.name, data.bsn, data.email) == (NAME, BSN, EMAIL)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert entry.result == AuditEntry.Result.ALLOWED
    assert entry.purpose == PURPOSE
    assert entry.actor == officer
    assert entry.organisation == world.municipality_a
    assert NAME not in entry.object_repr


def test_reveal_needs_a_purpose(world, identity, officer):
    with pytest.raises(ValidationError) as error:
        reveal_identity(actor=officer, pseudonym=identity.pseudonym, purpose="  inzage ")
    assert "Geef aan waarvoor u deze gegevens inziet" in str(error.value)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()


@pytest.mark.parametrize(
    "role",
    [
        "administrator",
        "programme_manager",
        "safety_adviser",
        "action_lead",
        "partner_contact",
        "council_member",
        "other_municipality",
    ],
)
def test_reveal_is_refused_without_the_permission_and_the_refusal_audited(world, identity, role):
    with pytest.raises(PermissionDenied):
        reveal_identity(actor=world.users[role], pseudonym=identity.pseudonym, purpose=PURPOSE)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert entry.result == AuditEntry.Result.REFUSED
    assert entry.actor == world.users[role]


def test_an_officer_of_another_organisation_is_refused(world, identity):
    other_officer = privacy_officer(world.municipality_b, username="officer_b")
    with pytest.raises(PermissionDenied):
        reveal_identity(actor=other_officer, pseudonym=identity.pseudonym, purpose=PURPOSE)


def test_keys_can_be_rotated(world, identity, officer, settings):
    old_token = Identity.objects.get(pk=identity.pk).encrypted_data
    new_key = Fernet.generate_key().decode()
    settings.OPENVEILIGHEID_IDENTITY_KEYS = [new_key, *settings.OPENVEILIGHEID_IDENTITY_KEYS]
    call_command("identities", "rotate-keys")
    rotated = Identity.objects.get(pk=identity.pk).encrypted_data
    assert rotated != old_token
    settings.OPENVEILIGHEID_IDENTITY_KEYS = [new_key]
    data = reveal_identity(actor=officer, pseudonym=identity.pseudonym, purpose=PURPOSE)
    assert data.bsn == BSN
