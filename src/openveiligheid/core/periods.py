"""Reporting periods: a year, half-year, quarter or month, identified by type and first day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from openveiligheid.core.dutch import MONTH_NAMES

YEAR, HALF_YEAR, QUARTER, MONTH = "year", "half_year", "quarter", "month"
PERIOD_TYPES = (YEAR, HALF_YEAR, QUARTER, MONTH)
_MONTHS_PER_TYPE = {YEAR: 12, HALF_YEAR: 6, QUARTER: 3, MONTH: 1}


@dataclass(frozen=True, order=True)
class Period:
    type: str
    start: date

    def __post_init__(self):
        months = _MONTHS_PER_TYPE.get(self.type)
        if months is None:
            raise ValueError(f"Onbekend periodetype: {self.type}")
        if self.start.day != 1 or (self.start.month - 1) % months:
            raise ValueError(f"{self.start} is geen begin van een periode van type {self.type}")

    @classmethod
    def trusted(cls, type: str, start: date) -> Period:
        """The period for a type and first day that are known to be valid, such as a measurement
        row read from the database (the model's constraint and the services validated it).

        Skips the validation of __post_init__ and returns one shared instance per period, so a
        dashboard reading thousands of rows builds each period (and its cached label) only once
        per process. Periods are immutable, so sharing them is safe.
        """
        key = (type, start)
        period = _TRUSTED.get(key)
        if period is None:
            if type not in _MONTHS_PER_TYPE:
                raise ValueError(f"Onbekend periodetype: {type}")
            period = object.__new__(cls)
            object.__setattr__(period, "type", type)
            object.__setattr__(period, "start", start)
            # Distinct periods are few (four types, a few hundred per decade), so the table
            # stays small; the guard only protects against unexpected misuse.
            if len(_TRUSTED) < _TRUSTED_MAX:
                _TRUSTED[key] = period
        return period

    @cached_property
    def end(self) -> date:
        month_index = self.start.month - 1 + _MONTHS_PER_TYPE[self.type] - 1
        year, month = self.start.year + month_index // 12, month_index % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def code(self) -> str:
        """Machine form: 2023, 2023-H1, 2023-Q2, 2023-05."""
        year, month = self.start.year, self.start.month
        if self.type == YEAR:
            return str(year)
        if self.type == HALF_YEAR:
            return f"{year}-H{(month - 1) // 6 + 1}"
        if self.type == QUARTER:
            return f"{year}-Q{(month - 1) // 3 + 1}"
        return f"{year}-{month:02d}"

    @cached_property
    def label(self) -> str:
        """Dutch form: 2023, 1e helft 2023, 2e kwartaal 2023, mei 2023."""
        year, month = self.start.year, self.start.month
        if self.type == YEAR:
            return str(year)
        if self.type == HALF_YEAR:
            return f"{(month - 1) // 6 + 1}e helft {year}"
        if self.type == QUARTER:
            return f"{(month - 1) // 3 + 1}e kwartaal {year}"
        return f"{MONTH_NAMES[month - 1]} {year}"

    def __str__(self) -> str:
        return self.label


_TRUSTED: dict[tuple[str, date], Period] = {}
_TRUSTED_MAX = 100_000

_CODE = re.compile(r"^\s*(\d{4})(?:\s*-\s*(?:(H[12])|(Q[1-4])|(\d{1,2})))?\s*$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """Parse 2023, 2023-H1, 2023-Q2 or 2023-05. Raises ValueError with a Dutch message."""
    match = _CODE.match(str(text or ""))
    if not match:
        raise ValueError(
            f"'{text}' is geen geldige periode; gebruik 2023, 2023-H1, 2023-Q2 of 2023-05."
        )
    year = int(match.group(1))
    half, quarter, month = match.group(2), match.group(3), match.group(4)
    if half:
        return Period(HALF_YEAR, date(year, (int(half[1]) - 1) * 6 + 1, 1))
    if quarter:
        return Period(QUARTER, date(year, (int(quarter[1]) - 1) * 3 + 1, 1))
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"'{text}': de maand moet tussen 1 en 12 liggen.")
        return Period(MONTH, date(year, int(month), 1))
    return Period(YEAR, date(year, 1, 1))
