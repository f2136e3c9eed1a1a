"""Every write of action plans, actions, status changes and progress updates."""

from django.core.exceptions import ValidationError
from django.db import transaction

from openveiligheid.actions.models import (
    ACTION_TRANSITIONS,
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.core.changelog import record_change, snapshot
from openveiligheid.core.due import parse_due
from openveiligheid.core.models import ChangeLogEntry

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
)


def _apply_due(action: Action, reference_year: int | None) -> None:
    due = parse_due(action.due_text or "", reference_year)
    action.due_start, action.due_end = due.start, due.end
    action.due_recurrence = due.recurrence
    action.due_understood = due.understood or not action.due_text


@transaction.atomic
def create_action_plan(*, plan, title: str, year_start: int, year_end: int, actor=None):
    action_plan = ActionPlan.objects.create(
        plan=plan, title=title, year_start=year_start, year_end=year_end
    )
    record_change(action_plan, actor, ChangeLogEntry.Operation.CREATE)
    return action_plan


@transaction.atomic
def create_action(
    *,
    action_plan: ActionPlan,
    description: str,
    partners=(),
    actor=None,
    status: str = ActionStatus.PLANNED,
    **fields,
) -> Action:
    if not (description or "").strip():
        raise ValidationError({"description": "Beschrijf de actie."})
    action = Action(
        action_plan=action_plan, description=description.strip(), status=status, **fields
    )
    _apply_due(action, action_plan.year_start)
    action.full_clean()
    action.save()
    if partners:
        action.partners.set(partners)
    ActionStatusChange.objects.create(
        action=action, from_status="", to_status=status, changed_by=_user(actor)
    )
    record_change(action, actor, ChangeLogEntry.Operation.CREATE)
    return action


@transaction.atomic
def update_action(action: Action, *, actor=None, partners=None, **fields) -> Action:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through update_action: {sorted(unknown)}")
    action = Action.objects.order_by().select_for_update(of=("self",)).get(pk=action.pk)
    before = snapshot(action)
    for key, value in fields.items():
        setattr(action, key, value)
    if "due_text" in fields:
        _apply_due(action, action.action_plan.year_start)
    action.full_clean()
    action.save()
    if partners is not None:
        action.partners.set(partners)
    record_change(action, actor, ChangeLogEntry.Operation.UPDATE, before)
    return action


@transaction.atomic
def change_status(action: Action, to_status: str, *, actor=None, note: str = "") -> Action:
    action = Action.objects.order_by().select_for_update(of=("self",)).get(pk=action.pk)
    if to_status not in ActionStatus.values:
        raise ValidationError({"status": f"Onbekende status: {to_status}."})
    if to_status == action.status:
        return action
    if to_status not in ACTION_TRANSITIONS[action.status]:
        current, wanted = ActionStatus(action.status).label, ActionStatus(to_status).label
        raise ValidationError(
            {"status": f"Een actie met status '{current}' kan niet naar '{wanted}'."}
        )
    before = snapshot(action)
    ActionStatusChange.objects.create(
        action=action,
        from_status=action.status,
        to_status=to_status,
        changed_by=_user(actor),
        note=note,
    )
    action.status = to_status
    if to_status == ActionStatus.DONE:
        action.progress = 100
    action.save(update_fields=["status", "progress", "updated_at"])
    record_change(action, actor, ChangeLogEntry.Operation.UPDATE, before)
    return action


@transaction.atomic
def add_progress_update(
    action: Action, *, text: str, progress: int | None = None, actor=None
) -> ProgressUpdate:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Beschrijf de voortgang."})
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": "De voortgang ligt tussen 0 en 100%."})
    update = ProgressUpdate.objects.create(
        action=action, author=_user(actor), text=text, progress=progress
    )
    if progress is not None and progress != action.progress:
        before = snapshot(action)
        action.progress = progress
        action.save(update_fields=["progress", "updated_at"])
        record_change(action, actor, ChangeLogEntry.Operation.UPDATE, before)
    record_change(update, actor, ChangeLogEntry.Operation.CREATE)
    return update


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None
