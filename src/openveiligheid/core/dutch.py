"""Reading what Dutch documents and exports write: month names, dates and numbers.

One table of month names and abbreviations, one date reader and one number reader for the whole
product; the due-date grammar (`core.due`), the meeting calendar, the measurement readers and the
spreadsheet imports all build on these. Readers raise ValueError with a Dutch message.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

__all__ = [
    "MONTH_NAMES",
    "MONTH_NUMBERS",
    "MONTH_PATTERN",
    "NotANumber",
    "WEEKDAY_PATTERN",
    "month_number",
    "parse_date",
    "parse_meeting_date",
    "parse_number",
    "read_day_month",
]

MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# Full names and every abbreviation plans and exports use, Dutch and English ("mrt", "mar", "okt",
# "oct", "sept", "febr"), all lower case and without the full stop.
MONTH_NUMBERS: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "febr": 2,
    "mrt": 3,
    "mar": 3,
    "sept": 9,
    "oct": 10,
}
# A regular-expression alternation of MONTH_NUMBERS, longest first so "sept" wins over "sep".
MONTH_PATTERN = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
# Weekday names and their two-letter abbreviations, as an alternation ("do 11 februari").
WEEKDAY_PATTERN = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo"


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept.", "mrt", "oktober"), else None."""
    return MONTH_NUMBERS.get(word.strip().rstrip(".").lower())


# --------------------------------------------------------------------------------------------
# Dates

_LEADING_WEEKDAY = re.compile(rf"^(?:{WEEKDAY_PATTERN})\.?\s+", re.IGNORECASE)
_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_WORDS = re.compile(rf"^(\d{{1,2}})\s+({MONTH_PATTERN})\.?(?:\s+(\d{{4}}))?$", re.IGNORECASE)
# A clock time after the date in exports of registrations: "11-07-2023 14:05", "2023-07-11T14:05".
_TIME = re.compile(r"[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$")


def _unreadable(text: str) -> ValueError:
    return ValueError(
        _(
            '"%(text)s" is geen datum die ik kan lezen; schrijf bijvoorbeeld "11-2-2021", '
            '"11 februari 2021" of "11-2-2021 (28-1)".'
        )
        % {"text": text}
    )


def read_day_month(text: str) -> tuple[int, int, int | None]:
    """Day, month and the year if written (None when not) of "11-2-2021", "11/02", "11.2.21",
    "2021-02-11", "11 feb. 2021", "donderdag 11 februari"; a two-digit year is in 2000-2099.
    Checks only the form, not whether the day exists (see parse_date). Raises ValueError."""
    cleaned = _LEADING_WEEKDAY.sub("", " ".join(str(text).split()).rstrip(".,;").strip())
    if match := _ISO.match(cleaned):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _NUMERIC.match(cleaned):
        year = int(match[3]) if match[3] else None
        if year is not None and year < 100:
            year += 2000
        return int(match[1]), int(match[2]), year
    if match := _WORDS.match(cleaned):
        return int(match[1]), MONTH_NUMBERS[match[2].lower()], int(match[3]) if match[3] else None
    raise _unreadable(text)


def _existing_date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(
            _('"%(text)s" bevat geen bestaande datum.') % {"text": original}
        ) from error


def parse_date(text: str, year: int | None = None, *, with_time: bool = False) -> date:
    """The date a text writes (any form of read_day_month); `year` completes a text without one
    ("11-02"). `with_time` allows a clock time after the date, which is ignored. Raises
    ValueError in Dutch for an unreadable text, a missing year or a day that does not exist."""
    original = " ".join(str(text or "").split())
    if not original:
        raise ValueError(_("Geen datum opgegeven."))
    day_text = _TIME.sub("", original) if with_time else original
    day, month, written_year = read_day_month(day_text)
    if written_year is None and year is None:
        raise ValueError(
            _('In "%(text)s" staat geen jaar; geef het jaar erbij.') % {"text": original}
        )
    return _existing_date(written_year or year, month, day, original)


_DEADLINE = re.compile(r"^(?P<meeting>.*?)\s*\((?P<deadline>[^)]*)\)\s*$")
# Words plans put before the deadline inside the brackets: "(stukken 28-1)", "(deadline: 28-1)".
_DEADLINE_WORDS = re.compile(
    r"^(?:aanleveren|aanlevering|stukken|deadline|uiterlijk|inleveren|voor)\b[\s:]*",
    re.IGNORECASE,
)
# A deadline for documents lies shortly before the meeting; further back it is a typo.
_MAX_DEADLINE_DAYS = 92


def parse_meeting_date(text: str, year: int | None = None) -> tuple[date, date | None]:
    """Read a meeting date with an optional document deadline in brackets.

    "11-2-2021 (28-1)" -> (2021-02-11, 2021-01-28); "11 februari 2021" -> (2021-02-11, None);
    "11-02" with year 2021 -> (2021-02-11, None). A deadline without a year lies before the
    meeting, so "8-1-2021 (20-12)" has its deadline in 2020. Raises ValueError in Dutch.
    """
    original = " ".join(str(text or "").split())
    if not original:
        raise ValueError(_("Geen datum opgegeven."))
    meeting_text, deadline_text = original, ""
    if match := _DEADLINE.match(original):
        meeting_text, deadline_text = match["meeting"], match["deadline"].strip()
    try:
        day, month, written_year = read_day_month(meeting_text)
    except ValueError:
        raise _unreadable(original) from None
    meeting_year = written_year or year
    if meeting_year is None:
        raise ValueError(
            _('In "%(text)s" staat geen jaar; geef het jaar erbij.') % {"text": original}
        )
    meeting_date = _existing_date(meeting_year, month, day, original)

    deadline_text = _DEADLINE_WORDS.sub("", deadline_text)
    if not deadline_text:
        return meeting_date, None
    try:
        d_day, d_month, d_year = read_day_month(deadline_text)
    except ValueError:
        raise _unreadable(original) from None
    if d_year is None:
        # "8-1-2021 (20-12)": a deadline after the meeting's day in the year lies in the year
        # before, but only when that is close (a deadline a year ahead is a typo).
        d_year = meeting_year if (d_month, d_day) <= (month, day) else meeting_year - 1
    deadline = _existing_date(d_year, d_month, d_day, original)
    if deadline > meeting_date or (meeting_date - deadline).days > _MAX_DEADLINE_DAYS:
        raise ValueError(
            _(
                'In "%(text)s" ligt de datum voor het aanleveren van stukken niet kort vóór het '
                "overleg."
            )
            % {"text": original}
        )
    return meeting_date, deadline


# --------------------------------------------------------------------------------------------
# Numbers


class NotANumber(ValueError):
    """A text that is not a number. The message is translated only when shown: readers try
    many cells that are not numbers (names, codes) and must not pay for a message each time."""

    def __init__(self, text: object):
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return _('"%(text)s" is geen getal.') % {"text": self.text}


_PLAIN = re.compile(r"^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$")
_THOUSANDS = re.compile(r"^[-+]?[1-9]\d{0,2}(\.\d{3})+$")
_THOUSANDS_DECIMAL = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+,\d+$")


def parse_number(text: object, *, decimal_comma: bool = True) -> Decimal:
    """A number as Dutch documents write it: "7,6", "23.555", "€ 1.270.000", "9,4%", "1.234,56".

    A comma is always the decimal separator. With `decimal_comma` (the Dutch default) dots in
    groups of three are thousands ("6.934.800"); without it (an export that writes 7.6) a lone
    dot is a decimal point. A euro sign, a percent sign and spaces are left out. Refuses empty
    text, anything else and infinities or NaN with NotANumber (a ValueError).
    """
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("%").replace("€", "")
    if not (
        _PLAIN.match(cleaned) or _THOUSANDS.match(cleaned) or _THOUSANDS_DECIMAL.match(cleaned)
    ):
        raise NotANumber(text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif decimal_comma and _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise NotANumber(text) from error
    if not number.is_finite():
        raise NotANumber(text)
    return number
