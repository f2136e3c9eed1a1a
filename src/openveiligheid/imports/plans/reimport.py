"""Reading a plan document again into the plan it made before: what changes, and applying that.

``matching_plan`` finds the plan a document was imported as before (same owner, same title and
period, or the same source file and period). ``diff_plan`` compares the document with that plan
without writing anything: themes, goals, topics, actions and meetings that are added, changed
or no longer in the document, each change with its old and new value. ``apply_diff`` writes
exactly such a diff through the plans, actions and meetings services (each write with its
change log entry); the caller holds the transaction. A re-import never deletes: a theme, goal
or indicator that is no longer in the document stays and is reported; an action that is no
longer in the document is set to "Vervallen" only when nothing happened to it yet (no status
change, no progress), otherwise it stays as it is and is reported, so that no history is lost.
Status and progress are the plan's own after the first import; a document never changes them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.actions.models import Action, ActionPlan, ActionStatus
from openveiligheid.actions.selectors import with_related
from openveiligheid.actions.services import (
    change_status,
    create_action_plan,
    create_actions,
    update_action,
)
from openveiligheid.core.log import log_event
from openveiligheid.core.text import normalise_name
from openveiligheid.imports.plans import services
from openveiligheid.imports.plans.results import ExtractedAction, ExtractedPlan
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Goal, Plan, Theme, Topic
from openveiligheid.plans.services import add_goal, add_theme, add_topic, update_goal, update_theme

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
# Two descriptions this alike (difflib ratio) are one action reworded.
SIMILAR = 0.6


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """One theme, goal, topic, action or meeting that a re-import adds, changes or no longer
    finds in the document. ``writes`` is False for what is only reported (kept as it is)."""

    kind: str
    label: str
    fields: list[FieldChange] = field(default_factory=list)
    note: str = ""
    writes: bool = True
    existing: object = None
    parsed: object = None
    values: dict = field(default_factory=dict)  # actions: the Action fields to write

    def fingerprint(self) -> list:
        return [
            self.kind,
            self.label,
            [[f.label, f.old, f.new] for f in self.fields],
            getattr(self.existing, "pk", None),
            self.writes,
        ]


@dataclass
class PlanDiff:
    plan: Plan
    action_plan: ActionPlan | None  # the action plan compared with; None: a new one is made
    themes: list[Change] = field(default_factory=list)
    goals: list[Change] = field(default_factory=list)
    topics: list[Change] = field(default_factory=list)
    actions: list[Change] = field(default_factory=list)
    meetings: list[Change] = field(default_factory=list)
    unchanged_actions: int = 0
    # Every action of the document found in the plan, changed or not (for the agendas of
    # meetings the re-import adds).
    matched: list[tuple[ExtractedAction, Action]] = field(default_factory=list)
    compared: dict = field(default_factory=dict)

    @property
    def sections(self) -> list[tuple[str, list[Change]]]:
        return [
            ("themes", self.themes),
            ("goals", self.goals),
            ("topics", self.topics),
            ("actions", self.actions),
            ("meetings", self.meetings),
        ]

    @property
    def has_changes(self) -> bool:
        return any(change.writes for _name, changes in self.sections for change in changes)

    def count(self, section: str, kind: str) -> int:
        return sum(1 for change in dict(self.sections)[section] if change.kind == kind)

    @property
    def counts(self) -> dict:
        return {
            name: {kind: self.count(name, kind) for kind in (ADDED, CHANGED, REMOVED)}
            for name, _changes in self.sections
        }

    @property
    def digest(self) -> str:
        """Fingerprint of what applying would write, to refuse a confirmation of a diff that no
        longer holds (the plan was edited after the preview)."""
        data = [[name, [c.fingerprint() for c in changes]] for name, changes in self.sections]
        data.append(getattr(self.action_plan, "pk", None))
        return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()

    def comparison(self) -> str:
        """What was compared, in one sentence for the page ("Vergeleken met plan ...")."""
        compared = self.compared
        return _(
            "Vergeleken met plan „%(plan)s” (ingelezen op %(date)s): %(actions)s acties, "
            "%(themes)s thema's, %(goals)s doelen, %(indicators)s indicatoren"
        ) % {
            "plan": self.plan.title,
            "date": compared["imported_on"].strftime("%d-%m-%Y"),
            "actions": compared["actions"],
            "themes": compared["themes"],
            "goals": compared["goals"],
            "indicators": compared["indicators"],
        }


# --------------------------------------------------------------------------------------------
# Which plan


def matching_plan(
    organisation: Organisation, extracted: ExtractedPlan, file_name: str = ""
) -> Plan | None:
    """The plan of ``organisation`` this document was imported as before: the same title (as
    compared names are: case, accents and punctuation aside) and period, or, for a document
    without a title, the same source file and period. The newest when there are several."""
    start, end = services.plan_years(extracted)
    candidates = Plan.objects.filter(
        owner=organisation, period_start=start, period_end=end
    ).order_by("-created_at", "-pk")
    title = normalise_name(extracted.title)
    for plan in candidates:
        if title and normalise_name(plan.title) == title:
            return plan
        if not title and file_name and plan.source_document == file_name[:200]:
            return plan
    return None


def target_action_plan(plan: Plan, extracted: ExtractedPlan) -> ActionPlan | None:
    """The action plan an earlier import of this document made: the one with its title and
    years, else the plan's only action plan of those years; None when there is none."""
    start, end = services.plan_years(extracted)
    same_years = plan.action_plans.filter(year_start=start, year_end=end).order_by("-pk")
    titled = same_years.filter(title=services.action_plan_title(extracted, plan)).first()
    if titled is not None:
        return titled
    candidates = list(same_years[:2])
    return candidates[0] if len(candidates) == 1 else None


# --------------------------------------------------------------------------------------------
# Comparing


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _key(text: str) -> str:
    return normalise_name(text)


def _existing_keys(action: Action) -> tuple[str, str, str, str]:
    return (
        _key(action.theme.name if action.theme_id else ""),
        _key(action.topic.name if action.topic_id else ""),
        _key(action.subject),
        _key(action.description),
    )


def _wanted_keys(wanted: dict, parsed: ExtractedAction) -> tuple[str, str, str, str]:
    return (
        _key(parsed.theme),
        _key(parsed.topic),
        _key(wanted["subject"]),
        _key(wanted["description"]),
    )


def _match_actions(
    existing: list[Action], wanted: list[tuple[ExtractedAction, dict]]
) -> tuple[list[tuple[int, Action]], list[int], list[Action]]:
    """Pairs (index into ``wanted``, existing action): first the same theme, topic, subject and
    text, then the same theme and text, then the same text, then within a theme the most alike
    text. Returns the pairs, the indexes of new actions and the existing actions left over."""
    left = list(existing)
    pairs: list[tuple[int, Action]] = []
    open_indexes = list(range(len(wanted)))
    passes = (
        lambda keys: keys,
        lambda keys: (keys[0], keys[3]),
        lambda keys: keys[3],
    )
    for reduce in passes:
        by_key: dict[object, list[Action]] = {}
        for action in left:
            by_key.setdefault(reduce(_existing_keys(action)), []).append(action)
        still_open = []
        for index in open_indexes:
            parsed, values = wanted[index]
            found = by_key.get(reduce(_wanted_keys(values, parsed)))
            if found:
                action = found.pop(0)
                left.remove(action)
                pairs.append((index, action))
            else:
                still_open.append(index)
        open_indexes = still_open
    still_open = []
    for index in open_indexes:
        parsed, values = wanted[index]
        text = _key(f"{values['subject']} {values['description']}")
        best, best_ratio = None, SIMILAR
        for action in left:
            if _key(action.theme.name if action.theme_id else "") != _key(parsed.theme):
                continue
            matcher = SequenceMatcher(None, _key(f"{action.subject} {action.description}"), text)
            if matcher.quick_ratio() >= best_ratio and matcher.ratio() >= best_ratio:
                best, best_ratio = action, matcher.ratio()
        if best is None:
            still_open.append(index)
        else:
            left.remove(best)
            pairs.append((index, best))
    return pairs, still_open, left


def _has_history(action: Action) -> bool:
    """Something happened to the action after it was imported: a status other than the
    first, progress, or a progress report."""
    return (
        action.status != ActionStatus.PLANNED
        or action.progress > 0
        or action.status_steps > 1
        or action.reports > 0
    )


def _action_changes(action: Action, parsed: ExtractedAction, values: dict, partners) -> Change:
    fields: list[FieldChange] = []
    write: dict = {}
    for key, label in (
        ("subject", _("Onderwerp")),
        ("description", _("Actie")),
        ("lead_text", _("Trekker")),
        ("partner_text", _("Partners")),
        ("due_text", _("Wanneer")),
        ("is_unplanned", _("Onvoorzien")),
    ):
        if getattr(action, key) != values[key]:
            fields.append(FieldChange(label, _shown(getattr(action, key)), _shown(values[key])))
            write[key] = values[key]
    if action.lead_organisation_id != getattr(values["lead_organisation"], "pk", None):
        fields.append(
            FieldChange(
                _("Trekker (organisatie)"),
                _shown(action.lead_organisation and action.lead_organisation.name),
                _shown(values["lead_organisation"] and values["lead_organisation"].name),
            )
        )
        write["lead_organisation"] = values["lead_organisation"]
    old_theme = action.theme.name if action.theme_id else ""
    if old_theme.casefold() != parsed.theme.casefold():
        fields.append(FieldChange(_("Thema"), _shown(old_theme), _shown(parsed.theme)))
        write["theme"] = parsed.theme
    old_topic = action.topic.name if action.topic_id else ""
    if old_topic.casefold() != parsed.topic.casefold() or "theme" in write:
        if old_topic.casefold() != parsed.topic.casefold():
            fields.append(FieldChange(_("Subthema"), _shown(old_topic), _shown(parsed.topic)))
        write["topic"] = parsed.topic
    old_partners = sorted(partner.name for partner in action.partners.all())
    new_partners = sorted(partner.name for partner in partners)
    if old_partners != new_partners:
        fields.append(
            FieldChange(
                _("Partners (organisaties)"),
                _shown(", ".join(old_partners)),
                _shown(", ".join(new_partners)),
            )
        )
        write["partners"] = partners
    if "lead_text" in write or "lead_organisation" in write:
        write["lead_unit"] = parsed.lead_unit
    return Change(CHANGED, str(action), fields, existing=action, parsed=parsed, values=write)


def diff_plan(extracted: ExtractedPlan, plan: Plan, organisation: Organisation) -> PlanDiff:
    """What reading ``extracted`` into ``plan`` again would change; writes nothing."""
    action_plan = target_action_plan(plan, extracted)
    diff = PlanDiff(plan=plan, action_plan=action_plan)
    themes = {theme.name.casefold(): theme for theme in plan.themes.prefetch_related("goals")}
    _diff_themes(diff, extracted, themes)

    topics = {
        (theme_name.casefold(), name.casefold())
        for theme_name, name in Topic.objects.filter(theme__plan=plan).values_list(
            "theme__name", "name"
        )
    }
    for theme_name, name in extracted.topics:
        if theme_name and (theme_name.casefold(), name.casefold()) not in topics:
            diff.topics.append(Change(ADDED, f"{theme_name} / {name}"))
            topics.add((theme_name.casefold(), name.casefold()))

    resolver = services.resolver_for(organisation, plan)
    wanted = []
    for parsed in extracted.actions:
        lead = resolver.lead(parsed)
        wanted.append((parsed, services.descriptive_fields(parsed, lead)))
    existing = []
    if action_plan is not None:
        existing = list(
            with_related(Action.objects.filter(action_plan=action_plan)).annotate(
                status_steps=Count("status_history", distinct=True),
                reports=Count("progress_updates", distinct=True),
            )
        )
    pairs, new_indexes, gone = _match_actions(existing, wanted)
    for index, action in sorted(pairs, key=lambda pair: pair[0]):
        parsed, values = wanted[index]
        diff.matched.append((parsed, action))
        change = _action_changes(
            action, parsed, values, resolver.partners(parsed, values["lead_organisation"])
        )
        if change.fields:
            diff.actions.append(change)
        else:
            diff.unchanged_actions += 1
    for index in new_indexes:
        parsed, values = wanted[index]
        diff.actions.append(
            Change(
                ADDED,
                values["subject"] or values["description"][:80],
                [
                    FieldChange(_("Thema"), "–", _shown(parsed.theme)),
                    FieldChange(_("Actie"), "–", values["description"]),
                    FieldChange(_("Trekker"), "–", _shown(values["lead_text"])),
                    FieldChange(_("Wanneer"), "–", _shown(values["due_text"])),
                ],
                parsed=parsed,
                values={"order": index + 1},
            )
        )
    for action in gone:
        if action.status == ActionStatus.CANCELLED:
            continue
        if _has_history(action):
            note = _(
                "Heeft al een status of voortgang (%(status)s); blijft staan. Zet de status zelf "
                "op Vervallen als de actie niet meer nodig is."
            ) % {"status": ActionStatus(action.status).label}
            diff.actions.append(
                Change(REMOVED, str(action), note=note, writes=False, existing=action)
            )
        else:
            diff.actions.append(
                Change(
                    REMOVED,
                    str(action),
                    [
                        FieldChange(
                            _("Status"),
                            str(ActionStatus(action.status).label),
                            str(ActionStatus.CANCELLED.label),
                        )
                    ],
                    note=_("Nog zonder voortgang: de status wordt Vervallen."),
                    existing=action,
                )
            )
    _diff_meetings(diff, extracted, organisation)
    diff.compared = {
        "actions": len(existing),
        "themes": len(themes),
        "goals": Goal.objects.filter(theme__plan=plan).count(),
        "indicators": plan.indicators.count(),
        "imported_on": timezone.localtime(
            action_plan.created_at if action_plan is not None else plan.created_at
        ),
    }
    return diff


def _diff_themes(diff: PlanDiff, extracted: ExtractedPlan, themes: dict[str, Theme]) -> None:
    described = {theme.name.casefold(): theme for theme in extracted.themes}
    names = [theme.name for theme in extracted.themes] + [a.theme for a in extracted.actions]
    named = dict.fromkeys(name for name in names if name)
    for name in named:
        parsed = described.get(name.casefold())
        theme = themes.get(name.casefold())
        situation = parsed.situation if parsed else ""
        goal = parsed.goal if parsed else ""
        if theme is None:
            fields = [FieldChange(_("Veiligheidsbeeld"), "–", situation)] if situation else []
            diff.themes.append(Change(ADDED, name, fields, parsed=parsed))
            if goal:
                diff.goals.append(
                    Change(ADDED, name, [FieldChange(_("Doel"), "–", goal)], parsed=parsed)
                )
            continue
        if parsed is None:
            continue  # named only by its actions: the document says nothing else about it
        if situation != theme.situation:
            diff.themes.append(
                Change(
                    CHANGED,
                    theme.name,
                    [
                        FieldChange(
                            _("Veiligheidsbeeld"), _shown(theme.situation), _shown(situation)
                        )
                    ],
                    existing=theme,
                    values={"situation": situation},
                )
            )
        first = next(iter(sorted(theme.goals.all(), key=lambda g: (g.order, g.pk))), None)
        if goal and first is None:
            diff.goals.append(
                Change(ADDED, theme.name, [FieldChange(_("Doel"), "–", goal)], existing=theme)
            )
        elif goal and first.text != goal:
            diff.goals.append(
                Change(
                    CHANGED,
                    theme.name,
                    [FieldChange(_("Doel"), first.text, goal)],
                    existing=first,
                    values={"text": goal},
                )
            )
        elif not goal and first is not None:
            diff.goals.append(
                Change(
                    REMOVED,
                    theme.name,
                    [FieldChange(_("Doel"), first.text, "–")],
                    note=_("Staat niet meer in het document; het doel blijft bestaan."),
                    writes=False,
                    existing=first,
                )
            )
    for key, theme in themes.items():
        if key not in {name.casefold() for name in named}:
            diff.themes.append(
                Change(
                    REMOVED,
                    theme.name,
                    note=_(
                        "Staat niet meer in het document; het thema blijft bestaan met zijn "
                        "doelen, indicatoren en acties."
                    ),
                    writes=False,
                    existing=theme,
                )
            )


def _diff_meetings(diff: PlanDiff, extracted: ExtractedPlan, organisation: Organisation) -> None:
    from openveiligheid.meetings.models import Meeting

    known = {
        (name, day)
        for name, day in Meeting.objects.filter(series__organisation=organisation).values_list(
            "series__name", "date"
        )
    }
    for meeting in extracted.meetings:
        key = (meeting.series[:200], meeting.date)
        if key not in known:
            known.add(key)
            label = f"{meeting.series} {meeting.date.strftime('%d-%m-%Y')}"
            diff.meetings.append(Change(ADDED, label, parsed=meeting))


# --------------------------------------------------------------------------------------------
# Applying


def apply_diff(
    diff: PlanDiff,
    extracted: ExtractedPlan,
    *,
    organisation: Organisation,
    actor=None,
    file_name: str = "",
    today: date | None = None,
) -> services.ImportResult:
    """Write ``diff`` (made by diff_plan for ``extracted``) through the services; the caller
    holds the transaction (uploads.confirm)."""
    today = today or timezone.localdate()
    plan = diff.plan
    result = services.ImportResult(plan=plan, action_plan=diff.action_plan, mode="update")
    themes = {theme.name.casefold(): theme for theme in plan.themes.all()}
    for change in diff.themes:
        if change.kind == ADDED:
            parsed = change.parsed
            themes[change.label.casefold()] = add_theme(
                plan,
                name=change.label[:300],
                kind=Theme.Kind.PRIORITY,
                situation=parsed.situation if parsed else "",
                actor=actor,
            )
            result.themes += 1
        elif change.kind == CHANGED:
            update_theme(change.existing, actor=actor, **change.values)
            result.updated += 1
    for change in diff.goals:
        if change.kind == ADDED:
            add_goal(themes[change.label.casefold()], text=change.fields[0].new, actor=actor)
        elif change.kind == CHANGED:
            update_goal(change.existing, actor=actor, **change.values)
            result.updated += 1
    topics = {
        (topic.theme_id, topic.name.casefold()): topic
        for topic in Topic.objects.filter(theme__plan=plan)
    }

    def topic_of(theme: Theme | None, name: str) -> Topic | None:
        if theme is None or not name:
            return None
        key = (theme.pk, name.casefold())
        if key not in topics:
            topics[key] = add_topic(theme, name=name[:300], actor=actor)
            result.topics += 1
        return topics[key]

    first_goal = {
        theme.pk: theme.goals.order_by("order", "id").first() for theme in themes.values()
    }
    action_plan = diff.action_plan
    if action_plan is None:
        start, end = services.plan_years(extracted)
        action_plan = create_action_plan(
            plan=plan,
            title=services.action_plan_title(extracted, plan),
            year_start=start,
            year_end=end,
            actor=actor,
        )
    result.action_plan = action_plan
    resolver = services.resolver_for(organisation, plan)
    specs, added = [], []
    for change in diff.actions:
        parsed = change.parsed
        if change.kind == ADDED:
            theme = themes.get(parsed.theme.casefold()) if parsed.theme else None
            lead = resolver.lead(parsed)
            specs.append(
                {
                    **services.descriptive_fields(parsed, lead),
                    "partners": resolver.partners(parsed, lead),
                    "status": parsed.status or ActionStatus.PLANNED,
                    "theme": theme,
                    "topic": topic_of(theme, parsed.topic),
                    "goal": first_goal.get(theme.pk) if theme and parsed.goal else None,
                    "lead_unit": resolver.unit(lead, parsed.lead_unit, actor),
                    "unplanned_since": (parsed.unplanned_since or today)
                    if parsed.unplanned
                    else None,
                    "order": change.values["order"],
                }
            )
            added.append(parsed)
        elif change.kind == CHANGED:
            values = dict(change.values)
            action = change.existing
            if "theme" in values:
                theme = themes.get(values["theme"].casefold()) if values["theme"] else None
                values["theme"] = theme
                values["goal"] = first_goal.get(theme.pk) if theme and parsed.goal else None
            if "topic" in values:
                theme = values.get("theme", action.theme)
                values["topic"] = topic_of(theme, values["topic"])
            if "lead_unit" in values:
                lead = values.get("lead_organisation", action.lead_organisation)
                values["lead_unit"] = resolver.unit(lead, values["lead_unit"], actor)
            partners = values.pop("partners", None)
            update_action(action, actor=actor, partners=partners, **values)
            result.updated += 1
        elif change.kind == REMOVED and change.writes:
            change_status(
                change.existing,
                ActionStatus.CANCELLED,
                actor=actor,
                note=_("Staat niet meer in het plandocument %(file)s.") % {"file": file_name},
            )
            result.cancelled += 1
    created = create_actions(action_plan=action_plan, specs=specs, actor=actor) if specs else []
    result.actions = len(created)
    pairs = list(zip(added, created, strict=True))
    services.import_meetings(extracted, organisation, pairs, actor, result, existing=diff.matched)
    result.unmatched_leads = list(
        dict.fromkeys(p.lead for p in extracted.actions if p.lead and resolver.lead(p) is None)
    )
    log_event(
        services.logger,
        "plan_reimported",
        plan=plan.pk,
        action_plan=action_plan.pk,
        added=result.actions,
        updated=result.updated,
        cancelled=result.cancelled,
    )
    return result
