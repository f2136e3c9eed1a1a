"""Printed documents: DOCX (python-docx) and PDF (WeasyPrint), the same way for every export.

A4 throughout with the same margins, title and language in the document's properties, tables
with fixed columns that fill the page and a header row repeated on every page. WeasyPrint needs
system libraries (Pango); when they are missing, pdf_from_html raises PdfUnavailable and a view
answers with a Dutch error page instead of crashing.
"""

from __future__ import annotations

import logging
from io import BytesIO

from django.utils.translation import get_language

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are not installed."""


def pdf_unavailable_page(
    request, *, alternative: str, back_url: str, back_label: str = "", base_template: str = ""
):
    """The 503 page when this server cannot make a PDF (PdfUnavailable): what the person can do
    instead, and the way back."""
    from django.shortcuts import render
    from django.utils.translation import gettext

    return render(
        request,
        "core/pdf_unavailable.html",
        {
            "alternative": alternative,
            "back_url": back_url,
            "back_label": back_label or gettext("Terug"),
            "base_template": base_template,
        },
        status=503,
    )


def pdf_from_html(html: str, *, base_url: str | None = None, stamp: str | None = None) -> bytes:
    """The PDF of an HTML page; ``stamp`` (an ISO time) fixes its creation and modification
    dates, so that the same page always gives the same bytes."""
    # WeasyPrint logs every layout step at INFO; server logs need only its warnings.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango/Cairo libraries not found
        raise PdfUnavailable(str(error)) from error
    document = HTML(string=html, base_url=base_url).render()
    if stamp is not None:
        document.metadata.created = stamp
        document.metadata.modified = stamp
    return document.write_pdf()


def shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def bold_cell(cell, text: str) -> None:
    cell.text = ""
    cell.paragraphs[0].add_run(text).bold = True


# Every document is printed on A4 with the same margins; a year calendar in landscape.
A4_SHORT_MM, A4_LONG_MM = 210, 297
MARGIN_MM = 12


def new_document(title: str, *, landscape: bool = False):
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
    language = language_tag()
    document.core_properties.title = title
    document.core_properties.language = language
    # The language of the text itself (spelling, hyphenation), next to the document property;
    # python-docx's template sets it to en-US.
    for lang in document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), language)
    return document


def language_tag() -> str:
    """The active language as a BCP 47 tag with region (nl-NL, en-GB), as Word expects it."""
    language = (get_language() or "nl").split("-")[0]
    return {"nl": "nl-NL", "en": "en-GB"}.get(language, language)


def style_id(document, name: str) -> str:
    """The id of a style by its name, looked up once per document: python-docx searches the
    styles part on every assignment by name (a millisecond each, a tenth of a report's DOCX)."""
    found = document.__dict__.setdefault("_openveiligheid_style_ids", {})
    if name not in found:
        found[name] = document.styles[name].style_id
    return found[name]


def add_styled_paragraph(document, name: str, text: str = ""):
    """document.add_paragraph(text, style=name) with the style looked up once per document."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id(document, name)
    return paragraph


def usable_width_mm(document) -> float:
    section = document.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def add_table(document, headers: list[str], widths_mm: list[float], *, fill: bool = True):
    """A grid table with a bold header row that Word repeats on every page, in fixed columns
    that together fill the width between the margins (text wraps inside them); with
    fill=False the columns keep the widths given."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    scale = usable_width_mm(document) / sum(widths_mm) if fill else 1.0
    widths = [Mm(width * scale) for width in widths_mm]
    table = document.add_table(rows=1, cols=len(headers))
    table._tbl.tblPr.style = style_id(document, "Table Grid")
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
        bold_cell(cell, text)
        cell.width = width
    return table


def set_font_size(table, points: float) -> None:
    """Table text a size smaller than the body text, so that words fit their column."""
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(points)


def add_row(table):
    """A row whose cells have the table's column widths (Word reads the width per cell)."""
    cells = table.add_row().cells
    for cell, column in zip(cells, table.columns, strict=True):
        cell.width = column.width
    return cells


def add_picture(document, png: bytes, *, width_mm: float, description: str, name: str = ""):
    """A PNG in its own paragraph with alternative text (the picture's descr, which Word shows
    as "Alternatieve tekst" and screen readers read)."""
    from docx.shared import Mm

    shape = document.add_paragraph().add_run().add_picture(BytesIO(png), width=Mm(width_mm))
    properties = shape._inline.docPr
    properties.set("descr", description)
    if name:
        properties.set("title", name)
    return shape


def docx_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
