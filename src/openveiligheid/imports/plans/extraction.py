"""Find the action tables, meeting calendars and unplanned actions in a read document.

This generalises ``openveiligheid.imports.text_tables`` (which reads the tab-separated text of
PDF extractions line by line) to the items of any reader (see ``readers``): paragraphs and table
rows with positioned cells. The same rules apply to every format:

- a table starts at a header row whose cells use the vocabulary of Dutch municipal plans
  (Regievoerder/Trekker/Actiehouder, Speerpunt, Sub speerpunt/Onderwerp, Actie(s), Wanneer/
  Planning/Deadline, Status, ...; see ``_HEADER_ROLES``); the single-cell line or paragraph above
  it is the table's title (the topic of its actions);
- "Thema: X" (or "Speerpunt 2: X") paragraphs start a theme, "Doel:" and "Veiligheidsbeeld:"
  paragraphs describe it;
- rows that continue the row above (wrapped text, a lead whose partner list runs on, a page
  break in the middle of a row) are merged into it; a cell merged with the cell above (DOCX,
  XLSX) carries its text into the new row;
- an action cell holding several actions (bullets, ``<ul><li>`` fragments, line breaks) gives
  one action each, with its own due text when the due cell has one per action;
- a due cell that also names leads ("9 september Oldebroek en politie") gives a due text and
  the leads;
- a table whose header cells are meeting dates ("11-2-2021 (28-1)") is a meeting calendar: the
  first column names the lead, the other cells list what that lead reports at that meeting;
- tables and list paragraphs under a heading "Onvoorziene acties" hold unplanned actions.

Nothing in a table is dropped silently: cells in columns without a known role, rows of tables
without a recognisable header, and paragraphs between two rows of a table go to ``unparsed``
with their position. Header and title rows, separator rows and calendar totals are structure.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from openveiligheid.core.due import parse_due, split_due_cell
from openveiligheid.imports.plans.readers import BULLET, Cell, Item, Position, SourceDocument
from openveiligheid.imports.text_tables import (
    _GOAL_RE,
    _SEPARATOR_CELL_RE,
    _SITUATION_RE,
    _TERMINAL_PUNCTUATION,
    _clean,
    _due_parts,
    _split_lead_full,
    _split_org_unit,
    _split_top_level,
    _starts_lower,
    split_actions,
)
from openveiligheid.organisations.matching import NameMatch, OrganisationMatcher

try:
    from openveiligheid.meetings.services import parse_meeting_date as _parse_meeting_date
except ImportError:  # pragma: no cover - the meetings app is optional for the parser
    _parse_meeting_date = None

# --------------------------------------------------------------------------------------------
# Results


@dataclass
class ExtractedTheme:
    name: str
    goal: str = ""
    situation: str = ""


@dataclass
class ExtractedMeeting:
    date: date
    deadline: date | None
    series: str
    position: Position
    label: str = ""

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "series": self.series,
            "label": self.label,
            "position": self.position.as_dict(),
        }


@dataclass
class ExtractedAction:
    theme: str
    goal: str
    topic: str
    subject: str
    lead: str
    lead_organisation: str
    lead_unit: str
    partners: list[str]
    text: str
    due_text: str
    position: Position
    due_start: date | None = None
    due_end: date | None = None
    recurrence: str = ""
    due_understood: bool = True
    status: str = ""
    status_text: str = ""
    number: str = ""
    note: str = ""
    unplanned: bool = False
    unplanned_since: date | None = None
    meetings: list[date] = field(default_factory=list)
    source: str = "table"  # "table", "calendar" or "list"
    table: int | None = None  # index into ExtractedPlan.tables
    lead_match: NameMatch | None = None
    partner_matches: list[NameMatch | None] = field(default_factory=list)

    @property
    def line(self) -> int | None:
        return self.position.line

    @property
    def meeting(self) -> date | None:
        return self.meetings[0] if self.meetings else None

    def as_dict(self) -> dict:
        return {
            "theme": self.theme,
            "topic": self.topic,
            "subject": self.subject,
            "number": self.number,
            "lead": self.lead,
            "lead_unit": self.lead_unit,
            "lead_match": self.lead_match.as_dict() if self.lead_match else None,
            "partners": self.partners,
            "partner_matches": [m.as_dict() if m else None for m in self.partner_matches],
            "text": self.text,
            "due_text": self.due_text,
            "due_start": self.due_start.isoformat() if self.due_start else None,
            "due_end": self.due_end.isoformat() if self.due_end else None,
            "recurrence": self.recurrence,
            "due_understood": self.due_understood,
            "status": self.status,
            "note": self.note,
            "unplanned": self.unplanned,
            "unplanned_since": self.unplanned_since.isoformat() if self.unplanned_since else None,
            "meeting": self.meeting.isoformat() if self.meeting else None,
            "meetings": [day.isoformat() for day in self.meetings],
            "source": self.source,
            "position": self.position.as_dict(),
        }


@dataclass
class Unparsed:
    position: Position
    text: str

    def as_dict(self) -> dict:
        return {
            "position": self.position.as_dict(),
            "label": self.position.label,
            "text": self.text,
        }


@dataclass
class ExtractedPlan:
    format: str
    title: str
    year: int | None
    themes: list[ExtractedTheme]
    actions: list[ExtractedAction]
    meetings: list[ExtractedMeeting]
    unparsed: list[Unparsed]
    tables: list[dict] = field(default_factory=list)  # title, kind and number of actions
    accounted: set[Position] = field(default_factory=set, repr=False)

    @property
    def topics(self) -> list[tuple[str, str]]:
        seen: dict[tuple[str, str], None] = {}
        for action in self.actions:
            if action.topic:
                seen.setdefault((action.theme, action.topic), None)
        return list(seen)

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "title": self.title,
            "year": self.year,
            "themes": [
                {"name": t.name, "goal": t.goal, "situation": t.situation} for t in self.themes
            ],
            "topics": [{"theme": theme, "name": name} for theme, name in self.topics],
            "tables": self.tables,
            "actions": [action.as_dict() for action in self.actions],
            "meetings": [meeting.as_dict() for meeting in self.meetings],
            "unparsed": [entry.as_dict() for entry in self.unparsed],
        }


# --------------------------------------------------------------------------------------------
# Vocabulary

_HEADER_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
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
_LEAD_ROLES = ("lead", "due_lead")
_KEY_ROLES = ("lead", "theme", "topic", "subject", "due", "due_lead", "number", "status")

_THEME_RE = re.compile(
    r"^\s*(?:veiligheids)?(?:thema|speerpunt|prioriteit)(?:\s+\d+)?\s*[:.–—-]\s*(?P<text>.+?)\s*$",
    re.IGNORECASE,
)
_UNPLANNED_RE = re.compile(r"\bonvoorzien", re.IGNORECASE)
_UNPLANNED_HEADING_RE = re.compile(r"^\s*(\d+(\.\d+)*\.?\s*)?onvoorziene\s+acties?\b", re.I)
_LIST_ITEM_RE = re.compile(r"^\s*(?:[•▪◦●*–-]|\d+[.)])\s+")
_YEAR_RE = re.compile(r"\b(20\d\d)\b")
_TOTAL_RE = re.compile(r"^\s*(totaal|totalen|subtotaal|aantal)\b", re.IGNORECASE)
_MEETING_CELL_RE = re.compile(
    r"^(?:[a-z]{2,9}\.?\s+)?\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{2,4})?(?:\s*\([^)]*\))?$",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\ben\b|\bmet\b)\s*", re.IGNORECASE)
_LEAD_LABEL_RE = re.compile(r"^(?:trekkers?|wie|regievoerder|actiehouder)\s*:\s*", re.I)

_STATUS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", re.compile(r"vervallen|geannuleerd|gestopt|niet uitgevoerd|geschrapt")),
    ("planned", re.compile(r"nog niet gestart|gepland|niet gestart|nieuw|te starten|open")),
    ("done", re.compile(r"afgerond|gereed|klaar|uitgevoerd|voltooid|gerealiseerd")),
    ("delayed", re.compile(r"vertraagd|uitgesteld|achterstand|loopt achter")),
    ("in_progress", re.compile(r"loopt|lopend|in uitvoering|gestart|bezig|in behandeling")),
)


def _normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", _clean(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower().strip(" *:.?")


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", _clean(text).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def meeting_date(text: str, year: int | None) -> tuple[date, date | None] | None:
    """(date, document deadline) for a calendar header such as "11-2-2021 (28-1)"."""
    cleaned = " ".join(_clean(text).split())
    if not cleaned or len(cleaned) > 60:
        return None
    if _parse_meeting_date is not None:
        try:
            return _parse_meeting_date(cleaned, year)
        except (ValueError, TypeError):
            pass
    due = parse_due(re.sub(r"\([^)]*\)", "", cleaned), year)
    if due.understood and due.start is not None and due.start == due.end:
        return due.start, None
    return None


def series_name(title: str) -> str:
    """ "Driehoek" for a calendar titled "Jaarkalender driehoek 2021"."""
    name = re.sub(
        r"\b(jaarkalender|jaarplanning|kalender|vergaderschema|vergaderdata|planning|data)\b"
        r"|\b(19|20)\d\d\b",
        " ",
        _clean(title),
        flags=re.IGNORECASE,
    )
    name = " ".join(name.split()).strip(" :-–")
    return (name[:1].upper() + name[1:]) if name else "Driehoek"


# --------------------------------------------------------------------------------------------
# Header classification


@dataclass
class _Header:
    kind: str  # "actions" or "calendar"
    roles: dict[int, str]
    offsets: list[tuple[int, int]] | None = None  # PDF: (column, start offset)
    meetings: dict[int, tuple[date, date | None, str]] = field(default_factory=dict)
    totals: set[int] = field(default_factory=set)
    unplanned: bool = False
    year: int | None = None


def _row_cells(item: Item) -> list[tuple[int, Cell]]:
    """(column, cell) pairs; columns are 1-based positions in the row."""
    return [(cell.position.column or index, cell) for index, cell in enumerate(item.cells, 1)]


def _classify_header(item: Item, year: int | None) -> _Header | None:
    cells = _row_cells(item)
    filled = [(column, cell) for column, cell in cells if cell.text and cell.covered != "left"]
    if len(filled) < 2:
        return None
    # Calendar: two or more cells that read as meeting dates.
    dates: dict[int, tuple[date, date | None, str]] = {}
    for column, cell in filled:
        text = _clean(cell.text)
        if _MEETING_CELL_RE.match(text) or len(text) <= 40:
            parsed = meeting_date(text, year) if _MEETING_CELL_RE.match(text) else None
            if parsed is not None:
                dates[column] = (parsed[0], parsed[1], text)
    totals_in_header = sum(1 for _, cell in filled if _TOTAL_RE.match(_clean(cell.text)))
    # Every cell but the lead column (and a totals column) must be a date: a row of an action
    # table may hold two dates too (when an action came in, when it is due).
    if len(dates) >= 2 and len(filled) - len(dates) - totals_in_header <= 1:
        roles = {}
        totals = set()
        for column, cell in filled:
            if column in dates:
                roles[column] = "meeting"
            elif _TOTAL_RE.match(_clean(cell.text)):
                roles[column] = "total"
                totals.add(column)
            elif column == filled[0][0]:
                roles[column] = "lead"
            else:
                roles[column] = "extra"
        first_column = cells[0][0] if cells else 1
        roles.setdefault(first_column, "lead")
        return _Header("calendar", roles, meetings=dates, totals=totals)

    roles: dict[int, str] = {}
    unknown = 0
    header_year = None
    unplanned = False
    for column, cell in filled:
        normalised = _normalise_header(cell.text)
        if _UNPLANNED_RE.search(normalised):
            unplanned = True
        for role, pattern in _HEADER_ROLES:
            if pattern.match(normalised):
                if role in roles.values():
                    return None
                roles[column] = role
                if role == "action" and (found := _YEAR_RE.search(normalised)):
                    header_year = int(found.group(1))
                break
        else:
            unknown += 1
            roles[column] = "extra"
    known = {role for role in roles.values() if role != "extra"}
    if "action" not in known or unknown > 2:
        return None
    has_lead = bool(known & set(_LEAD_ROLES))
    if not ((has_lead and len(known) >= 2) or len(known) >= 3):
        return None
    if unknown > 1 and len(known) < 3:
        return None
    return _Header("actions", roles, unplanned=unplanned, year=header_year)


# --------------------------------------------------------------------------------------------
# Cells


def prepare_action_cell(text: str) -> str:
    """Turn the line breaks of a DOCX/XLSX cell into markers ``split_actions`` understands.

    Bulleted lines stay items; other lines become paragraphs when the cell has bullets, and
    items of their own when it has none (a line break separates actions), except a line
    ending in ":" which introduces the lines after it.
    """
    if "\n" not in text:
        return text
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) == 1:
        return lines[0]
    has_bullets = any(_LIST_ITEM_RE.match(line) or line.startswith("•") for line in lines)
    if not has_bullets:
        # A line starting in lower case is the rest of the line before (a manual line break).
        joined: list[str] = []
        for line in lines:
            if joined and _starts_lower(line):
                joined[-1] = f"{joined[-1]} {line}"
            else:
                joined.append(line)
        lines = joined
        if len(lines) == 1:
            return lines[0]
    parts = []
    for line in lines:
        bullet = _LIST_ITEM_RE.match(line)
        if bullet or line.startswith("•"):
            body = line[bullet.end() :] if bullet else line.lstrip("• ")
            parts.append(f"{BULLET}{body}")
        elif has_bullets or line.endswith(":"):
            parts.append(f"<p>{line}</p>")
        else:
            parts.append(f"{BULLET}{line}")
    return " ".join(parts)


def _lines(text: str) -> list[str]:
    return [
        _LIST_ITEM_RE.sub("", line).lstrip("• ").strip()
        for line in (text or "").split("\n")
        if _LIST_ITEM_RE.sub("", line).lstrip("• ").strip()
    ]


def split_names(text: str) -> list[str]:
    """Organisation names in "Oldebroek en politie", "Ermelo, Putten / OM"."""
    text = _LEAD_LABEL_RE.sub("", _clean(text)).strip(" .;:-–")
    names = []
    for part in _split_top_level(text, ","):
        for name in _NAME_SEPARATORS.split(part):
            name = name.strip(" .;:-–()")
            if name:
                names.append(name)
    return names


def split_due_and_leads(
    text: str, year: int | None, matcher: OrganisationMatcher | None
) -> tuple[str, list[str]]:
    """("9 september", ["Oldebroek", "politie"]) for "9 september Oldebroek en politie".

    The longest leading (or trailing) run of words that reads as a due expression is the due
    text; the rest are the leads. Without a readable date the whole text is the due text, unless
    it consists of organisation names only.
    """
    cleaned = _clean(text)
    if not cleaned:
        return "", []
    tokens = cleaned.split()
    if parse_due(cleaned, year).understood:
        return cleaned, []

    def names_in(rest: str) -> list[str] | None:
        names = split_names(rest)
        # With known organisations, the rest must name at least one of them: "na de zomer als
        # het kan" is a due text, not "na de zomer" led by "als het kan".
        if matcher is not None and not any(matcher.looks_like_organisation(n) for n in names):
            return None
        return names

    for length in range(len(tokens) - 1, 0, -1):
        head = " ".join(tokens[:length]).strip(" ,;:-–")
        if head and parse_due(head, year).understood:
            names = names_in(" ".join(tokens[length:]))
            if names:
                return head, names
        tail = " ".join(tokens[len(tokens) - length :]).strip(" ,;:-–")
        if tail and parse_due(tail, year).understood:
            names = names_in(" ".join(tokens[: len(tokens) - length]))
            if names:
                return tail, names
    names = split_names(cleaned)
    if matcher is not None and names and all(matcher.looks_like_organisation(n) for n in names):
        return "", names
    return cleaned, []


def _status_of(text: str) -> str:
    normalised = _normalise_header(text)
    for status, pattern in _STATUS_WORDS:
        if pattern.search(normalised):
            return status
    return ""


def _single_date(text: str, year: int | None) -> date | None:
    due = parse_due(_clean(text), year)
    if due.understood and due.start is not None and due.start == due.end:
        return due.start
    found = meeting_date(text, year)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------
# The pass over the items


@dataclass
class _Table:
    title: str
    header: _Header
    theme: ExtractedTheme | None
    table_id: int | None
    unplanned: bool
    series: str = ""
    previous_lead: str = ""
    index: int = 0


@dataclass
class _Row:
    position: Position
    cells: dict[str, str]
    positions: list[Position]
    theme: ExtractedTheme | None
    topic: str
    unplanned: bool
    explicit: bool
    table: int = 0

    def action_text_open(self) -> bool:
        text = _clean(self.cells.get("action", ""))
        return bool(text) and text[-1] not in _TERMINAL_PUNCTUATION + ":"

    def append(self, role: str, text: str) -> None:
        # In a real table a continuation row holds a new line of the cell, unless it finishes
        # the sentence of the line before (a row split in the middle of a sentence).
        wrapped = _starts_lower(text) or (role == "action" and self.action_text_open())
        joiner = "\n" if self.explicit and not wrapped else " "
        current = self.cells.get(role, "")
        self.cells[role] = f"{current}{joiner}{text}".strip() if current else text


@dataclass
class _CalendarEntry:
    lead: str
    meeting: int  # index into the plan's meetings
    text: str
    position: Position


def _title_candidate(item: Item) -> str | None:
    if item.kind == "text":
        text = item.text
    elif item.kind == "row":
        filled = [c for c in item.cells if c.text and c.covered != "left"]
        if len(filled) != 1 or filled[0] is not item.cells[0]:
            return None
        text = filled[0].text
    else:
        return None
    title = " ".join(_clean(text).split())
    if not title or _is_label(title) or len(title) > 150 or title[-1] in ".:":
        return None
    return title.strip("* ")


def _is_label(text: str) -> bool:
    return bool(_THEME_RE.match(text) or _GOAL_RE.match(text) or _SITUATION_RE.match(text))


def _single_text(item: Item) -> str | None:
    """The text of a paragraph, or of a row with only its first cell filled."""
    if item.kind == "text":
        return item.text
    if item.kind == "row" and item.cells:
        first = item.cells[0]
        if (
            first.text
            and first.covered is None
            and not any(c.text and c.covered != "left" for c in item.cells[1:])
        ):
            return first.text
    return None


class _Extractor:
    def __init__(self, source: SourceDocument, year: int | None, matcher, today: date | None):
        self.source = source
        self.items = source.items
        self.matcher = matcher
        self.today = today
        self.year = year or self._guess_year()
        self.themes: list[ExtractedTheme] = []
        self.rows: list[_Row] = []
        self.unparsed: list[Unparsed] = []
        self.meetings: list[ExtractedMeeting] = []
        self.meeting_index: dict[tuple[str, date], int] = {}
        self.calendar_entries: list[_CalendarEntry] = []
        self.list_actions: list[ExtractedAction] = []
        self.accounted: set[Position] = set()
        self.tables: list[dict] = []

    # -- setup

    def _guess_year(self) -> int | None:
        for item in self.items[:40]:
            text = _single_text(item)
            if text and (found := _YEAR_RE.search(text)):
                return int(found.group(1))
        for item in self.items:
            if item.kind == "row":
                for cell in item.cells:
                    if cell.text and (
                        found := re.search(r"\b\d{1,2}-\d{1,2}-(20\d\d)\b", cell.text)
                    ):
                        return int(found.group(1))
                    normalised = _normalise_header(cell.text) if cell.text else ""
                    if normalised.startswith(("acties", "activiteiten")) and (
                        found := _YEAR_RE.search(normalised)
                    ):
                        return int(found.group(1))
        return None

    def _add_meeting(self, day: date, deadline: date | None, series: str, position, label):
        key = (series, day)
        if key not in self.meeting_index:
            self.meeting_index[key] = len(self.meetings)
            self.meetings.append(ExtractedMeeting(day, deadline, series, position, label))
        elif deadline and not self.meetings[self.meeting_index[key]].deadline:
            self.meetings[self.meeting_index[key]].deadline = deadline
        return self.meeting_index[key]

    def _unparsed(self, position: Position, text: str) -> None:
        cleaned = _clean(text)
        if cleaned:
            self.unparsed.append(Unparsed(position, cleaned))
            self.accounted.add(position)

    def _structure(self, item: Item) -> None:
        self.accounted.add(item.position)
        for cell in item.cells:
            self.accounted.add(cell.position)

    # -- PDF columns

    @staticmethod
    def _map_columns(table: _Table, cells: list[Cell]) -> list[tuple[int, Cell]] | None:
        """Re-assign PDF cells to the header's columns by their horizontal offset."""
        offsets = table.header.offsets
        if not offsets:
            return None
        mapped: dict[int, Cell] = {}
        for cell in cells:
            column = offsets[0][0]
            for header_column, start in offsets:
                if cell.offset is not None and start <= cell.offset + 2:
                    column = header_column
            if column in mapped:
                existing = mapped[column]
                mapped[column] = Cell(
                    f"{existing.text} {cell.text}",
                    existing.position,
                    None,
                    existing.offset,
                    cell.end,
                )
                continue
            mapped[column] = cell
        return sorted(mapped.items())

    @staticmethod
    def _fits_column(table: _Table, cell: Cell) -> bool:
        offsets = table.header.offsets or []
        if cell.offset is None or not offsets:
            return False
        starts = [start for _, start in offsets]
        for index, start in enumerate(starts):
            following = starts[index + 1] if index + 1 < len(starts) else None
            if start <= cell.offset + 2 and (following is None or cell.offset < following):
                return following is None or (cell.end or 0) <= following + 1
        return False

    # -- main loop

    def run(self) -> ExtractedPlan:
        headers: dict[int, _Header] = {}
        titles: dict[int, str] = {}
        for index, item in enumerate(self.items):
            if item.kind != "row":
                continue
            header = _classify_header(item, self.year)
            if header is None:
                continue
            if self.source.format == "pdf":
                header.offsets = [
                    (column, cell.offset or 0) for column, cell in _row_cells(item) if cell.text
                ]
            headers[index] = header
            above = index - 1
            if above >= 0 and above not in headers:
                previous = self.items[above]
                same_table = previous.kind == "text" or previous.table == item.table
                title = _title_candidate(previous) if same_table else None
                if title is not None:
                    titles[above] = title

        title = next(
            (
                _clean(text).strip("* ")
                for item in self.items
                if (text := _single_text(item))
                and _clean(text)
                and item.position.cell != ""
                and not (self.source.format == "xlsx" and item.kind == "text")
            ),
            "",
        )
        theme: ExtractedTheme | None = None
        table: _Table | None = None
        row: _Row | None = None
        pending_prose: list[tuple[Position, str]] = []
        pending_title = ""
        label_target: tuple[ExtractedTheme, str] | None = None
        unplanned_section = False

        def close_table() -> None:
            nonlocal table, row, pending_prose
            if row is not None:
                self.rows.append(row)
            table, row, pending_prose = None, None, []

        for index, item in enumerate(self.items):
            if item.kind == "end":
                close_table()
                label_target = None
                continue
            if index in headers:
                label_target = None
                header = headers[index]
                self._structure(item)
                table_title = pending_title
                same_table = table is not None and (
                    item.table is None or item.table == table.table_id
                )
                if not table_title and same_table and table.header.kind == header.kind:
                    # A repeated header (page break): same table, the open row may continue.
                    table.header = header
                else:
                    close_table()
                    unplanned = (
                        header.unplanned
                        or bool(_UNPLANNED_RE.search(table_title))
                        or (unplanned_section and not table_title)
                    )
                    table = _Table(table_title, header, theme, item.table, unplanned)
                    table.index = len(self.tables)
                    if header.kind == "calendar":
                        table.series = series_name(table_title)
                        for column, (day, deadline, label) in sorted(header.meetings.items()):
                            cell = next(c for col, c in _row_cells(item) if col == column)
                            self._add_meeting(day, deadline, table.series, cell.position, label)
                    self.tables.append(
                        {"title": table_title, "kind": header.kind, "position": item.position}
                    )
                pending_title = ""
                continue
            if index in titles:
                close_table()
                label_target = None
                pending_title = titles[index]
                self._structure(item)
                if _UNPLANNED_HEADING_RE.match(pending_title):
                    unplanned_section = True
                    theme = None
                continue

            single = _single_text(item)
            if single is not None and (table is None or item.kind == "text" or not item.table):
                stripped = " ".join(single.split())
                theme_match = _THEME_RE.match(stripped)
                if theme_match and len(stripped) <= 200:
                    close_table()
                    theme = ExtractedTheme(_clean(theme_match.group("text")))
                    self.themes.append(theme)
                    label_target = None
                    unplanned_section = False
                    self._structure(item)
                    continue
                label = self._match_label(stripped)
                if label is not None and theme is not None:
                    close_table()
                    attribute, value = label
                    setattr(theme, attribute, f"{getattr(theme, attribute)} {value}".strip())
                    label_target = (theme, attribute)
                    self._structure(item)
                    continue
                if _UNPLANNED_HEADING_RE.match(stripped) and len(stripped) <= 80:
                    close_table()
                    unplanned_section = True
                    theme = None
                    label_target = None
                    self._structure(item)
                    continue
                if label_target is not None and table is None and item.kind == "text":
                    if item.style == "heading":
                        label_target = None
                    else:
                        target, attribute = label_target
                        value = f"{getattr(target, attribute)} {_clean(stripped)}"
                        setattr(target, attribute, value)
                        continue
                if item.kind == "text" and item.style == "heading" and table is None:
                    unplanned_section = False

            if table is None:
                if (
                    unplanned_section
                    and item.kind == "text"
                    and (item.style == "list" or _LIST_ITEM_RE.match(item.text))
                ):
                    self._list_action(item, theme)
                elif (
                    item.kind == "row"
                    and item.table is not None
                    and not (self.source.format == "xlsx" and single is not None)
                ):
                    # (A spreadsheet has no paragraphs: a row with one text in its first column
                    # is a line of text, such as the title above a table.)
                    # A table without a header we recognise: report every cell.
                    for cell in item.cells:
                        if cell.text and cell.covered is None:
                            self._unparsed(cell.position, cell.text)
                continue

            cells = _row_cells(item)
            if item.kind == "text":
                if table.header.offsets and item.cells and self._fits_column(table, item.cells[0]):
                    cells = [(0, item.cells[0])]
                else:
                    if table.header.kind == "calendar":
                        pending_prose.append((item.position, item.text))
                        continue
                    lost_tabs = row is not None and not pending_prose and _starts_lower(item.text)
                    if lost_tabs and row is not None and row.action_text_open():
                        # The rest of an action whose tabs were lost in the extraction.
                        row.cells["action"] = f"{row.cells.get('action', '')} {item.text}".strip()
                        row.positions.append(item.position)
                        continue
                    pending_prose.append((item.position, _clean(item.text)))
                    continue
            if table.header.offsets:
                mapped = self._map_columns(table, [cell for _, cell in cells])
                if mapped is not None:
                    cells = mapped

            filled = [cell.text for _, cell in cells if cell.text and cell.covered != "left"]
            if not filled or all(_SEPARATOR_CELL_RE.match(text) for text in filled):
                self._structure(item)
                continue

            if table.header.kind == "calendar":
                for position, text in pending_prose:
                    self._unparsed(position, text)
                pending_prose = []
                self._calendar_row(table, item, cells)
                continue

            by_role: dict[str, str] = {}
            inherited: dict[str, str] = {}
            positions: list[Position] = []
            for column, cell in cells:
                if not cell.text or cell.covered == "left":
                    continue
                role = table.header.roles.get(column, "extra")
                if cell.covered == "above":
                    if role != "extra":
                        inherited[role] = cell.text
                    continue
                if role == "extra":
                    self._unparsed(cell.position, cell.text)
                    continue
                by_role[role] = cell.text
                positions.append(cell.position)
            if not by_role:
                continue
            for position, text in pending_prose:
                self._unparsed(position, text)
            pending_prose = []
            explicit = item.table is not None
            if row is not None and self._is_continuation(table, by_role, inherited, row, explicit):
                for role, text in by_role.items():
                    row.append(role, text)
                row.positions.extend(positions)
                continue
            if row is not None:
                self.rows.append(row)
            for role, text in inherited.items():
                by_role.setdefault(role, text)
            if row is not None:
                for role in ("lead", "theme", "topic"):
                    if not by_role.get(role) and role in table.header.roles.values():
                        by_role[role] = row.cells.get(role, "")
            row = _Row(
                item.position,
                by_role,
                positions,
                table.theme,
                table.title,
                table.unplanned,
                explicit,
                table.index,
            )
        close_table()
        return self._finish(title)

    @staticmethod
    def _match_label(text: str) -> tuple[str, str] | None:
        for pattern, attribute in ((_GOAL_RE, "goal"), (_SITUATION_RE, "situation")):
            match = pattern.match(text)
            if match:
                return attribute, _clean(match.group("text"))
        return None

    @staticmethod
    def _is_continuation(
        table: _Table, cells: dict[str, str], inherited: dict[str, str], previous: _Row, explicit
    ) -> bool:
        roles = set(table.header.roles.values())
        previous_lead = previous.cells.get("lead", "")
        lead = cells.get("lead", "")
        if lead and previous_lead.count("(") > previous_lead.count(")"):
            return True
        action = cells.get("action", "")
        if explicit or "lead" not in roles:
            if not action:
                return sum(1 for role in _KEY_ROLES if cells.get(role)) < 2
            if any(cells.get(role) for role in _KEY_ROLES):
                return False
            if explicit:
                return _starts_lower(action) or previous.action_text_open()
            return True
        # Plain text and PDF with a lead column: the rules of text_tables.
        subject = cells.get("subject", "")
        if not lead:
            return not (subject and action and (cells.get("due") or cells.get("due_lead")))
        return lead.startswith("(") and "(" not in previous_lead and not subject

    # -- calendars and lists

    def _calendar_row(self, table: _Table, item: Item, cells: list[tuple[int, Cell]]) -> None:
        header = table.header
        first_column = cells[0][0] if cells else 1
        lead_cell = next((c for col, c in cells if col == first_column), None)
        lead = _clean(lead_cell.text) if lead_cell is not None else ""
        if lead_cell is not None and lead_cell.covered is None and lead:
            self.accounted.add(lead_cell.position)
        if _TOTAL_RE.match(lead):
            self._structure(item)  # totals are derived from the cells; the calendar recounts
            return
        if not lead:
            lead = table.previous_lead
        table.previous_lead = lead
        for column, cell in cells:
            if column == first_column or not cell.text or cell.covered is not None:
                continue
            if column in header.totals:
                self.accounted.add(cell.position)
                continue
            if column not in header.meetings:
                self._unparsed(cell.position, cell.text)
                continue
            day, _deadline, _label = header.meetings[column]
            meeting = self.meeting_index[(table.series, day)]
            for text in split_actions(prepare_action_cell(cell.text)):
                if text:
                    self.calendar_entries.append(_CalendarEntry(lead, meeting, text, cell.position))
            self.accounted.add(cell.position)

    def _list_action(self, item: Item, theme: ExtractedTheme | None) -> None:
        text = _clean(_LIST_ITEM_RE.sub("", item.text))
        lead = ""
        due_text = ""
        partners: list[str] = []
        since = None
        tail = re.search(r"\(([^()]*)\)\s*\.?$", text)
        if tail:
            inner = tail.group(1)
            due_text, leads = split_due_and_leads(inner, self.year, self.matcher)
            if leads or due_text:
                text = text[: tail.start()].strip()
                if leads:
                    lead, partners = leads[0], leads[1:]
                since = _single_date(due_text, self.year) if due_text else None
        action = ExtractedAction(
            theme=theme.name if theme else "",
            goal=theme.goal if theme else "",
            topic="Onvoorziene acties",
            subject="",
            lead=lead,
            lead_organisation=_split_org_unit(lead)[0] if lead else "",
            lead_unit=_split_org_unit(lead)[1] if lead else "",
            partners=partners,
            text=text,
            due_text="" if since else due_text,
            position=item.position,
            unplanned=True,
            unplanned_since=since,
            source="list",
        )
        self.list_actions.append(action)
        self.accounted.add(item.position)

    # -- rows into actions

    def _finish(self, title: str) -> ExtractedPlan:
        known_leads = []
        for parsed_row in self.rows:
            lead_cell = _clean(parsed_row.cells.get("lead", ""))
            if lead_cell and lead_cell.count("(") == lead_cell.count(")"):
                known_leads.append(_split_lead_full(lead_cell)[0])
        actions: list[ExtractedAction] = []
        for parsed_row in self.rows:
            actions.extend(self._row_actions(parsed_row, known_leads))
            self.accounted.update(parsed_row.positions)
        actions.extend(self.list_actions)
        actions.extend(self._place_calendar_entries(actions))
        meeting_days = {meeting.date for meeting in self.meetings}
        for action in actions:
            # A due date that is a meeting date: the action is reported at that meeting.
            due_day = action.due_start if action.due_start == action.due_end else None
            if not action.meetings and due_day is not None and due_day in meeting_days:
                action.meetings.append(due_day)
        if self.matcher is not None:
            for action in actions:
                self._match(action)
        for theme_name in dict.fromkeys(a.theme for a in actions if a.theme):
            if not any(theme.name == theme_name for theme in self.themes):
                self.themes.append(ExtractedTheme(theme_name))
        self.unparsed.sort(key=lambda entry: entry.position.order)
        tables = []
        per_table = Counter(action.table for action in actions if action.source == "table")
        for index, table in enumerate(self.tables):
            count = per_table.get(index, 0)
            tables.append(
                {
                    "title": table["title"],
                    "kind": table["kind"],
                    "position": table["position"].as_dict(),
                    "actions": count if table["kind"] == "actions" else None,
                }
            )
        return ExtractedPlan(
            format=self.source.format,
            title=title,
            year=self.year,
            themes=self.themes,
            actions=actions,
            meetings=sorted(self.meetings, key=lambda m: (m.series, m.date)),
            unparsed=self.unparsed,
            tables=tables,
            accounted=self.accounted,
        )

    def _row_actions(self, parsed_row: _Row, known_leads: list[str]) -> list[ExtractedAction]:
        cells = parsed_row.cells
        lead_cell = (
            " ".join(_lines(cells.get("lead", "")))
            if "\n" in cells.get("lead", "")
            else cells.get("lead", "")
        )
        lead, organisation, unit, partners = _split_lead_full(lead_cell, known_leads)
        partners = list(partners)
        if cells.get("partners"):
            partners.extend(
                name for name in split_names(" , ".join(_lines(cells["partners"]))) if name
            )
        descriptions = split_actions(prepare_action_cell(cells.get("action", ""))) or [""]
        count = len(descriptions)

        due_cell = cells.get("due", "")
        if "\n" in due_cell and len(_lines(due_cell)) == count:
            due_parts = _lines(due_cell)
        else:
            due_whole = _clean(due_cell.replace("\n", " "))
            due_parts = _due_parts(due_cell.replace("\n", " ")) if due_cell else []
            if len(due_parts) != count:
                due_parts = [due_whole] * count

        due_lead_cell = cells.get("due_lead", "")
        due_leads: list[tuple[str, list[str]]] = [("", [])] * count
        if due_lead_cell:
            lines = _lines(due_lead_cell)
            if len(lines) == count and count > 1:
                due_leads = [split_due_and_leads(line, self.year, self.matcher) for line in lines]
            else:
                whole = split_due_and_leads(
                    " ".join(lines) if lines else due_lead_cell, self.year, self.matcher
                )
                due_leads = [whole] * count

        meetings: list[date] = []
        if cells.get("meeting"):
            for piece in split_due_cell(cells["meeting"]) or [cells["meeting"]]:
                found = meeting_date(piece, self.year) or (
                    (day, None) if (day := _single_date(piece, self.year)) else None
                )
                if found:
                    meetings.append(found[0])
                    self._add_meeting(found[0], found[1], "Driehoek", parsed_row.position, piece)
        status_text = _clean(cells.get("status", ""))
        since = _single_date(cells.get("since", ""), self.year) if cells.get("since") else None
        theme_name = _clean(cells.get("theme", "")) or (
            parsed_row.theme.name if parsed_row.theme else ""
        )
        goal = parsed_row.theme.goal if parsed_row.theme and not cells.get("theme") else ""
        topic = _clean(cells.get("topic", "")) or parsed_row.topic
        results = []
        for description, due_text, (lead_due, leads) in zip(
            descriptions, due_parts, due_leads, strict=True
        ):
            action_lead, action_org, action_unit = lead, organisation, unit
            action_partners = list(partners)
            if leads:
                if not action_lead:
                    action_lead = leads[0]
                    action_org, action_unit = _split_org_unit(leads[0])
                    action_partners = leads[1:] + action_partners
                else:
                    action_partners.extend(leads)
            due = due_text or lead_due
            subject = _clean(cells.get("subject", ""))
            results.append(
                ExtractedAction(
                    theme=theme_name,
                    goal=goal,
                    topic=topic,
                    subject=subject,
                    lead=action_lead,
                    lead_organisation=action_org,
                    lead_unit=action_unit,
                    partners=list(dict.fromkeys(action_partners)),
                    text=description or subject,
                    due_text=due,
                    position=parsed_row.position,
                    status=_status_of(status_text) if status_text else "",
                    status_text=status_text,
                    number=_clean(cells.get("number", "")),
                    note=_clean(cells.get("note", "")),
                    unplanned=parsed_row.unplanned,
                    unplanned_since=since,
                    meetings=list(meetings),
                    table=parsed_row.table,
                )
            )
        for action in results:
            self._apply_due(action)
        return results

    def _apply_due(self, action: ExtractedAction) -> None:
        due = parse_due(action.due_text, self.year)
        action.due_start, action.due_end = due.start, due.end
        action.recurrence = due.recurrence
        action.due_understood = due.understood or not action.due_text

    def _match(self, action: ExtractedAction) -> None:
        matcher = self.matcher
        if action.lead:
            found, _rest = matcher.match_prefix(action.lead)
            if found is None and action.lead_organisation:
                found = matcher.match(action.lead_organisation)
            action.lead_match = found
        action.partner_matches = [matcher.match(partner) for partner in action.partners]

    def _place_calendar_entries(self, actions: list[ExtractedAction]) -> list[ExtractedAction]:
        """Link each calendar cell item to the action it reports on, or make it an action."""
        by_text: dict[str, list[ExtractedAction]] = {}
        for action in actions:
            for key in (action.text, action.subject, action.number):
                normalised = _normalise_text(key)
                if normalised:
                    by_text.setdefault(normalised, []).append(action)
        created: list[ExtractedAction] = []
        for entry in self.calendar_entries:
            meeting = self.meetings[entry.meeting]
            key = _normalise_text(entry.text)
            candidates = by_text.get(key, [])
            if not candidates and len(key) >= 12:
                candidates = [
                    action for action in actions if _normalise_text(action.text).startswith(key)
                ]
            lead_key = _normalise_text(entry.lead)
            same_lead = [a for a in candidates if _normalise_text(a.lead) == lead_key] or candidates
            if any(meeting.date in a.meetings for a in same_lead):
                continue  # already reported there (its due date is the meeting date)
            target = same_lead[0] if same_lead else None
            if target is not None:
                target.meetings.append(meeting.date)
                if not target.lead and entry.lead:
                    target.lead = entry.lead
                    target.lead_organisation, target.lead_unit = _split_org_unit(entry.lead)
                continue
            lead, organisation, unit, partners = _split_lead_full(entry.lead)
            action = ExtractedAction(
                theme="",
                goal="",
                topic=meeting.series,
                subject="",
                lead=lead,
                lead_organisation=organisation,
                lead_unit=unit,
                partners=list(partners),
                text=entry.text,
                due_text=f"{meeting.date.day}-{meeting.date.month}-{meeting.date.year}",
                position=entry.position,
                meetings=[meeting.date],
                source="calendar",
            )
            self._apply_due(action)
            created.append(action)
            by_text.setdefault(key, []).append(action)
        return created


def extract(
    source: SourceDocument,
    *,
    year: int | None = None,
    matcher: OrganisationMatcher | None = None,
    today: date | None = None,
) -> ExtractedPlan:
    """Everything the document says about actions, meetings and unplanned actions."""
    return _Extractor(source, year, matcher, today).run()
