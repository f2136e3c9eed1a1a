"""Read the free-text deadlines ("Wanneer") of municipal action plans as date ranges.

Plans write deadlines as prose: "Doorlopend", "Eind 2017", "2e kwartaal 2017", "Q3 en Q4 2023",
"1 keer per twee weken of eerder indien nodig". ``parse_due`` turns one such text into a
``DueExpression``: a date range plus a recurrence, always with the original text. It never
raises; text it cannot read comes back with ``understood=False``. ``split_due_cell`` separates a
table cell that holds the deadlines of several bullet actions ("Doorlopend Eind 2017").
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from openveiligheid.core.dutch import MONTH_NAMES, MONTH_NUMBERS, MONTH_PATTERN, WEEKDAY_PATTERN
from openveiligheid.core.text import fold_accents

__all__ = [
    "AD_HOC",
    "BIWEEKLY",
    "CONTINUOUS",
    "MONTHLY",
    "ON_DEMAND",
    "ONCE",
    "QUARTERLY",
    "RECURRENCES",
    "TWICE_YEARLY",
    "WEEKLY",
    "YEARLY",
    "DueExpression",
    "parse_due",
    "split_due_cell",
]

ONCE = ""
CONTINUOUS = "continuous"
WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
TWICE_YEARLY = "twice_yearly"
YEARLY = "yearly"
AD_HOC = "ad_hoc"
ON_DEMAND = "on_demand"
RECURRENCES = (
    ONCE,
    CONTINUOUS,
    WEEKLY,
    BIWEEKLY,
    MONTHLY,
    QUARTERLY,
    TWICE_YEARLY,
    YEARLY,
    AD_HOC,
    ON_DEMAND,
)
_UNSCHEDULED = (AD_HOC, ON_DEMAND)

_RECURRENCE_LABELS = {
    CONTINUOUS: "doorlopend",
    WEEKLY: "wekelijks",
    BIWEEKLY: "tweewekelijks",
    MONTHLY: "maandelijks",
    QUARTERLY: "elk kwartaal",
    TWICE_YEARLY: "twee keer per jaar",
    YEARLY: "jaarlijks",
    AD_HOC: "ad hoc",
    ON_DEMAND: "indien nodig",
}

# Plans are written for years in this window; a wider one would let arbitrary four-digit numbers
# (amounts, postcodes) pass as years and push date arithmetic towards date.max.
_MIN_YEAR, _MAX_YEAR = 1900, 2199
# A deadline is a short phrase; longer text is a description that ended up in the wrong column.
_MAX_TEXT = 300
_MAX_CELL_TOKENS = 40


@dataclass(frozen=True)
class DueExpression:
    text: str
    start: date | None
    end: date | None
    recurrence: str
    understood: bool

    @property
    def label(self) -> str:
        """Short Dutch description of the derived meaning, e.g. "2e kwartaal 2017".

        A recurrence over a single calendar year shows as the bare recurrence ("doorlopend"):
        that year is the plan year the text was read against, so repeating it adds nothing.
        Text that was not understood, or whose meaning needs a year that was not given
        ("18 februari" without a reference year), falls back to the original text.
        """
        if not self.understood:
            return self.text
        range_label = _range_label(self.start, self.end)
        recurrence_label = _RECURRENCE_LABELS.get(self.recurrence, "")
        if recurrence_label and range_label:
            if self.end is None:
                return f"{recurrence_label} {range_label}"
            if _is_single_year(self.start, self.end):
                return recurrence_label
            return f"{recurrence_label} ({range_label})"
        return recurrence_label or range_label or self.text


def parse_due(
    text: str, reference_year: int | None = None, last_year: int | None = None
) -> DueExpression:
    """Interpret one deadline text; ``reference_year`` anchors texts that name no year.

    ``reference_year`` and ``last_year`` are the first and last year of the plan the text
    belongs to: a rhythm without a period of its own ("Doorlopend", "Maandelijks") runs through
    the plan's whole period, so in a 2017-2018 plan it ends on 31-12-2018, not 31-12-2017.
    """
    original = _as_text(text).strip()
    reference = _valid_year(reference_year)
    last = _valid_year(last_year)
    period = (reference, last if reference is not None and last and last >= reference else None)
    try:
        result = _parse_text(original, period)
    except Exception:
        # Deadlines come from PDF extractions and user input during imports; one odd cell must
        # not abort an import, so anything unforeseen counts as "not understood".
        result = None
    if result is None:
        return DueExpression(original, None, None, ONCE, False)
    start, end, recurrence = result
    return DueExpression(original, start, end, recurrence, True)


def split_due_cell(text: str) -> list[str]:
    """Split a table cell into the separate deadline texts it holds, in order.

    Pieces keep their wording; only layout noise goes: HTML tags, bullets, runs of whitespace
    and the caret of PDF superscripts ("2 ^e kwartaal" becomes "2e kwartaal"). A cell that
    does not read as deadlines comes back as one piece; an empty or rule-only cell as none.
    """
    raw = _as_text(text)
    try:
        return _split_cell(raw)
    except Exception:
        # Same reasoning as in parse_due: an import must survive any cell content.
        stripped = raw.strip()
        return [stripped] if stripped else []


# --------------------------------------------------------------------------- text clean-up

_TAG = re.compile(r"<[^<>]{0,200}>")
# Superscript markup splits ordinals ("2<sup>e</sup>"); removing it outright keeps them whole.
_INLINE_TAG = re.compile(r"<\s*/?\s*(?:sup|sub)\b[^<>]{0,200}>", re.IGNORECASE)
_CARET_ORDINAL = re.compile(r"(\d)\s*\^\s*(ste|de|e)\b", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|br|li|ul|ol|div|tr|td)\b[^<>]{0,200}>", re.IGNORECASE)
_DASHES = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
        **dict.fromkeys("^\"'()[]{}\u00ab\u00bb\u201c\u201d\u2018\u2019\u201e*", " "),
    }
)
_YEAR = r"(?:19|20|21)\d\d"


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None else str(value)


def _valid_year(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and _MIN_YEAR <= value <= _MAX_YEAR:
        return value
    return None


def _numeric_date(match: re.Match) -> str:
    day, month, year = int(match["d"]), int(match["m"]), match["y"]
    if len(year) == 2:
        year = f"20{year}"
    if not 1 <= month <= 12:
        # Keep the text unparseable instead of guessing what an impossible month meant.
        return " ongeldige-datum "
    return f" {day} {MONTH_NAMES[month - 1]} {year} "


def _year_code(match: re.Match) -> str:
    year, tail = int(match[1]), int(match[2])
    # "2017/18" and "2017-18" are year spans; "2017-05" is a month in year-month notation.
    if tail == (year + 1) % 100:
        return f" {year} - {year + 1} "
    if 1 <= tail <= 12:
        return f" {MONTH_NAMES[tail - 1]} {year} "
    return match[0]


def _numeric_date_month(match: re.Match) -> str:
    month = int(match["m"])
    if not 1 <= month <= 12:
        return " ongeldige-datum "
    return f" {MONTH_NAMES[month - 1]} {match['y']} "


_REWRITES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"\boud\s*(?:en|&|/)\s*nieuw\b"), " jaarwisseling "),
    (re.compile(rf"\bjaarwisseling\s+({_YEAR})\s*[-/]\s*{_YEAR}\b"), r"jaarwisseling \1"),
    (re.compile(r"\bt\s*/\s*m\b|\bt\s*\.\s*m\b\.?|\btot\s+en\s+met\b"), " tm "),
    (re.compile(r"\ben\s*/\s*of\b"), " of "),
    (re.compile(r"&"), " en "),
    (re.compile(r"\be\s*\.\s*v\b\.?|\bev\b\.?|\be\s*v\b"), " ev "),
    (
        re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b"),
        _numeric_date,
    ),
    (
        re.compile(r"\b(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>(?:19|20|21)\d\d|\d\d)\b"),
        _numeric_date,
    ),
    (
        re.compile(rf"\b(?P<m>\d{{1,2}})[-/](?P<y>{_YEAR})\b"),
        _numeric_date_month,
    ),
    (re.compile(rf"\b({_YEAR})\s*-?\s*([qh])\s*([1-4])\b"), r" \2\3 \1 "),
    (re.compile(rf"\b({_YEAR})\s*[-/]\s*(\d\d)\b(?!\s*[-/.]\s*\d)"), _year_code),
    (re.compile(r"\b([1-4])\s*(?:ste|de|e)\b"), r"\1e"),
    (re.compile(r"(\d)\s*x\b"), r"\1 x"),
    (re.compile(r"\."), " "),
    (re.compile(r"\s*([/,;:+-])\s*"), r" \1 "),
    (re.compile(r"\s+"), " "),
]


_EDGE_NOISE = re.compile(r"^(?:[\s/,;:+-]|o\s)+|[\s/,;:+-]+$")


def _normalize(text: str) -> str:
    text = html.unescape(text)
    text = _TAG.sub(" ", _INLINE_TAG.sub("", text))
    # Folds PDF artefacts such as superscript "ᵉ" and non-breaking spaces, and accents ("vóór").
    text = fold_accents(text).translate(_DASHES).lower()
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return _EDGE_NOISE.sub("", text.strip())


# --------------------------------------------------------------------------- recurrences

_ONCE_PER = r"(?:(?:1|een)\s*(?:x|keer|maal)\s*|eenmaal\s+|eens\s+)?per\s+"
_TWO = r"(?:2|twee)"
_TIMES = r"(?:x|keer|maal)"
_EACH = r"(?:elke|elk|iedere|ieder)"
_QUALIFIER = "qualifier"


def _phrases(*patterns: str) -> list[re.Pattern]:
    return [re.compile(rf"(?:{pattern})(?![a-z0-9])") for pattern in patterns]


_RECURRENCE_PHRASES: list[tuple[str, list[re.Pattern]]] = [
    (
        CONTINUOUS,
        _phrases(
            r"doorlopende?(?:\s+(?:actie|proces|activiteit|inzet))?",
            r"continu",
            r"permanent",
            r"structureel",
            r"voortdurend",
            r"blijvend",
            r"dagelijks",
            r"altijd",
            r"jaarrond",
            r"(?:(?:het|de)\s+)?(?:ge)?hele\s+jaar(?:\s+door)?",
            r"heel\s+het\s+jaar(?:\s+door)?",
            r"gedurende\s+het\s+(?:hele\s+)?jaar",
        ),
    ),
    (
        WEEKLY,
        _phrases(
            r"(?:op\s+)?wekelijks(?:e\s+basis)?",
            rf"{_EACH}\s+week",
            rf"{_ONCE_PER}week",
        ),
    ),
    (
        BIWEEKLY,
        _phrases(
            rf"{_TWO}\s*(?:-\s*)?wekelijks",
            r"tweewekelijks",
            rf"om\s+de\s+(?:{_TWO}\s+weken|week)",
            rf"{_EACH}\s+{_TWO}\s+weken",
            rf"{_ONCE_PER}{_TWO}\s+weken",
            rf"(?:{_TWO}\s*{_TIMES}|tweemaal)\s*per\s+maand",
        ),
    ),
    (
        MONTHLY,
        _phrases(
            r"(?:op\s+)?maandelijks(?:e\s+basis)?",
            rf"{_EACH}\s+maand",
            rf"{_ONCE_PER}maand",
        ),
    ),
    (
        QUARTERLY,
        _phrases(
            rf"{_EACH}\s+kwartaal",
            rf"{_ONCE_PER}kwartaal",
            r"(?:3|drie)\s*(?:-\s*)?maandelijks",
            r"driemaandelijks",
            r"kwartaalsgewijs",
            rf"(?:(?:4|vier)\s*{_TIMES}|viermaal)\s*per\s+jaar",
            rf"(?:om\s+de|{_EACH})\s+(?:3|drie)\s+maanden",
        ),
    ),
    (
        TWICE_YEARLY,
        _phrases(
            rf"(?:{_TWO}\s*{_TIMES}|tweemaal)\s*per\s+jaar",
            r"halfjaarlijks",
            rf"(?:{_EACH}|per|om\s+het)\s+half\s*jaar",
            r"(?:6|zes)\s*(?:-\s*)?maandelijks",
            r"zesmaandelijks",
        ),
    ),
    (
        YEARLY,
        _phrases(
            r"jaarlijkse?(?:\s+terugkerend)?",
            rf"{_EACH}\s+jaar",
            rf"{_ONCE_PER}jaar",
            r"op\s+jaarbasis",
        ),
    ),
    (AD_HOC, _phrases(r"ad\s*(?:-\s*)?hoc", r"incidenteel", r"af\s+en\s+toe")),
    (
        ON_DEMAND,
        _phrases(
            r"(?:indien|wanneer|waar|als|zo)\s+(?:het\s+)?"
            r"(?:nodig|noodzakelijk|gewenst|wenselijk|actueel|van\s+toepassing|aan\s+de\s+orde)"
            r"(?:\s+is)?",
            r"zonodig",
            r"op\s+(?:aanvraag|verzoek|afroep)",
            r"naar\s+(?:behoefte|aanleiding\s+van\s+signalen)",
            r"bij\s+(?:behoefte|noodzaak|aanleiding|signalen|incidenten|meldingen)",
            # A "zodra ..." clause names a trigger, whatever the trigger is.
            r"zodra\s.*",
        ),
    ),
    (
        _QUALIFIER,
        _phrases(
            r"(?:eerder|vaker|sneller|later)(?:\s+(?:indien|wanneer|als|zo)\s+"
            r"(?:nodig|noodzakelijk|gewenst))?",
        ),
    ),
]
_RECURRENCE_SEPARATOR = re.compile(r"(?:\s|[/,;:+-]|\b(?:en|of)\b)+")


def _scan_recurrence(text: str) -> str | None:
    """The recurrence when ``text`` consists only of recurrence phrases, else None.

    Several phrases combine as in "Maandelijks / ad hoc" or "1 keer per twee weken of eerder
    indien nodig": the scheduled rhythm is the commitment, the unscheduled part a supplement.
    """
    found: list[str] = []
    position = 0
    while position < len(text):
        separator = _RECURRENCE_SEPARATOR.match(text, position)
        if separator and separator.end() > position:
            position = separator.end()
            continue
        best: tuple[str, int] | None = None
        for kind, patterns in _RECURRENCE_PHRASES:
            for pattern in patterns:
                match = pattern.match(text, position)
                if match and (best is None or match.end() > best[1]):
                    best = (kind, match.end())
        if best is None:
            return None
        found.append(best[0])
        position = best[1]
    kinds = [kind for kind in found if kind != _QUALIFIER]
    if not kinds:
        return None
    scheduled = [kind for kind in kinds if kind not in _UNSCHEDULED]
    return (scheduled or kinds)[0]


# --------------------------------------------------------------------------- periods

_ORDINALS = {
    "1e": 1,
    "eerste": 1,
    "een": 1,
    "1": 1,
    "2e": 2,
    "tweede": 2,
    "twee": 2,
    "2": 2,
    "3e": 3,
    "derde": 3,
    "drie": 3,
    "3": 3,
    "4e": 4,
    "vierde": 4,
    "vier": 4,
    "4": 4,
    "laatste": -1,
}
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_ORDINAL_WORD = r"[1-4]e|eerste|tweede|derde|vierde|laatste"
_MONTH = MONTH_PATTERN
_WEEKDAY = WEEKDAY_PATTERN

# (first month, number of months); a winter runs into the next year.
_SEASONS = {
    "voorjaar": (3, 3),
    "lente": (3, 3),
    "zomer": (6, 3),
    "zomerperiode": (6, 3),
    "zomermaanden": (6, 3),
    "najaar": (9, 3),
    "herfst": (9, 3),
    "winter": (12, 3),
    "zomervakantie": (7, 2),
    "zomerreces": (7, 2),
    # The recreation season of campsites and holiday parks, which the plans refer to.
    "seizoen": (4, 7),
    "recreatieseizoen": (4, 7),
    "kampeerseizoen": (4, 7),
    "toeristisch seizoen": (4, 7),
}
_TURN_OF_YEAR = "jaarwisseling"

_MODIFIERS = {
    "begin": "begin",
    "start": "begin",
    "aanvang": "begin",
    "medio": "medio",
    "midden": "medio",
    "half": "medio",
    "eind": "eind",
    "einde": "eind",
    "ultimo": "ultimo",
}
_MODIFIER = re.compile(rf"^({'|'.join(_MODIFIERS)})\s+(?:van\s+)?")
_RELATIVE_YEARS = {
    "dit": 0,
    "het": 0,
    "het lopende": 0,
    "het huidige": 0,
    "lopende": 0,
    "huidige": 0,
    "volgend": 1,
    "komend": 1,
    "volgende": 1,
    "komende": 1,
    "het volgende": 1,
    "het komende": 1,
    "vorig": -1,
    "het vorige": -1,
}
_YEAR_TAIL = re.compile(
    rf"(?P<body>.*?)\s*(?:\bvan\s+)?(?:\b(?P<year>{_YEAR})|"
    rf"\b(?P<rel>{'|'.join(sorted(_RELATIVE_YEARS, key=len, reverse=True))})\s+jaar)?"
)
_ARTICLE = re.compile(r"^(?:de|het)\s+(?:(?:nieuwe|komende|volgende|eerstvolgende)\s+)?")
_UNITS: list[tuple[str, re.Pattern]] = [
    ("whole_year", re.compile(r"(?:ge)?he(?:le|el)\s+(?:het\s+)?jaar(?:\s+door)?|jaarrond")),
    (
        "quarter",
        re.compile(
            rf"(?P<n>{_ORDINAL})\s*(?:kwartaal|kw)|(?:kwartaal|kw)\s*(?P<n2>[1-4])|q\s*(?P<n3>[1-4])"
        ),
    ),
    (
        "half",
        re.compile(
            rf"(?P<n>{_ORDINAL})\s*(?:helft|halfjaar|half\s+jaar|jaarhelft)"
            r"|(?:helft|halfjaar)\s*(?P<n2>[12])|h\s*(?P<n3>[12])"
        ),
    ),
    (
        "season",
        re.compile(rf"(?P<s>{'|'.join(sorted(_SEASONS, key=len, reverse=True))}|{_TURN_OF_YEAR})"),
    ),
    ("month", re.compile(rf"(?P<m>{_MONTH})")),
    ("day", re.compile(rf"(?:(?:{_WEEKDAY})\s+)?(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})")),
    ("week", re.compile(r"(?:week|wk)\s*(?P<w>\d{1,2})")),
    ("number", re.compile(r"(?P<d>\d{1,2})")),
    ("ordinal", re.compile(rf"(?P<n>{_ORDINAL_WORD})")),
]
_MODIFIABLE = ("year", "quarter", "half", "season", "month")


@dataclass(frozen=True)
class _Atom:
    """One calendar reference in a deadline ("eind 2017", "Q3", "18 februari")."""

    kind: str
    value: int | str | None = None
    day: int | None = None
    year: int | None = None
    relative: int | None = None
    modifier: str | None = None

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.relative is not None


def _parse_atom(text: str) -> _Atom | None:
    modifier = None
    match = _MODIFIER.match(text)
    if match:
        modifier = _MODIFIERS[match[1]]
        text = text[match.end() :]
    tail = _YEAR_TAIL.fullmatch(text)
    if tail is None:
        return None
    year = int(tail["year"]) if tail["year"] else None
    relative = _RELATIVE_YEARS[tail["rel"]] if tail["rel"] else None
    body = _ARTICLE.sub("", tail["body"].strip())
    atom = _unit_atom(body, year is not None or relative is not None)
    if atom is None:
        return None
    if modifier and atom.kind not in _MODIFIABLE:
        return None
    if atom.kind == "season" and atom.value == _TURN_OF_YEAR and modifier:
        return None
    if relative is None:
        relative = atom.relative
    return replace(atom, year=year, relative=relative, modifier=modifier)


def _unit_atom(body: str, has_year: bool) -> _Atom | None:
    if not body:
        return _Atom("year") if has_year else None
    for kind, pattern in _UNITS:
        match = pattern.fullmatch(body)
        if match is None:
            continue
        groups = match.groupdict()
        if kind == "whole_year":
            return _Atom("year") if has_year else _Atom("year", relative=0)
        if kind in ("quarter", "half", "ordinal"):
            raw = groups.get("n") or groups.get("n2") or groups.get("n3")
            number = _ORDINALS[raw]
            limit = 4 if kind != "half" else 2
            if number == -1 and kind != "ordinal":
                number = limit
            if kind != "ordinal" and not 1 <= number <= limit:
                return None
            return _Atom(kind, number)
        if kind == "season":
            return _Atom("season", groups["s"])
        if kind == "month":
            return _Atom("month", MONTH_NUMBERS[groups["m"]])
        if kind == "day":
            return _Atom("day", MONTH_NUMBERS[groups["m"]], day=int(groups["d"]))
        if kind == "week":
            return _Atom("week", int(groups["w"]))
        return None if has_year else _Atom("number", int(groups["d"]))
    return None


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_range(year: int, first_month: int, count: int) -> tuple[date, date]:
    first = year * 12 + first_month - 1
    last = first + count - 1
    return date(first // 12, first % 12 + 1, 1), _last_day(last // 12, last % 12 + 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _atom_range(atom: _Atom, year: int) -> tuple[date, date] | None:
    modifier = atom.modifier
    if atom.kind == "day":
        day = _safe_date(year, atom.value, atom.day)
        return (day, day) if day else None
    if atom.kind == "week":
        try:
            monday = date.fromisocalendar(year, atom.value, 1)
        except ValueError:
            return None
        return monday, monday + timedelta(days=6)
    if atom.kind == "month":
        start, end = _month_range(year, atom.value, 1)
        # Dutch splits a month in decades: begin = 1-10, medio = 11-20, eind = 21-end.
        if modifier == "begin":
            return start, start.replace(day=10)
        if modifier == "medio":
            return start.replace(day=11), start.replace(day=20)
        if modifier == "eind":
            return start.replace(day=21), end
        if modifier == "ultimo":
            return end, end
        return start, end
    if atom.kind == "year":
        # Plans use these words loosely; fixed readings keep ranges comparable across plans:
        # begin = Q1, medio = June-July, eind = Q4.
        first, count = {"begin": (1, 3), "medio": (6, 2), "eind": (10, 3)}.get(modifier, (1, 12))
        if modifier == "ultimo":
            return date(year, 12, 31), date(year, 12, 31)
        return _month_range(year, first, count)
    if atom.kind == "season" and atom.value == _TURN_OF_YEAR:
        return date(year, 12, 31), date(year + 1, 1, 1)
    if atom.kind == "quarter":
        first, count = (atom.value - 1) * 3 + 1, 3
    elif atom.kind == "half":
        first, count = (atom.value - 1) * 6 + 1, 6
    elif atom.kind == "season":
        first, count = _SEASONS[atom.value]
    else:
        return None
    if modifier == "ultimo":
        end = _month_range(year, first, count)[1]
        return end, end
    # Begin and eind take the outer third of a longer span, medio what lies between.
    part = max(1, count // 3)
    if modifier == "begin":
        count = part
    elif modifier == "eind":
        first, count = first + count - part, part
    elif modifier == "medio" and count - 2 * part >= 1:
        first, count = first + part, count - 2 * part
    return _month_range(year, first, count)


_LIST_SEPARATOR = re.compile(r"\s+(en|of|tm|tot|-|/|,|;)\s+")
_DISTRIBUTING = ("en", ",")
_MODE_PREFIXES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^voor\s+(?:het\s+)?einde?\s+(?:van\s+)?"), "by_end"),
    (
        re.compile(
            r"^(?:tot\s+uiterlijk|uiterlijk(?:\s+in)?|tot|tm|deadline|niet\s+later\s+dan"
            r"|ten\s+laatste)\s+"
        ),
        "by_end",
    ),
    (re.compile(r"^(?:voor|voorafgaand\s+aan)\s+"), "before"),
    (re.compile(r"^na(?:\s+afloop\s+van)?\s+"), "after"),
    (re.compile(r"^(?:vanaf|sinds|met\s+ingang\s+van|m\s+i\s+v)\s+"), "from"),
]
_NOISE_PREFIX = re.compile(
    r"^(?:in\s+de\s+loop\s+van|in|gedurende|tijdens|heel|geheel|gehele|rond|rondom|omstreeks"
    r"|circa|ca|ongeveer|gepland|planning|per|van|(?:start|starten|opstarten|uitvoering)\s+in"
    r"|gereed|afgerond|afronding|oplevering)(?:\s*:\s*|\s+)(?=\S)"
)
_OPEN_SUFFIX = re.compile(r"\s+(?:ev|en\s+verder|en\s+volgende\s+jaren|en\s+daarna|en\s+later)$")
_NOISE_SUFFIX = re.compile(r"\s+(?:start|starten|gestart|van\s+start|opstarten|afgerond|gereed)$")

_Range = tuple[date | None, date | None, str]


def _parse_period(text: str, reference: int | None) -> _Range | None:
    mode = "plain"
    for _ in range(4):
        before = text
        match = _NOISE_PREFIX.match(text)
        if match and match.end() < len(text):
            text = text[match.end() :]
        if mode == "plain":
            for pattern, prefix_mode in _MODE_PREFIXES:
                match = pattern.match(text)
                if match and match.end() < len(text):
                    mode, text = prefix_mode, text[match.end() :]
                    break
        if text == before:
            break
    for _ in range(3):
        match = _OPEN_SUFFIX.search(text)
        if match:
            mode, text = "from", text[: match.start()]
            continue
        match = _NOISE_SUFFIX.search(text)
        if match:
            text = text[: match.start()]
            continue
        break

    pieces = _LIST_SEPARATOR.split(text)
    separators = pieces[1::2]
    atoms = [_parse_atom(piece.strip()) for piece in pieces[0::2]]
    if not atoms or any(atom is None for atom in atoms):
        return None

    recurrence = ONCE
    first = atoms[0]
    if (
        len(atoms) > 1
        and all(separator in _DISTRIBUTING for separator in separators)
        and first.has_year
        and (first.kind != "year" or first.modifier)
        and all(a.kind == "year" and not a.modifier and a.year is not None for a in atoms[1:])
    ):
        # "Eind seizoen 2017 en 2018": the same moment in each listed year.
        atoms = [atoms[0]] + [replace(first, year=a.year, relative=None) for a in atoms[1:]]
        recurrence = YEARLY

    atoms = _resolve_bare_numbers(atoms)
    if atoms is None:
        return None
    ranges = _resolve_ranges(atoms, reference)
    if ranges is False:
        return None
    if mode == "from":
        recurrence = CONTINUOUS
    if ranges is None:
        return None, None, recurrence

    start = min(start for start, _ in ranges)
    end = max(end for _, end in ranges)
    if mode == "from":
        return start, None, recurrence
    if mode == "by_end":
        return date(end.year, 1, 1), end, recurrence
    if mode == "before":
        end = start - timedelta(days=1)
        return date(end.year, 1, 1), end, recurrence
    if mode == "after":
        start = end + timedelta(days=1)
        return start, date(start.year, 12, 31), recurrence
    return start, end, recurrence


def _resolve_bare_numbers(atoms: list[_Atom]) -> list[_Atom] | None:
    """Let "1e" in "1e en 2e kwartaal" and "18" in "18 en 19 mei" borrow the unit that follows."""
    resolved = list(atoms)
    for index in range(len(resolved) - 1, -1, -1):
        atom = resolved[index]
        if atom.kind not in ("number", "ordinal"):
            continue
        target = next(
            (a for a in resolved[index + 1 :] if a.kind not in ("number", "ordinal")), None
        )
        if target is None:
            return None
        if target.kind in ("quarter", "half"):
            limit = 4 if target.kind == "quarter" else 2
            number = limit if atom.value == -1 else atom.value
            if not 1 <= number <= limit:
                return None
            resolved[index] = _Atom(target.kind, number)
        elif target.kind in ("day", "month") and atom.kind == "number":
            resolved[index] = _Atom("day", target.value, day=atom.value)
        else:
            return None
    return resolved


def _resolve_ranges(
    atoms: list[_Atom], reference: int | None
) -> list[tuple[date, date]] | bool | None:
    """Date ranges of the atoms; None when a year is missing, False when a date is impossible.

    An atom without a year takes it from the nearest atom that names one, preferring the one
    after it ("Q3 en Q4 2023"), and rolls a year back or forward when that keeps the list in
    calendar order ("december - maart 2018").
    """

    def own_year(atom: _Atom) -> int | None:
        if atom.year is not None:
            return atom.year
        if atom.relative is not None and reference is not None:
            return reference + atom.relative
        return None

    ranges: list[tuple[date, date] | None] = [None] * len(atoms)
    for index, atom in enumerate(atoms):
        year = own_year(atom)
        if year is not None:
            ranges[index] = _atom_range(atom, year)
            if ranges[index] is None:
                return False
        elif atom.has_year:
            return None
    for index, atom in enumerate(atoms):
        if ranges[index] is not None:
            continue
        after = next((i for i in range(index + 1, len(atoms)) if atoms[i].has_year), None)
        before = next((i for i in range(index - 1, -1, -1) if atoms[i].has_year), None)
        source = after if after is not None else before
        if source is None:
            if reference is None:
                return None
            ranges[index] = _atom_range(atom, reference)
        else:
            year = own_year(atoms[source])
            if year is None:
                return None
            candidate = _atom_range(atom, year)
            anchor = ranges[source]
            if candidate and anchor and source > index and candidate[0] > anchor[0]:
                candidate = _atom_range(atom, year - 1)
            elif candidate and anchor and source < index and candidate[0] < anchor[0]:
                candidate = _atom_range(atom, year + 1)
            ranges[index] = candidate
        if ranges[index] is None:
            return False
    return ranges


# --------------------------------------------------------------------------- whole texts

_CONNECTOR = re.compile(
    r"\s(?=(?:in|gedurende|tijdens|vanaf|sinds|tm|tot|van|voor|uiterlijk|na)\s)|\s[,:;]\s"
)


# The plan period a text is read against: (first year, last year or None for one year).
_Period = tuple[int | None, int | None]


def _default_range(recurrence: str, period: _Period) -> tuple[date | None, date | None]:
    reference, last = period
    if recurrence in _UNSCHEDULED or reference is None:
        return None, None
    return date(reference, 1, 1), date(last or reference, 12, 31)


@lru_cache(maxsize=4096)
def _parse_single(text: str, period: _Period) -> _Range | None:
    """One deadline expression, already normalized."""
    if not text or len(text) > _MAX_TEXT:
        return None
    reference = period[0]
    recurrence = _scan_recurrence(text)
    if recurrence is not None:
        return *_default_range(recurrence, period), recurrence
    found = _parse_period(text, reference)
    if found is not None:
        return found
    # A rhythm within a period: "jaarlijks in 2017 en 2018", "doorlopend tot eind 2017",
    # or the other way round with punctuation: "2017: maandelijks".
    for match in _CONNECTOR.finditer(text):
        left, right = text[: match.start()].strip(), text[match.end() :].strip()
        punctuated = match.group().strip() in (",", ":", ";")
        for rhythm, when in ((left, right), (right, left)) if punctuated else ((left, right),):
            recurrence = _scan_recurrence(rhythm)
            if recurrence is None:
                continue
            found = _parse_period(when, reference)
            if found is not None:
                return found[0], found[1], recurrence
    return None


def _parse_text(original: str, period: _Period) -> _Range | None:
    if not original or len(original) > _MAX_TEXT:
        return None
    result = _parse_single(_normalize(original), period)
    if result is not None:
        return result
    parts = _split_cell(original)
    if len(parts) < 2:
        return None
    results = [_parse_single(_normalize(part), period) for part in parts]
    if any(result is None for result in results):
        return None
    # A cell with the deadlines of several actions: report the span they cover together.
    starts = [start for start, _, _ in results if start is not None]
    ends = [end for _, end, _ in results if end is not None]
    open_ended = any(start is not None and end is None for start, end, _ in results)
    recurrences = {recurrence for _, _, recurrence in results}
    return (
        min(starts) if starts else None,
        None if open_ended or not ends else max(ends),
        recurrences.pop() if len(recurrences) == 1 else ONCE,
    )


# --------------------------------------------------------------------------- cells

_CELL_BREAK = re.compile(
    rf"{_BLOCK_TAG.pattern}|[\r\n]+|[\u2022\u25aa\u25cf\u25e6\u2023]", re.IGNORECASE
)
_PUNCTUATION_ONLY = re.compile(r"^[\W_]*$")


def _split_cell(text: str) -> list[str]:
    if len(text) > 20 * _MAX_TEXT:
        stripped = text.strip()
        return [stripped] if stripped else []
    pieces: list[str] = []
    for chunk in _CELL_BREAK.split(_INLINE_TAG.sub("", html.unescape(text))):
        tokens = _TAG.sub(" ", chunk).split()
        while tokens and _PUNCTUATION_ONLY.match(tokens[0]):
            tokens.pop(0)
        while tokens and _PUNCTUATION_ONLY.match(tokens[-1]):
            tokens.pop()
        if tokens:
            pieces.extend(_segment(tokens))
    return pieces


def _segment(tokens: list[str]) -> list[str]:
    """Cut tokens into the fewest consecutive parts that each read as a deadline.

    Table extraction glues the deadlines of stacked bullets together ("2017 en 2018 Eind 2017").
    Preferring the fewest parts keeps real combinations whole ("Q3 en Q4 2023").
    """
    whole = " ".join(tokens)
    if len(tokens) > _MAX_CELL_TOKENS:
        return [whole]
    count = len(tokens)
    best: list[tuple[int, int] | None] = [None] * (count + 1)
    best[count] = (0, count)
    for begin in range(count - 1, -1, -1):
        for end in range(count, begin, -1):
            if best[end] is None:
                continue
            if _parse_single(_normalize(" ".join(tokens[begin:end])), (None, None)) is None:
                continue
            parts = best[end][0] + 1
            if best[begin] is None or parts < best[begin][0]:
                best[begin] = (parts, end)
    if best[0] is None:
        return [whole]
    result, begin = [], 0
    while begin < count:
        end = best[begin][1]
        result.append(_clean_piece(tokens[begin:end]))
        begin = end
    return result


def _clean_piece(tokens: list[str]) -> str:
    while tokens and _PUNCTUATION_ONLY.match(tokens[0]):
        tokens = tokens[1:]
    while tokens and _PUNCTUATION_ONLY.match(tokens[-1]):
        tokens = tokens[:-1]
    return _CARET_ORDINAL.sub(r"\1\2", " ".join(tokens)).strip(" ,;:")


# --------------------------------------------------------------------------- labels

_NAMED_SPANS = {(3, 3): "voorjaar", (6, 3): "zomer", (9, 3): "najaar", (6, 2): "medio"}


def _is_single_year(start: date | None, end: date | None) -> bool:
    return (
        start is not None
        and end is not None
        and start == date(start.year, 1, 1)
        and end == date(start.year, 12, 31)
    )


def _day_label(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _month_label(day: date, with_year: bool = True) -> str:
    name = MONTH_NAMES[day.month - 1]
    return f"{name} {day.year}" if with_year else name


def _quarter_label(day: date) -> str:
    return f"{(day.month - 1) // 3 + 1}e kwartaal {day.year}"


def _range_label(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    if end is None:
        if start.month == 1 and start.day == 1:
            return f"vanaf {start.year}"
        return f"vanaf {_month_label(start) if start.day == 1 else _day_label(start)}"
    if start is None:
        return f"t/m {_day_label(end)}"
    if start > end:
        return ""
    same_year = start.year == end.year
    if start.day == 1 and end == _last_day(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if start.month == 1 and end.month == 12:
            return str(start.year) if same_year else f"{start.year}-{end.year}"
        if months == 6 and start.month in (1, 7):
            return f"{(start.month - 1) // 6 + 1}e helft {start.year}"
        if months == 3 and start.month in (1, 4, 7, 10):
            return _quarter_label(start)
        if (start.month, months) in _NAMED_SPANS:
            return f"{_NAMED_SPANS[start.month, months]} {start.year}"
        if months == 1:
            return _month_label(start)
        if start.month in (1, 4, 7, 10) and end.month in (3, 6, 9, 12):
            if same_year:
                return f"{(start.month - 1) // 3 + 1}e t/m {_quarter_label(end)}"
            return f"{_quarter_label(start)} t/m {_quarter_label(end)}"
        if same_year:
            return f"{_month_label(start, False)} t/m {_month_label(end)}"
        return f"{_month_label(start)} t/m {_month_label(end)}"
    if start == end:
        return _day_label(start)
    if same_year and start.month == end.month:
        return f"{start.day} t/m {_day_label(end)}"
    return f"{_day_label(start)} t/m {_day_label(end)}"
