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
from django.utils.translation import get_language
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
    """The meeting's date with, on a line of its own, the deadline for documents: a column of
    the year calendar then needs to be no wider than a date."""
    text = _date(meeting.date)
    if meeting.document_deadline:
        text += f"\n({formats.date_format(meeting.document_deadline, 'j-n')})"
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


# Every document is printed on A4 with the same margins; a year calendar in landscape.
A4_SHORT_MM, A4_LONG_MM = 210, 297
MARGIN_MM = 12


def _new_document(title: str, *, landscape: bool = False):
    """An empty A4 document whose properties carry its title and language (python-docx starts
    from US Letter without either)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (A4_LONG_MM, A4_SHORT_MM) if landscape else (A4_SHORT_MM, A4_LONG_MM)
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    language = _language_tag()
    document.core_properties.title = title
    document.core_properties.language = language
    # The language of the text itself (spelling, hyphenation), next to the document property;
    # python-docx's template sets it to en-US.
    for lang in document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), language)
    return document


def _language_tag() -> str:
    """The active language as a BCP 47 tag with region (nl-NL, en-GB), as Word expects it."""
    language = (get_language() or "nl").split("-")[0]
    return {"nl": "nl-NL", "en": "en-GB"}.get(language, language)


def _usable_width_mm(document) -> float:
    section = document.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def _add_table(document, headers: list[str], widths_mm: list[float]):
    """A grid table with a bold header row that Word repeats on every page, in fixed columns
    that together fill the width between the margins (text wraps inside them)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    scale = _usable_width_mm(document) / sum(widths_mm)
    widths = [Mm(width * scale) for width in widths_mm]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    table_properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table_properties.append(layout)
    # Narrow cell margins (1 mm instead of Word's 1.9 mm): a date fits a month's column.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(Mm(1).twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table_properties.append(margins)
    table_width = table_properties.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(width.twips for width in widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header_row = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text, width in zip(header_row.cells, headers, widths, strict=True):
        _bold_cell(cell, text)
        cell.width = width
    return table


def _set_font_size(table, points: float) -> None:
    """Table text a size smaller than the body text, so that words fit their column."""
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(points)


def _add_row(table):
    """A row whose cells have the table's column widths (Word reads the width per cell)."""
    cells = table.add_row().cells
    for cell, column in zip(cells, table.columns, strict=True):
        cell.width = column.width
    return cells


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def calendar_docx(calendar: Calendar) -> bytes:
    """Leads as rows, meetings as columns; the last row and column hold the totals."""
    title = _("Jaarkalender %(title)s") % {"title": calendar.title}
    document = _new_document(title, landscape=True)
    document.add_heading(title, level=1)
    if calendar.has_example_data:
        document.add_paragraph(example_notice())
    document.add_paragraph(
        _(
            "Per trekker de acties die op elk overleg terugkomen. Tussen haakjes: de datum "
            "waarop de stukken binnen moeten zijn."
        )
    )
    # The lead's and the totals' columns keep their width; the meetings share the rest.
    headings = [meeting_heading(meeting) for meeting in calendar.meetings]
    lead_mm, total_mm = 30, 16
    meeting_mm = (_usable_width_mm(document) - lead_mm - total_mm) / max(len(headings), 1)
    table = _add_table(
        document,
        [_("Trekker"), *headings, _("Totaal")],
        [lead_mm] + [meeting_mm] * len(headings) + [total_mm],
    )
    for row in calendar.rows:
        cells = _add_row(table)
        _bold_cell(cells[0], row.label)
        for index, items in enumerate(row.cells, start=1):
            cells[index].text = "\n".join(_item_text(item) for item in items)
            if any(item.action_id and item.action.is_new for item in items):
                _shade(cells[index], NEW_SHADE)
        _bold_cell(cells[-1], str(row.total))
    totals = _add_row(table)
    _bold_cell(totals[0], _("Totaal"))
    for index, total in enumerate(calendar.meeting_totals, start=1):
        _bold_cell(totals[index], str(total))
    _bold_cell(totals[-1], str(calendar.grand_total))
    # Beyond eight meetings (one a month) a column needs smaller type to hold a date.
    _set_font_size(table, 8 if len(headings) <= 8 else 7)

    document.add_heading(_("Onvoorziene acties"), level=2)
    if calendar.unplanned:
        unplanned = _add_table(
            document,
            [_("Actie"), _("Trekker"), _("Toegevoegd op"), _("Op de agenda van")],
            [40, 25, 12, 23],
        )
        for entry in calendar.unplanned:
            cells = _add_row(unplanned)
            cells[0].text = str(entry.action)
            cells[1].text = entry.lead
            cells[2].text = _date(entry.since)
            cells[3].text = ", ".join(_date(meeting.date) for meeting in entry.meetings) or _(
                "nog niet ingepland"
            )
        _set_font_size(unplanned, 8)
    else:
        document.add_paragraph(_("Geen onvoorziene acties."))
    return _save(document)


def agenda_docx(agenda: Agenda) -> bytes:
    meeting = agenda.meeting
    title = _("Agenda %(series)s %(date)s") % {
        "series": meeting.series.name,
        "date": _date(meeting.date),
    }
    document = _new_document(title)
    document.add_heading(title, level=1)
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

    table = _add_table(
        document,
        ["#", _("Onderwerp"), _("Trekker"), _("Wat wordt gerapporteerd"), _("Stand")],
        [7, 50, 33, 55, 30],
    )
    for number, row in enumerate(agenda.rows, start=1):
        cells = _add_row(table)
        cells[0].text = str(number)
        cells[1].text = _item_text(row.item)
        cells[2].text = row.lead
        cells[3].text = row.item.what_to_report
        cells[4].text = agenda_state(row)
        if row.item.action_id and row.item.action.is_new:
            _shade(cells[1], NEW_SHADE)
    _set_font_size(table, 9)

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
