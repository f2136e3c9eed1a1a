"""The year calendar and a meeting's agenda as DOCX (python-docx) and PDF (WeasyPrint).

The DOCX is built from the same Calendar/Agenda objects the pages show; the PDF renders an HTML
template. WeasyPrint needs system libraries (Pango); when they are missing, render_pdf raises
PdfUnavailable and the view answers with a Dutch error page instead of crashing.
"""

from __future__ import annotations

import logging
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from openveiligheid.meetings.selectors import Agenda, Calendar

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NEW_SHADE = "E2EFD9"  # new actions are printed shaded, as the plans do


def example_notice() -> str:
    """The line an export of an invented (example) calendar starts with."""
    return _(
        "Voorbeelddata: deze vergaderdata en agendapunten zijn verzonnen om de module te tonen; "
        "ze staan niet in het plan. De acties op de agenda komen wel uit het plan."
    )


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are not installed."""


def _date(value) -> str:
    return formats.date_format(value, "j-n-Y") if value else "–"


def meeting_heading(meeting) -> str:
    text = _date(meeting.date)
    if meeting.document_deadline:
        text += f" ({formats.date_format(meeting.document_deadline, 'j-n')})"
    return text


def _item_text(item) -> str:
    text = item.label
    marks = []
    if item.action_id and item.action.is_new:
        marks.append(_("nieuw"))
    if item.action_id and item.action.is_unplanned:
        marks.append(_("onvoorzien"))
    if item.reported:
        marks.append(_("gerapporteerd"))
    return f"{text} ({', '.join(marks)})" if marks else text


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _bold_cell(cell, text: str) -> None:
    cell.text = ""
    cell.paragraphs[0].add_run(text).bold = True


def _landscape(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def calendar_docx(calendar: Calendar) -> bytes:
    """Leads as rows, meetings as columns; the last row and column hold the totals."""
    from docx import Document

    document = Document()
    _landscape(document)
    document.add_heading(_("Jaarkalender %(title)s") % {"title": calendar.title}, level=1)
    if calendar.has_example_data:
        document.add_paragraph(example_notice())
    document.add_paragraph(
        _(
            "Per trekker de acties die op elk overleg terugkomen. Tussen haakjes: de datum "
            "waarop de stukken binnen moeten zijn."
        )
    )
    table = document.add_table(rows=1, cols=len(calendar.meetings) + 2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    _bold_cell(header[0], _("Trekker"))
    for index, meeting in enumerate(calendar.meetings, start=1):
        _bold_cell(header[index], meeting_heading(meeting))
    _bold_cell(header[-1], _("Totaal"))
    for row in calendar.rows:
        cells = table.add_row().cells
        _bold_cell(cells[0], row.label)
        for index, items in enumerate(row.cells, start=1):
            cells[index].text = "\n".join(_item_text(item) for item in items)
            if any(item.action_id and item.action.is_new for item in items):
                _shade(cells[index], NEW_SHADE)
        _bold_cell(cells[-1], str(row.total))
    totals = table.add_row().cells
    _bold_cell(totals[0], _("Totaal"))
    for index, total in enumerate(calendar.meeting_totals, start=1):
        _bold_cell(totals[index], str(total))
    _bold_cell(totals[-1], str(calendar.grand_total))

    document.add_heading(_("Onvoorziene acties"), level=2)
    if calendar.unplanned:
        unplanned = document.add_table(rows=1, cols=4)
        unplanned.style = "Table Grid"
        for cell, text in zip(
            unplanned.rows[0].cells,
            (_("Actie"), _("Trekker"), _("Toegevoegd op"), _("Op de agenda van")),
            strict=True,
        ):
            _bold_cell(cell, text)
        for entry in calendar.unplanned:
            cells = unplanned.add_row().cells
            cells[0].text = str(entry.action)
            cells[1].text = entry.lead
            cells[2].text = _date(entry.since)
            cells[3].text = ", ".join(_date(meeting.date) for meeting in entry.meetings) or _(
                "nog niet ingepland"
            )
    else:
        document.add_paragraph(_("Geen onvoorziene acties."))
    return _save(document)


def agenda_docx(agenda: Agenda) -> bytes:
    from docx import Document

    meeting = agenda.meeting
    document = Document()
    document.add_heading(
        _("Agenda %(series)s %(date)s")
        % {"series": meeting.series.name, "date": _date(meeting.date)},
        level=1,
    )
    details = [_("Datum: %(date)s") % {"date": _date(meeting.date)}]
    if meeting.document_deadline:
        details.append(
            _("Stukken aanleveren uiterlijk: %(date)s") % {"date": _date(meeting.document_deadline)}
        )
    if meeting.location:
        details.append(_("Locatie: %(location)s") % {"location": meeting.location})
    if meeting.participants:
        details.append(_("Deelnemers: %(participants)s") % {"participants": meeting.participants})
    if meeting.series.is_example:
        details.insert(0, example_notice())
    for line in details:
        document.add_paragraph(line)

    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("#", _("Onderwerp"), _("Trekker"), _("Wat wordt gerapporteerd"), _("Stand")),
        strict=True,
    ):
        _bold_cell(cell, text)
    for number, row in enumerate(agenda.rows, start=1):
        cells = table.add_row().cells
        cells[0].text = str(number)
        cells[1].text = _item_text(row.item)
        cells[2].text = row.lead
        cells[3].text = row.item.what_to_report
        cells[4].text = agenda_state(row)
        if row.item.action_id and row.item.action.is_new:
            _shade(cells[1], NEW_SHADE)

    for title, actions in ((_("Te rapporteren"), agenda.due), (_("Te laat"), agenda.late)):
        document.add_heading(title, level=2)
        if not actions:
            document.add_paragraph(_("Geen."))
        for action in actions:
            document.add_paragraph(
                f"{action} – {_('uiterlijk')} {_date(action.due_end)}", style="List Bullet"
            )
    return _save(document)


def agenda_state(row) -> str:
    if row.item.reported:
        return _("Gerapporteerd")
    if row.is_late:
        return _("Te laat")
    if row.is_due:
        return _("Te rapporteren")
    return _("Gepland")


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    # WeasyPrint logs every layout step at INFO; server logs need only its warnings.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango/Cairo libraries not found
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url).write_pdf()
