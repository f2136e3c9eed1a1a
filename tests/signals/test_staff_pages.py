"""The staff's pages of the meldpunt: need-to-know access and an audit entry for every read."""

import pytest
from django.urls import reverse

from openveiligheid.privacy.models import AuditEntry
from tests.permissions import assert_matrix, expect, login
from tests.signals.factories import CategoryFactory, ReportFactory

LIST = reverse("signals:staff-list")

# Only programme managers hold VIEW_SIGNALS; administrators manage the product, not the reports.
LIST_MATRIX = expect(403, anonymous=302, programme_manager=200, other_municipality=200)
DETAIL_A_MATRIX = expect(403, anonymous=302, programme_manager=200, other_municipality=404)


@pytest.fixture
def report_a(world):
    return ReportFactory(organisation=world.municipality_a)


def test_permission_matrix_of_the_list(client, world, report_a):
    assert_matrix(client, world, "GET", LIST, LIST_MATRIX)


def test_permission_matrix_of_a_report(client, world, report_a):
    url = reverse("signals:staff-detail", kwargs={"reference": report_a.reference})
    assert_matrix(client, world, "GET", url, DETAIL_A_MATRIX)


def test_writes_are_not_allowed(client, world, report_a):
    login(client, world.users["programme_manager"])
    assert client.post(LIST).status_code == 405


def test_other_municipality_sees_only_its_own_reports(client, world, report_a):
    report_b = ReportFactory(organisation=world.municipality_b)
    login(client, world.users["other_municipality"])
    content = client.get(LIST).content.decode()
    assert report_b.reference in content
    assert report_a.reference not in content


def test_every_read_writes_an_audit_entry(client, world, report_a):
    manager = world.users["programme_manager"]
    login(client, manager)
    client.get(LIST)
    client.get(reverse("signals:staff-detail", kwargs={"reference": report_a.reference}))
    entries = list(
        AuditEntry.objects.filter(actor_id=manager.pk, object_type="signals.report").order_by(
            "sequence"
        )
    )
    assert [(e.action, e.result) for e in entries] == [
        (AuditEntry.Action.READ, AuditEntry.Result.ALLOWED),
        (AuditEntry.Action.READ, AuditEntry.Result.ALLOWED),
    ]
    assert entries[0].organisation_id == world.municipality_a.pk
    assert entries[1].object_id == str(report_a.pk)
    assert entries[1].object_repr == report_a.reference


def test_refused_reads_are_in_the_audit_trail(client, world, report_a):
    administrator = world.users["administrator"]
    login(client, administrator)
    client.get(LIST)
    client.get(reverse("signals:staff-detail", kwargs={"reference": report_a.reference}))
    results = list(
        AuditEntry.objects.filter(actor_id=administrator.pk, object_type="signals.report")
        .order_by("sequence")
        .values_list("result", flat=True)
    )
    assert results == [AuditEntry.Result.REFUSED, AuditEntry.Result.REFUSED]
    other = world.users["other_municipality"]
    login(client, other)
    client.get(reverse("signals:staff-detail", kwargs={"reference": report_a.reference}))
    refused = AuditEntry.objects.get(actor_id=other.pk, object_type="signals.report")
    assert (refused.result, refused.object_id) == (AuditEntry.Result.REFUSED, report_a.reference)


def test_markup_in_every_field_is_escaped(client, world):
    script = "<script>alert('x')</script>"
    category = CategoryFactory(organisation=world.municipality_a, slug="x", name=script)
    report = ReportFactory(
        organisation=world.municipality_a,
        category=category,
        description=script,
        location_description=script,
        house_number="1",
        postcode="1234AB",
    )
    report.attachments.create(
        original_name=script, content_type="image/png", size=10, file="signals/x.png"
    )
    login(client, world.users["programme_manager"])
    for url in (LIST, reverse("signals:staff-detail", kwargs={"reference": report.reference})):
        content = client.get(url).content.decode()
        assert script not in content
        assert "&lt;script&gt;" in content


def test_list_queries_do_not_grow_with_the_reports(client, world, django_assert_max_num_queries):
    for _ in range(20):
        ReportFactory(organisation=world.municipality_a)
    login(client, world.users["programme_manager"])
    # With the second factor's device, the filter's categories, the page's count and the counts
    # per category: a fixed number, whatever the number of reports.
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200


def test_menu_shows_reports_only_to_those_who_may_read_them(client, world):
    login(client, world.users["programme_manager"])
    assert LIST in client.get(reverse("home")).content.decode()
    login(client, world.users["administrator"])
    assert LIST not in client.get(reverse("home")).content.decode()
