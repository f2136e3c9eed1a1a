"""The staff's triage pages: the queue, a report with its step forms, the contact details after a
stated purpose and attachment downloads; need-to-know access and an audit entry for each read."""

import pytest
from django.urls import reverse

from openveiligheid.privacy.models import AuditEntry
from openveiligheid.signals import services
from openveiligheid.signals.models import Report, ReportLink, TriageStep
from tests.permissions import assert_matrix, expect, login
from tests.signals.factories import (
    PNG,
    CategoryFactory,
    ReportFactory,
    contact_token,
    report_with_photo,
    signal_reader,
)

LIST = reverse("signals:staff-list")


# Programme managers read and triage; staff of municipality B find nothing of A (404); everyone
# else, the partner's contact too, is refused.
READ_A = expect(403, anonymous=302, programme_manager=200, other_municipality=404)


def step_url(report, step):
    return reverse("signals:triage-step", kwargs={"reference": report.reference, "step": step})


def detail_url(report):
    return reverse("signals:staff-detail", kwargs={"reference": report.reference})


@pytest.fixture
def manager(world):
    return world.users["programme_manager"]


@pytest.fixture
def report_a(world):
    return ReportFactory(organisation=world.municipality_a)


@pytest.fixture
def with_attachment(world):
    return report_with_photo(
        world.municipality_a, file_name="../../etc/auto.png", content_type="text/html"
    )


@pytest.fixture
def reader(world):
    return signal_reader(world.municipality_a)


def test_permission_matrix_of_the_step_forms(client, world, report_a):
    assert_matrix(
        client,
        world,
        "POST",
        step_url(report_a, TriageStep.TAKE),
        expect(403, anonymous=302, programme_manager=302, other_municipality=404),
        data={"take-note": ""},
    )
    report_a.refresh_from_db()
    assert report_a.status == Report.Status.IN_TRIAGE
    assert report_a.events.count() == 1


def test_a_subject_request_step_is_no_step_of_the_page(client, world, report_a):
    """Only the privacy officer's request changes contact details; the page offers no form."""
    login(client, world.users["programme_manager"])
    for step in (TriageStep.ERASE_CONTACT, TriageStep.RECTIFY_CONTACT):
        assert client.post(step_url(report_a, step), {}).status_code == 404
    assert not report_a.events.exists()


def test_permission_matrix_of_the_contact_details(client, world):
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    url = reverse("signals:reveal-contact", kwargs={"reference": report.reference})
    assert_matrix(client, world, "GET", url, READ_A)
    assert_matrix(
        client,
        world,
        "POST",
        url,
        READ_A,
        data={"purpose": "Melder terugbellen over de plek"},
    )


def test_permission_matrix_of_an_attachment(client, world, with_attachment):
    attachment = with_attachment.attachments.get()
    url = reverse(
        "signals:attachment",
        kwargs={"reference": with_attachment.reference, "attachment_id": attachment.pk},
    )
    assert_matrix(client, world, "GET", url, READ_A)


def test_queue_filters_and_counts(client, world, manager):
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    urgent = ReportFactory(organisation=world.municipality_a, category=drugs, priority="urgent")
    normal = ReportFactory(organisation=world.municipality_a)
    closed = ReportFactory(organisation=world.municipality_a, status=Report.Status.CLOSED)
    login(client, manager)
    content = client.get(LIST).content.decode()
    assert urgent.reference in content and normal.reference in content
    assert closed.reference not in content  # open reports by default
    content = client.get(LIST, {"prioriteit": "urgent"}).content.decode()
    assert urgent.reference in content and normal.reference not in content
    content = client.get(LIST, {"categorie": "Drugs"}).content.decode()
    assert urgent.reference in content and normal.reference not in content
    content = client.get(LIST, {"status": "alle"}).content.decode()
    assert closed.reference in content
    content = client.get(LIST, {"status": "closed"}).content.decode()
    assert closed.reference in content and normal.reference not in content
    response = client.get(LIST, {"status": "weg"})
    assert "Selecteer een geldige keuze" in response.content.decode()
    counts = response.context["counts"]
    assert [(row.category, row.counts["week"], row.open) for row in counts] == [
        ("Drugs", 1, 1),
        ("Overlast", 2, 1),
    ]


def test_queue_query_count_does_not_grow(client, world, manager, django_assert_max_num_queries):
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    for index in range(30):
        extra = {"category": drugs} if index % 2 else {}
        ReportFactory(organisation=world.municipality_a, **extra)
    login(client, manager)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200


def test_detail_offers_only_the_allowed_steps(client, world, manager, report_a):
    login(client, manager)
    forms = client.get(detail_url(report_a)).context["forms"]
    assert set(forms) == {TriageStep.TAKE, TriageStep.LINK, TriageStep.CLOSE}
    services.take_into_triage(report_a, actor=manager)
    forms = client.get(detail_url(report_a)).context["forms"]
    # An anonymous report: nobody to ask.
    assert set(forms) == {
        TriageStep.CLASSIFY,
        TriageStep.PRIORITISE,
        TriageStep.FORWARD,
        TriageStep.LINK,
        TriageStep.CLOSE,
    }
    services.close(report_a, reason="handled", actor=manager)
    response = client.get(detail_url(report_a))
    assert response.context["forms"] == {}
    assert "Behandelen" not in response.content.decode()


def test_a_reader_sees_no_forms_and_cannot_take_a_step(client, world, reader, report_a):
    login(client, reader)
    response = client.get(detail_url(report_a))
    assert response.status_code == 200
    assert response.context["forms"] == {}
    assert client.post(step_url(report_a, "close"), {"close-reason": "handled"}).status_code == 403
    refused = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, actor_id=reader.pk)
    assert refused.result == AuditEntry.Result.REFUSED
    report_a.refresh_from_db()
    assert report_a.status == Report.Status.NEW


def test_classify_forward_and_close_through_the_page(client, world, manager, report_a):
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    login(client, manager)
    client.post(step_url(report_a, "take"), {"take-note": ""})
    response = client.post(
        step_url(report_a, "classify"), {"classify-category": drugs.pk, "classify-note": ""}
    )
    assert response.status_code == 302
    response = client.post(
        step_url(report_a, "forward"),
        {"forward-destination": world.partner.pk, "forward-note": "Per mail aan de wijkagent"},
        follow=True,
    )
    assert "Het doorzetten is vastgelegd." in response.content.decode()
    client.post(step_url(report_a, "close"), {"close-reason": "handled", "close-note": ""})
    report_a.refresh_from_db()
    assert (report_a.category, report_a.status, report_a.forwarded_to) == (
        drugs,
        Report.Status.CLOSED,
        world.partner,
    )
    content = client.get(detail_url(report_a)).content.decode()
    assert "Overlast → Drugs" in content
    assert "Politie Oost" in content
    assert "afgehandeld" in content


def test_errors_show_on_the_page_in_dutch(client, world, manager, report_a):
    login(client, manager)
    response = client.post(step_url(report_a, "close"), {"close-reason": "duplicate"})
    assert response.status_code == 400
    assert "Koppel een dubbele melding eerst" in response.content.decode()
    response = client.post(
        step_url(report_a, "link"), {"link-other": "MLD-BESTAATNT", "link-reason": "same_address"}
    )
    assert response.status_code == 400
    assert "Er is geen melding met dit kenmerk." in response.content.decode()
    other_b = ReportFactory(organisation=world.municipality_b)
    response = client.post(
        step_url(report_a, "link"), {"link-other": other_b.reference, "link-reason": "same_address"}
    )
    # Municipality B's report is out of sight: as unknown as a reference that does not exist.
    assert "Er is geen melding met dit kenmerk." in response.content.decode()
    # A step the report does not allow (not yet in triage).
    response = client.post(
        step_url(report_a, "prioritise"), {"prioritise-priority": "high"}, follow=True
    )
    assert (
        "De stap &#x27;prioriteit bepalen&#x27; is niet mogelijk bij een melding met status "
        "&#x27;nieuw&#x27;." in response.content.decode()
    )
    assert client.post(step_url(report_a, "verwijderen"), {}).status_code == 404
    report_a.refresh_from_db()
    assert report_a.status == Report.Status.NEW


def test_link_through_the_page_and_suggestions(client, world, manager):
    report = ReportFactory(organisation=world.municipality_a, postcode="1234AB", house_number="5")
    neighbour = ReportFactory(
        organisation=world.municipality_a, postcode="1234AB", house_number="5"
    )
    login(client, manager)
    response = client.get(detail_url(report))
    assert [s.report for s in response.context["suggestions"]] == [neighbour]
    assert neighbour.reference in response.content.decode()
    client.post(
        step_url(report, "link"),
        {"link-other": neighbour.reference.lower(), "link-reason": "duplicate", "link-note": ""},
    )
    assert ReportLink.objects.filter(reason="duplicate").count() == 1
    response = client.get(detail_url(report))
    assert response.context["suggestions"] == []
    client.post(step_url(report, "close"), {"close-reason": "duplicate"})
    report.refresh_from_db()
    assert report.close_reason == Report.CloseReason.DUPLICATE


def test_ask_the_reporter_through_the_page(client, world, manager, mailoutbox):
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    login(client, manager)
    client.post(step_url(report, "take"), {})
    assert TriageStep.ASK_REPORTER in client.get(detail_url(report)).context["forms"]
    client.post(
        step_url(report, "ask_reporter"), {"ask_reporter-question": "Welk kenteken had de auto?"}
    )
    report.refresh_from_db()
    assert report.status == Report.Status.WAITING_FOR_REPORTER
    assert [m.to for m in mailoutbox] == [["jan@example.nl"]]


def test_contact_details_after_a_purpose(client, world, manager):
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    url = reverse("signals:reveal-contact", kwargs={"reference": report.reference})
    login(client, manager)
    response = client.get(url)
    assert "jan@example.nl" not in response.content.decode()
    response = client.post(url, {"purpose": "kort"})
    assert response.status_code == 400
    assert "ten minste 10 tekens" in response.content.decode()
    assert "jan@example.nl" not in response.content.decode()
    response = client.post(url, {"purpose": "Melder terugbellen over de plek"})
    content = response.content.decode()
    assert "Jan Jansen" in content and "jan@example.nl" in content
    assert response["Cache-Control"] == "no-store"
    reveal = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL, actor_id=manager.pk)
    assert reveal.purpose == "Melder terugbellen over de plek"
    anonymous = ReportFactory(organisation=world.municipality_a)
    assert (
        client.get(reverse("signals:reveal-contact", args=[anonymous.reference])).status_code == 404
    )


def test_attachment_is_a_download_from_private_storage(client, world, manager, with_attachment):
    attachment = with_attachment.attachments.get()
    url = reverse(
        "signals:attachment",
        kwargs={"reference": with_attachment.reference, "attachment_id": attachment.pk},
    )
    login(client, manager)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="auto.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    other = ReportFactory(organisation=world.municipality_a)
    wrong = reverse(
        "signals:attachment", kwargs={"reference": other.reference, "attachment_id": attachment.pk}
    )
    assert client.get(wrong).status_code == 404
    assert not attachment.file.url.startswith("/static/")


def test_every_read_of_a_report_and_an_attachment_is_audited(
    client, world, manager, with_attachment
):
    attachment = with_attachment.attachments.get()
    login(client, manager)
    client.get(LIST)
    client.get(detail_url(with_attachment))
    client.get(
        reverse(
            "signals:attachment",
            kwargs={"reference": with_attachment.reference, "attachment_id": attachment.pk},
        )
    )
    client.get(reverse("signals:reveal-contact", args=[with_attachment.reference]))
    client.post(step_url(with_attachment, "take"), {})
    entries = list(
        AuditEntry.objects.filter(actor_id=manager.pk)
        .order_by("sequence")
        .values_list("action", "object_type", "object_id")
    )
    report_id, attachment_id = str(with_attachment.pk), str(attachment.pk)
    assert entries == [
        ("read", "signals.report", ""),
        ("read", "signals.report", report_id),
        ("read", "signals.attachment", attachment_id),
        ("read", "signals.report", report_id),
        ("change", "signals.report", report_id),
    ]
    refused = world.users["other_municipality"]
    login(client, refused)
    client.get(
        reverse(
            "signals:attachment",
            kwargs={"reference": with_attachment.reference, "attachment_id": attachment.pk},
        )
    )
    entry = AuditEntry.objects.get(actor_id=refused.pk)
    assert (entry.result, entry.object_id) == ("refused", with_attachment.reference)


def test_markup_and_huge_input_in_the_steps(client, world, manager, report_a):
    script = "<script>alert('x')</script>"
    login(client, manager)
    client.post(step_url(report_a, "take"), {"take-note": script})
    content = client.get(detail_url(report_a)).content.decode()
    assert script not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    response = client.post(
        step_url(report_a, "prioritise"),
        {"prioritise-priority": "high", "prioritise-note": "x" * 5000},
    )
    assert response.status_code == 400
    assert "niet meer dan 2000 tekens" in response.content.decode()
    response = client.post(step_url(report_a, "prioritise"), {"prioritise-priority": script})
    assert response.status_code == 400
    assert script not in response.content.decode()
    report_a.refresh_from_db()
    assert report_a.priority == Report.Priority.NORMAL
    assert report_a.events.count() == 1
