"""CBS StatLine and data.politie.nl CSV exports.

Such an export is a small report rather than a plain table::

    "Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente 2026"   <- title
    "Soort misdrijf: Totaal misdrijven"                                       <- filters
    ""
    "Onderwerp";"Geregistreerde misdrijven";"Geregistreerde misdrijven"       <- column dimensions
    "Perioden";"2022";"2023"
    "Regio's";"aantal";"aantal"                  <- names of the row dimensions, then units
    "Apeldoorn";"7081";"6991"                    <- data: row dimension values, then numbers
    "Bron: Politie"                              <- footnote

Every dimension (topic, period, region, others such as "Soort misdrijf") can be a filter line,
a column header row or a row label column, so the reader finds out which is which: the header
block starts at the "Onderwerp(en)" row, the number of row label columns is the number of
leading cells of that row before its first topic, and the header ends at the first row whose
label is not a dimension name and whose other cells are numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from openveiligheid.core.text import compact_key

from ..base import Observation, ParsedTable, Problems, UnreadableFile
from ..common import (
    clean_decimal,
    csv_rows,
    find_table_id,
    guess_unit,
    is_total,
    kind_hint_from_title,
    normalise_period,
    parse_value,
    region_code,
    region_kind,
    single_year,
    sniff_delimiter,
    stem,
)

TOPIC_LABELS = {"onderwerp", "onderwerpen"}
PERIOD_LABELS = {"perioden", "periode", "periods", "jaar"}
REGION_LABELS = {
    "regios",
    "regio",
    "regioindeling",
    "gemeenten",
    "gemeente",
    "wijkenenbuurten",
    "wijkenbuurten",
    "regionaleeenheden",
    "politieregio",
    "regions",
}
KNOWN_LABELS = TOPIC_LABELS | PERIOD_LABELS | REGION_LABELS
FOOTNOTE = re.compile(r"^\s*(bron\b|©|copyright|centraal bureau voor de statistiek|cbs\b)", re.I)
UNIT_WORDS = re.compile(
    r"(aantal|%|procent|per\s|x\s?1\s?000|euro|€|rapportcijfer|cijfer|index|gemiddeld|jaren|km"
    r"|uur|score|promille|ratio|waarde|mln|mld|dagen)",
    re.I,
)


def header_start(rows: list[list[str]]) -> int | None:
    """Index of the first row of the header block of a StatLine export, or None: a "Perioden"
    row whose other cells are periods, or an "Onderwerp(en)" row followed (after sub-topic rows)
    by another dimension row such as "Perioden" or "Regio's". A plain CSV with a column called
    "onderwerp" or "Perioden" has column names, not periods or dimension rows, after it."""
    for index, row in enumerate(rows[:60]):
        first = compact_key(row[0]) if row else ""
        if first in PERIOD_LABELS and any(normalise_period(cell) for cell in row[1:]):
            return index
        if first in TOPIC_LABELS and len(row) > 1:
            for following in rows[index + 1 : index + 6]:
                key = compact_key(following[0]) if following else ""
                if key in KNOWN_LABELS - TOPIC_LABELS:
                    return index
                if key and key not in TOPIC_LABELS:
                    break
    return None


def looks_like_statline(rows: list[list[str]]) -> bool:
    return header_start(rows) is not None


@dataclass
class _Column:
    topics: list[str] = field(default_factory=list)
    period: str = ""
    region: str = ""
    qualifiers: list[str] = field(default_factory=list)
    unit: str = ""


def _role(label: str) -> str:
    key = compact_key(label)
    if key in TOPIC_LABELS:
        return "topic"
    if key in PERIOD_LABELS:
        return "period"
    if key in REGION_LABELS:
        return "region"
    return "qualifier"


def _is_number_or_missing(cell: str) -> bool:
    try:
        parse_value(cell, decimal_comma=True)
    except ValueError:
        return False
    return True


def statline_rows(text: str) -> list[tuple[int, list[str]]]:
    return csv_rows(text, sniff_delimiter(text))


def _as_text(cell: object) -> str:
    """Cells of an Excel export may be numbers: write them the Dutch way, as the CSV does."""
    if isinstance(cell, Decimal):
        return format(clean_decimal(cell), "f").replace(".", ",")
    return "" if cell is None else str(cell)


def _where(line: int, column: int | None) -> str:
    return f"regel {line}" if column is None else f"regel {line}, kolom {column + 1}"


Row = tuple[int, list[str]]


def read_statline(
    name: str, rows: list[tuple[int, list[object]]], progress=None, where=_where
) -> ParsedTable:
    """Read the export in named steps: the title block, the header block (column dimensions and
    units), the roles of the row label columns, the filters as defaults, then the data rows."""
    text_rows: list[Row] = [(line, [_as_text(cell) for cell in cells]) for line, cells in rows]
    problems = Problems()
    start = header_start([row for _line, row in text_rows])
    if start is None:
        raise UnreadableFile(
            "Dit lijkt geen StatLine-export: de kopregels met 'Onderwerp' en 'Perioden' ontbreken."
        )
    title, filters = _title_block(text_rows[:start], problems, where)
    label_width = _label_width(text_rows[start][1])
    header, data_rows = _split_header(text_rows, start, label_width)
    unit_row = _take_unit_row(header, label_width)
    width = max((len(row) for _line, row in header), default=label_width)
    columns = _columns(header, unit_row, label_width, width)
    row_roles = _row_roles(unit_row, label_width, columns, data_rows)
    defaults = _Defaults.from_filters(filters)
    if (
        not defaults.period
        and not any(column.period for column in columns)
        and "period" not in row_roles
    ):
        defaults.period = single_year(title, stem(name)) or ""

    reader = _DataReader(
        columns=columns,
        row_roles=row_roles,
        defaults=defaults,
        title=title,
        label_width=label_width,
        width=width,
        hint=kind_hint_from_title(title),
        problems=problems,
        where=where,
    )
    total = len(data_rows)
    for number, (line, row) in enumerate(data_rows, start=1):
        if progress and number % 10000 == 0:
            progress(number, total)
        reader.read_row(line, row)
    if progress:
        progress(total, total)
    return ParsedTable(
        format="statline_csv",
        table_id=find_table_id(
            title, *(value for _label, value in filters), stem(name), title=title
        ),
        title=title,
        observations=reader.observations,
        unparsed=problems.result(),
        rows_read=reader.rows_read,
        missing_values=reader.missing,
    )


def _title_block(rows: list[Row], problems: Problems, where) -> tuple[str, list[tuple[str, str]]]:
    """The title, then "Label: value" filter lines; other lines are reported."""
    title = ""
    filters: list[tuple[str, str]] = []
    for line, row in rows:
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        text_line = " ".join(cells)
        if not title:
            title = text_line
        elif ":" in text_line:
            label, _, value = text_line.partition(":")
            filters.append((label.strip(), value.strip()))
        else:
            problems.add(where(line, None), text_line)
    return title, filters


def _label_width(head: list[str]) -> int:
    """The number of row label columns: the leading cells of the "Onderwerp" row before its
    first topic."""
    return next((i for i in range(1, len(head)) if head[i].strip()), 1)


def _is_header_row(row: list[str], label_width: int) -> bool:
    labels = [cell.strip() for cell in row[:label_width]]
    values = [cell.strip() for cell in row[label_width:]]
    if compact_key(labels[0] if labels else "") in KNOWN_LABELS:
        return True
    if not any(labels) and any(values):
        return True
    return bool(values) and not all(_is_number_or_missing(cell) for cell in values)


def _split_header(rows: list[Row], start: int, label_width: int) -> tuple[list[Row], list[Row]]:
    """The header rows from `start` up to the first data row (a row whose label is not a
    dimension name and whose other cells are numbers), and the rows after them."""
    header: list[Row] = []
    index = start
    while index < len(rows):
        line, row = rows[index]
        if not any(cell.strip() for cell in row):
            index += 1
            if header:
                break
            continue
        if not _is_header_row(row, label_width):
            break
        header.append((line, row))
        index += 1
    return header, rows[index:]


def _take_unit_row(header: list[Row], label_width: int) -> list[str] | None:
    """Remove and return the last header row when it holds units ("aantal", "%"); it also names
    the row dimensions in its label cells."""
    if len(header) < 2:
        return None
    last_values = [cell.strip() for cell in header[-1][1][label_width:]]
    if any(last_values) and all(not cell or UNIT_WORDS.search(cell) for cell in last_values):
        return header.pop()[1]
    return None


def _columns(
    header: list[Row], unit_row: list[str] | None, label_width: int, width: int
) -> list[_Column]:
    """What each column holds, from the header rows: a row without a label continues the
    dimension of the row above it."""
    columns = [_Column() for _ in range(width)]
    previous_role = "topic"
    for _line, row in header:
        label = next((cell.strip() for cell in row[:label_width] if cell.strip()), "")
        role = _role(label) if label else previous_role
        previous_role = role
        for position in range(label_width, width):
            cell = row[position].strip() if position < len(row) else ""
            if cell:
                _add_to_column(columns[position], role, cell)
    if unit_row is not None:
        for position in range(label_width, width):
            columns[position].unit = unit_row[position].strip() if position < len(unit_row) else ""
    return columns


def _add_to_column(column: _Column, role: str, cell: str) -> None:
    if role == "topic":
        if cell not in column.topics:
            column.topics.append(cell)
    elif role == "period":
        column.period = cell
    elif role == "region":
        column.region = cell
    elif not is_total(cell):
        column.qualifiers.append(cell)


def _sample(data_rows: list[Row], position: int) -> list[str]:
    return [row[position] for _line, row in data_rows[:50] if len(row) > position]


def _row_roles(
    unit_row: list[str] | None, label_width: int, columns: list[_Column], data_rows: list[Row]
) -> list[str]:
    """The dimension of each row label column: named by the unit row, else recognised by its
    values (periods), else the region when no column holds one, else a qualifier."""
    names = (
        [cell.strip() for cell in unit_row[:label_width]]
        if unit_row is not None
        else [""] * label_width
    )
    has_region_column = any(column.region for column in columns)
    roles: list[str] = []
    for position, dimension in enumerate(names):
        role = _role(dimension) if dimension else ""
        if not role:
            sample = _sample(data_rows, position)
            if sample and all(normalise_period(cell) for cell in sample if cell.strip()):
                role = "period"
            elif "region" not in roles and not has_region_column:
                role = "region"
            else:
                role = "qualifier"
        roles.append(role)
    if not any(column.period for column in columns) and "period" not in roles:
        for position, role in enumerate(roles):
            sample = _sample(data_rows, position)
            if role != "region" and sample and all(normalise_period(cell) for cell in sample):
                roles[position] = "period"
    return roles


@dataclass
class _Defaults:
    """What the filter lines say for the whole table (what it does not vary)."""

    period: str = ""
    region: str = ""
    topic: str = ""
    qualifiers: list[str] = field(default_factory=list)

    @classmethod
    def from_filters(cls, filters: list[tuple[str, str]]) -> _Defaults:
        defaults = cls()
        for label, value in filters:
            role = _role(label)
            if role == "period":
                defaults.period = value
            elif role == "region":
                defaults.region = value
            elif role == "topic":
                defaults.topic = value
            elif not is_total(value):
                defaults.qualifiers.append(value)
        return defaults


@dataclass
class _RowDimensions:
    period: str = ""
    region: str = ""
    qualifiers: list[str] = field(default_factory=list)


@dataclass
class _DataReader:
    """Turns data rows into observations, one per number cell, with counts and problems."""

    columns: list[_Column]
    row_roles: list[str]
    defaults: _Defaults
    title: str
    label_width: int
    width: int
    hint: str
    problems: Problems
    where: Callable[[int, int | None], str]
    observations: list[Observation] = field(default_factory=list)
    missing: int = 0
    rows_read: int = 0

    def read_row(self, line: int, row: list[str]) -> None:
        cells = [cell.strip() for cell in row]
        filled = [cell for cell in cells if cell]
        if not filled:
            return
        if len(filled) == 1 and (len(cells) == 1 or not any(cells[1:])):
            # A single text: a footnote (left out) or a remark (reported).
            if not FOOTNOTE.match(filled[0]):
                self.problems.add(self.where(line, None), filled[0])
            return
        self.rows_read += 1
        extra = [cell for cell in cells[self.width :] if cell]
        if extra:
            self.problems.add(
                self.where(line, None), f"meer cellen dan kolommen: {';'.join(extra)}"
            )
        dimensions = self._row_dimensions(cells)
        for position in range(self.label_width, self.width):
            cell = cells[position] if position < len(cells) else ""
            self._read_cell(cell, self.where(line, position), self.columns[position], dimensions)

    def _row_dimensions(self, cells: list[str]) -> _RowDimensions:
        dimensions = _RowDimensions()
        for position, role in enumerate(self.row_roles):
            cell = cells[position] if position < len(cells) else ""
            if role == "period":
                dimensions.period = cell
            elif role == "region":
                dimensions.region = cell
            elif cell and not is_total(cell):
                dimensions.qualifiers.append(cell)
        return dimensions

    def _read_cell(self, cell: str, at: str, column: _Column, row: _RowDimensions) -> None:
        try:
            value, percent = parse_value(cell, decimal_comma=True)
        except ValueError:
            self.problems.add(at, f"geen getal: {cell}")
            return
        if value is None:
            self.missing += 1
            return
        period_text = column.period or row.period or self.defaults.period
        period = normalise_period(period_text)
        if not period:
            self.problems.add(at, f"onbekende periode '{period_text}': {cell}")
            return
        region = column.region or row.region or self.defaults.region
        if not region:
            self.problems.add(at, f"geen gebied bij {cell}")
            return
        measure = self._measure(column, row)
        code = region_code(region)
        self.observations.append(
            Observation(
                measure=measure,
                region=region,
                region_code=code,
                region_kind=region_kind(region, code, self.hint),
                period=period,
                value=value,
                unit="percentage" if percent else guess_unit(column.unit, measure),
                position=at,
            )
        )

    def _measure(self, column: _Column, row: _RowDimensions) -> str:
        """The topics of the column, then every qualifier: "Misdrijven; Diefstal; Apeldoorn"."""
        topics = column.topics or ([self.defaults.topic] if self.defaults.topic else [self.title])
        measure = " - ".join(topics)
        qualifiers = [*self.defaults.qualifiers, *column.qualifiers, *row.qualifiers]
        return f"{measure}; {'; '.join(qualifiers)}" if qualifiers else measure
