"""Link the entries of a meeting calendar to the actions they name.

A calendar (leads x meetings) says what each lead reports at each meeting; its entries name
actions of the action tables, often in fewer words ("Evaluatie jeugdaanpak" for "Evaluatie van
de aanpak van jeugdgroepen"). Each entry is linked to the action of the same lead that shares
most of its words (words compared with a small typo tolerance and inside compounds), preferring
an action due at or before the meeting; an entry that names no action becomes an action of its
own, marked as coming from the calendar, and later entries with the same text and lead join it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openveiligheid.core.fuzzy import within_typos
from openveiligheid.imports.plans.cells import normalise_text, split_lead_full, split_org_unit
from openveiligheid.imports.plans.results import CalendarEntry, ExtractedAction

# Share of an entry's words an action must contain to be the action the entry names.
MIN_SHARED = 0.6
_STOPWORDS = frozenset(
    [
        "aan",
        "als",
        "bij",
        "dat",
        "de",
        "den",
        "der",
        "die",
        "dit",
        "door",
        "een",
        "en",
        "het",
        "in",
        "is",
        "met",
        "na",
        "naar",
        "of",
        "om",
        "op",
        "over",
        "te",
        "ten",
        "ter",
        "tot",
        "van",
        "voor",
        "voor",
        "wat",
        "zijn",
    ]
)


def _words(text: str) -> list[str]:
    return [word for word in normalise_text(text).split() if word not in _STOPWORDS]


def _same_word(left: str, right: str) -> bool:
    if left == right:
        return True
    shorter, longer = sorted((left, right), key=len)
    if len(shorter) >= 5 and shorter in longer:
        return True  # a part of a compound: "aanpak" in "jeugdaanpak"
    allowed = 2 if len(shorter) >= 9 else 1 if len(shorter) >= 5 else 0
    return allowed > 0 and bool(within_typos(left, [right], allowed))


def shared_words(entry: str, action_texts: Iterable[str]) -> float:
    """Share (0-1) of the entry's words found in any of the action's texts."""
    words = _words(entry)
    if not words:
        return 0.0
    vocabulary = {word for text in action_texts for word in _words(text)}
    found = sum(1 for word in words if any(_same_word(word, known) for known in vocabulary))
    return found / len(words)


def _same_lead(entry_lead: str, action_lead: str) -> bool:
    if not entry_lead or not action_lead:
        return True
    left, right = normalise_text(entry_lead), normalise_text(action_lead)
    if left.startswith(right) or right.startswith(left) or _same_word(left, right):
        return True  # equal, one more precise than the other, or a typo ("Harderwjik")
    return normalise_text(split_org_unit(entry_lead)[0]) == normalise_text(
        split_org_unit(action_lead)[0]
    )


@dataclass
class _Candidate:
    action: ExtractedAction
    exact: bool
    share: float
    due_by_meeting: bool

    @property
    def rank(self) -> tuple:
        return (self.exact, self.due_by_meeting, self.share)


def _candidate(entry: CalendarEntry, action: ExtractedAction) -> _Candidate | None:
    if not _same_lead(entry.lead, action.lead):
        return None
    key = normalise_text(entry.text)
    texts = [action.text, action.subject, action.number]
    keys = [normalise_text(text) for text in texts if text]
    exact = key in keys or (len(key) >= 12 and normalise_text(action.text).startswith(key))
    share = 1.0 if exact else shared_words(entry.text, texts)
    if share < MIN_SHARED:
        return None
    due_by_meeting = action.due_start is None or action.due_start <= entry.meeting
    return _Candidate(action, exact, share, due_by_meeting)


def best_action(entry: CalendarEntry, actions: list[ExtractedAction]) -> ExtractedAction | None:
    """The action a calendar entry names, or None."""
    candidates = [found for action in actions if (found := _candidate(entry, action))]
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: candidate.rank).action


def link_calendar_entries(
    entries: list[CalendarEntry], actions: list[ExtractedAction]
) -> list[ExtractedAction]:
    """Link every entry to an action (adding its meeting to the action's meetings); return the
    actions made for entries that name none."""
    created: list[ExtractedAction] = []
    for entry in entries:
        action = best_action(entry, actions) or best_action(entry, created)
        if action is None:
            lead, organisation, unit, partners = split_lead_full(entry.lead)
            day = entry.meeting
            action = ExtractedAction(
                theme="",
                goal="",
                topic=entry.series,
                subject="",
                lead=lead,
                lead_organisation=organisation,
                lead_unit=unit,
                partners=list(partners),
                text=entry.text,
                due_text=f"{day.day}-{day.month}-{day.year}",
                position=entry.position,
                source="calendar",
            )
            created.append(action)
            entry.created = True
        entry.action = action
        if not action.lead and entry.lead:
            action.lead = entry.lead
            action.lead_organisation, action.lead_unit = split_org_unit(entry.lead)
        if entry.meeting not in action.meetings:
            action.meetings.append(entry.meeting)
    return created
