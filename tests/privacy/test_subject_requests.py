"""Data subject requests: registration, the search through the person-data providers (reports
by their decrypted contact details, identities), the PDF and JSON export, rectification,
erasure and its refusal, the status transitions with their history, the audit entries, the
permission matrix of every page and the query count of the list."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from openveiligheid.core.models import AppendOnlyError
from openveiligheid.organisations.services import grant_membership
from openveiligheid.privacy import subject_requests as services
from openveiligheid.privacy.identities import IdentityData, decrypt, encrypt
from openveiligheid.privacy.models import (
    AuditEntry,
    DeletionRecord,
    Identity,
    SubjectRequest,
    SubjectRequestEvent,
)
from openveiligheid.privacy.services import store_identity
from openveiligheid.signals.models import Attachment, Report, TriageStep, upload_storage
from tests.organisations.factories import UserFactory
from tests.permissions import assert_matrix, expect, login
from tests.privacy.factories import privacy_officer
from tests.signals.factories import ReportFactory

pytestmark = pytest.mark.django_db

# Only holders of VIEW_IDENTITIES (the privacy officer, made per test): not the administrator.
IDENTITY_OFFICER_ONLY = expect(403, anonymous=302)

JAN = IdentityData(name="Jan  de Vries", email="Jan@Example.org", phone="06-12345678")


@pytest.fixture
def officer(world):
    return privacy_officer(world.municipality_a)


def report_of(organisation, contact=JAN, **fields):
    return ReportFactory(
        organisation=organisation,
        encrypted_contact=encrypt(contact) if contact else "",
        **fields,
    )


@pytest.fixture
def held(world):
    """What municipality A (and B) hold: Jan's reports in several states, someone else's, and
    Jan's identity."""
    a = world.municipality_a
    open_report = report_of(a, description="Jan ziet elke avond handel bij de ingang.")
    closed = report_of(
        a,
        IdentityData(name="J. de Vries", email="", phone="+31 6 12345678"),
        status=Report.Status.CLOSED,
        close_reason=Report.CloseReason.DISMISSED,
        closed_at=timezone.now(),
    )
    attachment = Attachment(
        report=closed, original_name="foto.png", content_type="image/png", size=4
    )
    attachment.file.save("foto.png", ContentFile(b"\x89PNG"), save=False)
    attachment.save()
    in_case = report_of(
        a,
        IdentityData(name="jan de vries"),
        status=Report.Status.CLOSED,
        close_reason=Report.CloseReason.CASE,
        closed_at=timezone.now(),
    )
    someone_else = report_of(a, IdentityData(name="Piet Pietersen", email="piet@example.org"))
    anonymous = report_of(a, None)
    in_b = report_of(world.municipality_b)
    identity = store_identity(organisation=a, name="Jan de Vries", email="jan@example.org")
    return {
        "open": open_report,
        "closed": closed,
        "attachment": attachment,
        "case": in_case,
        "someone_else": someone_else,
        "anonymous": anonymous,
        "in_b": in_b,
        "identity": identity,
    }


def register(officer, organisation, kind=SubjectRequest.Kind.ACCESS, **terms):
    terms = terms or {"name": "Jan de Vries", "email": "jan@example.org", "phone": "0612345678"}
    return services.register_subject_request(
        actor=officer,
        organisation=organisation,
        kind=kind,
        received_on=date(2026, 1, 31),
        **terms,
    )


def test_register_sets_the_deadline_one_month_later_and_keeps_the_terms_encrypted(world, officer):
    subject_request = register(officer, world.municipality_a)

    assert subject_request.deadline == date(2026, 2, 28)
    assert subject_request.status == SubjectRequest.Status.RECEIVED
    assert "Vries" not in subject_request.encrypted_terms
    assert decrypt(subject_request.encrypted_terms).email == "jan@example.org"
    assert [event.step for event in subject_request.events.all()] == ["registered"]
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.CREATE, object_type="privacy.subjectrequest"
    )
    assert entry.actor == officer


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        ({}, "name", "Vul de naam, het e-mailadres of het telefoonnummer"),
        ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in."),
        ({"phone": "<script>"}, "phone", "Vul een telefoonnummer in"),
    ],
)
def test_register_refuses_bad_input_in_dutch(world, officer, terms, field, message):
    with pytest.raises(Exception) as raised:
        services.register_subject_request(
            actor=officer,
            organisation=world.municipality_a,
            kind="access",
            received_on=date(2026, 1, 1),
            name=terms.get("name", ""),
            email=terms.get("email", ""),
            phone=terms.get("phone", ""),
        )
    assert message in " ".join(raised.value.message_dict[field])
    assert not SubjectRequest.objects.exists()


def test_register_refuses_a_date_in_the_future(world, officer):
    with pytest.raises(Exception) as raised:
        services.register_subject_request(
            actor=officer,
            organisation=world.municipality_a,
            kind="access",
            received_on=timezone.localdate() + timedelta(days=1),
            name="Jan",
        )
    assert "toekomst" in raised.value.message_dict["received_on"][0]


def test_search_finds_every_record_on_the_person_and_nothing_else(world, officer, held):
    subject_request = register(officer, world.municipality_a)

    records = services.find_person_data(actor=officer, subject_request=subject_request)

    found = {(record.object_type, record.reference) for record in records}
    assert found == {
        ("signals.report", held["open"].reference),
        ("signals.report", held["closed"].reference),
        ("signals.report", held["case"].reference),
        ("privacy.identity", held["identity"].short_pseudonym),
    }
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, actor=officer)
    assert {(entry.object_type, entry.object_repr) for entry in reads} == found
    assert {entry.purpose for entry in reads} == {str(subject_request)}


def test_json_export_holds_everything_found(client, world, officer, held):
    subject_request = register(officer, world.municipality_a)
    login(client, officer)

    response = client.get(reverse("privacy:subject-request-json", args=[subject_request.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="avg-verzoek-{subject_request.pk}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    assert document["request"]["kind"] == "access"
    assert document["request"]["deadline"] == "2026-02-28"
    by_reference = {record["reference"]: record for record in document["records"]}
    report = by_reference[held["open"].reference]
    assert report["type"] == "signals.report"
    assert report["data"]["contact_email"] == "Jan@Example.org"
    assert report["data"]["description"] == "Jan ziet elke avond handel bij de ingang."
    assert by_reference[held["closed"].reference]["data"]["attachments"] == "foto.png (image/png)"
    assert (
        by_reference[held["closed"].reference]["data"]["retention"] == "12 maanden na het afsluiten"
    )
    assert report["data"]["retention"] == "Nog niet bepaald: de melding is in behandeling."
    assert by_reference[held["identity"].short_pseudonym]["data"]["name"] == "Jan de Vries"
    assert held["someone_else"].reference not in by_reference
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert export.object_id == str(subject_request.pk)
    assert subject_request.events.filter(step=SubjectRequestEvent.Step.EXPORTED).count() == 1


def test_pdf_export_holds_everything_found(client, world, officer, held):
    subject_request = register(officer, world.municipality_a)
    login(client, officer)

    response = client.get(reverse("privacy:subject-request-pdf", args=[subject_request.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Gegevens bij AVG-verzoek {subject_request.pk}" in text
    for report in (held["open"], held["closed"], held["case"]):
        assert f"Melding {report.reference}" in text
    assert "Jan ziet elke avond handel bij de ingang." in text
    assert "Jan@Example.org" in text
    assert held["someone_else"].reference not in text
    assert "Piet" not in text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_rectification_changes_the_contact_details(client, world, officer, held):
    subject_request = register(
        officer, world.municipality_a, kind=SubjectRequest.Kind.RECTIFICATION
    )
    login(client, officer)
    url = reverse("privacy:subject-request-rectify", args=[subject_request.pk])

    response = client.post(
        url,
        {
            "provider": "signals.report",
            "object_id": held["open"].pk,
            "name": "Jan de Vries",
            "email": "jan.devries@example.org",
            "phone": "",
        },
    )

    assert response.status_code == 302
    held["open"].refresh_from_db()
    assert decrypt(held["open"].encrypted_contact) == IdentityData(
        name="Jan de Vries", email="jan.devries@example.org", phone=""
    )
    subject_request.refresh_from_db()
    assert subject_request.status == SubjectRequest.Status.IN_PROGRESS
    assert [event.step for event in subject_request.events.all()] == [
        "registered",
        "status",
        "rectified",
    ]
    change = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, object_type="signals.report")
    assert change.object_repr == held["open"].reference

    # A bad address is refused in Dutch and changes nothing.
    response = client.post(
        url, {"provider": "signals.report", "object_id": held["open"].pk, "email": "<b>x"}
    )
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in." in response.content.decode()
    held["open"].refresh_from_db()
    assert decrypt(held["open"].encrypted_contact).email == "jan.devries@example.org"


def test_rectification_of_another_municipalitys_report_finds_nothing(world, officer, held):
    subject_request = register(
        officer, world.municipality_a, kind=SubjectRequest.Kind.RECTIFICATION
    )
    with pytest.raises(Exception) as raised:
        services.rectify_person_data(
            actor=officer,
            subject_request=subject_request,
            provider_key="signals.report",
            object_id=str(held["in_b"].pk),
            name="Iemand",
        )
    assert "bestaan niet" in " ".join(raised.value.messages)


def test_erasure_where_allowed_and_refused_for_a_case(client, world, officer, held):
    subject_request = register(officer, world.municipality_a, kind=SubjectRequest.Kind.ERASURE)
    login(client, officer)
    url = reverse("privacy:subject-request-erase", args=[subject_request.pk])
    file_name = held["attachment"].file.name

    # An open report keeps its content; the reporter's contact details go.
    assert (
        client.post(url, {"provider": "signals.report", "object_id": held["open"].pk}).status_code
        == 302
    )
    held["open"].refresh_from_db()
    assert held["open"].encrypted_contact == ""

    # A closed report goes whole, with its attachment's file.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"provider": "signals.report", "object_id": held["closed"].pk})
    assert response.status_code == 302
    assert not Report.objects.filter(pk=held["closed"].pk).exists()
    assert not upload_storage().exists(file_name)

    # A report taken up in a case stays, with the reason said in Dutch.
    response = client.post(url, {"provider": "signals.report", "object_id": held["case"].pk})
    assert response.status_code == 400
    assert "opgenomen in een casus" in response.content.decode()
    held["case"].refresh_from_db()
    assert held["case"].encrypted_contact != ""

    # The identity goes.
    identity_pk = held["identity"].pk
    response = client.post(url, {"provider": "privacy.identity", "object_id": identity_pk})
    assert response.status_code == 302
    assert not Identity.objects.filter(pk=identity_pk).exists()

    records = DeletionRecord.objects.filter(subject_request=subject_request).order_by("pk")
    assert [(r.reference, r.reason) for r in records] == [
        (held["open"].reference, "erasure"),
        (held["closed"].reference, "erasure"),
        (f"identiteit-{identity_pk}", "erasure"),
    ]
    for record in records:
        assert "Vries" not in record.reference + record.what
    steps = list(subject_request.events.values_list("step", flat=True))
    assert steps == ["registered", "status", "erased", "erased", "erasure_refused", "erased"]
    refused = AuditEntry.objects.get(
        action=AuditEntry.Action.DELETE, result=AuditEntry.Result.REFUSED
    )
    assert refused.object_id == str(held["case"].pk)
    assert "casus" in refused.purpose
    deletes = AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, result=AuditEntry.Result.ALLOWED
    )
    assert deletes.count() == 3


def test_the_reports_history_says_which_request_changed_the_contact_details(
    client, world, officer, held
):
    """Triagers see why contact details changed or are gone: a step in the report's own history
    names the request, repeats none of the data and moves no status."""
    rectification = register(officer, world.municipality_a, kind=SubjectRequest.Kind.RECTIFICATION)
    services.rectify_person_data(
        actor=officer,
        subject_request=rectification,
        provider_key="signals.report",
        object_id=str(held["open"].pk),
        name="Jan de Vries",
        email="jan.devries@example.org",
    )
    erasure = register(officer, world.municipality_a, kind=SubjectRequest.Kind.ERASURE)
    services.erase_person_data(
        actor=officer,
        subject_request=erasure,
        provider_key="signals.report",
        object_id=str(held["open"].pk),
    )

    held["open"].refresh_from_db()
    assert held["open"].status == Report.Status.NEW
    events = list(held["open"].events.order_by("at", "pk"))
    assert [
        (event.step, event.get_step_display(), event.summary, event.from_status, event.to_status)
        for event in events
    ] == [
        (
            TriageStep.RECTIFY_CONTACT,
            "persoonsgegevens gecorrigeerd",
            f"op grond van AVG-verzoek {rectification.pk}",
            "",
            "",
        ),
        (
            TriageStep.ERASE_CONTACT,
            "persoonsgegevens gewist",
            f"op grond van AVG-verzoek {erasure.pk}",
            "",
            "",
        ),
    ]
    for event in events:
        assert (event.actor, event.actor_name, event.note) == (officer, officer.username, "")
    # The request's service writes the audit entry of each change; the history adds none.
    assert list(
        AuditEntry.objects.filter(object_type="signals.report", object_id=str(held["open"].pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    ) == [AuditEntry.Action.CHANGE, AuditEntry.Action.DELETE]

    # The triager reads the step on the report's page; no trace of the erased details there.
    login(client, world.users["programme_manager"])
    content = client.get(
        reverse("signals:staff-detail", args=[held["open"].reference])
    ).content.decode()
    assert f"op grond van AVG-verzoek {erasure.pk}" in content
    assert "persoonsgegevens gewist" in content
    assert "devries" not in content and "Vries" not in content


def test_rectify_and_erase_only_for_their_own_kind_of_request(world, officer, held):
    access_request = register(officer, world.municipality_a)
    with pytest.raises(Exception) as raised:
        services.erase_person_data(
            actor=officer,
            subject_request=access_request,
            provider_key="signals.report",
            object_id=str(held["open"].pk),
        )
    assert "verzoek om verwijdering" in raised.value.messages[0]
    with pytest.raises(Exception) as raised:
        services.rectify_person_data(
            actor=officer,
            subject_request=access_request,
            provider_key="signals.report",
            object_id=str(held["open"].pk),
            name="X",
        )
    assert "verzoek om rectificatie" in raised.value.messages[0]
    held["open"].refresh_from_db()
    assert decrypt(held["open"].encrypted_contact) == JAN


def test_status_follows_the_transition_table(client, world, officer):
    subject_request = register(officer, world.municipality_a)
    login(client, officer)
    url = reverse("privacy:subject-request-status", args=[subject_request.pk])

    # Not from received straight to completed.
    response = client.post(url, {"status": "completed"})
    assert response.status_code == 400
    assert client.post(url, {"status": "in_progress"}).status_code == 302
    # Refusing needs a reason.
    response = client.post(url, {"status": "refused", "note": ""})
    assert response.status_code == 400
    assert "waarom het verzoek wordt afgewezen" in response.content.decode()
    assert client.post(url, {"status": "completed", "note": "Export verstuurd"}).status_code == 302
    # Completed is final.
    assert client.post(url, {"status": "in_progress"}).status_code == 400

    subject_request.refresh_from_db()
    assert subject_request.status == "completed"
    history = list(subject_request.events.values_list("step", "from_status", "to_status", "note"))
    assert history == [
        ("registered", "", "received", ""),
        ("status", "received", "in_progress", ""),
        ("status", "in_progress", "completed", "Export verstuurd"),
    ]
    with pytest.raises(AppendOnlyError):
        event = subject_request.events.first()
        event.note = "veranderd"
        event.save()


def test_officer_of_another_municipality_does_not_find_the_request(client, world, officer):
    subject_request = register(officer, world.municipality_a)
    other_officer = privacy_officer(world.municipality_b, username="privacy_officer_b")
    login(client, other_officer)
    for name in ("privacy:subject-request", "privacy:subject-request-json"):
        assert client.get(reverse(name, args=[subject_request.pk])).status_code == 404
    response = client.post(
        reverse("privacy:subject-request-status", args=[subject_request.pk]),
        {"status": "refused", "note": "x"},
    )
    assert response.status_code == 404
    assert (
        client.get(reverse("privacy:subject-requests")).content.decode().count(str(subject_request))
        == 0
    )


def test_register_page(client, world, officer):
    login(client, officer)
    url = reverse("privacy:subject-request-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": world.municipality_a.pk,
            "kind": "access",
            "name": "",
            "email": "",
            "phone": "",
            "received_on": "2026-01-31",
        },
    )
    assert response.status_code == 200
    assert "Vul de naam, het e-mailadres of het telefoonnummer" in response.content.decode()
    # Another municipality is not a choice.
    response = client.post(
        url,
        {
            "organisation": world.municipality_b.pk,
            "kind": "access",
            "name": "Jan",
            "received_on": "2026-01-31",
        },
    )
    assert "Kies een van uw organisaties." in response.content.decode()
    response = client.post(
        url,
        {
            "organisation": world.municipality_a.pk,
            "kind": "access",
            "name": "Jan",
            "received_on": "2026-01-31",
        },
    )
    subject_request = SubjectRequest.objects.get()
    assert response.url == reverse("privacy:subject-request", args=[subject_request.pk])


def test_list_page_in_a_fixed_number_of_queries(
    client, world, officer, django_assert_max_num_queries
):
    for number in range(5):
        register(officer, world.municipality_a, name=f"Persoon {number}")
    login(client, officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("privacy:subject-requests"))
    assert response.status_code == 200
    assert response.content.decode().count("AVG-verzoek ") >= 5


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("privacy:subject-requests", "GET"),
        ("privacy:subject-request-create", "GET"),
        ("privacy:subject-request", "GET"),
        ("privacy:subject-request-json", "GET"),
        ("privacy:subject-request-pdf", "GET"),
        ("privacy:subject-request-status", "POST"),
        ("privacy:subject-request-rectify", "POST"),
        ("privacy:subject-request-erase", "POST"),
    ],
)
def test_permission_matrix(client, world, officer, name, method):
    subject_request = register(officer, world.municipality_a)
    args = (
        []
        if name in ("privacy:subject-requests", "privacy:subject-request-create")
        else [subject_request.pk]
    )
    assert_matrix(client, world, method, reverse(name, args=args), IDENTITY_OFFICER_ONLY, data={})
    login(client, officer)
    expected = 400 if method == "POST" else 200
    assert (
        getattr(client, method.lower())(reverse(name, args=args), data={}).status_code == expected
    )


def test_superuser_needs_no_role(client, world):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    grant_membership(user=superuser, organisation=world.municipality_a, role_slug="council_member")
    login(client, superuser)
    assert client.get(reverse("privacy:subject-requests")).status_code == 200


def test_no_export_entry_when_no_pdf_could_be_made(client, world, officer, held, monkeypatch):
    from openveiligheid.core.documents import PdfUnavailable
    from openveiligheid.privacy import request_views

    def unavailable(*args, **kwargs):
        raise PdfUnavailable("no pango")

    monkeypatch.setattr(request_views, "pdf_from_html", unavailable)
    subject_request = register(officer, world.municipality_a)
    login(client, officer)

    response = client.get(reverse("privacy:subject-request-pdf", args=[subject_request.pk]))

    assert response.status_code == 503
    assert "JSON-bestand" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    assert not subject_request.events.filter(step=SubjectRequestEvent.Step.EXPORTED).exists()


def test_export_names_the_partner_and_the_history_of_a_forwarded_report(world, officer):
    from openveiligheid.signals import services as signal_services

    manager = world.users["programme_manager"]
    category = signal_services.ensure_default_categories(world.municipality_a)[0]
    report = signal_services.submit_report(
        organisation=world.municipality_a,
        data=signal_services.ReportInput(
            category=category,
            description="Er wordt elke avond gedeald bij het station.",
            location_description="Bij het station",
            contact_email="jan@example.org",
        ),
    )
    signal_services.take_into_triage(report, actor=manager)
    signal_services.forward(report, partner=world.partner, actor=manager, note="Graag oppakken")
    subject_request = register(officer, world.municipality_a)

    records = services.find_person_data(actor=officer, subject_request=subject_request)
    data = services.export_document(subject_request, records)["records"][0]["data"]

    assert data["forwarded_to"] == "Politie Oost"
    assert data["retention"] == "24 maanden na het doorzetten"
    assert "in behandeling nemen" in data["history"]
    assert "doorzetten" in data["history"]
