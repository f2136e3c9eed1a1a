"""Read plan documents (plain text, DOCX, PDF, XLSX) into one model: a flat list of items.

An item is a paragraph of text or a table row with its cells, each with its position in the
source, so that the extraction can work the same way on every format and report where every
piece of text it could not place came from.

- Plain text (as extracted from PDF, like the seeds): a line with tabs is a table row, any
  other line a paragraph. Table boundaries are not known; the extraction finds them from the
  header rows.
- DOCX: paragraphs and tables in document order. Paragraphs inside a cell are kept as lines,
  list paragraphs prefixed with "• ". A cell merged with the one above repeats its text and is
  flagged ``covered="above"``; a cell merged with the one to its left is ``covered="left"``.
- PDF: the text layer in layout mode (pypdf), so that columns keep their horizontal position;
  each line is split where a wide gap separates two columns and the pieces keep their offset.
- XLSX: every sheet, its name first as a paragraph, then its rows; merged ranges as in DOCX.

Text from the page layout of PDF (and of text extracted from PDF) is repaired or left out
(``repair_layout``, ``is_page_furniture``): words hyphenated at a line end ("be- leid") are
joined, footnote markers glued to a word ("woninginbraak¹") are dropped, and page numbers and
the running header or footer repeated on most pages are not read as text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from openveiligheid.core.archives import check_cell_count, check_office_archive
from openveiligheid.core.limits import (
    ParseLimitExceeded,
    check_line_length,
    check_paragraphs,
    check_parse_time,
    check_pdf_pages,
    check_rows,
    check_text_size,
    parse_time_limit,
)

FORMATS = ("txt", "docx", "pdf", "xlsx")
BULLET = "• "


class UnreadableDocument(ValueError):
    """The file is not a document of a format we can read; the message is Dutch."""


@dataclass(frozen=True)
class Position:
    """Where a piece of text sits in its source; only the fields that apply are set."""

    order: int  # document order, for sorting across formats
    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    cell: str | None = None

    def as_dict(self) -> dict:
        keys = ("line", "page", "sheet", "table", "row", "column", "cell")
        return {key: getattr(self, key) for key in keys if getattr(self, key) is not None}

    @property
    def label(self) -> str:
        """Dutch description, e.g. "tabel 2, rij 3, kolom 1" or "regel 44"."""
        parts = []
        if self.sheet is not None:
            parts.append(f"blad {self.sheet}")
        if self.page is not None:
            parts.append(f"pagina {self.page}")
        if self.cell is not None:
            parts.append(f"cel {self.cell}")
        else:
            if self.table is not None:
                parts.append(f"tabel {self.table}")
            if self.line is not None:
                parts.append(f"regel {self.line}")
            if self.row is not None:
                parts.append(f"rij {self.row}")
            if self.column is not None:
                parts.append(f"kolom {self.column}")
        return ", ".join(parts)


@dataclass
class Cell:
    text: str
    position: Position
    covered: str | None = None  # "above" or "left" when part of a merged cell
    offset: int | None = None  # PDF: character column where the text starts
    end: int | None = None  # PDF: character column where the text ends


@dataclass
class Item:
    kind: str  # "text", "row" or "end" (end of a table whose bounds the format knows)
    position: Position
    text: str = ""
    cells: list[Cell] = field(default_factory=list)
    style: str = ""  # "heading" or "list" for paragraphs when the format says so
    table: int | None = None  # the table the row belongs to, when the format knows tables
    offset: int | None = None  # PDF paragraphs: where the text starts


@dataclass
class SourceDocument:
    format: str
    items: list[Item]


def detect_format(file_name: str, content: bytes) -> str:
    suffix = Path(file_name or "").suffix.lower().lstrip(".")
    if content[:4] == b"%PDF":
        return "pdf"
    if content[:2] == b"PK":
        if suffix == "xlsx" or b"xl/" in content[:2000]:
            return "xlsx"
        return "docx"
    if suffix in ("txt", "text", "md", "tsv", ""):
        return "txt"
    if suffix in FORMATS:
        return suffix
    raise UnreadableDocument(
        f"Bestandssoort .{suffix} wordt niet ondersteund; gebruik .txt, .docx, .pdf of .xlsx."
    )


def read_document(content: bytes, file_name: str = "") -> SourceDocument:
    kind = detect_format(file_name, content)
    reader = {"txt": read_text, "docx": read_docx, "pdf": read_pdf, "xlsx": read_xlsx}[kind]
    try:
        with parse_time_limit():
            if kind in ("docx", "xlsx"):
                check_office_archive(content)
            return reader(content)
    except ParseLimitExceeded as error:
        raise UnreadableDocument(str(error)) from error
    except UnreadableDocument:
        raise
    except Exception as error:  # a corrupt file must give a message, not a server error
        raise UnreadableDocument(
            f"Het bestand kon niet als {kind.upper()} worden gelezen ({error.__class__.__name__})."
        ) from error


# --------------------------------------------------------------------------------------------
# Page layout

# "be- leid": a word broken at a line end. Not "advies- en meldpunt" (an elided compound) and
# not "- item" (a list dash).
_HYPHENATED_RE = re.compile(
    r"(?<=[^\W\d_])(?P<head>[^\W\d_])-\s+"
    r"(?!(?:en|of|tot|noch|dan|als|maar|t/m)\b)(?P<tail>[a-zà-ÿ])"
)
_FOOTNOTE_MARKER_RE = re.compile(r"(?<=[\w).,;:])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:(?:pagina|blz\.?|page)\s*)?-?\s*\d{1,3}\s*-?(?:\s*(?:van|/|of)\s*\d{1,3})?\s*$",
    re.IGNORECASE,
)


def _join_hyphenated(match: re.Match[str]) -> str:
    head, tail = match.group("head"), match.group("tail")
    # An abbreviation keeps its hyphen ("ZSM- tafel" is "ZSM-tafel").
    joiner = "-" if head.isupper() else ""
    return f"{head}{joiner}{tail}"


def repair_layout(text: str) -> str:
    """Join words hyphenated at a line end, drop footnote markers and soft hyphens."""
    text = text.replace("\u00ad", "")
    text = _HYPHENATED_RE.sub(_join_hyphenated, text)
    return _FOOTNOTE_MARKER_RE.sub("", text)


def is_page_furniture(line: str) -> bool:
    """A page number on a line of its own ("12", "- 12 -", "Pagina 3 van 20")."""
    return bool(_PAGE_NUMBER_RE.match(line))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Header and footer lines: the same first or last lines on most pages (digits ignored).

    Only lines of one column count: a table header repeated on every page is a header row."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        edges = {
            _without_digits(line)
            for line in lines[:2] + lines[-2:]
            if len(_pdf_segments(line)) == 1
        }
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if key and count > len(pages) / 2}


def _without_digits(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", line).split())


# --------------------------------------------------------------------------------------------
# Plain text


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _refuse_binary(content: bytes | str) -> None:
    if isinstance(content, bytes) and b"\x00" in content[:4096]:
        raise UnreadableDocument(
            "Dit bestand is geen tekst maar binaire gegevens; kies het plan als .docx, .pdf, "
            ".xlsx of .txt."
        )


def read_text(content: bytes | str) -> SourceDocument:
    _refuse_binary(content)
    text = _decode(content)
    check_text_size(len(text))
    items: list[Item] = []
    for index, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        number = index + 1
        check_rows(number)
        check_line_length(len(line), number)
        position = Position(order=number * 1000, line=number)
        if not line.strip() or is_page_furniture(line):
            continue
        line = repair_layout(line)
        if "\t" in line:
            cells = [
                Cell(
                    text=part.strip(),
                    position=Position(order=number * 1000 + column, line=number, column=column),
                )
                for column, part in enumerate(line.split("\t"), start=1)
            ]
            items.append(Item(kind="row", position=position, cells=cells))
        else:
            items.append(Item(kind="text", position=position, text=line.strip()))
    return SourceDocument("txt", items)


# --------------------------------------------------------------------------------------------
# DOCX


class _DocxStyles:
    """Paragraph style names by style id, read once: python-docx resolves a paragraph's style by
    scanning all styles on every access, which costs seconds on a long programme."""

    def __init__(self, document):
        self.names = {
            style.style_id: (style.name or "").lower()
            for style in document.styles
            if style.style_id
        }

    def kind(self, p) -> str:
        """ "heading", "list" or "" for a <w:p> element."""
        p_pr = p.pPr
        name = ""
        if p_pr is not None:
            style_id = p_pr.style
            name = self.names.get(style_id, (style_id or "").lower())
            if p_pr.numPr is not None and not name.startswith(("heading", "kop")):
                return "list"
        if name.startswith(("heading", "kop", "title", "titel")):
            return "heading"
        if "list" in name or "lijst" in name:
            return "list"
        return ""


def _docx_paragraph_text(p) -> str:
    return (p.text or "").strip()


def _docx_cell_text(tc, styles: _DocxStyles) -> str:
    from docx.oxml.ns import qn

    lines = []
    for child in tc.iterchildren(qn("w:p"), qn("w:tbl")):
        if child.tag == qn("w:tbl"):
            # Nested tables are rare; keep their text with the cell.
            for p in child.iter(qn("w:p")):
                text = _docx_paragraph_text(p)
                if text:
                    lines.append(text)
            continue
        text = _docx_paragraph_text(child)
        if not text:
            continue
        is_list = styles.kind(child) == "list"
        for part in text.split("\n"):
            part = part.strip()
            if part:
                lines.append(f"{BULLET}{part}" if is_list else part)
    return "\n".join(lines)


def read_docx(content: bytes) -> SourceDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(content))
    styles = _DocxStyles(document)
    items: list[Item] = []
    order = 0
    paragraph_number = 0
    table_number = 0
    blocks = 0  # paragraphs and table rows
    text_size = 0
    for block in document.iter_inner_content():
        blocks += 1
        check_paragraphs(blocks)
        if isinstance(block, Paragraph):
            paragraph_number += 1
            text = _docx_paragraph_text(block._p)
            if not text:
                continue
            text_size += len(text)
            check_text_size(text_size)
            order += 1
            style = styles.kind(block._p)
            items.append(Item(kind="text", position=Position(order=order), text=text, style=style))
            continue
        if not isinstance(block, Table):
            continue
        table_number += 1
        previous_texts: dict[int, str] = {}
        for row_number, tr in enumerate(block._tbl.tr_lst, start=1):
            blocks += 1
            check_paragraphs(blocks)
            order += 1
            row_position = Position(order=order, table=table_number, row=row_number)
            cells: list[Cell] = []
            grid_column = 0
            texts_this_row: dict[int, str] = {}
            for tc in tr.tc_lst:
                span = tc.grid_span or 1
                vmerge = tc.vMerge
                column = grid_column + 1
                order += 1
                position = Position(order=order, table=table_number, row=row_number, column=column)
                if vmerge == "continue":
                    text = previous_texts.get(column, "")
                    cells.append(Cell(text=text, position=position, covered="above"))
                else:
                    text = _docx_cell_text(tc, styles)
                    text_size += len(text)
                    check_text_size(text_size)
                    cells.append(Cell(text=text, position=position))
                texts_this_row[column] = text
                for extra in range(1, span):
                    cells.append(
                        Cell(
                            text="",
                            position=Position(
                                order=order,
                                table=table_number,
                                row=row_number,
                                column=column + extra,
                            ),
                            covered="left",
                        )
                    )
                grid_column += span
            previous_texts = texts_this_row
            items.append(Item(kind="row", position=row_position, cells=cells, table=table_number))
        order += 1
        items.append(Item(kind="end", position=Position(order=order), table=table_number))
    return SourceDocument("docx", items)


# --------------------------------------------------------------------------------------------
# PDF


def _pdf_segments(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each run of text separated by three or more spaces."""
    return [
        (match.start(), match.end(), match.group())
        for match in re.finditer(r"\S+(?: {1,2}\S+)*", line)
    ]


def _pdf_pages(reader) -> list[list[str]]:
    """The text lines of every page, within the limits of pages, text and time."""
    check_pdf_pages(len(reader.pages))
    pages = []
    text_size = 0
    for page in reader.pages:
        check_parse_time()
        text = page.extract_text(extraction_mode="layout") or ""
        text_size += len(text)
        check_text_size(text_size)
        lines = []
        for number, raw in enumerate(text.split("\n"), start=1):
            check_line_length(len(raw), number)
            if (line := raw.rstrip().expandtabs(4)).strip():
                lines.append(line)
        pages.append(lines)
    return pages


def read_pdf(content: bytes) -> SourceDocument:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    # What pypdf unpacks of one stream (its default is 75 MB): a page's text of a few megabytes
    # already takes seconds to lay out.
    stream_limit = settings.OPENVEILIGHEID_MAX_PDF_STREAM_BYTES
    try:
        with apply_configuration(
            zlib_maximum_output_length=stream_limit, maximum_declared_stream_length=stream_limit
        ):
            pages = _pdf_pages(PdfReader(io.BytesIO(content)))
    except LimitReachedError as error:
        raise UnreadableDocument(
            gettext(
                "Een deel van dit PDF-bestand is uitgepakt groter dan %(max)s (de grens "
                "OPENVEILIGHEID_MAX_PDF_STREAM_BYTES); zo'n bestand wordt niet gelezen."
            )
            % {"max": filesizeformat(stream_limit)}
        ) from error
    running = _running_lines(pages)
    items: list[Item] = []
    order = 0
    for page_number, lines in enumerate(pages, start=1):
        line_number = 0
        for line in lines:
            if is_page_furniture(line) or _without_digits(line) in running:
                continue
            line_number += 1
            order += 1
            items.append(_pdf_item(repair_layout(line), order, page_number, line_number))
    return SourceDocument("pdf", items)


def _pdf_item(line: str, order: int, page_number: int, line_number: int) -> Item:
    segments = _pdf_segments(line)
    position = Position(order=order * 100, page=page_number, line=line_number)
    if len(segments) == 1:
        start, end, segment = segments[0]
        item = Item(kind="text", position=position, text=segment, offset=start, style="")
        item.cells = [Cell(segment, position, offset=start, end=end)]
        return item
    cells = [
        Cell(
            text=segment,
            position=Position(
                order=order * 100 + column, page=page_number, line=line_number, column=column
            ),
            offset=start,
            end=end,
        )
        for column, (start, end, segment) in enumerate(segments, start=1)
    ]
    return Item(kind="row", position=position, cells=cells)


# --------------------------------------------------------------------------------------------
# XLSX


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day}-{value.month}-{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _count_cells_streaming(content: bytes) -> None:
    """Count the cells while streaming (read-only mode keeps no sheet in memory) before the
    full load that merged cells need: a small file can describe millions of rows."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        cells = rows = 0
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                check_rows(rows)
                cells += len(row)
                check_cell_count(cells)
    finally:
        workbook.close()


def read_xlsx(content: bytes) -> SourceDocument:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _count_cells_streaming(content)
    workbook = load_workbook(io.BytesIO(content), data_only=True)
    items: list[Item] = []
    order = 0
    for table_number, sheet in enumerate(workbook.worksheets, start=1):
        covered: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
        for merged in sheet.merged_cells.ranges:
            origin = (merged.min_row, merged.min_col)
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    if (row, column) != origin:
                        kind = "above" if column == merged.min_col else "left"
                        covered[row, column] = (kind, origin)
        order += 1
        items.append(
            Item(
                kind="text",
                position=Position(order=order, sheet=sheet.title),
                text=sheet.title,
                style="heading",
            )
        )
        values: dict[tuple[int, int], str] = {}
        for row_cells in sheet.iter_rows():
            row_number = row_cells[0].row if row_cells else 0
            cells: list[Cell] = []
            for cell in row_cells:
                column = cell.column
                order += 1
                position = Position(
                    order=order,
                    sheet=sheet.title,
                    cell=f"{get_column_letter(column)}{row_number}",
                    row=row_number,
                    column=column,
                )
                if (row_number, column) in covered:
                    kind, origin = covered[row_number, column]
                    text = values.get(origin, "") if kind == "above" else ""
                    cells.append(Cell(text=text, position=position, covered=kind))
                    continue
                text = _xlsx_value(cell.value)
                values[row_number, column] = text
                cells.append(Cell(text=text, position=position))
            filled = [c for c in cells if c.text and not c.covered]
            if not filled:
                continue
            row_position = Position(order=order, sheet=sheet.title, row=row_number)
            items.append(Item(kind="row", position=row_position, cells=cells, table=table_number))
        order += 1
        items.append(Item(kind="end", position=Position(order=order), table=table_number))
    return SourceDocument("xlsx", items)
