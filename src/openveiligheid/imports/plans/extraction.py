"""Find the action tables, meeting calendars and unplanned actions in a read document.

The extraction works on the items of any reader (see ``readers``): paragraphs and table rows
with positioned cells. The same rules apply to every format:

- a table starts at a header row (see ``headers``); the single-cell line or paragraph above it
  is the table's title (the topic of its actions);
- "Thema: X" (or "Speerpunt 2: X") paragraphs start a theme, "Doel:" and "Veiligheidsbeeld:"
  paragraphs describe it;
- rows that continue the row above (wrapped text, a lead whose partner list runs on, a page
  break in the middle of a row) are merged into it; a cell merged with the cell above (DOCX,
  XLSX) carries its text into the new row;
- an action cell holding several actions (bullets, ``<ul><li>`` fragments, line breaks) gives
  one action each, each with its own due text from the due cell beside it (``cells.align_due``);
  where the counts do not match the row is reported as uncertain; a single action whose due
  cell holds one due text per sentence gives one action per sentence;
- a due cell that also names leads ("9 september Oldebroek en politie") gives a due text and
  the leads;
- a table whose header cells are meeting dates ("11-2-2021 (28-1)") is a meeting calendar: the
  first column names the lead, the other cells list what that lead reports at that meeting;
  each entry is linked to the action it names (``calendar``);
- tables and list paragraphs under a heading "Onvoorziene acties" hold unplanned actions.

Nothing in a table is dropped silently: cells in columns without a known role, rows of tables
without a recognisable header, and paragraphs between two rows of a table go to ``unparsed``
with their position. Header and title rows, separator rows and calendar totals are structure.

The pass over the items keeps its state in ``_State`` and has one handler per kind of item:
end of table, header row, title, paragraph (theme, label, heading), list item, text inside a
table, table row and calendar row.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from openveiligheid.core.due import parse_due, split_due_cell
from openveiligheid.core.limits import check_parse_time
from openveiligheid.imports.plans.calendar import link_calendar_entries
from openveiligheid.imports.plans.cells import (
    GOAL_RE,
    SEPARATOR_CELL_RE,
    SITUATION_RE,
    TERMINAL_PUNCTUATION,
    align_due,
    clean,
    due_groups,
    lines,
    meeting_date,
    normalise_header,
    prepare_action_cell,
    single_date,
    split_actions,
    split_calendar_cell,
    split_due_and_leads,
    split_lead_full,
    split_names,
    split_org_unit,
    split_sentences,
    starts_lower,
    status_of,
)
from openveiligheid.imports.plans.headers import (
    KEY_ROLES,
    LIST_ITEM_RE,
    THEME_RE,
    TOTAL_RE,
    UNPLANNED_HEADING_RE,
    UNPLANNED_RE,
    YEAR_RE,
    Header,
    classify_header,
    row_cells,
    series_name,
)
from openveiligheid.imports.plans.readers import Cell, Item, Position, SourceDocument
from openveiligheid.imports.plans.results import (
    CalendarEntry,
    ExtractedAction,
    ExtractedMeeting,
    ExtractedPlan,
    ExtractedTheme,
    Unparsed,
)
from openveiligheid.organisations.matching import OrganisationMatcher

logger = logging.getLogger(__name__)

__all__ = [
    "CalendarEntry",
    "ExtractedAction",
    "ExtractedMeeting",
    "ExtractedPlan",
    "ExtractedTheme",
    "Unparsed",
    "extract",
    "prepare_action_cell",
    "split_due_and_leads",
    "split_names",
]

# --------------------------------------------------------------------------------------------
# The pass over the items


@dataclass
class _Table:
    title: str
    header: Header
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
        text = clean(self.cells.get("action", ""))
        return bool(text) and text[-1] not in TERMINAL_PUNCTUATION + ":"

    def append(self, role: str, text: str) -> None:
        # In a real table a continuation row holds a new line of the cell, unless it finishes
        # the sentence of the line before (a row split in the middle of a sentence).
        wrapped = starts_lower(text) or (role == "action" and self.action_text_open())
        joiner = "\n" if self.explicit and not wrapped else " "
        current = self.cells.get(role, "")
        self.cells[role] = f"{current}{joiner}{text}".strip() if current else text


@dataclass
class _State:
    """Where the pass over the items is: the theme, table and row it is in, and what waits."""

    theme: ExtractedTheme | None = None
    table: _Table | None = None
    row: _Row | None = None
    pending_prose: list[tuple[Position, str]] = field(default_factory=list)
    pending_title: str = ""
    label_target: tuple[ExtractedTheme, str] | None = None
    unplanned_section: bool = False


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
    title = " ".join(clean(text).split())
    if not title or _is_label(title) or len(title) > 150 or title[-1] in ".:":
        return None
    return title.strip("* ")


def _is_label(text: str) -> bool:
    return bool(THEME_RE.match(text) or GOAL_RE.match(text) or SITUATION_RE.match(text))


def _match_label(text: str) -> tuple[str, str] | None:
    for pattern, attribute in ((GOAL_RE, "goal"), (SITUATION_RE, "situation")):
        match = pattern.match(text)
        if match:
            return attribute, clean(match.group("text"))
    return None


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


def _is_continuation(table: _Table, cells: dict[str, str], previous: _Row, explicit: bool) -> bool:
    previous_lead = previous.cells.get("lead", "")
    lead = cells.get("lead", "")
    if lead and previous_lead.count("(") > previous_lead.count(")"):
        return True
    if explicit or "lead" not in table.header.roles.values():
        return _continues_real_table(cells, previous, explicit)
    # Plain text and PDF with a lead column: a row without lead continues the row above unless
    # it has its own subject, action and due (a new row under a merged lead cell).
    subject = cells.get("subject", "")
    if not lead:
        return not (subject and cells.get("action") and (cells.get("due") or cells.get("due_lead")))
    return lead.startswith("(") and "(" not in previous_lead and not subject


def _continues_real_table(cells: dict[str, str], previous: _Row, explicit: bool) -> bool:
    action = cells.get("action", "")
    if not action:
        return sum(1 for role in KEY_ROLES if cells.get(role)) < 2
    if any(cells.get(role) for role in KEY_ROLES):
        return False
    if explicit:
        return starts_lower(action) or previous.action_text_open()
    return True


def _plan_period(title: str, year: int | None) -> tuple[int, int] | None:
    """The years a plan covers: those in its title ("Uitvoeringsplan ... 2017 en 2018")."""
    years = sorted(int(found) for found in YEAR_RE.findall(title))
    if year is not None:
        years = [y for y in years if year <= y <= year + 10] or [year]
    return (years[0], years[-1]) if years else None


class _Extractor:
    def __init__(self, source: SourceDocument, year: int | None, matcher, today: date | None):
        self.source = source
        self.items = source.items
        self.matcher = matcher
        self.today = today
        self.year = year or self._guess_year()
        self.last_year: int | None = None
        self.state = _State()
        self.themes: list[ExtractedTheme] = []
        self.rows: list[_Row] = []
        self.unparsed: list[Unparsed] = []
        self.meetings: list[ExtractedMeeting] = []
        self.meeting_index: dict[tuple[str, date], int] = {}
        self.calendar_entries: list[CalendarEntry] = []
        self.list_actions: list[ExtractedAction] = []
        self.accounted: set[Position] = set()
        self.tables: list[dict] = []

    # -- setup

    def _guess_year(self) -> int | None:
        for item in self.items[:40]:
            text = _single_text(item)
            if text and (found := YEAR_RE.search(text)):
                return int(found.group(1))
        for item in self.items:
            if item.kind != "row":
                continue
            for cell in item.cells:
                if found := self._year_in_cell(cell):
                    return found
        return None

    @staticmethod
    def _year_in_cell(cell: Cell) -> int | None:
        if not cell.text:
            return None
        if found := re.search(r"\b\d{1,2}-\d{1,2}-(20\d\d)\b", cell.text):
            return int(found.group(1))
        normalised = normalise_header(cell.text)
        if normalised.startswith(("acties", "activiteiten")) and (
            found := YEAR_RE.search(normalised)
        ):
            return int(found.group(1))
        return None

    def _find_headers(self) -> tuple[dict[int, Header], dict[int, str]]:
        """Header rows by index, and the titles (the single text above a header)."""
        headers: dict[int, Header] = {}
        titles: dict[int, str] = {}
        for index, item in enumerate(self.items):
            check_parse_time()
            header = classify_header(item, self.year) if item.kind == "row" else None
            if header is None:
                continue
            if self.source.format == "pdf":
                header.offsets = [
                    (column, cell.offset or 0) for column, cell in row_cells(item) if cell.text
                ]
            headers[index] = header
            above = index - 1
            if above >= 0 and above not in headers:
                previous = self.items[above]
                same_table = previous.kind == "text" or previous.table == item.table
                title = _title_candidate(previous) if same_table else None
                if title is not None:
                    titles[above] = title
        return headers, titles

    def _document_title(self) -> str:
        for item in self.items:
            text = _single_text(item)
            if not text or not clean(text) or item.position.cell == "":
                continue
            if self.source.format == "xlsx" and item.kind == "text":
                continue  # a sheet name, not the title
            return clean(text).strip("* ")
        return ""

    def _add_meeting(self, day: date, deadline: date | None, series: str, position, label):
        key = (series, day)
        if key not in self.meeting_index:
            self.meeting_index[key] = len(self.meetings)
            self.meetings.append(ExtractedMeeting(day, deadline, series, position, label))
        elif deadline and not self.meetings[self.meeting_index[key]].deadline:
            self.meetings[self.meeting_index[key]].deadline = deadline
        return self.meeting_index[key]

    def _unparsed(self, position: Position, text: str, reason: str = "") -> None:
        cleaned = clean(text)
        if cleaned:
            self.unparsed.append(Unparsed(position, cleaned, reason))
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

    # -- the pass

    def run(self) -> ExtractedPlan:
        headers, titles = self._find_headers()
        title = self._document_title()
        period = _plan_period(title, self.year)
        self.last_year = period[1] if period else None
        for index, item in enumerate(self.items):
            check_parse_time()
            self._handle(index, item, headers, titles)
        self._close_table()
        plan = self._finish(title)
        plan.period = period
        return plan

    def _handle(self, index: int, item: Item, headers: dict[int, Header], titles) -> None:
        state = self.state
        if item.kind == "end":
            self._close_table()
            state.label_target = None
        elif index in headers:
            self._on_header(item, headers[index])
        elif index in titles:
            self._on_title(item, titles[index])
        else:
            single = _single_text(item)
            paragraph = single is not None and (
                state.table is None or item.kind == "text" or not item.table
            )
            if paragraph and self._on_paragraph(item, single):
                return
            if state.table is None:
                self._outside_table(item, single)
            else:
                self._in_table(item)

    def _close_table(self) -> None:
        state = self.state
        if state.row is not None:
            self.rows.append(state.row)
        # Prose after the last row is document text, not table text.
        state.table, state.row, state.pending_prose = None, None, []

    def _flush_prose(self) -> None:
        """Paragraphs between two rows of a table are not document text: report them."""
        for position, text in self.state.pending_prose:
            self._unparsed(position, text)
        self.state.pending_prose = []

    # -- header rows and titles

    def _on_header(self, item: Item, header: Header) -> None:
        state = self.state
        state.label_target = None
        self._structure(item)
        table = state.table
        same_table = table is not None and (item.table is None or item.table == table.table_id)
        if not state.pending_title and same_table and table.header.kind == header.kind:
            # A repeated header (page break): same table, the open row may continue.
            table.header = header
        else:
            self._close_table()
            self._open_table(item, header, state.pending_title)
        state.pending_title = ""

    def _open_table(self, item: Item, header: Header, title: str) -> None:
        state = self.state
        unplanned = (
            header.unplanned
            or bool(UNPLANNED_RE.search(title))
            or (state.unplanned_section and not title)
        )
        table = _Table(title, header, state.theme, item.table, unplanned)
        table.index = len(self.tables)
        if header.kind == "calendar":
            table.series = series_name(title)
            cells = dict(row_cells(item))
            for column, (day, deadline, label) in sorted(header.meetings.items()):
                self._add_meeting(day, deadline, table.series, cells[column].position, label)
        self.tables.append({"title": title, "kind": header.kind, "position": item.position})
        state.table = table

    def _on_title(self, item: Item, title: str) -> None:
        state = self.state
        self._close_table()
        state.label_target = None
        state.pending_title = title
        self._structure(item)
        if UNPLANNED_HEADING_RE.match(title):
            state.unplanned_section = True
            state.theme = None

    # -- paragraphs

    def _on_paragraph(self, item: Item, text: str) -> bool:
        """Themes, "Doel:"/"Veiligheidsbeeld:" labels and headings; True when consumed."""
        state = self.state
        stripped = " ".join(text.split())
        theme_match = THEME_RE.match(stripped)
        if theme_match and len(stripped) <= 200:
            self._start_theme(item, clean(theme_match.group("text")))
            return True
        label = _match_label(stripped)
        if label is not None and state.theme is not None:
            self._add_label(item, *label)
            return True
        if UNPLANNED_HEADING_RE.match(stripped) and len(stripped) <= 80:
            self._start_unplanned_section(item)
            return True
        if state.label_target is not None and state.table is None and item.kind == "text":
            if item.style != "heading":
                # A label paragraph that runs on over several paragraphs or lines.
                target, attribute = state.label_target
                setattr(target, attribute, f"{getattr(target, attribute)} {clean(stripped)}")
                return True
            state.label_target = None
        if item.kind == "text" and item.style == "heading" and state.table is None:
            state.unplanned_section = False
        return False

    def _start_theme(self, item: Item, name: str) -> None:
        state = self.state
        self._close_table()
        state.theme = ExtractedTheme(name)
        self.themes.append(state.theme)
        state.label_target = None
        state.unplanned_section = False
        self._structure(item)

    def _add_label(self, item: Item, attribute: str, value: str) -> None:
        state = self.state
        self._close_table()
        theme = state.theme
        setattr(theme, attribute, f"{getattr(theme, attribute)} {value}".strip())
        state.label_target = (theme, attribute)
        self._structure(item)

    def _start_unplanned_section(self, item: Item) -> None:
        state = self.state
        self._close_table()
        state.unplanned_section = True
        state.theme = None
        state.label_target = None
        self._structure(item)

    def _outside_table(self, item: Item, single: str | None) -> None:
        state = self.state
        is_list_item = item.kind == "text" and (
            item.style == "list" or bool(LIST_ITEM_RE.match(item.text))
        )
        if state.unplanned_section and is_list_item:
            self._list_action(item, state.theme)
        elif (
            item.kind == "row"
            and item.table is not None
            and not (self.source.format == "xlsx" and single is not None)
        ):
            # (A spreadsheet has no paragraphs: a row with one text in its first column is a
            # line of text, such as the title above a table.)
            # A table without a header we recognise: report every cell.
            for cell in item.cells:
                if cell.text and cell.covered is None:
                    self._unparsed(cell.position, cell.text)

    # -- inside a table

    def _in_table(self, item: Item) -> None:
        table = self.state.table
        cells = row_cells(item)
        if item.kind == "text":
            if not (
                table.header.offsets and item.cells and self._fits_column(table, item.cells[0])
            ):
                self._on_prose(item)
                return
            cells = [(0, item.cells[0])]
        if table.header.offsets:
            cells = self._map_columns(table, [cell for _, cell in cells]) or cells
        filled = [cell.text for _, cell in cells if cell.text and cell.covered != "left"]
        if not filled or all(SEPARATOR_CELL_RE.match(text) for text in filled):
            self._structure(item)
        elif table.header.kind == "calendar":
            self._flush_prose()
            self._calendar_row(table, item, cells)
        else:
            self._table_row(table, item, cells)

    def _on_prose(self, item: Item) -> None:
        state = self.state
        if state.table.header.kind == "calendar":
            state.pending_prose.append((item.position, item.text))
            return
        row = state.row
        lost_tabs = row is not None and not state.pending_prose and starts_lower(item.text)
        if lost_tabs and row.action_text_open():
            # The rest of an action whose tabs were lost in the extraction.
            row.cells["action"] = f"{row.cells.get('action', '')} {item.text}".strip()
            row.positions.append(item.position)
            return
        state.pending_prose.append((item.position, clean(item.text)))

    def _cells_by_role(
        self, table: _Table, cells: list[tuple[int, Cell]]
    ) -> tuple[dict[str, str], dict[str, str], list[Position]]:
        """The row's own texts by role, texts carried from merged cells above, positions."""
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
            elif role == "extra":
                self._unparsed(cell.position, cell.text)
            else:
                by_role[role] = cell.text
                positions.append(cell.position)
        return by_role, inherited, positions

    def _table_row(self, table: _Table, item: Item, cells: list[tuple[int, Cell]]) -> None:
        state = self.state
        by_role, inherited, positions = self._cells_by_role(table, cells)
        if not by_role:
            return
        self._flush_prose()
        explicit = item.table is not None
        row = state.row
        if row is not None and _is_continuation(table, by_role, row, explicit):
            for role, text in by_role.items():
                row.append(role, text)
            row.positions.extend(positions)
            return
        if row is not None:
            self.rows.append(row)
        for role, text in inherited.items():
            by_role.setdefault(role, text)
        if row is not None:
            for role in ("lead", "theme", "topic"):
                if not by_role.get(role) and role in table.header.roles.values():
                    by_role[role] = row.cells.get(role, "")
        state.row = _Row(
            item.position,
            by_role,
            positions,
            table.theme,
            table.title,
            table.unplanned,
            explicit,
            table.index,
        )

    # -- calendars and lists

    def _calendar_row(self, table: _Table, item: Item, cells: list[tuple[int, Cell]]) -> None:
        first_column = cells[0][0] if cells else 1
        lead_cell = next((c for col, c in cells if col == first_column), None)
        lead = clean(lead_cell.text) if lead_cell is not None else ""
        if lead_cell is not None and lead_cell.covered is None and lead:
            self.accounted.add(lead_cell.position)
        if TOTAL_RE.match(lead):
            self._structure(item)  # totals are derived from the cells; the calendar recounts
            return
        lead = lead or table.previous_lead
        table.previous_lead = lead
        for column, cell in cells:
            if column != first_column and cell.text and cell.covered is None:
                self._calendar_cell(table, lead, column, cell)

    def _calendar_cell(self, table: _Table, lead: str, column: int, cell: Cell) -> None:
        header = table.header
        if column in header.totals:
            self.accounted.add(cell.position)
            return
        if column not in header.meetings:
            self._unparsed(cell.position, cell.text)
            return
        day = header.meetings[column][0]
        for text in split_calendar_cell(cell.text):
            self.calendar_entries.append(
                CalendarEntry(lead, day, table.series, text, cell.position)
            )
        self.accounted.add(cell.position)

    def _list_action(self, item: Item, theme: ExtractedTheme | None) -> None:
        text = clean(LIST_ITEM_RE.sub("", item.text))
        lead, due_text, partners, since = "", "", [], None
        tail = re.search(r"\(([^()]*)\)\s*\.?$", text)
        if tail:
            due_text, leads = split_due_and_leads(tail.group(1), self.year, self.matcher)
            if leads or due_text:
                text = text[: tail.start()].strip()
                if leads:
                    lead, partners = leads[0], leads[1:]
                since = single_date(due_text, self.year) if due_text else None
        organisation, unit = split_org_unit(lead) if lead else ("", "")
        action = ExtractedAction(
            theme=theme.name if theme else "",
            goal=theme.goal if theme else "",
            topic="Onvoorziene acties",
            subject="",
            lead=lead,
            lead_organisation=organisation,
            lead_unit=unit,
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
            lead_cell = clean(parsed_row.cells.get("lead", ""))
            if lead_cell and lead_cell.count("(") == lead_cell.count(")"):
                known_leads.append(split_lead_full(lead_cell)[0])
        actions: list[ExtractedAction] = []
        for parsed_row in self.rows:
            check_parse_time()
            actions.extend(self._row_actions(parsed_row, known_leads))
            self.accounted.update(parsed_row.positions)
        actions.extend(self.list_actions)
        for action in actions:
            self._apply_due(action)
        created = link_calendar_entries(self.calendar_entries, actions)
        for action in created:
            self._apply_due(action)
        actions.extend(created)
        self._meetings_from_due_dates(actions)
        if self.matcher is not None:
            for action in actions:
                check_parse_time()
                self._match(action)
        for theme_name in dict.fromkeys(a.theme for a in actions if a.theme):
            if not any(theme.name == theme_name for theme in self.themes):
                self.themes.append(ExtractedTheme(theme_name))
        self.unparsed.sort(key=lambda entry: entry.position.order)
        return ExtractedPlan(
            format=self.source.format,
            title=title,
            year=self.year,
            themes=self.themes,
            actions=actions,
            meetings=sorted(self.meetings, key=lambda m: (m.series, m.date)),
            unparsed=self.unparsed,
            tables=self._table_summaries(actions),
            calendar=self.calendar_entries,
            accounted=self.accounted,
        )

    def _meetings_from_due_dates(self, actions: list[ExtractedAction]) -> None:
        """A due date that is a meeting date: the action is reported at that meeting."""
        meeting_days = {meeting.date for meeting in self.meetings}
        for action in actions:
            due_day = action.due_start if action.due_start == action.due_end else None
            if not action.meetings and due_day is not None and due_day in meeting_days:
                action.meetings.append(due_day)

    def _table_summaries(self, actions: list[ExtractedAction]) -> list[dict]:
        per_table = Counter(action.table for action in actions if action.source == "table")
        return [
            {
                "title": table["title"],
                "kind": table["kind"],
                "position": table["position"].as_dict(),
                "actions": per_table.get(index, 0) if table["kind"] == "actions" else None,
            }
            for index, table in enumerate(self.tables)
        ]

    def _row_lead(self, cells: dict[str, str], known_leads: list[str]):
        lead_cell = cells.get("lead", "")
        if "\n" in lead_cell:
            lead_cell = " ".join(lines(lead_cell))
        lead, organisation, unit, partners = split_lead_full(lead_cell, known_leads)
        partners = list(partners)
        if cells.get("partners"):
            partners.extend(
                name for name in split_names(" , ".join(lines(cells["partners"]))) if name
            )
        return lead, organisation, unit, partners

    def _row_descriptions(self, parsed_row: _Row) -> tuple[list[str], list[str]]:
        """One text and one due text per action of the row.

        A row with one action but a due cell with one due text per sentence ("... problematiek.
        Evaluatie ... | 2017 en 2018 Eind 2017") holds that many dated actions.
        """
        cells = parsed_row.cells
        descriptions = split_actions(prepare_action_cell(cells.get("action", ""))) or [""]
        due_cell = cells.get("due", "")
        if len(descriptions) == 1 and due_cell:
            pieces = [piece for group in due_groups(due_cell) for piece in group]
            sentences = split_sentences(descriptions[0])
            if len(pieces) > 1 and len(sentences) == len(pieces):
                return sentences, pieces
        alignment = align_due(due_cell, len(descriptions))
        if not alignment.certain:
            self._unparsed(
                parsed_row.position,
                due_cell,
                _(
                    "Onzeker: de kolom Wanneer noemt %(dates)s data naast %(actions)s acties. "
                    "De data zijn op volgorde toegekend; acties zonder datum hebben er geen "
                    "gekregen. Controleer de planning van deze acties."
                )
                % {
                    "dates": sum(len(group) for group in due_groups(due_cell)),
                    "actions": len(descriptions),
                },
            )
        return descriptions, alignment.texts

    def _row_due_leads(self, cells: dict[str, str], count: int) -> list[tuple[str, list[str]]]:
        due_lead_cell = cells.get("due_lead", "")
        if not due_lead_cell:
            return [("", [])] * count
        cell_lines = lines(due_lead_cell)
        if len(cell_lines) == count and count > 1:
            return [split_due_and_leads(line, self.year, self.matcher) for line in cell_lines]
        text = " ".join(cell_lines) if cell_lines else due_lead_cell
        return [split_due_and_leads(text, self.year, self.matcher)] * count

    def _row_meetings(self, parsed_row: _Row) -> list[date]:
        meeting_cell = parsed_row.cells.get("meeting", "")
        meetings: list[date] = []
        for piece in split_due_cell(meeting_cell) or ([meeting_cell] if meeting_cell else []):
            found = meeting_date(piece, self.year) or (
                (day, None) if (day := single_date(piece, self.year)) else None
            )
            if found:
                meetings.append(found[0])
                self._add_meeting(found[0], found[1], "Driehoek", parsed_row.position, piece)
        return meetings

    def _row_actions(self, parsed_row: _Row, known_leads: list[str]) -> list[ExtractedAction]:
        cells = parsed_row.cells
        lead, organisation, unit, partners = self._row_lead(cells, known_leads)
        descriptions, due_parts = self._row_descriptions(parsed_row)
        due_leads = self._row_due_leads(cells, len(descriptions))
        meetings = self._row_meetings(parsed_row)
        status_text = clean(cells.get("status", ""))
        theme = parsed_row.theme
        common = {
            "theme": clean(cells.get("theme", "")) or (theme.name if theme else ""),
            "goal": theme.goal if theme and not cells.get("theme") else "",
            "topic": clean(cells.get("topic", "")) or parsed_row.topic,
            "subject": clean(cells.get("subject", "")),
            "position": parsed_row.position,
            "status": status_of(status_text) if status_text else "",
            "status_text": status_text,
            "number": clean(cells.get("number", "")),
            "note": clean(cells.get("note", "")),
            "unplanned": parsed_row.unplanned,
            "unplanned_since": (
                single_date(cells["since"], self.year) if cells.get("since") else None
            ),
            "table": parsed_row.table,
        }
        results = []
        for description, due_text, (lead_due, leads) in zip(
            descriptions, due_parts, due_leads, strict=True
        ):
            action_lead, action_org, action_unit = lead, organisation, unit
            action_partners = list(partners)
            if leads and not action_lead:
                action_lead = leads[0]
                action_org, action_unit = split_org_unit(leads[0])
                action_partners = leads[1:] + action_partners
            elif leads:
                action_partners.extend(leads)
            results.append(
                ExtractedAction(
                    lead=action_lead,
                    lead_organisation=action_org,
                    lead_unit=action_unit,
                    partners=list(dict.fromkeys(action_partners)),
                    text=description or common["subject"],
                    due_text=due_text or lead_due,
                    meetings=list(meetings),
                    **common,
                )
            )
        return results

    def _apply_due(self, action: ExtractedAction) -> None:
        due = parse_due(action.due_text, self.year, self.last_year)
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


def extract(
    source: SourceDocument,
    *,
    year: int | None = None,
    matcher: OrganisationMatcher | None = None,
    today: date | None = None,
) -> ExtractedPlan:
    """Everything the document says about actions, meetings and unplanned actions."""
    plan = _Extractor(source, year, matcher, today).run()
    logger.info(
        "plan_extracted",
        extra={
            "format": plan.format,
            "actions": len(plan.actions),
            "meetings": len(plan.meetings),
            "unparsed": len(plan.unparsed),
        },
    )
    return plan
