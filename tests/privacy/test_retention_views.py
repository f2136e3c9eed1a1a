"""The retention periods page: permission matrix, a municipality's own periods through the
service (change log and audit trail), bad input refused in Dutch, scoping to the officer's own
organisations and the query count."""

import pytest
from django.urls import reverse
from django.utils import timezone

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.privacy.models import AuditEntry, DeletionRecord, RetentionKind, RetentionPeriod
from openveiligheid.privacy.retention import RetentionPolicy
from tests.permissions import assert_matrix, expect, login
from tests.privacy.factories import privacy_officer

pytestmark = pytest.mark.django_db

URL = reverse("privacy:retention-periods")
# Holders of VIEW_AUDIT: the privacy officer (made per test) and the administrator.
OFFICER_ONLY = expect(403, anonymous=302, administrator=200)

DEFAULTS = {
    "report_dismissed": "12",
    "report_handled": "24",
    "report_forwarded": "24",
    "report_case": "60",
    "attachment": "12",
}


@pytest.fixture
def officer(world):
    return privacy_officer(world.municipality_a)


def test_permission_matrix(client, world):
    assert_matrix(client, world, "GET", URL, OFFICER_ONLY)
    # A POST that changes nothing redirects for the administrator too.
    assert_matrix(
        client, world, "POST", URL, expect(403, anonymous=302, administrator=302), data=DEFAULTS
    )
    assert not RetentionPeriod.objects.exists()


def test_officer_sets_a_period_with_change_log_and_audit(client, world, officer):
    login(client, officer)
    response = client.post(URL, DEFAULTS | {"report_dismissed": "6"})

    assert response.status_code == 302
    period = RetentionPeriod.objects.get()
    assert (period.organisation, period.kind, period.months) == (
        world.municipality_a,
        RetentionKind.REPORT_DISMISSED,
        6,
    )
    assert RetentionPolicy().months(world.municipality_a.pk, "report_dismissed") == 6
    assert RetentionPolicy().months(world.municipality_b.pk, "report_dismissed") == 12
    changes = ChangeLogEntry.objects.filter(
        content_type__model="retentionperiod", object_id=str(period.pk)
    )
    assert changes.count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, actor=officer)
    assert entry.object_type == "privacy.retentionperiod"
    assert "6 maanden" in entry.purpose

    client.post(URL, DEFAULTS | {"report_dismissed": "9"})
    period.refresh_from_db()
    assert period.months == 9
    update = changes.get(operation=ChangeLogEntry.Operation.UPDATE)
    assert (update.before["months"], update.after["months"]) == (6, 9)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "ten minste 1 maand"),
        ("241", "hoogstens 240 maanden"),
        ("twaalf", "Vul een heel aantal maanden in."),
        ("", "Vul een bewaartermijn in maanden in."),
    ],
)
def test_bad_periods_are_refused_in_dutch(client, world, officer, value, message):
    login(client, officer)
    response = client.post(URL, DEFAULTS | {"attachment": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RetentionPeriod.objects.exists()


def test_another_municipality_is_out_of_reach(client, world, officer):
    login(client, officer)
    response = client.post(f"{URL}?organisatie={world.municipality_b.slug}", DEFAULTS)
    assert response.status_code == 404
    response = client.post(URL, DEFAULTS | {"organisatie": world.municipality_b.slug})
    assert response.status_code == 404


def test_page_shows_periods_and_deletions_in_few_queries(
    client, world, officer, django_assert_max_num_queries
):
    RetentionPeriod.objects.create(
        organisation=world.municipality_a, kind=RetentionKind.ATTACHMENT, months=3
    )
    for number in range(5):
        DeletionRecord.objects.create(
            object_type="signals.report",
            kind=RetentionKind.REPORT_DISMISSED,
            reference=f"MLD-TEST{number}",
            what="melding zonder vervolg",
            organisation=world.municipality_a,
            reason=DeletionRecord.Reason.RETENTION,
            period_months=12,
            deleted_at=timezone.now(),
        )
    DeletionRecord.objects.create(
        object_type="signals.report",
        reference="MLD-INB",
        what="melding",
        organisation=world.municipality_b,
        reason=DeletionRecord.Reason.RETENTION,
        deleted_at=timezone.now(),
    )
    login(client, officer)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    content = response.content.decode()
    assert 'value="3"' in content
    assert "MLD-TEST4" in content
    assert "MLD-INB" not in content
