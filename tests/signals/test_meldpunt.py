"""The public meldpunt: a resident's report, its checks and its protection against abuse."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from openveiligheid.privacy.identities import decrypt
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.signals import services
from openveiligheid.signals.models import Attachment, Category, Report
from tests.organisations.factories import OrganisationFactory

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"\x00" * 100


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")


@pytest.fixture
def url(municipality):
    return reverse("signals:report", kwargs={"slug": municipality.slug})


def _category(municipality, slug="drugs"):
    services.ensure_default_categories(municipality)
    return Category.objects.get(organisation=municipality, slug=slug)


def _data(municipality, **overrides):
    return {
        "category": _category(municipality).pk,
        "description": "Er wordt elke avond gedeald bij het speelveld.",
        "postcode": "1234 ab",
        "house_number": "12a",
        "location_description": "",
        "occurred_on": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "website": "",
    } | overrides


def test_form_shows_the_default_categories_without_login(client, url, municipality):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("Drugs", "Uitbuiting", "Fraude", "Overlast", "Anders"):
        assert name in content
    assert Category.objects.filter(organisation=municipality).count() == 5


def test_the_form_reads_its_categories_once_and_writes_nothing(
    client, url, municipality, django_assert_num_queries
):
    """The default categories are made on the first visit only; after that a visit is the
    municipality and its categories, two reads, also once staff added their own."""
    client.get(url)
    Category.objects.create(organisation=municipality, slug="wapens", name="Wapens", position=9)
    with django_assert_num_queries(2) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "Wapens" in response.content.decode()
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "SAVEPOINT"))
        for query in captured.captured_queries
    )
    assert Category.objects.filter(organisation=municipality).count() == 6


def test_defaults_only_for_a_municipality_without_any_category(municipality):
    """Staff who retired every category keep an empty choice: the defaults never return."""
    own = Category.objects.create(organisation=municipality, slug="eigen", name="Eigen")
    assert services.ensure_default_categories(municipality) == [own]
    Category.objects.filter(pk=own.pk).update(is_active=False)
    assert services.ensure_default_categories(municipality) == []
    assert Category.objects.filter(organisation=municipality).count() == 1


def test_the_defaults_are_dutch_data_whatever_the_first_visitors_language(client, db):
    """The first visitor of a new meldpunt may read English; the categories it creates are the
    municipality's data and stay Dutch for everyone after."""
    fresh = OrganisationFactory(slug="nieuwstad")
    response = client.get(
        reverse("signals:report", kwargs={"slug": "nieuwstad"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    names = list(
        Category.objects.filter(organisation=fresh)
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert names == ["Drugs", "Uitbuiting", "Fraude", "Overlast", "Anders"]


def test_no_meldpunt_for_a_partner_or_an_unknown_slug(client, db):
    from tests.organisations.factories import PartnerFactory

    partner = PartnerFactory(slug="politie")
    assert client.get(reverse("signals:report", kwargs={"slug": partner.slug})).status_code == 404
    assert client.get(reverse("signals:report", kwargs={"slug": "onbekend"})).status_code == 404


def test_anonymous_report_is_saved_and_the_receipt_shows_only_its_reference(
    client, url, municipality
):
    response = client.post(url, _data(municipality))
    assert response.status_code == 302
    assert response.url == reverse("signals:receipt", kwargs={"slug": "meldstad"})
    report = Report.objects.get()
    assert report.organisation == municipality
    assert report.postcode == "1234AB"
    assert report.house_number == "12A"
    assert report.is_anonymous
    assert report.reference.startswith("MLD-") and len(report.reference) == 12
    receipt = client.get(response.url)
    content = receipt.content.decode()
    assert report.reference in content
    assert "gedeald" not in content
    created = AuditEntry.objects.get(object_type="signals.report")
    assert created.action == AuditEntry.Action.CREATE
    assert created.actor_id is None


@pytest.mark.django_db(transaction=True)
def test_report_is_committed_before_the_redirect_is_built(client, monkeypatch):
    from openveiligheid.signals import views

    municipality = OrganisationFactory(slug="meldstad")
    url = reverse("signals:report", kwargs={"slug": municipality.slug})
    seen = []
    real_redirect = views.redirect

    def checking_redirect(*args, **kwargs):
        # Outside any transaction (so committed) and readable by everyone.
        seen.append((connection.in_atomic_block, Report.objects.count()))
        return real_redirect(*args, **kwargs)

    monkeypatch.setattr(views, "redirect", checking_redirect)
    response = client.post(url, _data(municipality))
    assert response.status_code == 302
    assert seen == [(False, 1)]


def test_receipt_without_a_report_sends_to_the_form(client, url):
    response = client.get(reverse("signals:receipt", kwargs={"slug": "meldstad"}))
    assert response.status_code == 302
    assert response.url == url


def test_contact_details_are_stored_only_encrypted(client, url, municipality):
    data = _data(
        municipality,
        contact_name="Jan Testpersoon",
        contact_phone="06 12345678",
        contact_email="jan@example.org",
    )
    assert client.post(url, data).status_code == 302
    report = Report.objects.get()
    assert not report.is_anonymous
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signals_report")
        row = " ".join(str(value) for value in cursor.fetchone())
    for plain in ("Jan Testpersoon", "12345678", "jan@example.org"):
        assert plain not in row
    contact = decrypt(report.encrypted_contact)
    assert (contact.name, contact.phone, contact.email) == (
        "Jan Testpersoon",
        "06 12345678",
        "jan@example.org",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "kort"}, "description", "ten minste 10 tekens"),
        ({"description": "x" * 5001}, "description", None),
        ({"postcode": "12345", "house_number": "1"}, "postcode", "1234 AB"),
        ({"house_number": "abc"}, "house_number", "huisnummer"),
        ({"postcode": "", "house_number": ""}, "location_description", "beschrijf de plek"),
        ({"contact_email": "geen-adres"}, "contact_email", "e-mailadres"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "toekomst"),
    ],
)
def test_invalid_reports_are_refused_in_dutch(client, url, municipality, overrides, field, message):
    response = client.post(url, _data(municipality, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if message:
        assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_free_description_of_the_place_is_enough(client, url, municipality):
    data = _data(municipality, postcode="", house_number="", location_description="Het park")
    assert client.post(url, data).status_code == 302


def test_category_of_another_municipality_is_refused(client, url, municipality):
    other = OrganisationFactory(slug="elders")
    response = client.post(url, _data(municipality, category=_category(other).pk))
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_honeypot_saves_nothing(client, url, municipality):
    response = client.post(url, _data(municipality, website="https://spam.example"))
    assert response.status_code == 400
    assert "niet verstuurd" in response.content.decode()
    assert not Report.objects.exists()


def test_rate_limit_per_client_answers_429_in_dutch(client, url, municipality, settings):
    settings.OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(url, _data(municipality)).status_code == 302
    response = client.post(url, _data(municipality))
    assert response.status_code == 429
    assert "te veel meldingen" in response.content.decode()
    assert Report.objects.count() == 2
    # Another client is not held back.
    other = client.post(url, _data(municipality), REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 302


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_attachments_are_sniffed_and_stored_under_a_generated_name(client, url, municipality):
    files = [
        _upload("../../etc/foto.jpg", JPEG, "image/jpeg"),
        _upload("C:\\Users\\x\\plattegrond.png", PNG, "image/png"),
        _upload("brief.pdf", PDF, "application/pdf"),
    ]
    response = client.post(url, _data(municipality) | {"attachments": files})
    assert response.status_code == 302
    attachments = list(Attachment.objects.order_by("pk"))
    assert [a.original_name for a in attachments] == ["foto.jpg", "plattegrond.png", "brief.pdf"]
    assert [a.content_type for a in attachments] == ["image/jpeg", "image/png", "application/pdf"]
    for attachment in attachments:
        assert ".." not in attachment.file.name
        assert attachment.file.name.startswith(f"signals/{municipality.pk}/")
        assert attachment.file.name.rsplit(".", 1)[-1] in {"jpg", "png", "pdf"}
        with attachment.file.open("rb") as stored:
            assert stored.read(3) in (JPEG[:3], PNG[:3], PDF[:3])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", b"<html><script>alert(1)</script></html>"),  # disguised by its name
        ("document.pdf", b"MZ\x90\x00 executable"),
        ("tekening.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("leeg.png", b""),
    ],
)
def test_wrong_or_disguised_file_types_are_refused(client, url, municipality, name, content):
    response = client.post(
        url, _data(municipality) | {"attachments": [_upload(name, content, "image/jpeg")]}
    )
    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_size_and_count_limits_come_from_settings(client, url, municipality, settings):
    settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES = 50
    response = client.post(url, _data(municipality) | {"attachments": [_upload("a.jpg", JPEG)]})
    assert response.status_code == 200
    assert "groter dan" in response.content.decode()
    settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES = 1024
    settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS = 2
    files = [_upload(f"{index}.png", PNG) for index in range(3)]
    response = client.post(url, _data(municipality) | {"attachments": files})
    assert response.status_code == 200
    assert "hoogstens 2 bestanden" in response.content.decode()
    assert not Report.objects.exists()


def test_safe_file_name_drops_every_folder_part():
    assert services.safe_file_name("../../../etc/passwd") == "passwd"
    assert services.safe_file_name("..\\..\\boot.ini") == "boot.ini"
    assert services.safe_file_name("/") == "bijlage"
    assert services.safe_file_name("a<b>c.pdf") == "a_b_c.pdf"


def test_anonymous_upload_over_64_kb_reaches_the_meldpunt_within_its_bound(
    client, url, municipality, settings
):
    big = JPEG + b"\x00" * (200 * 1024)
    settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES = 1024 * 1024
    response = client.post(url, _data(municipality) | {"attachments": [_upload("groot.jpg", big)]})
    assert response.status_code == 302
    assert Attachment.objects.get().size == len(big)


def test_anonymous_upload_over_the_meldpunt_bound_is_refused_unread(client, url, settings):
    settings.OPENVEILIGHEID_PUBLIC_UPLOAD_PATHS = {"/meldpunt/": 100 * 1024}
    body = io.BytesIO(JPEG + b"\x00" * (200 * 1024))
    body.name = "groot.jpg"
    response = client.post(url, {"description": "x", "attachments": body})
    assert response.status_code == 413


def test_anonymous_upload_elsewhere_still_goes_to_the_login_page(client, db):
    body = io.BytesIO(b"\x00" * (100 * 1024))
    body.name = "groot.bin"
    response = client.post("/meldingen/", {"file": body})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_form_page_is_in_english_when_asked(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Send report" in response.content.decode()


def test_contact_details_are_rotated_with_the_identity_keys(client, url, municipality, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    assert client.post(url, _data(municipality, contact_phone="0612345678")).status_code == 302
    old_token = Report.objects.get().encrypted_contact
    new_key = Fernet.generate_key().decode()
    settings.OPENVEILIGHEID_IDENTITY_KEYS = [new_key, *settings.OPENVEILIGHEID_IDENTITY_KEYS]
    call_command("identities", "rotate-keys")
    settings.OPENVEILIGHEID_IDENTITY_KEYS = [new_key]
    report = Report.objects.get()
    assert report.encrypted_contact != old_token
    assert decrypt(report.encrypted_contact).phone == "0612345678"


def test_no_files_stay_behind_when_the_report_is_not_saved(client, url, municipality, monkeypatch):
    from django.core.files.storage import storages

    def failing_record(**kwargs):
        raise RuntimeError("database gone")

    storage = storages["uploads"]
    folder = f"signals/{municipality.pk}"

    def stored_files():
        return set(storage.listdir(folder)[1]) if storage.exists(folder) else set()

    before = stored_files()
    monkeypatch.setattr(services, "record", failing_record)
    client.raise_request_exception = False
    response = client.post(url, _data(municipality) | {"attachments": [_upload("a.png", PNG)]})
    assert response.status_code == 500
    assert not Report.objects.exists()
    assert stored_files() == before
