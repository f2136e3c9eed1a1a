"""Every write of action plans, actions, status changes and progress updates."""

import copy
import logging
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.actions import exports
from openveiligheid.actions.models import (
    ACTION_TRANSITIONS,
    STATUS_NOTE_MAX_LENGTH,
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.actions.selectors import (
    eligible_lead_organisations,
    eligible_lead_people,
    lead_label,
    units_of,
    with_related,
)
from openveiligheid.core.changelog import (
    record_change,
    record_changes_bulk,
    snapshot,
    user_or_none,
)
from openveiligheid.core.concurrency import check_version
from openveiligheid.core.due import parse_due
from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.core.numbers import database_id
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Goal, Theme, Topic

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "theme",
    "topic",
    "goal",
    "subject",
    "description",
    "lead_text",
    "lead_organisation",
    "lead_unit",
    "lead_person",
    "partner_text",
    "due_text",
    "is_new",
    "is_unplanned",
    "unplanned_since",
    "partners_may_edit",
)
# Accepted by update_action for internal callers (the Excel import) but not offered to the API or
# the edit form: dates normally follow from "Wanneer", progress from progress updates.
SERVICE_FIELDS = ("due_start", "due_end", "progress")


def _date_unplanned(action: Action) -> None:
    """An unplanned action records when it came in; today unless a date is given."""
    if action.is_unplanned and action.unplanned_since is None:
        action.unplanned_since = timezone.localdate()


def _apply_due(action: Action, action_plan: ActionPlan) -> None:
    # A continuous action runs through the action plan's years, not only its first one.
    due = parse_due(action.due_text or "", action_plan.year_start, action_plan.year_end)
    action.due_start, action.due_end = due.start, due.end
    action.due_recurrence = due.recurrence
    action.due_understood = due.understood or not action.due_text


def default_action_plan_title(plan, year_start: int, year_end: int) -> str:
    years = str(year_start) if year_start == year_end else f"{year_start}-{year_end}"
    return _("Actieplan %(years)s – %(plan)s") % {"years": years, "plan": plan.title}


def action_plan_errors(plan, year_start: int, year_end: int) -> dict[str, list[str]]:
    """The rules for an action plan's years: in order, within the plan's period, and not a
    second action plan starting in the same year of the same plan."""
    if year_start > year_end:
        return {"year_end": [_("Het eindjaar ligt voor het beginjaar.")]}
    if year_start < plan.period_start or year_end > plan.period_end:
        message = _("Kies jaren binnen de periode van het plan, %(first)s tot en met %(last)s.") % {
            "first": plan.period_start,
            "last": plan.period_end,
        }
        return {"year_start" if year_start < plan.period_start else "year_end": [message]}
    if ActionPlan.objects.filter(plan=plan, year_start=year_start).exists():
        return {
            "year_start": [
                _("Dit plan heeft al een actieplan voor %(year)s.") % {"year": year_start}
            ]
        }
    return {}


@transaction.atomic
def create_action_plan(*, plan, title: str, year_start: int, year_end: int, actor=None):
    """An action plan with the years a plan document states (the importers: a document may
    cover other years than the plan it is read into). Users make one with add_action_plan."""
    action_plan = ActionPlan.objects.create(
        plan=plan, title=title, year_start=year_start, year_end=year_end
    )
    record_change(action_plan, actor, ChangeLogEntry.Operation.CREATE)
    return action_plan


@transaction.atomic
def add_action_plan(*, plan, year_start: int, year_end: int, title: str = "", actor=None):
    """A new action plan of ``plan``, made by a user (page or API): for a year or for the plan's
    whole period, refused (ValidationError) against the rules of action_plan_errors; the title
    defaults to "Actieplan <years> – <plan>"."""
    errors = action_plan_errors(plan, year_start, year_end)
    if errors:
        raise ValidationError(errors)
    title = (title or "").strip() or default_action_plan_title(plan, year_start, year_end)
    if len(title) > ActionPlan._meta.get_field("title").max_length:
        raise ValidationError({"title": [_("De titel is te lang; kort hem in.")]})
    return create_action_plan(
        plan=plan, title=title, year_start=year_start, year_end=year_end, actor=actor
    )


# What a missing reference is called in a message ("Het thema met id 12 bestaat niet (meer).").
_REFERENCE_LABELS = {
    "action_plan": "Het actieplan",
    "theme": "Het thema",
    "topic": "Het subthema",
    "goal": "Het doel",
    "lead_organisation": "De trekker (organisatie)",
    "lead_unit": "De afdeling",
    "lead_person": "De actiehouder",
    "carried_over_from": "De vorige actie",
}
# full_clean checks every foreign key with a query of its own, per action; create_actions checks
# them with one query per related model for the whole batch instead.
_REFERENCES = tuple(field for field in Action._meta.concrete_fields if field.is_relation)
_REFERENCE_NAMES = tuple(field.name for field in _REFERENCES)


# --------------------------------------------------------------------------------------------
# Rules about what an action refers to. The page, the API and the spreadsheet import all reach
# these through create_actions and update_action, so they refuse the same input with the same
# message.

# The fields each rule reads; update_action checks a rule only when one of them changes, so that
# an action holder who has since left does not block saving the other fields.
_RULE_FIELDS = {
    "theme": {"theme"},
    "topic": {"theme", "topic"},
    "goal": {"theme", "goal"},
    "lead_organisation": {"lead_organisation"},
    "lead_unit": {"lead_organisation", "lead_unit"},
    "lead_person": {"lead_organisation", "lead_person"},
}
RULE_FIELD_NAMES = tuple(_RULE_FIELDS)


def _status_note_error(note: str) -> dict[str, list[str]]:
    if len(note or "") <= STATUS_NOTE_MAX_LENGTH:
        return {}
    message = _(
        "De toelichting is %(length)s tekens lang; er passen ten hoogste %(maximum)s tekens in."
    ) % {"length": len(note), "maximum": STATUS_NOTE_MAX_LENGTH}
    return {"note": [message]}


def action_rule_errors(plan, actions: list[Action], changed: list[set[str]] | None = None):
    """Per position in ``actions``, the Dutch messages by field for the rules they break:

    - the theme is one of the plan's; topic and goal belong to the action's theme (or, without
      a theme, to the plan);
    - the lead organisation is one of eligible_lead_organisations(plan);
    - the lead unit is one of units_of(the lead organisation);
    - the action holder is one of eligible_lead_people(plan, the lead organisation).

    ``changed`` names per action the fields that changed (None: check every rule). The
    references must exist (create_actions checks that first). One query per rule for the batch,
    plus one per distinct lead organisation for units and holders."""
    errors: dict[int, dict[str, list[str]]] = {}

    def add(position: int, field_name: str, message: str) -> None:
        errors.setdefault(position, {}).setdefault(field_name, []).append(message)

    def to_check(name: str) -> list[int]:
        return [
            position
            for position, action in enumerate(actions)
            if getattr(action, f"{name}_id") is not None
            and (changed is None or changed[position] & _RULE_FIELDS[name])
        ]

    positions = to_check("theme")
    if positions:
        theme_plans = dict(
            Theme.objects.filter(pk__in={actions[p].theme_id for p in positions}).values_list(
                "pk", "plan_id"
            )
        )
        for position in positions:
            if theme_plans.get(actions[position].theme_id) != plan.pk:
                add(position, "theme", _("Dit thema hoort niet bij het plan van de actie."))

    for name, model, wrong_theme, wrong_plan in (
        (
            "topic",
            Topic,
            _("Dit subthema hoort niet bij het thema van de actie."),
            _("Dit subthema hoort niet bij het plan van de actie."),
        ),
        (
            "goal",
            Goal,
            _("Dit doel hoort niet bij het thema van de actie."),
            _("Dit doel hoort niet bij het plan van de actie."),
        ),
    ):
        positions = to_check(name)
        if not positions:
            continue
        themes = {
            pk: (theme_id, plan_id)
            for pk, theme_id, plan_id in model.objects.filter(
                pk__in={getattr(actions[p], f"{name}_id") for p in positions}
            ).values_list("pk", "theme_id", "theme__plan_id")
        }
        for position in positions:
            action = actions[position]
            theme_id, plan_id = themes.get(getattr(action, f"{name}_id"), (None, None))
            if action.theme_id is not None and theme_id != action.theme_id:
                add(position, name, wrong_theme)
            elif action.theme_id is None and plan_id != plan.pk:
                add(position, name, wrong_plan)

    positions = to_check("lead_organisation")
    if positions:
        eligible = set(
            eligible_lead_organisations(plan)
            .filter(pk__in={actions[p].lead_organisation_id for p in positions})
            .values_list("pk", flat=True)
        )
        for position in positions:
            if actions[position].lead_organisation_id not in eligible:
                add(
                    position,
                    "lead_organisation",
                    _(
                        "Deze organisatie kan geen trekker zijn van een actie in dit plan. Kies "
                        "de eigen organisatie, een deelnemer van het samenwerkingsverband of een "
                        "ketenpartner."
                    ),
                )

    for name, choices, message in (
        (
            "lead_unit",
            lambda organisation_id: units_of(organisation_id),
            _("Deze afdeling hoort niet bij de trekkende organisatie."),
        ),
        (
            "lead_person",
            lambda organisation_id: eligible_lead_people(plan, organisation_id),
            _(
                "Deze persoon kan geen actiehouder zijn. Kies een actief lid van de organisatie "
                "van het plan of van de trekkende organisatie."
            ),
        ),
    ):
        by_organisation: dict[int | None, list[int]] = {}
        for position in to_check(name):
            by_organisation.setdefault(actions[position].lead_organisation_id, []).append(position)
        for organisation_id, group in by_organisation.items():
            allowed = set(
                choices(organisation_id)
                .filter(pk__in={getattr(actions[p], f"{name}_id") for p in group})
                .values_list("pk", flat=True)
            )
            for position in group:
                if getattr(actions[position], f"{name}_id") not in allowed:
                    add(position, name, message)
    return errors


def check_action_rules(action: Action, changed: set[str] | None = None) -> None:
    """Raise the ValidationError (messages by field) for the rules ``action`` breaks; see
    action_rule_errors. For callers that want the answer before writing (the import preview)."""
    errors = action_rule_errors(
        action.action_plan.plan, [action], None if changed is None else [changed]
    )
    if errors:
        raise ValidationError(errors[0])


@dataclass
class _NewAction:
    action: Action
    partner_ids: list
    status_note: str


def _prepare_action(
    action_plan: ActionPlan,
    *,
    description: str,
    partners=(),
    status: str = ActionStatus.PLANNED,
    status_note: str = "",
    **fields,
) -> _NewAction:
    """An unsaved action with its due dates parsed, validated except for its references.

    Takes the keyword arguments of create_action; runs no queries."""
    if not (description or "").strip():
        raise ValidationError({"description": _("Beschrijf de actie.")})
    note_error = _status_note_error(status_note)
    if note_error:
        raise ValidationError(note_error)
    if "is_new" not in fields and action_plan.previous_id and not fields.get("carried_over_from"):
        # The plan continues last year's: whatever is added to it now is new (printed shaded).
        fields["is_new"] = True
    action = Action(
        action_plan=action_plan, description=description.strip(), status=status, **fields
    )
    _apply_due(action, action_plan)
    _date_unplanned(action)
    action.full_clean(exclude=_REFERENCE_NAMES)
    partner_ids = list(dict.fromkeys(getattr(partner, "pk", partner) for partner in partners))
    return _NewAction(action, partner_ids, status_note)


def _missing_references(new: list[_NewAction]) -> dict[int, dict[str, list[str]]]:
    """Per position in ``new``, Dutch messages for references to rows that do not exist.

    One query per related model (organisations for both the lead and the partners)."""
    wanted: dict[type, set] = {}
    for item in new:
        for reference in _REFERENCES:
            value = getattr(item.action, reference.attname)
            if value is not None:
                wanted.setdefault(reference.related_model, set()).add(value)
        if item.partner_ids:
            wanted.setdefault(Organisation, set()).update(item.partner_ids)
    existing = {
        model: set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for model, ids in wanted.items()
    }
    errors: dict[int, dict[str, list[str]]] = {}
    for position, item in enumerate(new):
        for reference in _REFERENCES:
            value = getattr(item.action, reference.attname)
            if value is not None and value not in existing[reference.related_model]:
                label = _REFERENCE_LABELS.get(reference.name, f"De {reference.verbose_name}")
                errors.setdefault(position, {}).setdefault(reference.name, []).append(
                    f"{label} met id {value} bestaat niet (meer)."
                )
        for partner_id in item.partner_ids:
            if partner_id not in existing[Organisation]:
                errors.setdefault(position, {}).setdefault("partners", []).append(
                    f"De partnerorganisatie met id {partner_id} bestaat niet (meer)."
                )
    return errors


def _batch_error(errors: dict[int, dict[str, list[str]]], single: bool) -> ValidationError:
    """One ValidationError for the whole batch; messages name the action (1 = the first spec)
    unless there is only one."""
    merged: dict[str, list[str]] = {}
    for position in sorted(errors):
        for key, messages in errors[position].items():
            for message in messages:
                merged.setdefault(key, []).append(
                    message if single else f"Actie {position + 1}: {message}"
                )
    return ValidationError(merged)


@transaction.atomic
def create_actions(*, action_plan: ActionPlan, specs: list[dict], actor=None) -> list[Action]:
    """Create many actions in one action plan: what create_action does, in bulk.

    Each spec holds the keyword arguments of create_action (description, partners, status,
    status_note and Action fields). Every spec is validated first, its references with one
    query per related model; any error refuses the whole batch with Dutch messages naming the
    action ("Actie 3: ...") and writes nothing. Then the actions, their partners, the first
    step of each status history and a change log entry per action are inserted in bulk."""
    new: list[_NewAction] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for position, spec in enumerate(specs):
        try:
            new.append(_prepare_action(action_plan, **spec))
        except ValidationError as error:
            errors[position] = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {NON_FIELD_ERRORS: error.messages}
            )
    if errors:
        raise _batch_error(errors, single=len(specs) == 1)
    errors = _missing_references(new)
    if errors:
        raise _batch_error(errors, single=len(specs) == 1)
    errors = action_rule_errors(action_plan.plan, [item.action for item in new])
    if errors:
        raise _batch_error(errors, single=len(specs) == 1)

    actions = Action.objects.bulk_create([item.action for item in new], batch_size=1000)
    Partner = Action.partners.through
    Partner.objects.bulk_create(
        [
            Partner(action_id=action.pk, organisation_id=partner_id)
            for action, item in zip(actions, new, strict=True)
            for partner_id in item.partner_ids
        ],
        batch_size=1000,
    )
    author = user_or_none(actor)
    ActionStatusChange.objects.bulk_create(
        [
            ActionStatusChange(
                action=action,
                from_status="",
                to_status=action.status,
                changed_by=author,
                note=item.status_note,
            )
            for action, item in zip(actions, new, strict=True)
        ],
        batch_size=1000,
    )
    record_changes_bulk(actions, actor, ChangeLogEntry.Operation.CREATE)
    return actions


def create_action(
    *,
    action_plan: ActionPlan,
    description: str,
    partners=(),
    actor=None,
    status: str = ActionStatus.PLANNED,
    status_note: str = "",
    **fields,
) -> Action:
    """One action, with the first step of its status history and a change log entry."""
    spec = {
        "description": description,
        "partners": partners,
        "status": status,
        "status_note": status_note,
        **fields,
    }
    return create_actions(action_plan=action_plan, specs=[spec], actor=actor)[0]


@transaction.atomic
def update_action(
    action: Action, *, actor=None, partners=None, expected_version: int | None = None, **fields
) -> Action:
    """Change an action's fields. `expected_version` is the version the change was made on (an
    edit form's, an API client's If-Match): another version raises EditConflict."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through update_action: {sorted(unknown)}")
    action = Action.objects.order_by().select_for_update(of=("self",)).get(pk=action.pk)
    check_version(action, expected_version)
    before = snapshot(action)
    for key, value in fields.items():
        setattr(action, key, value)
    if "due_text" in fields:
        _apply_due(action, action.action_plan)
        # Dates given alongside the text (an edited spreadsheet row) win over the parsed ones.
        for key in ("due_start", "due_end"):
            if key in fields:
                setattr(action, key, fields[key])
    if fields.get("due_start") or fields.get("due_end"):
        action.due_understood = True
    _date_unplanned(action)
    action.full_clean()
    changed = {
        name for name in RULE_FIELD_NAMES if before[f"{name}_id"] != getattr(action, f"{name}_id")
    }
    check_action_rules(action, changed)
    action.save()
    if partners is not None:
        action.partners.set(partners)
    record_change(action, actor, ChangeLogEntry.Operation.UPDATE, before)
    return action


@transaction.atomic
def change_status(
    action: Action,
    to_status: str,
    *,
    actor=None,
    note: str = "",
    expected_version: int | None = None,
) -> Action:
    action = Action.objects.order_by().select_for_update(of=("self",)).get(pk=action.pk)
    check_version(action, expected_version)
    if to_status not in ActionStatus.values:
        raise ValidationError(
            {"status": _("Onbekende status: %(status)s.") % {"status": to_status}}
        )
    if to_status == action.status:
        return action
    note_error = _status_note_error(note)
    if note_error:
        raise ValidationError(note_error)
    if to_status not in ACTION_TRANSITIONS[action.status]:
        current, wanted = ActionStatus(action.status).label, ActionStatus(to_status).label
        raise ValidationError(
            {
                "status": _("Een actie met status '%(current)s' kan niet naar '%(wanted)s'.")
                % {"current": current, "wanted": wanted}
            }
        )
    before = snapshot(action)
    ActionStatusChange.objects.create(
        action=action,
        from_status=action.status,
        to_status=to_status,
        changed_by=user_or_none(actor),
        note=note,
    )
    action.status = to_status
    if to_status == ActionStatus.DONE:
        action.progress = 100
    action.save(update_fields=["status", "progress", "updated_at"])
    record_change(action, actor, ChangeLogEntry.Operation.UPDATE, before)
    log_event(
        logger, "action_status_changed", action=action.pk, old=before["status"], new=to_status
    )
    return action


@transaction.atomic
def add_progress_update(
    action: Action,
    *,
    text: str,
    progress: int | None = None,
    actor=None,
    expected_version: int | None = None,
) -> ProgressUpdate:
    action = Action.objects.order_by().select_for_update(of=("self",)).get(pk=action.pk)
    check_version(action, expected_version)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Beschrijf de voortgang.")})
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("De voortgang ligt tussen 0 en 100%.")})
    update = ProgressUpdate.objects.create(
        action=action, author=user_or_none(actor), text=text, progress=progress
    )
    if progress is not None and progress != action.progress:
        before = snapshot(action)
        action.progress = progress
        action.save(update_fields=["progress", "updated_at"])
        record_change(action, actor, ChangeLogEntry.Operation.UPDATE, before)
    record_change(update, actor, ChangeLogEntry.Operation.CREATE)
    return update


# --------------------------------------------------------------------------------------------
# Year to year

# Statuses of actions that are not finished and therefore continue next year.
OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def reanchor_years(text: str, year: int) -> str:
    """Move the years a text names so that the earliest is `year` ("Eind 2017" -> "Eind 2018",
    "2017-2018" -> "2018-2019"); text naming no earlier year ("Doorlopend", "Medio 2019" for
    2018) is kept as written."""
    years = [int(match) for match in _YEAR.findall(text or "")]
    if not years or min(years) >= year:
        return text
    shift = year - min(years)
    return _YEAR.sub(lambda match: str(int(match.group()) + shift), text)


def carries_over(action: Action) -> bool:
    """Open actions continue next year; recurring ones too unless they were cancelled."""
    if action.status in OPEN_STATUSES:
        return True
    return bool(action.due_recurrence) and action.status != ActionStatus.CANCELLED


@transaction.atomic
def start_next_year(
    action_plan: ActionPlan, *, year: int, title: str | None = None, actor=None
) -> ActionPlan:
    """Next year's action plan in the same plan, with this year's open and recurring actions.

    Carried actions start again as planned (a new action with its own history; the old one and
    its history stay as they were) and point back through `carried_over_from`. Actions added to
    the new plan afterwards are marked new by create_action."""
    if year <= action_plan.year_start:
        raise ValidationError(
            {
                "year": _("Kies een jaar na %(year)s, het jaar van dit actieplan.")
                % {"year": action_plan.year_start}
            }
        )
    if ActionPlan.objects.filter(plan=action_plan.plan, year_start=year).exists():
        raise ValidationError(
            {"year": _("Dit plan heeft al een actieplan voor %(year)s.") % {"year": year}}
        )
    title = (title or "").strip() or _next_title(action_plan, year)
    new_plan = ActionPlan(
        plan=action_plan.plan,
        title=title,
        year_start=year,
        year_end=year + (action_plan.year_end - action_plan.year_start),
        previous=action_plan,
    )
    new_plan.full_clean()
    new_plan.save()
    record_change(new_plan, actor, ChangeLogEntry.Operation.CREATE)
    note = f"Overgenomen uit {action_plan.title}."
    carried = [
        action
        for action in action_plan.actions.order_by("order", "id").prefetch_related("partners")
        if carries_over(action)
    ]
    holders = _holders_still_eligible(action_plan.plan, carried)
    specs = [
        {
            "description": action.description,
            "partners": [partner.pk for partner in action.partners.all()],
            "status": ActionStatus.PLANNED,
            "status_note": note,
            "theme_id": action.theme_id,
            "topic_id": action.topic_id,
            "goal_id": action.goal_id,
            "subject": action.subject,
            "lead_text": action.lead_text,
            "lead_organisation_id": action.lead_organisation_id,
            "lead_unit_id": action.lead_unit_id,
            # A holder who has left both organisations is not carried over.
            "lead_person_id": action.lead_person_id if action.pk in holders else None,
            "partner_text": action.partner_text,
            "due_text": reanchor_years(action.due_text, year),
            "is_new": False,
            "is_unplanned": False,
            "carried_over_from": action,
            "order": action.order,
        }
        for action in carried
    ]
    create_actions(action_plan=new_plan, specs=specs, actor=actor)
    log_event(
        logger,
        "action_plan_continued",
        action_plan=action_plan.pk,
        new_action_plan=new_plan.pk,
        year=year,
        carried_over=len(specs),
    )
    return new_plan


def _holders_still_eligible(plan, actions: list[Action]) -> set[int]:
    """The ids of the actions whose holder may still hold them (see eligible_lead_people)."""
    with_holder = [action for action in actions if action.lead_person_id]
    errors = action_rule_errors(plan, with_holder, [{"lead_person"}] * len(with_holder))
    return {action.pk for position, action in enumerate(with_holder) if position not in errors}


def _next_title(action_plan: ActionPlan, year: int) -> str:
    title = reanchor_years(action_plan.title, year)
    return title if title != action_plan.title else f"{action_plan.title} ({year})"


# --------------------------------------------------------------------------------------------
# Excel round trip


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowPreview:
    """One row of the file that changes something, or that cannot be imported."""

    row: int
    action: Action | None  # None for a new action
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # what to write, by field key
    theme: object = None  # new rows: the plan's theme named in the file
    partner_text: str = ""  # new rows: the partners as written

    @property
    def is_new(self) -> bool:
        return self.action is None


@dataclass
class ImportPreview:
    rows: list[RowPreview] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    unchanged: int = 0
    applied: bool = False

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.action and row.changes and not row.errors)

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.is_new and not row.errors)

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def change_count(self) -> int:
        return sum(len(row.changes) for row in self.rows if not row.errors)

    @property
    def has_changes(self) -> bool:
        return self.change_count > 0 or self.created > 0


# Field key of a read row and its Dutch label, in the order the preview lists changes.
_IMPORTED = (
    ("subject", "Onderwerp"),
    ("description", "Actie"),
    ("lead", "Trekker"),
    ("due_text", "Wanneer"),
    ("due_start", "Van"),
    ("due_end", "Tot"),
    ("status", "Status"),
    ("progress", "Voortgang"),
    ("is_new", "Nieuw"),
    ("is_unplanned", "Onvoorzien"),
    ("unplanned_since", "Onvoorzien sinds"),
)
_READERS = {
    "due_start": exports.cell_date,
    "due_end": exports.cell_date,
    "unplanned_since": exports.cell_date,
    "status": exports.cell_status,
    "progress": exports.cell_percentage,
    "is_new": exports.cell_yes_no,
    "is_unplanned": exports.cell_yes_no,
}
_READ_ERRORS = {
    "due_start": "De datum in kolom 'Van' is onleesbaar ('{value}'); gebruik dd-mm-jjjj.",
    "due_end": "De datum in kolom 'Tot' is onleesbaar ('{value}'); gebruik dd-mm-jjjj.",
    "unplanned_since": (
        "De datum in kolom 'Onvoorzien sinds' is onleesbaar ('{value}'); gebruik dd-mm-jjjj."
    ),
    "status": "Onbekende status '{value}'. Kies uit: {statuses}.",
    "progress": "De voortgang '{value}' is geen percentage.",
    "is_new": "Vul in kolom 'Nieuw' ja of nee in, niet '{value}'.",
    "is_unplanned": "Vul in kolom 'Onvoorzien' ja of nee in, niet '{value}'.",
}


def _current(action: Action, key: str):
    if key == "lead":
        return lead_label(action)
    return getattr(action, key)


def _shown(key: str, value) -> str:
    if value is None or value == "":
        return "–"
    if key == "status":
        return str(ActionStatus(value).label)
    if key == "progress":
        return f"{value}%"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _read_row(sheet_row, columns: set[str]) -> tuple[dict, list[str]]:
    """The row's values by field key, as Python values; and Dutch errors for unreadable cells."""
    values, errors = {}, []
    for key, _label in _IMPORTED:
        if key not in columns:
            continue  # a column removed from the file changes nothing
        raw = sheet_row.values.get(key)
        reader = _READERS.get(key)
        if reader is None:
            values[key] = exports.cell_text(raw)
            continue
        try:
            values[key] = reader(raw)
        except (ValueError, TypeError, OverflowError):
            statuses = ", ".join(str(status.label) for status in ActionStatus)
            errors.append(_READ_ERRORS[key].format(value=exports.cell_text(raw), statuses=statuses))
    if "description" in values and not values["description"]:
        errors.append("De kolom 'Actie' is leeg; beschrijf de actie.")
    if "progress" in values and not 0 <= values["progress"] <= 100:
        errors.append("De voortgang ligt tussen 0 en 100%.")
    return values, errors


def import_actions_xlsx(
    action_plan: ActionPlan, content: bytes, *, actor=None, dry_run: bool = True
) -> ImportPreview:
    """Compare an edited export with the action plan and, unless `dry_run`, apply the changes.

    Status changes go through change_status (a transition the table refuses is reported, and
    that row is left alone), other fields through update_action, new rows (no id) through
    create_action; all in one transaction. A row with any error is not applied at all. An
    unchanged export gives no changes. Raises ValidationError for a file that cannot be read."""
    workbook = exports.read_actions_workbook(content)
    with transaction.atomic():
        actions = {
            action.pk: action
            for action in with_related(Action.objects.filter(action_plan=action_plan))
        }
        themes = {
            theme.name.strip().lower(): theme
            for theme in action_plan.plan.themes.order_by("-order", "-id")
        }
        preview = ImportPreview()
        seen: set[int] = set()
        for sheet_row in workbook.rows:
            row = _preview_row(sheet_row, workbook.columns, actions, themes, seen)
            if row is not None and row.values.get("lead") and not row.errors:
                row.errors.extend(_lead_errors(action_plan, row.action, row.values["lead"]))
            if row is None:
                preview.unchanged += 1
            else:
                preview.rows.append(row)
        if not dry_run:
            for row in preview.rows:
                if not row.errors:
                    _apply_row(row, action_plan, actor)
            preview.applied = True
            log_event(
                logger,
                "action_sheet_imported",
                action_plan=action_plan.pk,
                applied=sum(1 for row in preview.rows if not row.errors),
                refused=sum(1 for row in preview.rows if row.errors),
                unchanged=preview.unchanged,
            )
    return preview


def _preview_row(sheet_row, columns, actions, themes, seen) -> RowPreview | None:
    values, errors = _read_row(sheet_row, columns)
    raw_id = exports.cell_text(sheet_row.values.get("id"))
    title = values.get("subject") or values.get("description", "")[:80]
    if not raw_id:
        row = RowPreview(sheet_row.number, None, title, errors=errors)
        theme_name = exports.cell_text(sheet_row.values.get("theme"))
        row.theme = themes.get(theme_name.lower()) if theme_name else None
        row.partner_text = exports.cell_text(sheet_row.values.get("partners"))
        if theme_name and row.theme is None:
            row.errors.append(f"Het thema '{theme_name}' bestaat niet in dit plan.")
        for key, label in _IMPORTED:
            if key in values and values[key] not in ("", None, False, 0):
                row.changes.append(FieldChange(key, label, "–", _shown(key, values[key])))
        row.values = values
        return row
    action_id = database_id(raw_id)
    action = actions.get(action_id) if action_id is not None else None
    if action is None:
        return RowPreview(
            sheet_row.number,
            None,
            title,
            errors=[f"Er is geen actie met id {raw_id} in dit actieplan; de rij is overgeslagen."],
        )
    if action.pk in seen:
        return RowPreview(
            sheet_row.number,
            action,
            str(action),
            errors=[f"De actie met id {action.pk} staat meer dan eens in het bestand."],
        )
    seen.add(action.pk)
    row = RowPreview(sheet_row.number, action, str(action), errors=errors)
    for key, label in _IMPORTED:
        if key not in values:
            continue
        old, new = _current(action, key), values[key]
        # An emptied "Onvoorzien sinds" is not a change: the date follows from "Onvoorzien".
        if old == new or (key == "unplanned_since" and new is None):
            continue
        row.changes.append(FieldChange(key, label, _shown(key, old), _shown(key, new)))
        row.values[key] = new
    exported_at = database_id(exports.cell_text(sheet_row.values.get("version")))
    if row.changes and exported_at is not None and exported_at != action.version:
        # The row differs from the action, and the action changed after the export: applying
        # it could undo someone else's change (a lost update), so it is left alone.
        row.errors.append(
            "Deze actie is na de export in de applicatie gewijzigd; de rij is niet verwerkt, "
            "zodat die wijziging niet ongedaan wordt. Exporteer de lijst opnieuw en breng uw "
            "wijziging daarin aan."
        )
    new_status = row.values.get("status")
    if new_status and new_status not in ACTION_TRANSITIONS[action.status]:
        current, wanted = ActionStatus(action.status).label, ActionStatus(new_status).label
        row.errors.append(
            f"De status kan niet van '{current}' naar '{wanted}'; deze rij is niet verwerkt."
        )
    if not row.changes and not row.errors:
        return None
    return row


def _apply_row(row: RowPreview, action_plan: ActionPlan, actor) -> None:
    values = dict(row.values)
    if row.action is None:
        status = values.pop("status", ActionStatus.PLANNED) or ActionStatus.PLANNED
        values.update(_lead_fields(values.pop("lead", "")))
        fields = {key: value for key, value in values.items() if value not in ("", None)}
        if not fields.get("is_new"):
            fields.pop("is_new", None)  # left to create_action: new in a continued plan
        explicit_dates = {key: fields.pop(key) for key in ("due_start", "due_end") if key in fields}
        action = create_action(
            action_plan=action_plan,
            actor=actor,
            status=status,
            theme=row.theme,
            partner_text=row.partner_text,
            **{key: value for key, value in fields.items() if key != "description"},
            description=fields.get("description", ""),
        )
        if explicit_dates:
            update_action(action, actor=actor, **explicit_dates)
        return
    status = values.pop("status", None)
    if status:
        change_status(row.action, status, actor=actor, note="Bijgewerkt via Excel-import.")
    if "lead" in values:
        values.update(_lead_fields(values.pop("lead")))
    if values:
        update_action(row.action, actor=actor, **values)


def _lead_errors(action_plan: ActionPlan, action: Action | None, text: str) -> list[str]:
    """What update_action or create_action will refuse about the lead typed in the sheet, so that
    the preview shows it (the same messages as the page and the API)."""
    candidate = copy.copy(action) if action is not None else Action(action_plan=action_plan)
    for key, value in _lead_fields(text).items():
        setattr(candidate, key, value)
    try:
        check_action_rules(candidate, {"lead_organisation", "lead_unit"})
    except ValidationError as error:
        return error.messages
    return []


def _lead_fields(text: str) -> dict:
    """A lead typed in the sheet: the organisation of that name when there is one, else the text
    alone (the previous organisation or unit no longer applies)."""
    organisation = (
        Organisation.objects.filter(name__iexact=text.strip()).order_by("pk").first()
        if text.strip()
        else None
    )
    return {"lead_text": text, "lead_organisation": organisation, "lead_unit": None}
