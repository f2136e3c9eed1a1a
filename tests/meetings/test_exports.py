from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from openveiligheid.meetings import exports, services
from openveiligheid.meetings.selectors import meeting_agenda, year_calendar
from tests.meetings.fixtures import build_calendar
from tests.permissions import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_calendar()


def _grid(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_calendar_docx_has_the_cells_and_totals(known):
    calendar = year_calendar(known.series, 2023, known.users["programme_manager"])
    document = Document(BytesIO(exports.calendar_docx(calendar)))
    grid = _grid(document.tables[0])
    assert grid[0] == [
        "Trekker",
        "9-2-2023\n(26-1)",
        "13-4-2023\n(30-3)",
        "8-6-2023\n(25-5)",
        "Totaal",
    ]
    rows = {row[0]: row[1:] for row in grid[1:]}
    assert rows["Gemeente Mstad V&R"] == ["a1", "a1\na2", "", "3"]
    assert rows["Politie Mstad"] == ["a3", "a3\na6 (onvoorzien)", "a3\na7 (nieuw)", "5"]
    assert rows["Geen trekker"] == ["", "", "a5\nRondvraag", "2"]
    assert rows["Totaal"] == ["2", "5", "4", "11"]
    unplanned = _grid(document.tables[1])
    assert unplanned[1][0] == "a6" and unplanned[1][3] == "13-4-2023"
    assert unplanned[2][0] == "a8" and unplanned[2][3] == "nog niet ingepland"
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_agenda_docx(known):
    meeting = known.meetings[1]
    services.mark_reported(meeting.items.get(action=known.actions["a1"]))
    agenda = meeting_agenda(meeting, known.users["programme_manager"])
    document = Document(BytesIO(exports.agenda_docx(agenda)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Agenda Driehoek Mstad 13-4-2023" in text
    assert "Stukken aanleveren uiterlijk: 30-3-2023" in text
    grid = _grid(document.tables[0])
    assert grid[0] == ["#", "Onderwerp", "Trekker", "Wat wordt gerapporteerd", "Stand"]
    assert grid[1] == ["1", "a1 (gerapporteerd)", "Gemeente Mstad V&R", "Stand a1", "Gerapporteerd"]
    assert len(grid) == 6


def test_pdf_exports_are_pdf(client, known):
    login(client, known.users["programme_manager"])
    for url in (
        reverse("meetings:calendar-pdf", args=[known.series.pk]),
        reverse("meetings:agenda-pdf", args=[known.meetings[1].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_docx_download_headers(client, known):
    login(client, known.users["programme_manager"])
    response = client.get(reverse("meetings:calendar-docx", args=[known.series.pk]))
    assert response["Content-Type"] == exports.DOCX_CONTENT_TYPE
    assert 'filename="jaarkalender-driehoek-mstad-2023.docx"' in response["Content-Disposition"]


def test_pdf_without_weasyprint_libraries_gives_a_dutch_503(client, known, monkeypatch):
    def unavailable(*args, **kwargs):
        raise exports.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("openveiligheid.meetings.views.render_pdf", unavailable)
    login(client, known.users["programme_manager"])
    response = client.get(reverse("meetings:calendar-pdf", args=[known.series.pk]))
    assert response.status_code == 503
    assert "PDF niet beschikbaar" in response.content.decode()


def test_render_pdf_turns_a_missing_library_into_pdf_unavailable(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libgobject-2.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(exports.PdfUnavailable):
        exports.render_pdf("meetings/pdf/agenda.html", {})
