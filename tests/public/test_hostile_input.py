"""Hostile input at the meldpunt, through the page and through the public API alike: markup and
script in every field, huge fields, wrong and disguised files, path names as file names, a zip
bomb, NUL bytes, broken UTF-8 and too many files. Each gets a clear Dutch message; what is
refused leaves no report and no file on the upload storage, and what is accepted is stored as
plain text, shown escaped, with its files under a generated name and their sniffed type.

Requests are sent as raw bodies where a test client would clean them first (file names with
folders, bytes that are no UTF-8)."""

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from openveiligheid.privacy.identities import decrypt
from openveiligheid.signals import services
from openveiligheid.signals.models import Attachment, Category, Report
from tests.organisations.factories import OrganisationFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db

CHANNELS = ["page", "api"]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
SCRIPT = "<script>alert('x')</script>"
NOT_A_FILE_WE_TAKE = "is geen foto (JPEG of PNG) of PDF-bestand"
UNREADABLE = "Deze tekst bevat tekens die niet te lezen zijn"
BOUNDARY = "ovHostileBoundary"


def zip_bomb() -> bytes:
    """A few kilobytes that unpack to 50 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("nul.bin", b"\x00" * (50 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def municipality(db):
    organisation = OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")
    services.ensure_default_categories(organisation)
    return organisation


def stored_files() -> set[str]:
    """Every file on the upload storage, wherever it is."""
    root = Path(storages["uploads"].location)
    return {
        str(Path(folder, name).relative_to(root))
        for folder, _dirs, names in os.walk(root)
        for name in names
    }


@pytest.fixture
def nothing_stored(municipality):
    """Fails the test when a report, an attachment or a file was left behind."""
    before = stored_files()
    yield
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == before


def _fields(channel: str, municipality, overrides: dict) -> dict:
    category = Category.objects.get(organisation=municipality, slug="drugs")
    fields = {
        "category": category.pk if channel == "page" else "drugs",
        "description": "Er wordt elke avond gedeald bij het speelveld.",
        "postcode": "1234 AB",
        "house_number": "12",
    }
    if channel == "page":
        fields["website"] = ""
    return fields | overrides


def _part(name: str, value, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if filename is not None:
        head += "Content-Type: image/jpeg\r\n"
    value = value if isinstance(value, bytes) else str(value).encode()
    return head.encode() + b"\r\n" + value + b"\r\n"


def send(client, channel: str, municipality, fields=None, files=(), raw=None):
    """Posts a report as multipart (raw: exactly these bytes as the body) to the page or the
    API; returns the status and the messages per field."""
    fields = _fields(channel, municipality, fields or {})
    if raw is None:
        raw = b"".join(_part(name, value) for name, value in fields.items())
        raw += b"".join(_part("attachments", content, name) for name, content in files)
        raw += f"--{BOUNDARY}--\r\n".encode()
    url = (
        reverse("signals:report", kwargs={"slug": municipality.slug})
        if channel == "page"
        else reverse("public-meldpunt-reports", kwargs={"municipality": municipality.slug})
    )
    response = client.generic(
        "POST", url, raw, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    return response.status_code, _messages(response)


def _messages(response) -> dict[str, list[str]]:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json() if isinstance(response.json(), dict) else {}
    if response.context and "form" in response.context:
        return {
            field: [str(message) for message in messages]
            for field, messages in response.context["form"].errors.items()
        }
    return {}


ACCEPTED = {"page": 302, "api": 201}
REFUSED = {"page": 200, "api": 400}


def refused_with(status, messages, channel, field, words):
    assert status == REFUSED[channel], (status, messages)
    assert any(words in message for message in messages.get(field, [])), messages


# Markup and script --------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_markup_in_every_text_field_is_stored_as_text_and_shown_escaped(
    client, world, channel, municipality
):
    municipality = world.municipality_a
    services.ensure_default_categories(municipality)
    description = f"{SCRIPT} <img src=x onerror=alert(1)> bij het speelveld &amp; de school"
    location = '<b onmouseover="alert(1)">Het park</b> "><svg/onload=alert(1)>'
    name = f"{SCRIPT}Jan"
    status, messages = send(
        client,
        channel,
        municipality,
        {
            "description": description,
            "postcode": "",
            "house_number": "",
            "location_description": location,
            "contact_name": name,
        },
        files=[("<img src=x onerror=alert(1)>.jpg", JPEG)],
    )
    assert status == ACCEPTED[channel], messages
    report = Report.objects.get()
    assert report.description == description
    assert report.location_description == location
    assert decrypt(report.encrypted_contact).name == name
    attachment = report.attachments.get()
    assert "<" not in attachment.original_name and ">" not in attachment.original_name
    if channel == "page":
        receipt = client.get(reverse("signals:receipt", kwargs={"slug": municipality.slug}))
        assert report.reference in receipt.content.decode()
        assert "alert" not in receipt.content.decode()
    login(client, world.users["programme_manager"])
    for url in (
        reverse("signals:staff-list"),
        reverse("signals:staff-detail", kwargs={"reference": report.reference}),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page and "<svg/onload" not in page
        assert "<b onmouseover" not in page
    detail = client.get(reverse("signals:staff-detail", kwargs={"reference": report.reference}))
    content = detail.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "&amp;amp; de school" in content


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("category", "Kies waar uw melding over gaat."),
        ("postcode", "1234 AB"),
        ("house_number", "huisnummer"),
        ("contact_phone", "telefoonnummer"),
        ("contact_email", "e-mailadres"),
    ],
)
def test_markup_where_no_text_belongs_is_refused(
    client, channel, municipality, nothing_stored, field, words
):
    overrides = {field: SCRIPT}
    if field == "postcode":
        overrides["house_number"] = "12"
    status, messages = send(client, channel, municipality, overrides)
    refused_with(status, messages, channel, field, words)


# Huge fields ----------------------------------------------------------------------------------

HUGE = "x" * 1_000_000
HUGE_MESSAGES = {
    "description": "Beschrijf wat er aan de hand is in hoogstens 5000 tekens.",
    "postcode": "Vul een postcode in als 1234 AB.",
    "house_number": "Vul een huisnummer in",
    "location_description": "Beschrijf de plek in hoogstens 300 tekens.",
    "contact_name": "Een naam is hoogstens 200 tekens.",
    "contact_phone": "Vul een telefoonnummer in van 8 tot 20 cijfers.",
    "contact_email": "Vul een geldig e-mailadres in.",
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_megabyte_in_every_field_gets_a_message_per_field(
    client, channel, municipality, nothing_stored
):
    status, messages = send(client, channel, municipality, dict.fromkeys(HUGE_MESSAGES, HUGE))
    for field, words in HUGE_MESSAGES.items():
        refused_with(status, messages, channel, field, words)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_body_over_the_request_limit_is_refused_unread(
    client, channel, municipality, nothing_stored, settings
):
    settings.OPENVEILIGHEID_MAX_REQUEST_BYTES = 500_000
    status, _messages = send(client, channel, municipality, {"description": HUGE})
    assert status == 413


def test_a_huge_json_report_gets_the_same_message(client, municipality, nothing_stored):
    url = reverse("public-meldpunt-reports", kwargs={"municipality": municipality.slug})
    body = {"category": "drugs", "description": HUGE, "location_description": "Het park"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"description": [HUGE_MESSAGES["description"]]}


# Files ----------------------------------------------------------------------------------------

DISGUISED = [
    ("foto.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 This program cannot be run in DOS mode"),
    ("programma.exe.jpg", b"\x7fELF\x02\x01\x01\x00"),
    ("tekening.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("brief.pdf", b"PK\x03\x04 not a pdf but a zip"),
    ("leeg.png", b""),
    ("tekst.pdf", b"Gewone tekst, geen PDF"),
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("name", "content"), DISGUISED)
def test_wrong_and_disguised_file_types_are_refused(
    client, channel, municipality, nothing_stored, name, content
):
    status, messages = send(client, channel, municipality, files=[(name, content)])
    refused_with(status, messages, channel, "attachments", NOT_A_FILE_WE_TAKE)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_file_keeps_the_type_of_its_content_not_of_its_name(client, channel, municipality):
    status, messages = send(
        client, channel, municipality, files=[("plattegrond.png", PDF), ("foto.exe", JPEG)]
    )
    assert status == ACCEPTED[channel], messages
    stored = {a.original_name: a for a in Attachment.objects.all()}
    assert stored["plattegrond.png"].content_type == "application/pdf"
    assert stored["plattegrond.png"].file.name.endswith(".pdf")
    assert stored["foto.exe"].content_type == "image/jpeg"
    assert stored["foto.exe"].file.name.endswith(".jpg")


@pytest.mark.parametrize("channel", CHANNELS)
def test_path_names_in_file_names_are_dropped(client, channel, municipality):
    before = stored_files()
    names = [
        "../../etc/passwd.jpg",
        "C:\\x\\y.png",
        "..\\..\\windows\\win.ini.pdf",
        "/var/www/html/shell.jpg",
        "....//....//kaart.jpg",
        "&#46;&#46;&#47;&#46;&#46;&#47;boot.jpg",
    ]
    contents = [JPEG, PNG, PDF, JPEG, JPEG, JPEG]
    files = list(zip(names, contents, strict=True))
    status, messages = send(client, channel, municipality, files=files[:3])
    assert status == ACCEPTED[channel], messages
    status, messages = send(client, channel, municipality, files=files[3:])
    assert status == ACCEPTED[channel], messages
    attachments = list(Attachment.objects.order_by("pk"))
    assert [a.original_name for a in attachments] == [
        "passwd.jpg",
        "y.png",
        "win.ini.pdf",
        "shell.jpg",
        "kaart.jpg",
        "boot.jpg",
    ]
    new_files = stored_files() - before
    assert new_files == {a.file.name for a in attachments}
    for attachment in attachments:
        folder, stored_name = attachment.file.name.rsplit("/", 1)
        assert folder == f"signals/{municipality.pk}"
        stem, extension = stored_name.split(".")
        assert len(stem) == 32 and int(stem, 16) >= 0
        assert extension in {"jpg", "png", "pdf"}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", ["bom.pdf", "bom.jpg", "bom.zip"])
def test_a_zip_bomb_is_refused_and_never_unpacked(
    client, channel, municipality, nothing_stored, monkeypatch, name
):
    opened = []
    real_zip = zipfile.ZipFile

    def watching_zip(*args, **kwargs):
        opened.append(args)
        return real_zip(*args, **kwargs)

    bomb = zip_bomb()
    monkeypatch.setattr(zipfile, "ZipFile", watching_zip)
    status, messages = send(client, channel, municipality, files=[(name, bomb)])
    refused_with(status, messages, channel, "attachments", NOT_A_FILE_WE_TAKE)
    assert opened == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_too_many_attachments_are_refused(client, channel, municipality, nothing_stored):
    status, messages = send(client, channel, municipality, files=[("a.jpg", JPEG)] * 4)
    refused_with(status, messages, channel, "attachments", "Voeg hoogstens 3 bestanden toe.")


@pytest.mark.parametrize("channel", CHANNELS)
def test_one_bad_file_among_good_ones_stores_none_of_them(
    client, channel, municipality, nothing_stored
):
    files = [("a.jpg", JPEG), ("b.pdf", PDF), ("c.jpg", b"MZ\x90\x00")]
    status, messages = send(client, channel, municipality, files=files)
    refused_with(status, messages, channel, "attachments", NOT_A_FILE_WE_TAKE)


# NUL bytes and broken UTF-8 ----------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("field", ["description", "location_description", "contact_name"])
def test_nul_bytes_are_refused(client, channel, municipality, nothing_stored, field):
    value = "Er wordt gedeald\x00 bij het speelveld."
    status, messages = send(client, channel, municipality, {field: value})
    refused_with(status, messages, channel, field, "Null-tekens zijn niet toegestaan.")


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_nul_byte_in_a_file_name_is_dropped(client, channel, municipality):
    status, messages = send(client, channel, municipality, files=[("foto\x00.exe.jpg", JPEG)])
    assert status == ACCEPTED[channel], messages
    assert "\x00" not in Attachment.objects.get().original_name


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("field", ["description", "location_description", "contact_name"])
def test_bytes_that_are_no_utf8_are_refused(client, channel, municipality, nothing_stored, field):
    value = b"Er wordt gedeald \xff\xfe\xc3( bij het speelveld."
    status, messages = send(client, channel, municipality, {field: value})
    refused_with(status, messages, channel, field, UNREADABLE)


def test_a_json_body_that_is_no_utf8_is_refused(client, municipality, nothing_stored):
    url = reverse("public-meldpunt-reports", kwargs={"municipality": municipality.slug})
    body = json.dumps({"category": "drugs", "description": "x" * 20}).encode()
    body = body.replace(b"xxxx", b"\xff\xfe\xc3(")
    response = client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "De inhoud van het verzoek is onleesbaar; stuur geldige JSON."
    }


def test_an_urlencoded_page_post_that_is_no_utf8_is_refused(client, municipality, nothing_stored):
    category = Category.objects.get(organisation=municipality, slug="drugs")
    body = (
        f"category={category.pk}&postcode=1234AB&house_number=12&website=&description="
        "Er+wordt+gedeald+%FF%FE+bij+het+speelveld"
    )
    response = client.generic(
        "POST",
        reverse("signals:report", kwargs={"slug": municipality.slug}),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()


@pytest.mark.parametrize("channel", CHANNELS)
def test_control_characters_are_refused(client, channel, municipality, nothing_stored):
    value = "Er wordt gedeald \x1b[2J\x08\x08 bij het speelveld."
    status, messages = send(client, channel, municipality, {"description": value})
    refused_with(status, messages, channel, "description", UNREADABLE)


def test_more_files_than_a_request_may_carry_are_refused_in_dutch(client, municipality):
    before = stored_files()
    raw = b"".join(_part("attachments", JPEG, f"{n}.jpg") for n in range(150))
    raw += f"--{BOUNDARY}--\r\n".encode()
    assert send(client, "page", municipality, raw=raw)[0] == 400
    api = send(client, "api", municipality, raw=raw)
    assert api == (400, {"attachments": ["Voeg hoogstens 3 bestanden toe."]})
    assert not Report.objects.exists()
    assert stored_files() == before


def test_the_page_answers_an_unreadable_request_in_dutch(client, municipality):
    raw = b"".join(_part("attachments", JPEG, f"{n}.jpg") for n in range(150))
    raw += f"--{BOUNDARY}--\r\n".encode()
    response = client.generic(
        "POST",
        reverse("signals:report", kwargs={"slug": municipality.slug}),
        raw,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    assert "Dit verzoek kon niet worden gelezen" in response.content.decode()
