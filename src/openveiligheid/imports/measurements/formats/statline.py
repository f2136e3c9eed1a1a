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


def read_statline(
    name: str, rows: list[tuple[int, list[object]]], progress=None, where=_where
) -> ParsedTable:
    rows = [(line, [_as_text(cell) for cell in cells]) for line, cells in rows]
    problems = Problems()

    start = header_start([row for _line, row in rows])
    if start is None:
        raise UnreadableFile(
            "Dit lijkt geen StatLine-export: de kopregels met 'Onderwerp' en 'Perioden' ontbreken."
        )

    # Title block: the title, then "Label: value" filter lines.
    title = ""
    filters: list[tuple[str, str]] = []
    for line, row in rows[:start]:
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

    head = rows[start][1]
    k = next((i for i in range(1, len(head)) if head[i].strip()), 1)

    # Header rows.
    header: list[tuple[int, list[str]]] = []
    index = start
    while index < len(rows):
        line, row = rows[index]
        if not any(cell.strip() for cell in row):
            index += 1
            if header:
                break
            continue
        label_cells = [cell.strip() for cell in row[:k]]
        values = [cell.strip() for cell in row[k:]]
        if (
            compact_key(label_cells[0] if label_cells else "") in KNOWN_LABELS
            or not any(label_cells)
            and any(values)
            or values
            and not all(_is_number_or_missing(cell) for cell in values)
        ):
            header.append((line, row))
        else:
            break
        index += 1
    data_rows = rows[index:]

    width = max((len(row) for _line, row in header), default=k)
    unit_row = None
    last_values = [cell.strip() for cell in header[-1][1][k:]] if header else []
    if (
        len(header) > 1
        and any(last_values)
        and all(not cell or UNIT_WORDS.search(cell) for cell in last_values)
    ):
        unit_row = header.pop()[1]

    columns = [_Column() for _ in range(width)]
    previous_role = "topic"
    for _line, row in header:
        label = next((cell.strip() for cell in row[:k] if cell.strip()), "")
        role = _role(label) if label else previous_role
        previous_role = role
        for position in range(k, width):
            cell = row[position].strip() if position < len(row) else ""
            if not cell:
                continue
            column = columns[position]
            if role == "topic":
                if cell not in column.topics:
                    column.topics.append(cell)
            elif role == "period":
                column.period = cell
            elif role == "region":
                column.region = cell
            elif not is_total(cell):
                column.qualifiers.append(cell)
    if unit_row is not None:
        for position in range(k, width):
            columns[position].unit = unit_row[position].strip() if position < len(unit_row) else ""

    # Row dimensions: named by the unit row, else recognised by their values.
    row_roles: list[str] = []
    names = [cell.strip() for cell in unit_row[:k]] if unit_row is not None else [""] * k
    has_region_column = any(column.region for column in columns)
    has_period_column = any(column.period for column in columns)
    for position, dimension in enumerate(names):
        role = _role(dimension) if dimension else ""
        if not role or (role == "qualifier" and not dimension):
            sample = [row[position] for _line, row in data_rows[:50] if len(row) > position]
            if sample and all(normalise_period(cell) for cell in sample if cell.strip()):
                role = "period"
            elif "region" not in row_roles and not has_region_column:
                role = "region"
            else:
                role = "qualifier"
        row_roles.append(role)
    if not has_period_column and "period" not in row_roles:
        for position, role in enumerate(row_roles):
            sample = [row[position] for _line, row in data_rows[:50] if len(row) > position]
            if role != "region" and sample and all(normalise_period(cell) for cell in sample):
                row_roles[position] = "period"

    # Filters give what the table itself does not vary.
    default_period = default_region = ""
    default_topic = ""
    default_qualifiers: list[str] = []
    for label, value in filters:
        role = _role(label)
        if role == "period":
            default_period = value
        elif role == "region":
            default_region = value
        elif role == "topic":
            default_topic = value
        elif not is_total(value):
            default_qualifiers.append(value)
    if not default_period and not has_period_column and "period" not in row_roles:
        default_period = single_year(title, stem(name)) or ""

    hint = kind_hint_from_title(title)
    observations: list[Observation] = []
    missing = 0
    rows_read = 0
    total = len(data_rows)
    for number, (line, row) in enumerate(data_rows, start=1):
        if progress and number % 10000 == 0:
            progress(number, total)
        cells = [cell.strip() for cell in row]
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        if len(filled) == 1 and (len(cells) == 1 or not any(cells[1:])):
            if not FOOTNOTE.match(filled[0]):
                problems.add(where(line, None), filled[0])
            continue
        rows_read += 1
        if len(cells) > width:
            extra = [cell for cell in cells[width:] if cell]
            if extra:
                problems.add(where(line, None), f"meer cellen dan kolommen: {';'.join(extra)}")
        row_period = row_region = ""
        row_qualifiers: list[str] = []
        for position, role in enumerate(row_roles):
            cell = cells[position] if position < len(cells) else ""
            if role == "period":
                row_period = cell
            elif role == "region":
                row_region = cell
            elif cell and not is_total(cell):
                row_qualifiers.append(cell)
        for position in range(k, width):
            cell = cells[position] if position < len(cells) else ""
            at = where(line, position)
            try:
                value, percent = parse_value(cell, decimal_comma=True)
            except ValueError:
                problems.add(at, f"geen getal: {cell}")
                continue
            if value is None:
                missing += 1
                continue
            column = columns[position]
            period_text = column.period or row_period or default_period
            period = normalise_period(period_text)
            if not period:
                problems.add(at, f"onbekende periode '{period_text}': {cell}")
                continue
            region = column.region or row_region or default_region
            if not region:
                problems.add(at, f"geen gebied bij {cell}")
                continue
            topics = column.topics or ([default_topic] if default_topic else [title])
            measure = " - ".join(topics)
            qualifiers = [*default_qualifiers, *column.qualifiers, *row_qualifiers]
            if qualifiers:
                measure = f"{measure}; {'; '.join(qualifiers)}"
            code = region_code(region)
            observations.append(
                Observation(
                    measure=measure,
                    region=region,
                    region_code=code,
                    region_kind=region_kind(region, code, hint),
                    period=period,
                    value=value,
                    unit="percentage" if percent else guess_unit(column.unit, measure),
                    position=at,
                )
            )
    if progress:
        progress(total, total)
    return ParsedTable(
        format="statline_csv",
        table_id=find_table_id(
            title, *(value for _label, value in filters), stem(name), title=title
        ),
        title=title,
        observations=observations,
        unparsed=problems.result(),
        rows_read=rows_read,
        missing_values=missing,
    )
