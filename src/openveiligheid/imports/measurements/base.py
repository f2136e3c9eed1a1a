"""The normalised result of reading an export: observations, plus what could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

FORMATS = (
    "statline_csv",
    "cbs_odata_json",
    "cbs_typed_csv",
    "geojson",
    "incidents",
    "survey",
    "cbsodata_csv",
)

# Region kinds, spelled like areas.Area.Level so the matcher can compare them directly.
MUNICIPALITY, DISTRICT, NEIGHBOURHOOD, POSTCODE, COUNTRY = (
    "municipality",
    "district",
    "neighbourhood",
    "postcode",
    "country",
)

# Units, spelled like indicators.Indicator.unit ("" when the file does not say).
COUNT, PERCENTAGE, GRADE, RATE = "count", "percentage", "grade", "rate"

# Reports of unreadable content are capped so that a million bad rows do not become a million
# strings; the last entry then says how many more there were.
MAX_UNPARSED = 1000


class UnreadableFile(ValueError):
    """The file cannot be read at all. The message is Dutch and meant for the person uploading."""


@dataclass(frozen=True)
class Observation:
    measure: str
    region: str
    region_code: str
    region_kind: str
    period: str
    value: Decimal
    unit: str
    position: str


@dataclass
class ParsedTable:
    format: str
    table_id: str
    title: str
    observations: list[Observation]
    unparsed: list[tuple[str, str]]
    rows_read: int
    # Counters beyond the agreed API (keyword-only defaults, so constructing without them works):
    # values the file itself marks as missing ("." / "x" / empty), and exact duplicate rows
    # dropped from incident lists. Both are also explained in `unparsed` when they are not zero
    # for duplicates; missing values are the file's own statement and are only counted.
    missing_values: int = 0
    duplicates_dropped: int = 0


@dataclass
class Problems:
    """Collects (position, text) reports, capped at MAX_UNPARSED with a closing summary."""

    items: list[tuple[str, str]] = field(default_factory=list)
    overflow: int = 0

    def add(self, position: str, text: str) -> None:
        if len(self.items) < MAX_UNPARSED:
            self.items.append((position, text))
        else:
            self.overflow += 1

    def result(self) -> list[tuple[str, str]]:
        if not self.overflow:
            return list(self.items)
        return [
            *self.items,
            ("", f"en nog {self.overflow} meldingen die niet zijn opgesomd"),
        ]
