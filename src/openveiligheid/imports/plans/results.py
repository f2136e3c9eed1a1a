"""What the extraction finds in a plan document: themes, actions, meetings, calendar entries
and the text it could not place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from openveiligheid.imports.plans.readers import Position
from openveiligheid.organisations.matching import NameMatch


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
    """Text that was not placed, or a row whose reading is uncertain (``reason`` says why)."""

    position: Position
    text: str
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "position": self.position.as_dict(),
            "label": self.position.label,
            "text": self.text,
            "reason": self.reason,
        }


@dataclass
class CalendarEntry:
    """One entry of a meeting calendar cell and the action it was linked to."""

    lead: str
    meeting: date
    series: str
    text: str
    position: Position
    action: ExtractedAction | None = None
    created: bool = False  # the entry names no action of the tables: it became one

    def as_dict(self, actions: list[ExtractedAction]) -> dict:
        index = next((i for i, a in enumerate(actions) if a is self.action), None)
        return {
            "lead": self.lead,
            "meeting": self.meeting.isoformat(),
            "series": self.series,
            "text": self.text,
            "position": self.position.as_dict(),
            "action": index,
            "action_text": self.action.text if self.action else None,
            "created": self.created,
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
    calendar: list[CalendarEntry] = field(default_factory=list)
    period: tuple[int, int] | None = None  # first and last year the plan covers
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
            "period": list(self.period) if self.period else None,
            "themes": [
                {"name": t.name, "goal": t.goal, "situation": t.situation} for t in self.themes
            ],
            "topics": [{"theme": theme, "name": name} for theme, name in self.topics],
            "tables": self.tables,
            "actions": [action.as_dict() for action in self.actions],
            "meetings": [meeting.as_dict() for meeting in self.meetings],
            "calendar": [entry.as_dict(self.actions) for entry in self.calendar],
            "unparsed": [entry.as_dict() for entry in self.unparsed],
        }
