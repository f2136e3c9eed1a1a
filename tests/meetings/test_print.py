"""The exports as printed: every PDF and DOCX on A4, wide calendars in landscape, the last column
on the page, repeated header rows, and title and language in the document properties.

The PDFs are read back with poppler (pdftotext's word boxes: a word beyond the page's edge is cut
off on paper); the DOCX are checked in their structure, and through LibreOffice when installed.
Under CI=true a missing poppler fails the run (.ci/run installs it); LibreOffice is too heavy
for CI, so its check is skipped visibly wherever it is not installed."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from openveiligheid.meetings import exports
from openveiligheid.meetings.selectors import meeting_agenda, year_calendar
from tests.meetings.fixtures import build_wide_calendar
from tests.permissions import login

pytestmark = pytest.mark.django_db

A4_POINTS = (595.3, 841.9)
DOCX_CONTENT_TYPE = exports.DOCX_CONTENT_TYPE


def _require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} ontbreekt: installeer Debian's pakket '{package}' (CI=true).")
        pytest.skip(f"{tool} ({package}) is niet geïnstalleerd; afdrukcontrole overgeslagen.")
    return path


@dataclass
class Word:
    text: str
    page: int
    x_max: float
    page_width: float


def _words(pdf: bytes, tmp_path: Path) -> list[Word]:
    """Every word of the PDF with its page and right edge, as poppler lays it out."""
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        [_require("pdftotext", "poppler-utils"), "-bbox", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x_max, text in re.findall(r'<word [^>]*xMax="([\d.]+)"[^>]*>(.*?)</word>', page):
            words.append(Word(text, number, float(x_max), width))
    return words


def _assert_fits(words: list[Word], last_column: str) -> None:
    assert words, "de PDF bevat geen tekst"
    beyond = [word.text for word in words if word.x_max > word.page_width]
    assert not beyond, f"tekst buiten de pagina: {beyond[:10]}"
    assert any(word.text == last_column for word in words), f"{last_column!r} niet op de pagina"


def _page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)


def _assert_a4(size: tuple[float, float], *, landscape: bool) -> None:
    expected = tuple(reversed(A4_POINTS)) if landscape else A4_POINTS
    assert size == pytest.approx(expected, abs=1)


@pytest.fixture
def wide():
    return build_wide_calendar(meeting_count=12)


@pytest.fixture
def manager_client(client, wide):
    login(client, wide.users["programme_manager"])
    return client


def _get(client, name: str, pk: int) -> bytes:
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.content


def test_calendar_pdf_is_a4_landscape_with_every_column_on_the_page(manager_client, wide, tmp_path):
    pdf = _get(manager_client, "meetings:calendar-pdf", wide.series.pk)
    _assert_a4(_page_size(pdf), landscape=True)
    words = _words(pdf, tmp_path)
    _assert_fits(words, "Totaal")
    # The last meeting's date, and the header row again on every page of the calendar.
    assert any(word.text == "20-12-2023" for word in words)
    pages = {word.page for word in words if word.text == "Trekker"}
    assert len(pages) == len({word.page for word in words}) > 1


def test_agenda_pdf_is_a4_portrait_with_every_column_on_the_page(manager_client, wide, tmp_path):
    pdf = _get(manager_client, "meetings:agenda-pdf", wide.meetings[1].pk)
    _assert_a4(_page_size(pdf), landscape=False)
    _assert_fits(_words(pdf, tmp_path), "Stand")


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("meetings:calendar-pdf", "Jaarkalender Driehoek Mstad 2023"),
        ("meetings:agenda-pdf", "Agenda Driehoek Mstad 13-4-2023"),
    ],
)
def test_pdf_properties_carry_title_and_language(manager_client, wide, name, title):
    pk = wide.series.pk if name == "meetings:calendar-pdf" else wide.meetings[1].pk
    reader = PdfReader(BytesIO(_get(manager_client, name, pk)))
    assert reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_pdf_language_follows_the_users_language(manager_client, wide):
    manager_client.cookies["django_language"] = "en"
    pdf = _get(manager_client, "meetings:agenda-pdf", wide.meetings[1].pk)
    assert PdfReader(BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"


def _docx(client, name: str, pk: int):
    return Document(BytesIO(_get(client, name, pk)))


def _assert_fits_docx(document, *, landscape: bool) -> None:
    section = document.sections[0]
    expected = (297, 210) if landscape else (210, 297)
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx(expected, abs=0.1)
    usable = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.trPr.find(qn("w:tblHeader")) is not None, "kopregel niet herhaald"
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        columns = [column.width for column in table.columns]
        assert sum(columns) <= usable + Mm(0.5)
        for row in table.rows:
            assert [cell.width for cell in row.cells] == columns


def _assert_docx_properties(document, title: str, language: str = "nl-NL") -> None:
    assert document.core_properties.title == title
    assert document.core_properties.language == language
    defaults = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")
    assert defaults[0].get(qn("w:val")) == language


def test_calendar_docx_is_a4_landscape_and_fits(manager_client, wide):
    document = _docx(manager_client, "meetings:calendar-docx", wide.series.pk)
    _assert_fits_docx(document, landscape=True)
    assert document.tables[0].rows[0].cells[-1].text == "Totaal"
    assert len(document.tables[0].columns) == 14
    _assert_docx_properties(document, "Jaarkalender Driehoek Mstad 2023")


def test_agenda_docx_is_a4_portrait_and_fits(manager_client, wide):
    document = _docx(manager_client, "meetings:agenda-docx", wide.meetings[1].pk)
    _assert_fits_docx(document, landscape=False)
    _assert_docx_properties(document, "Agenda Driehoek Mstad 13-4-2023")


def test_docx_language_follows_the_active_language(wide):
    calendar = year_calendar(wide.series, 2023, wide.users["programme_manager"])
    with translation.override("en"):
        document = Document(BytesIO(exports.calendar_docx(calendar)))
    _assert_docx_properties(document, "Year calendar Driehoek Mstad 2023", language="en-GB")


def _through_libreoffice(docx: bytes, tmp_path: Path) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is niet geïnstalleerd; DOCX niet als PDF gecontroleerd.")
    source = tmp_path / "document.docx"
    source.write_bytes(docx)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "document.pdf").read_bytes()


def test_calendar_docx_printed_by_libreoffice_keeps_the_last_column(wide, tmp_path):
    calendar = year_calendar(wide.series, 2023, wide.users["programme_manager"])
    pdf = _through_libreoffice(exports.calendar_docx(calendar), tmp_path)
    _assert_a4(_page_size(pdf), landscape=True)
    _assert_fits(_words(pdf, tmp_path), "Totaal")


def test_agenda_docx_printed_by_libreoffice_keeps_the_last_column(wide, tmp_path):
    agenda = meeting_agenda(wide.meetings[1], wide.users["programme_manager"])
    pdf = _through_libreoffice(exports.agenda_docx(agenda), tmp_path)
    _assert_a4(_page_size(pdf), landscape=False)
    _assert_fits(_words(pdf, tmp_path), "Stand")
