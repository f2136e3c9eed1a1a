"""Every format we read stops at its limits (core.limits) with a Dutch message naming the limit:
rows, line and field length, text, paragraphs, PDF pages, JSON size, values and nesting, document
parts and the time of the whole reading. Each hostile file is generated here, small on disk."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from openpyxl import Workbook

from openveiligheid.actions.exports import read_actions_workbook
from openveiligheid.core.limits import ParseLimitExceeded, load_json
from openveiligheid.imports.measurements.base import UnreadableFile
from openveiligheid.imports.measurements.readers import read_table
from openveiligheid.imports.plans.readers import UnreadableDocument, read_document
from openveiligheid.imports.plans.services import read_plan
from openveiligheid.imports.plans.structured import load_plan_file
from tests.imports.plans import documents

MB = 1024 * 1024


def workbook_bytes(rows: int, header=("Gemeente", "Jaar", "Aantal")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in range(rows):
        sheet.append([f"Gemeente {row}", 2022, row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: int, text: str = "Een alinea van het plan.") -> bytes:
    import docx

    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def csv_bytes(rows: int) -> bytes:
    lines = ["RegioS;Perioden;Misdrijven"] + [f"GM{row:04d};2022;{row}" for row in range(rows)]
    return "\n".join(lines).encode()


# --- CSV ------------------------------------------------------------------------------------


@override_settings(OPENVEILIGHEID_MAX_ROWS=100)
def test_a_csv_with_too_many_rows_is_refused_before_it_is_split():
    with pytest.raises(UnreadableFile) as error:
        read_table("veel.csv", csv_bytes(500))
    assert "meer dan 100 regels" in str(error.value)
    assert "OPENVEILIGHEID_MAX_ROWS" in str(error.value)


@override_settings(OPENVEILIGHEID_MAX_LINE_CHARS=1000)
def test_a_csv_line_beyond_the_line_limit_is_refused():
    content = csv_bytes(10) + b"\nGM0001;2022;" + b"9" * 5000
    with pytest.raises(UnreadableFile) as error:
        read_table("lang.csv", content)
    assert "Regel 12 is langer dan 1.000 tekens" in str(error.value)


@override_settings(OPENVEILIGHEID_MAX_LINE_CHARS=1000)
def test_a_quoted_csv_field_beyond_the_limit_is_refused():
    # One field over many short lines: no line is long, the field is.
    field = "\n".join(["x" * 50] * 40)
    content = csv_bytes(3) + f'\nGM0001;2022;"{field}"'.encode()
    with pytest.raises(UnreadableFile) as error:
        read_table("veld.csv", content, source="survey")
    assert "langer dan 1.000 tekens" in str(error.value)


@override_settings(OPENVEILIGHEID_MAX_PARSE_SECONDS=0)
def test_reading_stops_at_the_parse_time_limit():
    with pytest.raises(UnreadableFile) as error:
        read_table("traag.csv", csv_bytes(3000))
    assert "OPENVEILIGHEID_MAX_PARSE_SECONDS" in str(error.value)


# --- JSON -----------------------------------------------------------------------------------


def test_deeply_nested_json_is_refused():
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(UnreadableFile) as error:
        read_table("diep.json", deep.encode())
    assert "dieper genest dan 64 niveaus" in str(error.value)
    with pytest.raises(ParseLimitExceeded):
        load_json("[" * 70 + "]" * 70)  # within the recursion limit, beyond the setting
    assert load_json('{"a": [[1]]}') == {"a": [[1]]}


@override_settings(OPENVEILIGHEID_MAX_JSON_ITEMS=1000)
def test_json_with_too_many_values_is_refused_before_parsing():
    content = json.dumps({"value": [0] * 5000}).encode()
    with pytest.raises(UnreadableFile) as error:
        read_table("veel.json", content)
    assert "meer dan 1.000 waarden" in str(error.value)


@override_settings(OPENVEILIGHEID_MAX_JSON_BYTES=1000)
def test_a_json_plan_file_beyond_its_size_is_refused():
    with pytest.raises(ValidationError) as error:
        load_plan_file(json.dumps({"title": "x" * 2000}).encode())
    assert "OPENVEILIGHEID_MAX_JSON_BYTES" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        load_plan_file(b"{kapot")
    assert "geen leesbaar JSON-bestand" in error.value.messages[0]


# --- XLSX -----------------------------------------------------------------------------------


@override_settings(OPENVEILIGHEID_MAX_ROWS=100)
def test_a_workbook_with_too_many_rows_is_refused_by_every_reader():
    # Counted in the sheet's XML before any reader builds a row.
    content = workbook_bytes(300)
    with pytest.raises(UnreadableFile) as error:
        read_table("rijen.xlsx", content)
    assert "meer dan 100 regels" in str(error.value)
    with pytest.raises(UnreadableDocument) as error:
        read_document(content, "plan.xlsx")
    assert "meer dan 100 regels" in str(error.value)
    with pytest.raises(ValidationError):
        read_actions_workbook(workbook_bytes(300, header=("Actie", "Wanneer")))


@override_settings(
    OPENVEILIGHEID_MAX_SHARED_STRINGS_BYTES=MB, OPENVEILIGHEID_MAX_COMPRESSION_RATIO=100_000
)
def test_a_huge_shared_string_table_is_refused_by_its_own_limit():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "a" * (3 * MB) + "</sst>")
    content = buffer.getvalue()
    assert len(content) < 100 * 1024
    with pytest.raises(UnreadableFile) as error:
        read_table("strings.xlsx", content)
    assert "xl/sharedStrings.xml" in str(error.value)
    assert "OPENVEILIGHEID_MAX_SHARED_STRINGS_BYTES" in str(error.value)


# --- DOCX, PDF, text ------------------------------------------------------------------------


@override_settings(OPENVEILIGHEID_MAX_PARAGRAPHS=50)
def test_a_document_with_too_many_paragraphs_is_refused():
    with pytest.raises(UnreadableDocument) as error:
        read_document(docx_bytes(120), "plan.docx")
    assert "meer dan 50 alinea's" in str(error.value)


def test_a_pdf_page_that_unpacks_beyond_the_stream_limit_is_refused(settings):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    settings.OPENVEILIGHEID_MAX_PDF_STREAM_BYTES = 100_000
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"BT (actie) Tj ET\n" * 20_000)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    assert len(buffer.getvalue()) < 20_000  # small on disk
    with pytest.raises(UnreadableDocument) as error:
        read_document(buffer.getvalue(), "plan.pdf")
    assert "OPENVEILIGHEID_MAX_PDF_STREAM_BYTES" in str(error.value)


@override_settings(OPENVEILIGHEID_MAX_TEXT_CHARS=2000)
def test_a_document_with_too_much_text_is_refused():
    with pytest.raises(UnreadableDocument) as error:
        read_document(docx_bytes(20, "tekst " * 50), "plan.docx")
    assert "meer dan 2.000 tekens tekst" in str(error.value)
    with pytest.raises(UnreadableDocument):
        read_document(("regel\n" * 1000).encode(), "plan.txt")


@override_settings(
    OPENVEILIGHEID_MAX_DOCUMENT_PART_BYTES=MB, OPENVEILIGHEID_MAX_COMPRESSION_RATIO=100_000
)
def test_a_docx_whose_text_part_is_too_large_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (2 * MB) + "</w:document>")
    with pytest.raises(UnreadableDocument) as error:
        read_document(buffer.getvalue(), "plan.docx")
    assert "OPENVEILIGHEID_MAX_DOCUMENT_PART_BYTES" in str(error.value)


def test_a_pdf_with_too_many_pages_is_refused():
    content = pdf_bytes(600)
    assert len(content) < 100 * 1024
    with pytest.raises(UnreadableDocument) as error:
        read_document(content, "plan.pdf")
    assert "600 pagina's; de grens is 500" in str(error.value)


@pytest.mark.django_db
def test_a_text_without_a_plan_is_refused():
    with pytest.raises(UnreadableDocument) as error:
        read_plan(b"Boodschappenlijst\nMelk\nBrood\nKaas\n", "lijst.txt")
    assert "In dit bestand staat geen plan" in str(error.value)
    # Random bytes named .txt: no text at all.
    with pytest.raises(UnreadableDocument) as error:
        read_plan(bytes(range(256)) * 100, "willekeurig.txt")
    assert "binaire gegevens" in str(error.value)


@pytest.mark.django_db
def test_an_ordinary_plan_still_reads():
    extracted = read_plan(documents.small_plan_xlsx(), "plan.xlsx")
    assert extracted.actions


@pytest.mark.django_db
def test_the_plan_upload_refuses_a_text_without_a_plan(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from openveiligheid.imports.models import Upload
    from openveiligheid.plans.models import Plan
    from tests.permissions import login

    plans = Plan.objects.count()
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("plan_imports:upload"),
        {
            "file": SimpleUploadedFile("notities.txt", b"Alleen wat notities.\n"),
            "organisation": world.municipality_a.pk,
        },
    )
    assert response.status_code == 200
    assert "In dit bestand staat geen plan" in response.content.decode()
    assert not Upload.objects.exists() and Plan.objects.count() == plans


@pytest.mark.django_db
def test_reading_and_extracting_a_plan_stop_at_the_parse_time_limit(monkeypatch):
    from openveiligheid.imports.plans import services

    read = services.read_document(documents.small_plan_xlsx(), "plan.xlsx")
    # Reading took no time: the extraction is what runs out of it.
    monkeypatch.setattr(services, "read_document", lambda content, name: read)
    with (
        override_settings(OPENVEILIGHEID_MAX_PARSE_SECONDS=0),
        pytest.raises(UnreadableDocument) as error,
    ):
        read_plan(b"", "plan.xlsx")
    assert "OPENVEILIGHEID_MAX_PARSE_SECONDS" in str(error.value)
