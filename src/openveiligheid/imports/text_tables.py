"""Parse action tables out of plain-text extractions of Dutch safety plans.

Plans such as an "Uitvoeringsplan Integrale Veiligheid" arrive as text extracted from a PDF.
Tables come out as tab-separated lines and list formatting survives only as stray HTML
fragments (``<ul style=...> - a - b``) or plain ``- `` items. This module turns that text into
plain data: themes with their goal and situation sketch, and one ``ParsedAction`` per bullet in
an action cell, with lead, unit, partners, subject and due text.

The expected layout, per theme::

    Thema: <name>
    Doel: <goal paragraph>
    Veiligheidsbeeld: <situation paragraph>
    <table title>
    Regievoerder (partners)<TAB>Onderwerp<TAB>Actie<TAB>Wanneer
    <lead (partners)><TAB><subject><TAB><actions><TAB><due>
    ...

Only Dutch header vocabulary is built in (see ``_HEADER_ROLES``); the column order is taken from
the header line, so tables with other column orders parse as well.

Rows may wrap over several lines. A line is merged into the previous row when its lead cell is
empty, when the previous lead still has an open parenthesis, or when it only adds a parenthesised
partner list. A line without tabs that starts in lower case right after a row whose action text
stops mid-sentence is taken as the rest of that action (the extraction lost its tabs).

Nothing in a table is dropped silently: cells in columns without a known role, and lines of text
that sit between two rows of a table (for instance footnotes), are reported in
``ParsedDocument.unparsed``. Prose after the last row of a table is document text, not table
text, and is not reported. Separator rows made of dashes only are skipped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

try:  # Shared due-text splitter; fall back to the local helper until it exists.
    from openveiligheid.core.due import split_due_cell as _split_due_cell
except ImportError:  # pragma: no cover - depends on the state of the tree
    _split_due_cell = None


@dataclass
class ParsedAction:
    theme: str
    goal: str
    topic: str
    lead: str
    lead_organisation: str
    lead_unit: str
    partners: list[str]
    subject: str
    description: str
    due_text: str
    line: int


@dataclass
class ParsedTheme:
    name: str
    goal: str
    situation: str


@dataclass
class ParsedDocument:
    title: str
    themes: list[ParsedTheme]
    actions: list[ParsedAction]
    unparsed: list[tuple[int, str]]


# --------------------------------------------------------------------------------------------
# Vocabulary

_HEADER_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lead", re.compile(r"^(regievoerders?|trekkers?|actiehouders?|wie)\b")),
    ("subject", re.compile(r"^(sub\s*-?\s*speerpunt(en)?|speerpunt(en)?|onderwerp(en)?)\b")),
    ("action", re.compile(r"^(acties?|activiteit(en)?)\b")),
    ("due", re.compile(r"^(wanneer|planning|deadline)\b")),
)

_THEME_RE = re.compile(r"^\s*(?:veiligheids)?thema\s*:\s*(?P<text>.+?)\s*$", re.IGNORECASE)
_GOAL_RE = re.compile(r"^\s*(?:doel|doelen|doelstellingen?)\s*:\s*(?P<text>.*?)\s*$", re.I)
_SITUATION_RE = re.compile(r"^\s*veiligheidsbeeld\s*:\s*(?P<text>.*?)\s*$", re.IGNORECASE)

# Organisations whose name may be followed by one of their units ("Gemeente V&R").
_ORGS_WITH_UNITS = ("gemeente", "politie", "brandweer", "om")
_UNIT_SEPARATOR_RE = re.compile(r"\s+[-–—/]\s+")

_SEPARATOR_CELL_RE = re.compile(r"^[-–—=_|:+\s]+$")
_TERMINAL_PUNCTUATION = ".!?;"

# Sentinels standing in for list markup while splitting an action cell.
_LIST_OPEN, _LIST_CLOSE, _ITEM, _PARA_OPEN, _PARA_CLOSE = "\x01", "\x02", "\x03", "\x04", "\x05"
_SENTINELS = _LIST_OPEN + _LIST_CLOSE + _ITEM + _PARA_OPEN + _PARA_CLOSE
_TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_SUPERSCRIPT_RE = re.compile(r"(\d)\s*\^\s*([a-zA-Z]{1,3})\b")
_UPPER = "A-ZÀ-ÖØ-Þ"


# --------------------------------------------------------------------------------------------
# Text helpers


def _clean(text: str) -> str:
    """Strip markup and sentinels, fix superscript artefacts ("2 ^e" -> "2e"), collapse space."""
    text = _TAG_RE.sub(" ", text)
    text = html.unescape(text)
    text = text.translate({ord(ch): " " for ch in _SENTINELS})
    text = _SUPERSCRIPT_RE.sub(r"\1\2", text)
    return " ".join(text.split())


def _first_letter(text: str) -> str:
    stripped = text.lstrip("\"'‘’“”(«[ ")
    return stripped[:1]


def _starts_lower(text: str) -> bool:
    first = _first_letter(text)
    return first.isalpha() and first.islower()


def _starts_digit(text: str) -> bool:
    first = _first_letter(text)
    return first.isdigit()


def _split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` outside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if ch == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


# --------------------------------------------------------------------------------------------
# Lead cell


def _split_org_unit(lead: str) -> tuple[str, str]:
    match = re.match(
        rf"^({'|'.join(_ORGS_WITH_UNITS)})\b\s*[-–—/]?\s*(.*)$", lead, flags=re.IGNORECASE
    )
    if match:
        return match.group(1), match.group(2).strip(" -–—/")
    separator = _UNIT_SEPARATOR_RE.search(lead)
    if separator:
        return lead[: separator.start()].strip(), lead[separator.end() :].strip()
    return lead, ""


def _split_lead_full(text: str, known_leads: Iterable[str] = ()) -> tuple[str, str, str, list[str]]:
    """Return (lead, organisation, unit, partners) for a lead cell."""
    text = _clean(text)
    if not text:
        return "", "", "", []
    open_at = text.find("(")
    close_at = text.find(")")
    if open_at == -1 and close_at != -1:
        # The opening parenthesis got lost ("Veilig Thuis Gemeente, Politie)"). Use a lead
        # seen elsewhere in the document as the lead, or else the text up to the first comma.
        body = text.replace(")", " ").strip()
        lead = ""
        for known in sorted(set(known_leads), key=len, reverse=True):
            if known and re.match(rf"{re.escape(known)}\b", body, flags=re.IGNORECASE):
                lead = body[: len(known)]
                rest = body[len(known) :]
                break
        if not lead:
            lead, _, rest = body.partition(",")
        partners = _split_top_level(rest)
        lead = lead.strip()
        return (lead, *_split_org_unit(lead), partners)
    if open_at == -1:
        return (text, *_split_org_unit(text), [])
    lead = text[:open_at].strip()
    depth = 0
    end = len(text)
    for index in range(open_at, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                end = index
                break
    partners = _split_top_level(text[open_at + 1 : end])
    trailing = text[end + 1 :].strip()
    if trailing:
        lead = f"{lead} {trailing}".strip()
    return (lead, *_split_org_unit(lead), partners)


def split_lead(text: str, known_leads: Iterable[str] = ()) -> tuple[str, str, list[str]]:
    """Split a lead cell into (organisation, unit, partners).

    ``"Gemeente V&R (Politie, OM)"`` gives ``("Gemeente", "V&R", ["Politie", "OM"])``. The unit
    is only split off for organisations that have units (municipality, police, fire brigade,
    prosecution) or when an explicit separator (" / ", " - ") is used; "Veilig Thuis" stays one
    organisation. ``known_leads`` helps when the opening parenthesis is missing.
    """
    _, organisation, unit, partners = _split_lead_full(text, known_leads)
    return organisation, unit, partners


# --------------------------------------------------------------------------------------------
# Action cell


def _mark_html(cell: str) -> str:
    """Replace list and paragraph markup by sentinels; drop other tags."""

    def replace(match: re.Match[str]) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name in ("ul", "ol"):
            return _LIST_CLOSE if closing else _LIST_OPEN
        if name == "li":
            return " " if closing else _ITEM
        if name == "p":
            return _PARA_CLOSE if closing else _PARA_OPEN
        if name == "br":
            return " "
        return ""

    return _TAG_RE.sub(replace, cell)


@dataclass
class _Marker:
    start: int  # where the marker begins
    end: int  # where the item text begins
    kind: str


def _find_markers(text: str) -> list[_Marker]:
    markers: dict[int, _Marker] = {}

    for match in re.finditer(re.escape(_ITEM), text):
        markers[match.start()] = _Marker(match.start(), match.end(), "li")
    for match in re.finditer(r"[•▪◦●]\s*", text):
        markers[match.start()] = _Marker(match.start(), match.end(), "dot")

    list_context = (
        _LIST_OPEN in text
        or _ITEM in text
        or re.match(rf"[\s{_PARA_OPEN}{_PARA_CLOSE}]*-\s", text) is not None
        or re.search(rf"{_PARA_OPEN}\s*-\s", text) is not None
        or re.search(r":\s+-\s", text) is not None
    )
    if list_context:
        dash_patterns = [
            # at the start of the cell, a list or a paragraph
            rf"(?:^|(?<=[{_SENTINELS}]))\s*(-)\s+",
            # " - " between items
            r"(?<=\s)(-)\s+",
        ]
        if re.search(rf"{_LIST_OPEN}-\s", text):
            # Lists written without spaces ("...schorsen;- Bij ..."): a hyphen glued to the
            # previous word starts an item when a capital follows.
            dash_patterns.append(rf"(?<=[^\s{_SENTINELS}\-])(-)\s+(?=[{_UPPER}])")
        for pattern in dash_patterns:
            for match in re.finditer(pattern, text):
                start = match.start(1)
                markers.setdefault(start, _Marker(start, match.end(), "dash"))
    return sorted(markers.values(), key=lambda marker: marker.start)


@dataclass
class _Piece:
    text: str
    bullet: bool
    absorbed: bool = False  # sub-items were folded into this piece


def _pieces(cell: str) -> list[_Piece]:
    text = _mark_html(cell)
    markers = _find_markers(text)
    if not markers:
        cleaned = _clean(text)
        return [_Piece(cleaned, bullet=False)] if cleaned else []
    primary = markers[0].kind
    top = {marker.start: marker for marker in markers if marker.kind == primary}

    # Boundaries: top-level markers, paragraphs that do not start with a marker, and text
    # after a closing outer list.
    boundaries: list[tuple[int, int, bool]] = [(m.start, m.end, True) for m in top.values()]
    depth = 0
    for index, ch in enumerate(text):
        if ch == _LIST_OPEN:
            depth += 1
        elif ch == _LIST_CLOSE:
            depth = max(depth - 1, 0)
            if depth == 0:
                boundaries.append((index, index + 1, False))
        elif ch == _PARA_OPEN:
            following = index + 1
            while following < len(text) and text[following].isspace():
                following += 1
            if following not in top:
                boundaries.append((index, index + 1, False))
    boundaries.sort()

    pieces: list[_Piece] = []
    intro = _clean(text[: boundaries[0][0]])
    if intro:
        pieces.append(_Piece(intro, bullet=False))
    for position, (_, content_start, is_bullet) in enumerate(boundaries):
        stop = boundaries[position + 1][0] if position + 1 < len(boundaries) else len(text)
        content = _clean(text[content_start:stop])
        if content:
            pieces.append(_Piece(content, bullet=is_bullet))
    return pieces


def _is_lead_in(text: str) -> bool:
    """An introduction that the following items complete ("Vormgeven en implementatie:")."""
    if text.endswith(":"):
        return True
    return len(text) <= 80 and text[-1] not in _TERMINAL_PUNCTUATION


def split_actions(cell: str) -> list[str]:
    """Split an action cell into one text per action.

    Items are found from ``<li>`` tags, bullet characters (•) or ``- `` items (in an HTML list,
    at the start of the cell or after "...: "). The first kind of marker in the cell is the top
    level; other markers (nested "•" or "o" lists) stay inside their item.

    Items starting in lower case, or with a digit right after an item ending in ":", are
    sub-items and are folded into the item or introduction before them ("Informatiebijeenkomst
    over: - preventie - ontruimingsplannen" stays one action). An introduction that ends with
    ":" (or a short heading) is put in front of each of its items; an introduction that is a
    sentence of its own is an action of its own.
    """
    pieces = _pieces(cell)
    if not pieces:
        return []
    if not any(piece.bullet for piece in pieces):
        return [" ".join(piece.text for piece in pieces)]

    merged: list[_Piece] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if piece.bullet and previous is not None:
            opens_list = previous.text.endswith(":") or previous.absorbed
            if (_starts_lower(piece.text) and (opens_list or not previous.bullet)) or (
                _starts_digit(piece.text) and opens_list
            ):
                previous.text = f"{previous.text} - {piece.text}"
                previous.absorbed = True
                continue
        merged.append(_Piece(piece.text, piece.bullet))

    actions: list[str] = []
    lead_in = ""
    for index, piece in enumerate(merged):
        if piece.bullet:
            if lead_in:
                joiner = " " if lead_in.endswith(":") else ": "
                actions.append(f"{lead_in}{joiner}{piece.text}")
            else:
                actions.append(piece.text)
            continue
        followed_by_items = index + 1 < len(merged) and merged[index + 1].bullet
        if followed_by_items and not piece.absorbed and _is_lead_in(piece.text):
            lead_in = piece.text
        else:
            lead_in = ""
            actions.append(piece.text)
    return actions


# --------------------------------------------------------------------------------------------
# Due cell


_DUE_CONNECTORS = {"en", "t/m", "tot", "tot en met", "-", "–", "/", "of", "&"}
_YEAR_RE = re.compile(r"^(19|20)\d\d[.,;]?$")


def _split_due_fallback(text: str) -> list[str]:
    """Split a due cell holding several due texts ("Doorlopend Eind 2017").

    Local stand-in for ``openveiligheid.core.due.split_due_cell``. A new due text starts after
    a year ("2017 en 2018 2017") unless a connector follows, and at a capitalised word
    ("Doorlopend Eind 2017").
    """
    tokens = text.split()
    parts: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if current:
            previous = current[-1]
            after_year = bool(_YEAR_RE.match(previous)) and (
                token[:1].isupper() or token[:1].isdigit()
            )
            capital = token[:1].isupper() and previous.lower() not in _DUE_CONNECTORS
            if token.lower() not in _DUE_CONNECTORS and (after_year or capital):
                parts.append(current)
                current = []
        current.append(token)
    if current:
        parts.append(current)
    return [" ".join(part) for part in parts]


def _due_parts(due: str) -> list[str]:
    text = _clean(due)
    if not text:
        return []
    if re.match(r"-\s", text):
        return [part.strip() for part in re.split(r"(?:^|\s)-\s+", text) if part.strip()]
    splitter = _split_due_cell or _split_due_fallback
    return [part for part in splitter(text) if part]


# --------------------------------------------------------------------------------------------
# Document


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _header_roles(cells: list[str]) -> dict[int, str] | None:
    roles: dict[int, str] = {}
    unknown = 0
    for index, cell in enumerate(cells):
        if not cell:
            continue
        normalised = cell.lower().strip(" *:.")
        for role, pattern in _HEADER_ROLES:
            if pattern.match(normalised):
                if role in roles.values():
                    return None
                roles[index] = role
                break
        else:
            unknown += 1
            roles[index] = "extra"
    known = [role for role in roles.values() if role != "extra"]
    if "lead" in known and "action" in known and len(known) >= 3 and unknown <= 1:
        return roles
    return None


def _match_label(text: str) -> tuple[str, str] | None:
    """("goal" | "situation", text) for a "Doel:" or "Veiligheidsbeeld:" line."""
    for pattern, attribute in ((_GOAL_RE, "goal"), (_SITUATION_RE, "situation")):
        match = pattern.match(text)
        if match:
            return attribute, _clean(match.group("text"))
    return None


def _is_label(text: str) -> bool:
    return bool(_THEME_RE.match(text) or _GOAL_RE.match(text) or _SITUATION_RE.match(text))


def _title_candidate(line: str) -> str | None:
    cells = _cells(line)
    filled = [cell for cell in cells if cell]
    if len(filled) != 1 or not cells[0]:
        return None
    title = " ".join(cells[0].split())
    if _is_label(title) or len(title) > 150 or title[-1] in ".:":
        return None
    return title


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    theme: ParsedTheme | None
    topic: str

    def action_text_open(self) -> bool:
        text = _clean(self.cells.get("action", ""))
        return bool(text) and text[-1] not in _TERMINAL_PUNCTUATION + ":"


@dataclass
class _Table:
    title: str
    roles: dict[int, str]
    theme: ParsedTheme | None


def _is_continuation(cells: dict[str, str], previous: _Row) -> bool:
    lead = cells.get("lead", "")
    subject = cells.get("subject", "")
    previous_lead = previous.cells.get("lead", "")
    if not lead:
        # An empty lead with its own subject, action and due is a new row under a merged lead
        # cell; anything else continues the previous row.
        return not (subject and cells.get("action") and cells.get("due"))
    if previous_lead.count("(") > previous_lead.count(")"):
        return True
    return lead.startswith("(") and "(" not in previous_lead and not subject


def parse_action_tables(text: str) -> ParsedDocument:
    """Parse themes and action tables from a plain-text plan."""
    lines = [line.rstrip("\r") for line in text.split("\n")]

    # Pass 1: header lines and the title line above each.
    headers: dict[int, dict[int, str]] = {}
    titles: dict[int, str] = {}
    for index, line in enumerate(lines):
        if "\t" not in line:
            continue
        roles = _header_roles(_cells(line))
        if roles is None:
            continue
        headers[index] = roles
        above = index - 1
        while above >= 0 and not lines[above].strip():
            above -= 1
        if above >= 0 and above not in headers:
            title = _title_candidate(lines[above])
            if title is not None:
                titles[above] = title

    document = ParsedDocument(
        title=next((_clean(line).strip("* ") for line in lines if _clean(line)), ""),
        themes=[],
        actions=[],
        unparsed=[],
    )
    rows: list[_Row] = []
    theme: ParsedTheme | None = None
    table: _Table | None = None
    row: _Row | None = None
    pending_prose: list[tuple[int, str]] = []
    pending_title = ""
    label_target: tuple[ParsedTheme, str] | None = None

    def close_table() -> None:
        nonlocal table, row, pending_prose
        if row is not None:
            rows.append(row)
        # Prose after the last row is document text, not table text.
        table, row, pending_prose = None, None, []

    for index, raw in enumerate(lines):
        number = index + 1
        stripped = raw.strip()
        if not stripped:
            label_target = None
            continue
        has_tabs = "\t" in raw
        cells = _cells(raw)
        single_cell = bool(cells[0]) and not any(cells[1:])

        if index in headers:
            label_target = None
            title = pending_title
            if not title and table is not None:
                # A repeated header (page break): same table, the open row may continue.
                table = _Table(table.title, headers[index], theme)
            else:
                close_table()
                table = _Table(title, headers[index], theme)
            pending_title = ""
            continue
        if index in titles:
            close_table()
            label_target = None
            pending_title = titles[index]
            continue
        if single_cell:
            # Labels may carry trailing tabs ("Thema: X<TAB><TAB>").
            stripped = cells[0]
            theme_match = _THEME_RE.match(stripped)
            if theme_match:
                close_table()
                theme = ParsedTheme(_clean(theme_match.group("text")), "", "")
                document.themes.append(theme)
                label_target = None
                continue
            label = _match_label(stripped)
            if label is not None and theme is not None:
                close_table()
                attribute, value = label
                setattr(theme, attribute, f"{getattr(theme, attribute)} {value}".strip())
                label_target = (theme, attribute)
                continue
            if label_target is not None and table is None and not has_tabs:
                # A label paragraph wrapped over several lines.
                target, attribute = label_target
                setattr(target, attribute, f"{getattr(target, attribute)} {_clean(stripped)}")
                continue

        if table is None:
            continue

        if not has_tabs:
            lost_tabs = row is not None and not pending_prose and _starts_lower(stripped)
            if lost_tabs and row is not None and row.action_text_open():
                # The rest of an action whose tabs were lost in the extraction.
                row.cells["action"] = f"{row.cells.get('action', '')} {stripped}".strip()
                continue
            pending_prose.append((number, _clean(stripped)))
            continue

        filled = [cell for cell in cells if cell]
        if not filled or all(_SEPARATOR_CELL_RE.match(cell) for cell in filled):
            continue
        by_role: dict[str, str] = {}
        for column, cell in enumerate(cells):
            if not cell:
                continue
            role = table.roles.get(column, "extra")
            if role == "extra":
                document.unparsed.append((number, _clean(cell)))
            else:
                by_role[role] = cell
        if not by_role:
            continue
        document.unparsed.extend(pending_prose)
        pending_prose = []
        if row is not None and _is_continuation(by_role, row):
            for role, cell in by_role.items():
                row.cells[role] = f"{row.cells.get(role, '')} {cell}".strip()
            continue
        if row is not None:
            rows.append(row)
        if not by_role.get("lead") and row is not None:
            by_role["lead"] = row.cells.get("lead", "")
        row = _Row(number, by_role, table.theme, table.title)
    close_table()

    known_leads = []
    for parsed_row in rows:
        lead_cell = _clean(parsed_row.cells.get("lead", ""))
        if lead_cell and lead_cell.count("(") == lead_cell.count(")"):
            known_leads.append(_split_lead_full(lead_cell)[0])

    for parsed_row in rows:
        lead, organisation, unit, partners = _split_lead_full(
            parsed_row.cells.get("lead", ""), known_leads
        )
        descriptions = split_actions(parsed_row.cells.get("action", "")) or [""]
        due_whole = _clean(parsed_row.cells.get("due", ""))
        due_parts = _due_parts(parsed_row.cells.get("due", ""))
        if len(due_parts) != len(descriptions):
            due_parts = [due_whole] * len(descriptions)
        for description, due_text in zip(descriptions, due_parts, strict=True):
            document.actions.append(
                ParsedAction(
                    theme=parsed_row.theme.name if parsed_row.theme else "",
                    goal=parsed_row.theme.goal if parsed_row.theme else "",
                    topic=parsed_row.topic,
                    lead=lead,
                    lead_organisation=organisation,
                    lead_unit=unit,
                    partners=list(partners),
                    subject=_clean(parsed_row.cells.get("subject", "")),
                    description=description,
                    due_text=due_text,
                    line=parsed_row.line,
                )
            )
    document.unparsed.sort()
    return document
