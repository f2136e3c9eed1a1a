"""The audit trail in the API: only privacy officers (VIEW_AUDIT) see entries, of their own
organisations, with the page's filters; invalid filters are a 400 in Dutch; read-only."""

import pytest
from django.urls import reverse

from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import record
from tests.permissions import API, assert_matrix, expect, login
from tests.privacy.factories import audit_entries_of_two_municipalities, privacy_officer

pytestmark = pytest.mark.django_db

LIST = reverse("audit-entry-list")


@pytest.fixture
def entries(world):
    return audit_entries_of_two_municipalities(world)


def sequences(response) -> list[int]:
    return [row["sequence"] for row in response.json()["results"]]


def test_list_matrix_and_scope(client, world, entries):
    # Everyone logged in gets a list; only holders of VIEW_AUDIT find entries in it.
    assert_matrix(client, world, "GET", LIST, API.any_user)
    a, b = entries
    for role in ("programme_manager", "partner_contact", "other_municipality", "council_member"):
        login(client, world.users[role])
        assert sequences(client.get(LIST)) == []
    login(client, world.users["administrator"])
    assert sequences(client.get(LIST)) == [a.sequence]


def test_detail_matrix(client, world, entries):
    a, b = entries
    url = reverse("audit-entry-detail", args=[a.sequence])
    assert_matrix(client, world, "GET", url, expect(404, anonymous=401, administrator=200))
    officer_b = privacy_officer(world.municipality_b, username="officer_b")
    login(client, officer_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("audit-entry-detail", args=[b.sequence])).json()["purpose"] == ""


def test_officer_filters_like_the_page(client, world, entries, django_assert_max_num_queries):
    officer = privacy_officer(world.municipality_a)
    a, _b = entries
    for number in range(5):
        record(
            action=AuditEntry.Action.EXPORT,
            actor=officer,
            object_type="privacy.auditentry",
            object_repr=f"Export {number}",
            organisation=world.municipality_a,
        )
    login(client, officer)
    with django_assert_max_num_queries(6):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(sequences(response)) == 6
    row = client.get(LIST, {"action": "read"}).json()["results"][0]
    assert row == row | {
        "sequence": a.sequence,
        "action": "read",
        "action_label": "inzien",
        "actor": "programme_manager",
        "object_type": "signals.report",
        "object_id": "7",
        "object_repr": "MLD-AAAAAAAA",
        "organisation": world.municipality_a.pk,
        "purpose": "Triage",
        "entry_hash": a.entry_hash,
    }
    assert sequences(client.get(LIST, {"object": "MLD-AAAA"})) == [a.sequence]
    assert sequences(client.get(LIST, {"actor": "programme"})) == [a.sequence]
    assert sequences(client.get(LIST, {"date_until": "2000-01-01"})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"action": "wissen"}, "action"), ({"date_from": "gisteren"}, "date_from")],
)
def test_invalid_filters_are_a_400(client, world, params, field):
    login(client, privacy_officer(world.municipality_a))
    response = client.get(LIST, params, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert field in response.json()


def test_read_only(client, world, entries):
    login(client, privacy_officer(world.municipality_a))
    assert client.post(LIST, {}, content_type="application/json").status_code == 405
    url = reverse("audit-entry-detail", args=[entries[0].sequence])
    assert client.delete(url).status_code == 405
