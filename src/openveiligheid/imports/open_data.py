"""Readers for open-data exports: data.politie.nl / CBS StatLine CSV and CBS typed CSV tables."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Observation:
    region: str  # the region as written in the file
    period: str  # "2022", "2022-H1", "2022-Q3", "2022-05"
    value: float
    measure: str


@dataclass
class Table:
    title: str
    observations: list[Observation]


def normalise_name(name: str) -> str:
    """Comparable form of a municipality name: no accents, case, '(gemeente)' or punctuation."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((gemeente|gem\.)\)", "", text)
    text = re.sub(r"[^a-z0-9()]+", " ", text)
    return " ".join(text.split())


_PERIOD = re.compile(
    r"^(\d{4})(?:\s*(?:(\d)e\s*(?:kwartaal|halfjaar))|\s*(JJ00|KW0(\d)|MM(\d\d)))?"
)


def normalise_period(text: str) -> str:
    text = text.strip().strip('"')
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(f"Onbekende periode: {text}")
    year = match.group(1)
    if match.group(4):
        return f"{year}-Q{match.group(4)}"
    if match.group(5):
        return f"{year}-{match.group(5)}"
    if match.group(2):
        kind = "Q" if "kwartaal" in text else "H"
        return f"{year}-{kind}{match.group(2)}"
    return year


def read_statline_csv(path: Path | str) -> Table:
    """A StatLine / data.politie.nl export: title lines, then Onderwerp, Perioden, Regio's header
    rows, then one row per region with a value per period column."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    title = rows[0][0] if rows and rows[0] else ""
    measures = periods = None
    observations = []
    for row in rows:
        if not row or not any(cell.strip() for cell in row):
            continue
        head = row[0].strip()
        if head == "Onderwerp":
            measures = row[1:]
        elif head == "Perioden":
            periods = [normalise_period(cell) for cell in row[1:]]
        elif head in ("Regio's", "Regio", "Gemeenten"):
            continue
        elif periods and len(row) > 1:
            for index, cell in enumerate(row[1:]):
                cell = cell.strip()
                if cell in ("", ".", "-", "x"):
                    continue
                observations.append(
                    Observation(
                        region=head,
                        period=periods[index],
                        value=float(cell.replace(".", "").replace(",", ".")),
                        measure=(measures or [title])[min(index, len(measures or [title]) - 1)],
                    )
                )
    return Table(title=title, observations=observations)


def read_cbs_typed_csv(path: Path | str, value_column: str) -> Table:
    """A CBS OData table saved as CSV with dimension labels (RegioS like 'Epe (gemeente)')."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        observations = [
            Observation(
                region=row["RegioS"],
                period=normalise_period(row["Perioden"]),
                value=float(row[value_column]),
                measure=value_column,
            )
            for row in reader
            if row.get(value_column) not in (None, "", ".")
        ]
    return Table(title=Path(path).stem, observations=observations)
