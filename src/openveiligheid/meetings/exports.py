"""The year calendar and a meeting's agenda as DOCX (python-docx) and PDF (WeasyPrint).

The DOCX is built from the same Calendar/Agenda objects the pages show; the PDF renders an HTML
template. WeasyPrint needs system libraries (Pango); when they are missing, render_pdf raises
PdfUnavailable and the view answers with a Dutch error page instead of crashing.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from openveiligheid.core.documents import (
    DOCX_CONTENT_TYPE,
    PdfUnavailable,
    add_row,
    add_table,
    bold_cell,
    docx_bytes,
    new_document,
    pdf_from_html,
    set_font_size,
    shade,
    usable_width_mm,
)
from openveiligheid.meetings.selectors import Agenda, Calendar

__all__ = ["DOCX_CONTENT_TYPE", "PdfUnavailable", "agenda_docx", "calendar_docx", "render_pdf"]

NEW_SHADE = "E2EFD9"  # new actions are printed shaded, as the plans do


def example_notice() -> str:
    """The line an export of an invented (example) calendar starts with."""
    return _(
        "Voorbeelddata: deze vergaderdata en agendapunten zijn verzonnen om de module te tonen; "
        "ze staan niet in het plan. De acties op de agenda komen wel uit het plan."
    )


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


def calendar_docx(calendar: Calendar) -> bytes:
    """Leads as rows, meetings as columns; the last row and column hold the totals."""
    title = _("Jaarkalender %(title)s") % {"title": calendar.title}
    document = new_document(title, landscape=True)
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
    meeting_mm = (usable_width_mm(document) - lead_mm - total_mm) / max(len(headings), 1)
    table = add_table(
        document,
        [_("Trekker"), *headings, _("Totaal")],
        [lead_mm] + [meeting_mm] * len(headings) + [total_mm],
    )
    for row in calendar.rows:
        cells = add_row(table)
        bold_cell(cells[0], row.label)
        for index, items in enumerate(row.cells, start=1):
            cells[index].text = "\n".join(_item_text(item) for item in items)
            if any(item.action_id and item.action.is_new for item in items):
                shade(cells[index], NEW_SHADE)
        bold_cell(cells[-1], str(row.total))
    totals = add_row(table)
    bold_cell(totals[0], _("Totaal"))
    for index, total in enumerate(calendar.meeting_totals, start=1):
        bold_cell(totals[index], str(total))
    bold_cell(totals[-1], str(calendar.grand_total))
    # Beyond eight meetings (one a month) a column needs smaller type to hold a date.
    set_font_size(table, 8 if len(headings) <= 8 else 7)

    document.add_heading(_("Onvoorziene acties"), level=2)
    if calendar.unplanned:
        unplanned = add_table(
            document,
            [_("Actie"), _("Trekker"), _("Toegevoegd op"), _("Op de agenda van")],
            [40, 25, 12, 23],
        )
        for entry in calendar.unplanned:
            cells = add_row(unplanned)
            cells[0].text = str(entry.action)
            cells[1].text = entry.lead
            cells[2].text = _date(entry.since)
            cells[3].text = ", ".join(_date(meeting.date) for meeting in entry.meetings) or _(
                "nog niet ingepland"
            )
        set_font_size(unplanned, 8)
    else:
        document.add_paragraph(_("Geen onvoorziene acties."))
    return docx_bytes(document)


def agenda_docx(agenda: Agenda) -> bytes:
    meeting = agenda.meeting
    title = _("Agenda %(series)s %(date)s") % {
        "series": meeting.series.name,
        "date": _date(meeting.date),
    }
    document = new_document(title)
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

    table = add_table(
        document,
        ["#", _("Onderwerp"), _("Trekker"), _("Wat wordt gerapporteerd"), _("Stand")],
        [7, 50, 33, 55, 30],
    )
    for number, row in enumerate(agenda.rows, start=1):
        cells = add_row(table)
        cells[0].text = str(number)
        cells[1].text = _item_text(row.item)
        cells[2].text = row.lead
        cells[3].text = row.item.what_to_report
        cells[4].text = agenda_state(row)
        if row.item.action_id and row.item.action.is_new:
            shade(cells[1], NEW_SHADE)
    set_font_size(table, 9)

    for title, actions in ((_("Te rapporteren"), agenda.due), (_("Te laat"), agenda.late)):
        document.add_heading(title, level=2)
        if not actions:
            document.add_paragraph(_("Geen."))
        for action in actions:
            document.add_paragraph(
                f"{action} – {_('uiterlijk')} {_date(action.due_end)}", style="List Bullet"
            )
    return docx_bytes(document)


def agenda_state(row) -> str:
    if row.item.reported:
        return _("Gerapporteerd")
    if row.is_late:
        return _("Te laat")
    if row.is_due:
        return _("Te rapporteren")
    return _("Gepland")


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return pdf_from_html(html, base_url=base_url)
