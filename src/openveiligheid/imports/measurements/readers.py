"""Read an export file into normalised observations; the format is recognised by content.

    table = read_table("export.csv", content)          # format found from the content
    table = read_table("x.csv", content, source="statline_csv")   # or forced

Formats (`ParsedTable.format`):

- ``statline_csv``: CBS StatLine / data.politie.nl CSV export with title and header block;
- ``cbs_odata_json``: CBS OData JSON (TypedDataSet, optionally with its dimension tables);
- ``cbs_typed_csv``: a plain CSV of a CBS table (RegioS, Perioden, topic columns) or derived
  from one (CBS region codes);
- ``geojson``: features with CBS region properties and numeric properties;
- ``incidents``: an incident list (postcode, date, type) counted per PC4 area, month and type;
- ``cbsodata_csv``: the long format of the cbsodata clients (code and ``_label`` columns);
- ``survey``: any other table of areas and indicators, from CSV or XLSX.

Nothing is dropped silently: what cannot be read is in ``ParsedTable.unparsed`` with its
position. A file that cannot be read at all raises UnreadableFile with a Dutch message.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from openveiligheid.core.limits import (
    ParseLimitExceeded,
    check_text_lines,
    load_json,
    parse_time_limit,
)

from .base import FORMATS, Observation, ParsedTable, UnreadableFile
from .common import csv_rows, decode_text, find_table_id, sniff_delimiter, stem
from .formats.cbsodata import looks_like_cbsodata, read_cbsodata
from .formats.geojson import read_geojson
from .formats.incidents import find_columns, has_count_column, read_incidents
from .formats.odata import looks_like_odata, read_odata
from .formats.statline import looks_like_statline, read_statline
from .formats.tables import Grid, analyse, read_grid
from .formats.xlsx import workbook_grids

__all__ = [
    "FORMATS",
    "Observation",
    "ParsedTable",
    "UnreadableFile",
    "detect_format",
    "read_table",
]

Progress = Callable[[int, int], None] | None

NOT_KNOWN = "Dit bestand is geen CSV, JSON of Excel-bestand dat Open Veiligheid kent"
FORMAT_LABELS = {
    "statline_csv": "StatLine/data.politie.nl-export (CSV)",
    "cbs_odata_json": "CBS OData-tabel (JSON)",
    "cbs_typed_csv": "CBS-tabel (CSV)",
    "geojson": "GeoJSON",
    "incidents": "incidentenlijst",
    "survey": "tabel met gebieden en indicatoren (CSV of Excel)",
    "cbsodata_csv": "CBS-tabel uit de cbsodata-client (CSV met codes en _label-kolommen)",
}


@dataclass
class _Inspected:
    format: str
    kind: str  # "text", "json", "xlsx"
    text: str = ""
    data: object = None
    grids: list[Grid] | None = None


def _where_csv(line: int, column: int | None) -> str:
    return f"regel {line}" if column is None else f"regel {line}, kolom {column + 1}"


def _fail(reason: str) -> UnreadableFile:
    return UnreadableFile(f"{NOT_KNOWN}: {reason}")


def _inspect(name: str, content: bytes) -> _Inspected:
    """Recognise the format by content, in steps: binary containers (ZIP, Excel, old Office,
    PDF), then text as JSON, markup or a table."""
    if not content or not content.strip():
        raise UnreadableFile(f"Het bestand '{name}' is leeg.")
    if content.startswith(b"PK\x03\x04"):
        return _inspect_zip(content)
    _refuse_binary(content)
    text = decode_text(content)
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        return _inspect_json(stripped)
    check_text_lines(text)
    if stripped[:1] == "<":
        if "<html" in stripped[:2000].lower() or "<!doctype html" in stripped[:200].lower():
            raise _fail("het is een webpagina (HTML). Download de tabel zelf als CSV of JSON.")
        raise _fail(
            "het is XML. Vraag een CBS-tabel op als JSON (met $format=json) of download CSV."
        )
    return _inspect_text_table(name, text)


def _inspect_zip(content: bytes) -> _Inspected:
    try:
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    except zipfile.BadZipFile as error:
        raise _fail("het is een beschadigd ZIP- of Excel-bestand.") from error
    if "xl/workbook.xml" in names:
        grids = workbook_grids(content)
        for grid in grids:
            if looks_like_statline([[str(cell) for cell in cells] for _l, cells in grid.rows]):
                return _Inspected("statline_csv", "xlsx", grids=grids)
        # Workbooks are what people make themselves (survey results), whatever codes they
        # hold; a StatLine export in Excel is recognised above.
        return _Inspected("survey", "xlsx", grids=grids)
    if "word/document.xml" in names:
        raise _fail("het is een Word-document. Upload de tabel als CSV of Excel.")
    raise _fail("het is een ZIP-bestand. Pak het uit en upload de CSV- of Excel-tabel zelf.")


def _refuse_binary(content: bytes) -> None:
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            "het is een oud Office-bestand (.xls). Sla het in Excel op als .xlsx of als CSV."
        )
    if content.startswith(b"%PDF"):
        raise _fail("het is een PDF. Download de tabel als CSV, JSON of Excel.")
    if not content.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in content[:4096]:
        raise _fail("het bevat binaire gegevens in plaats van tekst.")


def _inspect_json(text: str) -> _Inspected:
    try:
        data = load_json(text)
    except json.JSONDecodeError as error:
        raise _fail(
            f"het lijkt JSON, maar is onleesbaar rond regel {error.lineno} ({error.msg})."
        ) from error
    if isinstance(data, dict) and (
        data.get("type") == "FeatureCollection" or isinstance(data.get("features"), list)
    ):
        return _Inspected("geojson", "json", data=data)
    if looks_like_odata(data):
        return _Inspected("cbs_odata_json", "json", data=data)
    raise _fail(
        "het is JSON, maar geen CBS OData-tabel (TypedDataSet/value met RegioS en Perioden) "
        "en geen GeoJSON (FeatureCollection)."
    )


def _inspect_text_table(name: str, text: str) -> _Inspected:
    """A StatLine export, an incident list, a CBS typed table or a survey table, by a sample
    of the first 200 lines."""
    sample_text = "\n".join(text[:500_000].splitlines()[:200])
    delimiter = sniff_delimiter(sample_text)
    sample = [row for _line, row in csv_rows(sample_text, delimiter)]
    if looks_like_statline(sample):
        return _Inspected("statline_csv", "text", text=text)
    header = next((row for row in sample if any(cell.strip() for cell in row)), [])
    if looks_like_cbsodata(header, sample[sample.index(header) + 1 :] if header else []):
        return _Inspected("cbsodata_csv", "text", text=text)
    if len(header) >= 2 and find_columns(header) is not None and not has_count_column(header):
        return _Inspected("incidents", "text", text=text)
    grid = Grid(csv_rows(sample_text, delimiter), _where_csv, decimal_comma=delimiter != ",")
    try:
        layout = analyse(grid, name, sample=200)
    except UnreadableFile as error:
        raise _fail(_lower_first(str(error))) from error
    if not layout.measures:
        raise _fail(
            "er staan geen kolommen met getallen in "
            f"(kolommen: {', '.join(label for label in layout.labels if label)})."
        )
    is_cbs = layout.looks_cbs() or find_table_id(layout.title, stem(name), title=layout.title)
    return _Inspected("cbs_typed_csv" if is_cbs else "survey", "text", text=text)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def detect_format(name: str, content: bytes) -> str:
    """The format of an export, recognised by its content (the name is only used in messages
    and as a hint for what the content does not say, such as a year)."""
    return _inspect(name, content).format


def read_table(
    name: str, content: bytes, source: str = "auto", progress: Progress = None
) -> ParsedTable:
    """Read an export into observations. `source` is "auto" (recognise the format) or one of
    FORMATS to force it. `progress(done, total)` is called now and then for large files.

    Reading stops at the limits of core.limits (rows, line length, JSON size and nesting, the
    time of the whole reading), with a Dutch message naming the limit (UnreadableFile)."""
    try:
        with parse_time_limit():
            return _read_table(name, content, source, progress)
    except ParseLimitExceeded as error:
        raise UnreadableFile(str(error)) from error


def _read_table(name: str, content: bytes, source: str, progress: Progress) -> ParsedTable:
    if source != "auto" and source not in FORMATS:
        raise UnreadableFile(
            f"Onbekende bron '{source}'. Kies 'auto' of een van: {', '.join(FORMATS)}."
        )
    inspected = _inspect(name, content)
    fmt = inspected.format if source == "auto" else source
    compatible = {
        "text": {"statline_csv", "cbs_typed_csv", "survey", "incidents", "cbsodata_csv"},
        "json": {"cbs_odata_json", "geojson"},
        "xlsx": {"statline_csv", "cbs_typed_csv", "survey"},
    }[inspected.kind]
    if fmt not in compatible:
        raise UnreadableFile(
            f"Het bestand is opgegeven als {FORMAT_LABELS[fmt]}, maar het is een "
            f"{FORMAT_LABELS[inspected.format]}."
        )

    if inspected.kind == "json":
        if fmt == "geojson":
            table = read_geojson(name, inspected.data, progress)
        else:
            table = read_odata(name, inspected.data, progress)
    elif inspected.kind == "xlsx":
        table = _read_workbook(name, inspected.grids or [], fmt, progress)
    elif fmt == "statline_csv":
        table = read_statline(
            name, csv_rows(inspected.text, sniff_delimiter(inspected.text)), progress
        )
    elif fmt == "incidents":
        table = read_incidents(name, inspected.text, progress)
    elif fmt == "cbsodata_csv":
        table = read_cbsodata(name, inspected.text, progress)
    else:
        text = inspected.text
        delimiter = sniff_delimiter(text[:20000])
        grid = Grid(csv_rows(text, delimiter), _where_csv, decimal_comma=delimiter != ",")
        table = read_grid(grid, name, fmt, progress)
    if not table.observations and not table.unparsed:
        raise UnreadableFile(
            f"Het bestand '{name}' bevat geen cijfers die Open Veiligheid kan lezen."
        )
    return table


def _read_workbook(name: str, grids: list[Grid], fmt: str, progress: Progress) -> ParsedTable:
    """Every sheet with a table; sheets without one are reported, not silently skipped."""
    tables: list[ParsedTable] = []
    skipped: list[tuple[str, str]] = []
    first_error: UnreadableFile | None = None
    for grid in grids:
        if not any(any(str(cell).strip() for cell in cells) for _line, cells in grid.rows):
            continue
        try:
            if fmt == "statline_csv":
                table = read_statline(name, grid.rows, progress, where=grid.where)
            else:
                table = read_grid(grid, name, fmt, progress)
        except UnreadableFile as error:
            first_error = first_error or error
            skipped.append((f"blad '{grid.sheet}'", f"geen tabel ingelezen: {error}"))
            continue
        tables.append(table)
    if not tables:
        if first_error is not None:
            raise first_error
        raise UnreadableFile(f"Het Excel-bestand '{name}' bevat geen tabellen met cijfers.")
    head = tables[0]
    return ParsedTable(
        format=head.format,
        table_id=next((table.table_id for table in tables if table.table_id), ""),
        title=head.title,
        observations=[item for table in tables for item in table.observations],
        unparsed=[*skipped, *(item for table in tables for item in table.unparsed)],
        rows_read=sum(table.rows_read for table in tables),
        missing_values=sum(table.missing_values for table in tables),
    )
