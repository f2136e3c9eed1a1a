"""Recognise the header rows of action tables and meeting calendars, and the paragraphs that
structure a plan (themes, unplanned-action headings, list items).

A table starts at a header row whose cells use the vocabulary of Dutch municipal plans
(Regievoerder/Trekker/Actiehouder, Speerpunt, Sub speerpunt/Onderwerp, Actie(s), Wanneer/
Planning/Deadline, Status, ...; see ``HEADER_ROLES``). A header whose cells are meeting dates
("11-2-2021 (28-1)") starts a meeting calendar: leads in the first column, one column per meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from openveiligheid.imports.plans.cells import clean, meeting_date, normalise_header
from openveiligheid.imports.plans.readers import Cell, Item

HEADER_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("due_lead", re.compile(r"^(wanneer|planning|deadline)\b.*\b(trekkers?|wie|regievoerder)\b")),
    (
        "lead",
        re.compile(
            r"^(regievoerders?|trekkers?|actiehouders?|eigenaar|verantwoordelijke?|uitvoerders?"
            r"|wie|lead)\b"
        ),
    ),
    (
        "partners",
        re.compile(r"^(partners?|betrokken(en| partijen)?|samenwerkingspartners?|ketenpartners?)"),
    ),
    ("topic", re.compile(r"^(sub\s*-?\s*speerpunt(en)?|subthema('?s)?|deelthema('?s)?)\b")),
    ("theme", re.compile(r"^(speerpunt(en)?|thema('?s)?|prioriteit(en)?)\b")),
    ("subject", re.compile(r"^(onderwerp(en)?)\b")),
    (
        "action",
        re.compile(r"^(onvoorziene\s+)?(acties?|activiteit(en)?|maatregel(en)?|wat)\b"),
    ),
    (
        "due",
        re.compile(r"^(wanneer|planning|deadline|termijn|gereed|einddatum|datum gereed|looptijd)"),
    ),
    ("status", re.compile(r"^(status|stand van zaken|voortgang)\b")),
    (
        "since",
        re.compile(r"^(datum\s+(ingebracht|toegevoegd|melding)|ingebracht|toegevoegd|sinds)\b"),
    ),
    ("meeting", re.compile(r"^(terugkoppeling|rapportage|driehoek|overleg|agenda)\b")),
    ("note", re.compile(r"^(opmerkingen?|toelichting|resultaat|bijzonderheden)\b")),
    ("number", re.compile(r"^(nr|nummer|no|#)\b")),
)
LEAD_ROLES = ("lead", "due_lead")
KEY_ROLES = ("lead", "theme", "topic", "subject", "due", "due_lead", "number", "status")

THEME_RE = re.compile(
    r"^\s*(?:veiligheids)?(?:thema|speerpunt|prioriteit)(?:\s+\d+)?\s*[:.–—-]\s*(?P<text>.+?)\s*$",
    re.IGNORECASE,
)
UNPLANNED_RE = re.compile(r"\bonvoorzien", re.IGNORECASE)
UNPLANNED_HEADING_RE = re.compile(r"^\s*(\d+(\.\d+)*\.?\s*)?onvoorziene\s+acties?\b", re.I)
LIST_ITEM_RE = re.compile(r"^\s*(?:[•▪◦●*–-]|\d+[.)])\s+")
YEAR_RE = re.compile(r"\b(20\d\d)\b")
TOTAL_RE = re.compile(r"^\s*(totaal|totalen|subtotaal|aantal)\b", re.IGNORECASE)
_MEETING_CELL_RE = re.compile(
    r"^(?:[a-z]{2,9}\.?\s+)?\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{2,4})?(?:\s*\([^)]*\))?$",
    re.IGNORECASE,
)


def series_name(title: str) -> str:
    """ "Driehoek" for a calendar titled "Jaarkalender driehoek 2021"."""
    name = re.sub(
        r"\b(jaarkalender|jaarplanning|kalender|vergaderschema|vergaderdata|planning|data)\b"
        r"|\b(19|20)\d\d\b",
        " ",
        clean(title),
        flags=re.IGNORECASE,
    )
    name = " ".join(name.split()).strip(" :-–")
    return (name[:1].upper() + name[1:]) if name else "Driehoek"


@dataclass
class Header:
    kind: str  # "actions" or "calendar"
    roles: dict[int, str]
    offsets: list[tuple[int, int]] | None = None  # PDF: (column, start offset)
    meetings: dict[int, tuple[date, date | None, str]] = field(default_factory=dict)
    totals: set[int] = field(default_factory=set)
    unplanned: bool = False
    year: int | None = None


def row_cells(item: Item) -> list[tuple[int, Cell]]:
    """(column, cell) pairs; columns are 1-based positions in the row."""
    return [(cell.position.column or index, cell) for index, cell in enumerate(item.cells, 1)]


def classify_header(item: Item, year: int | None) -> Header | None:
    """The header this row is, or None for any other row."""
    cells = row_cells(item)
    filled = [(column, cell) for column, cell in cells if cell.text and cell.covered != "left"]
    if len(filled) < 2:
        return None
    return _calendar_header(cells, filled, year) or _actions_header(filled)


def _meeting_columns(
    filled: list[tuple[int, Cell]], year: int | None
) -> dict[int, tuple[date, date | None, str]]:
    dates: dict[int, tuple[date, date | None, str]] = {}
    for column, cell in filled:
        text = clean(cell.text)
        if _MEETING_CELL_RE.match(text) and (parsed := meeting_date(text, year)) is not None:
            dates[column] = (parsed[0], parsed[1], text)
    return dates


def _calendar_header(
    cells: list[tuple[int, Cell]], filled: list[tuple[int, Cell]], year: int | None
) -> Header | None:
    dates = _meeting_columns(filled, year)
    totals_in_header = sum(1 for _, cell in filled if TOTAL_RE.match(clean(cell.text)))
    # Every cell but the lead column (and a totals column) must be a date: a row of an action
    # table may hold two dates too (when an action came in, when it is due).
    if len(dates) < 2 or len(filled) - len(dates) - totals_in_header > 1:
        return None
    roles: dict[int, str] = {}
    totals: set[int] = set()
    for column, cell in filled:
        if column in dates:
            roles[column] = "meeting"
        elif TOTAL_RE.match(clean(cell.text)):
            roles[column] = "total"
            totals.add(column)
        else:
            roles[column] = "lead" if column == filled[0][0] else "extra"
    roles.setdefault(cells[0][0] if cells else 1, "lead")
    return Header("calendar", roles, meetings=dates, totals=totals)


def _header_role(normalised: str) -> str | None:
    return next((role for role, pattern in HEADER_ROLES if pattern.match(normalised)), None)


def _actions_header(filled: list[tuple[int, Cell]]) -> Header | None:
    roles: dict[int, str] = {}
    header_year = None
    for column, cell in filled:
        normalised = normalise_header(cell.text)
        role = _header_role(normalised) or "extra"
        if role != "extra" and role in roles.values():
            return None  # two columns with one role: not a header
        roles[column] = role
        if role == "action" and (found := YEAR_RE.search(normalised)):
            header_year = int(found.group(1))
    known = {role for role in roles.values() if role != "extra"}
    unknown = sum(1 for role in roles.values() if role == "extra")
    if not _enough_roles(known, unknown):
        return None
    unplanned = any(UNPLANNED_RE.search(normalise_header(cell.text)) for _, cell in filled)
    return Header("actions", roles, unplanned=unplanned, year=header_year)


def _enough_roles(known: set[str], unknown: int) -> bool:
    if "action" not in known or unknown > 2:
        return False
    has_lead = bool(known & set(LEAD_ROLES))
    if not ((has_lead and len(known) >= 2) or len(known) >= 3):
        return False
    return not (unknown > 1 and len(known) < 3)
