"""Shared vocabulary of the readers: decoding, CSV dialects, periods, numbers, units, regions."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.conf import settings

from openveiligheid.core.dutch import month_number, parse_number
from openveiligheid.core.limits import check_line_length, check_rows
from openveiligheid.core.text import compact_key

from .base import (
    COUNT,
    COUNTRY,
    DISTRICT,
    GRADE,
    MUNICIPALITY,
    NEIGHBOURHOOD,
    PERCENTAGE,
    RATE,
    UnreadableFile,
)

# --------------------------------------------------------------------------------------------
# Text


def decode_text(content: bytes) -> str:
    """Decode a text export. UTF-8 (with or without BOM) first, UTF-16 when Excel saved it as
    "Unicode-tekst", else Windows-1252, which Dutch Excel uses for "CSV (gescheiden door
    lijstscheidingsteken)"."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                "Dit bestand lijkt UTF-16-tekst maar is beschadigd; sla het opnieuw op als CSV."
            ) from error
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of columns
    (title lines of StatLine exports have one cell, so only rows with several cells count)."""
    sample = text[:20000].splitlines()[:40]
    best, best_score = ",", (0, 0)
    for delimiter in (";", "\t", ",", "|"):
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        widths = [len(row) for row in rows if len(row) > 1]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """All rows with their (1-based) physical line number."""
    # Fields within the line limit (the csv module's limit is global: set on every use).
    csv.field_size_limit(settings.OPENVEILIGHEID_MAX_LINE_CHARS)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            check_rows(len(rows))
            line = reader.line_num + 1
    except csv.Error as error:
        if "field limit" in str(error):
            check_line_length(settings.OPENVEILIGHEID_MAX_LINE_CHARS + 1, line)
        raise UnreadableFile(
            f"Dit CSV-bestand is beschadigd rond regel {line}: {error}. "
            "Controleer de aanhalingstekens of exporteer het bestand opnieuw."
        ) from error
    return rows


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --------------------------------------------------------------------------------------------
# Periods

_WORD_NUMBERS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4}
_PROVISIONAL = re.compile(r"\s*(\*+|\(?\s*(voorlopig|nader voorlopig|definitief)\s*\)?)\s*$", re.I)
_CBS_CODE = re.compile(r"^(\d{4})\s*(JJ00|KW0([1-4])|MM(0[1-9]|1[0-2])|HJ0([12])|X0)$", re.I)
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_ISO = re.compile(r"^(\d{4})\s*[-/ ]\s*(?:(H[12])|(Q[1-4])|K([1-4])|(0?[1-9]|1[0-2]))$", re.I)


def _ordinal_period_pattern(unit: str) -> re.Pattern[str]:
    ordinal_a = r"(?:(?P<na>[1-4])\s*(?:e|ste|de)?|(?P<wa>eerste|tweede|derde|vierde))"
    ordinal_b = r"(?:(?P<nb>[1-4])\s*(?:e|ste|de)?|(?P<wb>eerste|tweede|derde|vierde))"
    return re.compile(
        rf"^(?:(?P<ya>\d{{4}})\s+{ordinal_a}\s*{unit}|{ordinal_b}\s*{unit}\s+(?P<yb>\d{{4}}))$",
        re.IGNORECASE,
    )


_QUARTER = _ordinal_period_pattern("kwartaal")
_HALF = _ordinal_period_pattern(r"(?:halfjaar|helft|half jaar)")
_MONTH_TEXT = re.compile(r"^(?:(\d{4})\s+([a-z]+)\.?|([a-z]+)\.?\s+(\d{4}))$", re.I)


def _ordinal(match: re.Match[str]) -> tuple[int, int]:
    year = int(match.group("ya") or match.group("yb"))
    number = match.group("na") or match.group("nb")
    word = match.group("wa") or match.group("wb")
    return year, int(number) if number else _WORD_NUMBERS[word.lower()]


def _from_year(match: re.Match[str]) -> str | None:
    return match.group(1) if 1800 <= int(match.group(1)) <= 2200 else None


def _from_cbs_code(match: re.Match[str]) -> str | None:
    year, code = match.group(1), match.group(2).upper()
    if code == "JJ00":
        return year
    if match.group(3):
        return f"{year}-Q{match.group(3)}"
    if match.group(4):
        return f"{year}-{match.group(4)}"
    if match.group(5):
        return f"{year}-H{match.group(5)}"
    return None


def _from_iso(match: re.Match[str]) -> str | None:
    year = match.group(1)
    if match.group(2):
        return f"{year}-{match.group(2).upper()}"
    if match.group(3):
        return f"{year}-{match.group(3).upper()}"
    if match.group(4):
        return f"{year}-Q{match.group(4)}"
    return f"{year}-{int(match.group(5)):02d}"


def _from_quarter(match: re.Match[str]) -> str | None:
    year, number = _ordinal(match)
    return f"{year}-Q{number}" if 1 <= number <= 4 else None


def _from_half(match: re.Match[str]) -> str | None:
    year, number = _ordinal(match)
    return f"{year}-H{number}" if 1 <= number <= 2 else None


def _from_month_text(match: re.Match[str]) -> str | None:
    month = month_number(match.group(2) or match.group(3))
    return f"{match.group(1) or match.group(4)}-{month:02d}" if month else None


# The forms of a period, each with what it means in parse_period form; the first that matches
# decides.
_PERIOD_FORMS = (
    (_YEAR, _from_year),
    (_CBS_CODE, _from_cbs_code),
    (_ISO, _from_iso),
    (_QUARTER, _from_quarter),
    (_HALF, _from_half),
    (_MONTH_TEXT, _from_month_text),
)


def normalise_period(text: object) -> str | None:
    """A period text of any export ("2023", "2023*", "2023 1e kwartaal", "2023 januari",
    "2023JJ00", "2023KW02", "2023MM05", "1e helft 2023", "2023-Q2") in parse_period form
    ("2023", "2023-Q2", "2023-01", "2023-H1"); None when it is not a period."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        if text == int(text) and 1800 <= int(text) <= 2200:
            return str(int(text))
        return None
    value = _PROVISIONAL.sub("", " ".join(str(text).split()))
    if not value:
        return None
    for pattern, meaning in _PERIOD_FORMS:
        if match := pattern.match(value):
            return meaning(match)
    return None


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def single_year(*texts: str) -> str | None:
    """The one year mentioned in a title, sheet or file name ("gemeenten_2023_..." -> "2023");
    None when there is none or more than one (such as "2014_2017")."""
    for text in texts:
        years = set(_YEAR_IN_TEXT.findall(text or ""))
        if len(years) == 1:
            return years.pop()
        if years:
            return None
    return None


# --------------------------------------------------------------------------------------------
# Numbers

MISSING_MARKERS = frozenset(
    {
        "",
        ".",
        "x",
        "X",
        "-",
        "–",
        "—",
        "?",
        "..",
        "nan",
        "NaN",
        "None",
        "null",
        "NA",
        "n.v.t.",
        "nvt",
        "n.b.",
        "geheim",
        "onbekend",
        "*",
    }
)
# CBS Kerncijfers wijken en buurten (and PDOK layers derived from it) write secret or unknown
# values as -99999999 / -99999997.
CBS_SECRET = Decimal("-99999990")


def clean_decimal(value: Decimal) -> Decimal:
    """7081.0 -> 7081 (whole numbers without a fraction), keep 40.5 as it is."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize() if "E" not in str(value.normalize()) else value


def parse_value(text: str, decimal_comma: bool) -> tuple[Decimal | None, bool]:
    """(value, is_percentage) of one cell; value None for a missing marker. Raises ValueError
    for text that is not a number. `decimal_comma`: the file writes numbers the Dutch way, so
    "1.234" is a thousand; otherwise a dot is a decimal point."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in MISSING_MARKERS:
        return None, False
    value = parse_number(cleaned, decimal_comma=decimal_comma)
    percent = cleaned.endswith("%")
    if value <= CBS_SECRET:
        return None, percent
    return clean_decimal(value), percent


def number_from_json(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if not number.is_finite() or number <= CBS_SECRET:
            return None
        return clean_decimal(number)
    raise ValueError(str(value))


# --------------------------------------------------------------------------------------------
# Units


def guess_unit(*texts: str) -> str:
    """count / percentage / grade / rate from a unit text ("aantal", "%", "per 1 000 inwoners")
    or a measure name ("GeregistreerdeMisdrijvenPer1000Inw_3"); "" when nothing says."""
    for text in texts:
        if not text:
            continue
        lowered = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower().replace("_", " ")
        compact = lowered.replace(" ", "")
        if "%" in lowered or re.search(r"\b(procent|percentage|relatief|aandeel|perc)\b", lowered):
            return PERCENTAGE
        if re.search(r"per(1000|10000|100000|1\.000|10\.000|100\.000)", compact) or re.search(
            r"\bpromille\b", lowered
        ):
            return RATE
        if re.search(r"\b(rapportcijfer|cijfer|gemiddeld rapportcijfer)\b", lowered):
            return GRADE
        if re.search(
            r"\b(aantal|totaal|count|sum|registraties|misdrijven|aangiften|incidenten|meldingen"
            r"|bevolking|inwoners|verdachten)\b",
            lowered,
        ):
            return COUNT
    return ""


# --------------------------------------------------------------------------------------------
# Regions

# Amsterdam and a few others use letters in wijk and buurt codes since 2022 (BU0363AA01).
_CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{2}\d{2}|NL0[01])$")
_NON_MUNICIPAL_SUFFIX = re.compile(r"\((RE|PV|LD|CR|COROP|GGD|VR|RES|BR|ARR|NL)\)\s*$", re.I)
_MUNICIPAL_SUFFIX = re.compile(r"\(\s*(gemeente|gem\.)\s*\)\s*$", re.I)
_NOT_A_REGION = {"buitenland", "onbekend", "overig", "overige", "totaal"}
_COUNTRY_NAMES = {"nederland", "nl", "totaal nederland", "nederland totaal"}


def region_code(text: object) -> str:
    """'GM0200    ' -> 'GM0200'; '' when the text is not a CBS region code."""
    value = str(text or "").strip().upper()
    return value if _CODE.match(value) else ""


def kind_of_code(code: str) -> str:
    return {"GM": MUNICIPALITY, "WK": DISTRICT, "BU": NEIGHBOURHOOD, "NL": COUNTRY}.get(
        code[:2], ""
    )


def region_kind(name: str, code: str = "", hint: str = "") -> str:
    """The kind of region as far as the file says; `hint` is what the table says about all of
    its regions (a "gemeente" table), overruled by the name itself."""
    if code:
        return kind_of_code(code)
    if compact_key(name) in {compact_key(item) for item in _COUNTRY_NAMES}:
        return COUNTRY
    if compact_key(name) in _NOT_A_REGION or compact_key(name).startswith("nietintedelen"):
        return ""
    if _MUNICIPAL_SUFFIX.search(name):
        return MUNICIPALITY
    if _NON_MUNICIPAL_SUFFIX.search(name):
        return ""
    return hint


def kind_hint_from_title(*texts: str) -> str:
    """A table about municipalities says so in its title ("..., gemeente 2026")."""
    for text in texts:
        lowered = (text or "").lower()
        if re.search(r"(?<![a-z])(wijk|wijken|buurt|buurten)(?![a-z])", lowered):
            return ""
        if re.search(r"(?<![a-z])gemeenten?(?![a-z])", lowered):
            return MUNICIPALITY
    return ""


_TABLE_ID = re.compile(r"(?<![0-9A-Za-z])(\d{5}(?:NED|ENG))(?![0-9A-Za-z])", re.I)

# Tables whose export carries only the title; the identifier then comes from here.
KNOWN_TITLES = {
    "geregistreerde misdrijven en aangiften; soort misdrijf, gemeente": "47013NED",
    "geregistreerde criminaliteit; soort misdrijf, regio": "83648NED",
}


def find_table_id(*texts: str, title: str = "") -> str:
    for text in texts:
        if match := _TABLE_ID.search(text or ""):
            return match.group(1).upper()
    base = re.sub(r"\s+\d{4}\s*$", "", (title or "").strip().lower())
    return KNOWN_TITLES.get(base, "")


def is_total(text: str) -> bool:
    """Does a dimension value stand for the total ("Totaal misdrijven", "Misdrijven, totaal",
    CBS keys "0.0.0" / "T001161")?"""
    value = (text or "").strip().lower()
    return (
        value.startswith("totaal")
        or value.endswith(", totaal")
        or value.endswith(" totaal")
        or value in {"0.0.0", "t001161", "t001038", "totaal"}
        or bool(re.fullmatch(r"t00\d+", value))
    )


def stem(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base
