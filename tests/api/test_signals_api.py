"""API: the meldpunt's reports for triage - scoped reads, each in the audit trail, and the triage
steps through the same services (and messages) as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openveiligheid.privacy.models import AuditEntry
from openveiligheid.signals import services
from openveiligheid.signals.models import Report, ReportLink
from tests.organisations.factories import PartnerFactory
from tests.permissions import assert_matrix, expect, login
from tests.signals.factories import CategoryFactory, ReportFactory, contact_token, signal_reader

pytestmark = pytest.mark.django_db

LIST = reverse("signal-report-list")
# Programme managers of A read and triage A's reports; B's staff do not find them; the partner's
# contact and every other role of A are refused.
READ_LIST = expect(403, anonymous=401, programme_manager=200, other_municipality=200)
READ_A = expect(403, anonymous=401, programme_manager=200, other_municipality=404)


def detail(report):
    return reverse("signal-report-detail", args=[report.reference])


def attachment_url(report, attachment):
    return reverse("signal-report-attachment", args=[report.reference, attachment.pk])


PDF = b"%PDF-1.4\n" + b"0" * 100


def step(report, name):
    return reverse(f"signal-report-{name}", args=[report.reference])


@pytest.fixture
def manager(world):
    return world.users["programme_manager"]


@pytest.fixture
def report_a(world):
    return ReportFactory(organisation=world.municipality_a, postcode="1234AB", house_number="7")


@pytest.fixture
def with_attachment(world):
    return services.submit_report(
        organisation=world.municipality_a,
        data=services.ReportInput(
            category=CategoryFactory(organisation=world.municipality_a),
            description="Brief over de loods aan de haven.",
            location_description="Bij de loods",
        ),
        attachments=[SimpleUploadedFile("../brief.pdf", PDF, content_type="text/html")],
    )


def test_read_matrix(client, world, report_a):
    assert_matrix(client, world, "GET", LIST, READ_LIST)
    assert_matrix(client, world, "GET", detail(report_a), READ_A)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("take", {}),
        ("close", {"reason": "dismissed"}),
    ],
)
def test_step_matrix(client, world, report_a, name, body):
    assert_matrix(
        client,
        world,
        "POST",
        step(report_a, name),
        READ_A,
        data=body,
        content_type="application/json",
    )
    report_a.refresh_from_db()
    assert report_a.events.count() == 1


def test_list_and_filters(client, world, manager):
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    urgent = ReportFactory(organisation=world.municipality_a, category=drugs, priority="urgent")
    normal = ReportFactory(organisation=world.municipality_a)
    closed = ReportFactory(organisation=world.municipality_a, status=Report.Status.CLOSED)
    ReportFactory(organisation=world.municipality_b)
    login(client, manager)

    def references(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200, response.content
        return {row["reference"] for row in response.json()["results"]}

    assert references() == {urgent.reference, normal.reference}
    assert references(priority="urgent") == {urgent.reference}
    assert references(category=drugs.pk) == {urgent.reference}
    assert references(status="all") == {urgent.reference, normal.reference, closed.reference}
    assert references(status="closed") == {closed.reference}
    response = client.get(LIST, {"status": "weg"})
    assert response.status_code == 400
    assert "Onbekende waarde 'weg'" in response.json()["status"][0]
    assert client.get(LIST, {"category": "2²"}).status_code == 400


def test_list_query_count(client, world, manager, django_assert_max_num_queries):
    for _ in range(25):
        ReportFactory(organisation=world.municipality_a)
    login(client, manager)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_detail_shows_history_links_and_allowed_steps(client, world, manager, report_a):
    other = ReportFactory(organisation=world.municipality_a)
    login(client, manager)
    response = client.post(
        step(report_a, "take"), {"note": "Opgepakt"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    client.post(
        step(report_a, "link"),
        {"other": other.reference, "reason": "same_subject"},
        content_type="application/json",
    )
    data = client.get(detail(report_a)).json()
    assert data["status"] == "in_triage"
    assert data["allowed_steps"] == [
        "classify",
        "prioritise",
        "forward",
        "ask_reporter",
        "link",
        "close",
    ]
    assert [(e["step"], e["to_status"], e["note"]) for e in data["history"]] == [
        ("take", "in_triage", "Opgepakt"),
        ("link", None, ""),
    ]
    assert data["links"] == [{"reference": other.reference, "reason": "same_subject"}]
    assert data["is_anonymous"] is True
    assert "encrypted_contact" not in data


def test_every_step_through_the_api(client, world, manager, mailoutbox):
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    partner = PartnerFactory(name="RIEC Oost")
    login(client, manager)

    def post(name, body):
        response = client.post(step(report, name), body, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    post("take", {})
    assert post("classify", {"category": drugs.pk})["category_name"] == "Drugs"
    assert post("prioritise", {"priority": "high"})["priority"] == "high"
    assert post("ask-reporter", {"question": "Welke auto stond er?"})["status"] == (
        "waiting_for_reporter"
    )
    assert mailoutbox[0].to == ["jan@example.nl"]
    post("take", {"note": "Antwoord ontvangen"})
    forwarded = post("forward", {"partner": partner.pk, "note": "Per mail aan het RIEC"})
    assert (forwarded["status"], forwarded["forwarded_to_name"]) == ("forwarded", "RIEC Oost")
    closed = post("close", {"reason": "handled"})
    assert (closed["status"], closed["close_reason"], closed["allowed_steps"]) == (
        "closed",
        "handled",
        [],
    )


def test_errors_are_the_services_dutch_messages(client, world, manager, report_a):
    login(client, manager)
    response = client.post(
        step(report_a, "prioritise"), {"priority": "high"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "De stap 'prioriteit bepalen' is niet mogelijk bij een melding met status 'nieuw'."
    ]
    response = client.post(
        step(report_a, "close"), {"reason": "duplicate"}, content_type="application/json"
    )
    assert response.json()["reason"][0].startswith("Koppel een dubbele melding eerst")
    client.post(step(report_a, "take"), {}, content_type="application/json")
    response = client.post(
        step(report_a, "forward"),
        {"note": "Doorgegeven aan de politie"},
        content_type="application/json",
    )
    assert response.json() == {"partner": ["Kies de partner waaraan u de melding doorzet."]}
    response = client.post(
        step(report_a, "forward"),
        {"partner": world.municipality_b.pk, "note": "Doorgegeven aan gemeente B"},
        content_type="application/json",
    )
    assert response.json() == {
        "partner": ["U kunt een melding alleen doorzetten aan een ketenpartner."]
    }
    response = client.post(
        step(report_a, "classify"),
        {"category": CategoryFactory(organisation=world.municipality_b).pk},
        content_type="application/json",
    )
    assert response.json() == {"category": ["Kies een categorie van deze gemeente."]}
    report_b = ReportFactory(organisation=world.municipality_b)
    response = client.post(
        step(report_a, "link"),
        {"other": report_b.reference, "reason": "same_address"},
        content_type="application/json",
    )
    assert response.json() == {"other": ["Er is geen melding met dit kenmerk."]}
    assert not ReportLink.objects.exists()
    response = client.post(
        step(report_a, "ask-reporter"), {"question": "Wie?"}, content_type="application/json"
    )
    assert response.status_code == 400
    report_a.refresh_from_db()
    assert report_a.status == Report.Status.IN_TRIAGE


def test_every_read_is_audited(client, world, manager, report_a):
    login(client, manager)
    client.get(LIST)
    client.get(detail(report_a))
    entries = list(
        AuditEntry.objects.filter(actor_id=manager.pk)
        .order_by("sequence")
        .values_list("action", "object_id", "result")
    )
    assert entries == [("read", "", "allowed"), ("read", str(report_a.pk), "allowed")]
    other = world.users["other_municipality"]
    login(client, other)
    assert client.get(detail(report_a)).status_code == 404
    refused = AuditEntry.objects.get(actor_id=other.pk)
    assert (refused.result, refused.object_id) == ("refused", report_a.reference)
    adviser = world.users["safety_adviser"]
    login(client, adviser)
    assert client.get(LIST).status_code == 403
    assert AuditEntry.objects.get(actor_id=adviser.pk).result == "refused"


def test_attachment_matrix(client, world, with_attachment):
    """As the report's page: who reads the report downloads its attachments (the reader with
    VIEW_SIGNALS alone too); B's staff do not find it, the partner's contact is refused."""
    url = attachment_url(with_attachment, with_attachment.attachments.get())
    assert_matrix(client, world, "GET", url, READ_A)
    login(client, signal_reader(world.municipality_a))
    assert client.get(url).status_code == 200


def test_attachment_is_a_download_in_its_checked_type(client, world, manager, with_attachment):
    attachment = with_attachment.attachments.get()
    login(client, manager)
    response = client.get(attachment_url(with_attachment, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="brief.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    # Only under its own report, and only one that exists.
    other = ReportFactory(organisation=world.municipality_a)
    assert client.get(attachment_url(other, attachment)).status_code == 404
    missing = reverse("signal-report-attachment", args=[with_attachment.reference, 10**17])
    assert client.get(missing).status_code == 404


def test_detail_links_each_attachment_to_its_download(client, world, manager, with_attachment):
    attachment = with_attachment.attachments.get()
    login(client, manager)
    data = client.get(detail(with_attachment)).json()
    assert data["attachments"] == [
        {
            "id": attachment.pk,
            "name": "brief.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "download_url": "http://testserver" + attachment_url(with_attachment, attachment),
        }
    ]


def test_attachment_download_is_audited_as_on_the_page(client, world, manager, with_attachment):
    attachment = with_attachment.attachments.get()
    url = attachment_url(with_attachment, attachment)
    login(client, manager)
    client.get(url)
    entries = list(
        AuditEntry.objects.filter(actor_id=manager.pk).values_list(
            "action", "object_type", "object_id", "result"
        )
    )
    assert entries == [("read", "signals.attachment", str(attachment.pk), "allowed")]
    other = world.users["other_municipality"]
    login(client, other)
    assert client.get(url).status_code == 404
    refused = AuditEntry.objects.get(actor_id=other.pk)
    assert (refused.result, refused.object_id) == ("refused", with_attachment.reference)
    # A file gone from the storage is an error in the trail, not a broken response.
    attachment.file.storage.delete(attachment.file.name)
    login(client, manager)
    assert client.get(url).status_code == 404
    last = AuditEntry.objects.filter(actor_id=manager.pk).latest("sequence")
    assert (last.object_type, last.result) == ("signals.attachment", "error")
