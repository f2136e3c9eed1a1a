"""The audit trail: one service writes entries, nobody changes them, `audit verify` finds any
change or deletion made past the ORM."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import RequestFactory

from openveiligheid.core.models import AppendOnlyError
from openveiligheid.privacy.chain import entry_hash, verify_chain
from openveiligheid.privacy.models import AuditChainHead, AuditEntry
from openveiligheid.privacy.services import audited, record
from tests.organisations.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_entries(count=3, **fields):
    user = fields.pop("actor", None) or UserFactory(username="medewerker")
    return [
        record(
            action=AuditEntry.Action.READ,
            actor=user,
            object_type="signals.report",
            object_id=str(number),
            object_repr=f"Melding {number}",
            **fields,
        )
        for number in range(1, count + 1)
    ]


def test_entries_form_a_chain_of_hashes():
    first, second, third = make_entries()
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == ""
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert third.entry_hash == entry_hash(AuditEntry.objects.get(pk=third.pk))
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (3, third.entry_hash)
    assert verify_chain().intact


def test_audited_keeps_the_origin_of_the_request_and_the_owner_of_the_object():
    user = UserFactory(username="medewerker")
    organisation = OrganisationFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Testbrowser/1.0")
    request.user = user
    request.request_id = "abc123"
    entry = audited(
        request,
        AuditEntry.Action.EXPORT,
        organisation,
        purpose="Verzoek van betrokkene",
        result=AuditEntry.Result.REFUSED,
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == user and entry.actor_name == "medewerker"
    assert (entry.ip_address, entry.user_agent, entry.request_id) == (
        "192.0.2.44",
        "Testbrowser/1.0",
        "abc123",
    )
    assert entry.object_type == "organisations.organisation"
    assert entry.object_id == str(organisation.pk)
    assert entry.purpose == "Verzoek van betrokkene"
    assert entry.result == AuditEntry.Result.REFUSED


def test_the_orm_refuses_to_change_or_delete_an_entry():
    (entry,) = make_entries(1)
    entry.object_repr = "iets anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="iets anders")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "Melding 1"


def test_the_database_refuses_an_update():
    (entry,) = make_entries(1)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditentry SET object_repr = 'x' WHERE id = %s", [entry.pk])


def _drop_guard():
    """What someone with full database rights can do: remove the trigger first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "DROP TRIGGER IF EXISTS privacy_audit_entry_no_update ON privacy_auditentry"
            )
        else:
            cursor.execute("DROP TRIGGER IF EXISTS privacy_audit_entry_no_update")


def verify_output():
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    return str(error.value)


def test_verify_passes_an_intact_chain(capsys):
    make_entries(5)
    call_command("audit", "verify")
    assert "5 regels gecontroleerd" in capsys.readouterr().out


def test_verify_names_an_entry_changed_with_raw_sql():
    entries = make_entries(5)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_auditentry SET actor_name = 'iemand anders' WHERE id = %s",
            [entries[2].pk],
        )
    message = verify_output()
    assert "regel 3" in message and "inhoud gewijzigd" in message
    assert "2 regels ervoor zijn in orde" in message


def test_verify_names_a_rehashed_entry_without_the_key():
    """Changing an entry and storing a plain SHA-256 (no key) is still found."""
    import hashlib

    entries = make_entries(3)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_auditentry SET entry_hash = %s WHERE id = %s",
            [hashlib.sha256(b"forged").hexdigest(), entries[0].pk],
        )
    assert "regel 1" in verify_output()


def test_verify_names_an_entry_deleted_with_raw_sql():
    entries = make_entries(5)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [entries[1].pk])
    message = verify_output()
    assert "regel 2 ontbreekt" in message


def test_verify_names_entries_deleted_at_the_end():
    entries = make_entries(4)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [entries[3].pk])
    assert "regel 4" in verify_output()


def test_verify_finds_a_changed_time_even_with_the_chain_renumbered():
    entries = make_entries(2)
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_auditentry SET at = %s WHERE id = %s",
            ["2020-01-01 00:00:00", entries[0].pk],
        )
    assert "regel 1" in verify_output()


def test_the_key_is_needed_to_recompute_a_hash(settings):
    (entry,) = make_entries(1)
    settings.OPENVEILIGHEID_AUDIT_KEY = "een-andere-sleutel-" + "y" * 30
    assert entry_hash(entry) != entry.entry_hash
    assert not verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_chain():
    user = UserFactory(username="medewerker")
    errors = []

    def write(number):
        try:
            for index in range(5):
                record(
                    action=AuditEntry.Action.READ,
                    actor=user,
                    object_type="signals.report",
                    object_id=f"{number}-{index}",
                )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The test database on SQLite lives in memory with a shared cache, where a second writer
    # gets "table is locked" at once instead of waiting (a database file waits for its lock).
    # Whatever was written is one chain; on PostgreSQL every writer waits its turn.
    if connection.vendor == "postgresql":
        assert not errors
    assert all("locked" in str(error) for error in errors)
    report = verify_chain()
    assert report.intact
    assert report.checked == AuditEntry.objects.count() >= 5


def test_check_deploy_reports_a_missing_audit_key(tmp_path):
    import subprocess

    from tests.config.test_deployment import OPENVEILIGHEID, production_env

    env = production_env(tmp_path)
    env.pop("OPENVEILIGHEID_AUDIT_KEY")
    result = subprocess.run(
        [*OPENVEILIGHEID, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "OPENVEILIGHEID_AUDIT_KEY ontbreekt" in result.stdout + result.stderr
