"""The privacy officer's pages: permission matrix, organisation scoping, search, audited CSV
export, and the access review's sign-off."""

import csv
import io

import pytest
from django.urls import reverse

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.privacy.models import AccessReview, AuditEntry
from openveiligheid.privacy.services import record
from tests.permissions import assert_matrix, expect, login
from tests.privacy.factories import audit_entries_of_two_municipalities, privacy_officer

# Beheerder holds VIEW_AUDIT (and the privacy officer, made per test); other roles do not.
OFFICER_ONLY = expect(403, anonymous=302, administrator=200)


@pytest.fixture
def officer(world):
    return privacy_officer(world.municipality_a)


@pytest.fixture
def entries(world):
    return audit_entries_of_two_municipalities(
        world, first_repr='=HYPERLINK("http://example.invalid")'
    )


@pytest.mark.parametrize(
    "name", ["privacy:audit-trail", "privacy:audit-export", "privacy:access-review"]
)
def test_permission_matrix(client, world, name):
    assert_matrix(client, world, "GET", reverse(name), OFFICER_ONLY)


def test_sign_off_matrix(client, world):
    data = {"year": "2025", "note": ""}
    # Each administrator's POST succeeds once (a redirect); a repeat would be a form error.
    assert_matrix(
        client,
        world,
        "POST",
        reverse("privacy:access-review"),
        expect(403, anonymous=302, administrator=302),
        data=data,
    )
    assert AccessReview.objects.count() == 1


def test_officer_sees_only_the_trail_of_their_own_organisation(
    client, world, officer, entries, django_assert_max_num_queries
):
    login(client, officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("privacy:audit-trail"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Triage" in content
    assert "MLD-BBBBBBBB" not in content


def test_search_by_actor_action_and_period(client, world, officer, entries):
    login(client, officer)
    record(
        action=AuditEntry.Action.EXPORT,
        actor=officer,
        object_type="signals.report",
        object_repr="Export van meldingen",
        organisation=world.municipality_a,
    )
    url = reverse("privacy:audit-trail")
    content = client.get(url, {"actor": "programme"}).content.decode()
    assert "Triage" in content and "Export van meldingen" not in content
    content = client.get(url, {"action": "export"}).content.decode()
    assert "Triage" not in content and "Export van meldingen" in content
    content = client.get(url, {"date_from": "2000-01-01", "date_until": "2000-12-31"})
    assert "Geen regels gevonden" in content.content.decode()
    response = client.get(url, {"date_from": "gisteren"})
    assert "Voer een geldige datum in." in response.content.decode()


def test_export_is_formula_safe_scoped_and_itself_audited(client, world, officer, entries):
    login(client, officer)
    response = client.get(reverse("privacy:audit-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Volgnummer"
    assert len(rows) == 2  # header and the one entry of municipality A
    assert rows[1][7] == '\'=HYPERLINK("http://example.invalid")'
    export = AuditEntry.objects.order_by("-sequence").first()
    assert export.action == AuditEntry.Action.EXPORT
    assert export.actor == officer
    assert export.organisation == world.municipality_a
    assert "1 regels" in export.object_repr


def test_access_review_lists_who_could_see_what(
    client, world, officer, django_assert_max_num_queries
):
    login(client, officer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("privacy:access-review"))
    content = response.content.decode()
    assert "programme_manager" in content
    assert "Plan, thema&#x27;s, doelen en indicatoren beheren" in content
    assert "other_municipality" not in content
    assert "council_member" in content and "Alleen gepubliceerde stukken" in content


def test_sign_off_is_stored_logged_and_audited(client, world, officer):
    login(client, officer)
    url = reverse("privacy:access-review")
    response = client.post(url, {"year": "2025", "note": "Twee accounts ingetrokken."})
    assert response.status_code == 302
    review = AccessReview.objects.get()
    assert (review.organisation, review.year, review.signed_by) == (
        world.municipality_a,
        2025,
        officer,
    )
    users = {row["user"] for row in review.snapshot}
    assert {"programme_manager", "privacy_officer"} <= users
    assert ChangeLogEntry.objects.filter(object_id=str(review.pk), operation="create").exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_OFF)
    assert entry.actor == officer and entry.purpose == "Twee accounts ingetrokken."
    assert entry.organisation == world.municipality_a
    again = client.post(url, {"year": "2025", "note": ""})
    assert "De toegang over 2025 is al afgetekend." in again.content.decode()
    future = client.post(url, {"year": "2999", "note": ""})
    assert "Kies een jaar tussen 2000 en" in future.content.decode()


def test_officer_cannot_pick_another_organisation(client, world, officer):
    login(client, officer)
    response = client.get(reverse("privacy:access-review"), {"organisatie": "gemeente-b"})
    assert response.status_code == 404


def test_menu_shows_the_trail_to_officers_only(client, world, officer):
    login(client, officer)
    menu_link = f'href="{reverse("privacy:audit-trail")}"'
    assert menu_link in client.get(reverse("home"), follow=True).content.decode()
    login(client, world.users["programme_manager"])
    assert menu_link not in client.get(reverse("home"), follow=True).content.decode()
