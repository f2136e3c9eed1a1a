"""Every write of plans, themes, topics and goals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, save_changes, save_new, snapshot
from openveiligheid.core.concurrency import check_version
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Goal, Plan, PlannedReport, Theme, Topic

# Sent inside create_plan's transaction, so that apps above plans add what every plan has
# (indicators: the BBV indicators) without plans knowing them.
plan_created = Signal()


@transaction.atomic
def create_plan(*, actor=None, **fields) -> Plan:
    plan = save_new(Plan(**fields), actor)
    plan_created.send(sender=Plan, plan=plan, actor=actor)
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, actor=None, **fields) -> Plan:
    return save_changes(plan, actor, **fields)


@transaction.atomic
def add_theme(plan: Plan, *, name: str, kind: str, actor=None, **fields) -> Theme:
    base = slugify(name)[:90] or "thema"
    slug, counter = base, 2
    while Theme.objects.filter(plan=plan, slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    order = fields.pop("order", plan.themes.count())
    theme = Theme.objects.create(plan=plan, name=name, kind=kind, slug=slug, order=order, **fields)
    record_change(theme, actor, ChangeLogEntry.Operation.CREATE)
    return theme


@transaction.atomic
def add_topic(theme: Theme, *, name: str, actor=None) -> Topic:
    topic = Topic.objects.create(theme=theme, name=name, order=theme.topics.count())
    record_change(topic, actor, ChangeLogEntry.Operation.CREATE)
    return topic


@transaction.atomic
def add_goal(
    theme: Theme, *, text: str, topic: Topic | None = None, target_text: str = "", actor=None
) -> Goal:
    goal = Goal.objects.create(
        theme=theme, topic=topic, text=text, target_text=target_text, order=theme.goals.count()
    )
    record_change(goal, actor, ChangeLogEntry.Operation.CREATE)
    return goal


@transaction.atomic
def update_theme(theme: Theme, *, actor=None, **fields) -> Theme:
    return save_changes(theme, actor, **fields)


@transaction.atomic
def update_goal(goal: Goal, *, actor=None, **fields) -> Goal:
    return save_changes(goal, actor, **fields)


@transaction.atomic
def share_concept(
    plan: Plan, organisations, *, actor=None, expected_version: int | None = None
) -> Plan:
    """Share a concept plan with partner organisations (or stop sharing: an empty list), so that
    their contacts see and report on the actions given to them before the plan is adopted.
    `expected_version` is the plan version the sharing form was shown with (core.concurrency):
    a form that did not see another manager's sharing cannot undo it."""
    plan = Plan.objects.order_by().select_for_update(of=("self",)).get(pk=plan.pk)
    check_version(plan, expected_version)
    organisations = list(organisations)
    if organisations and not plan.is_concept:
        raise ValidationError(
            {
                "shared_with": _(
                    "Dit plan is vastgesteld en voor partners al zichtbaar; alleen een concept "
                    "wordt gedeeld."
                )
            }
        )
    not_partners = [o.name for o in organisations if o.kind != Organisation.Kind.PARTNER]
    if not_partners:
        raise ValidationError(
            {
                "shared_with": _("Alleen ketenpartners krijgen een gedeeld concept: %(names)s.")
                % {"names": ", ".join(not_partners)}
            }
        )
    before = snapshot(plan)
    plan.shared_with.set(organisations)
    if snapshot(plan) != before:
        # The sharing is part of the plan's version, though it lives in its own table.
        plan.save(update_fields=["updated_at"])
    record_change(plan, actor, ChangeLogEntry.Operation.UPDATE, before)
    return plan


@transaction.atomic
def set_planned_report(
    plan: Plan,
    *,
    report_type: str,
    first_due,
    interval_months: int | None = None,
    source_text: str = "",
    actor=None,
) -> PlannedReport:
    """Add or change one kind of report of the plan's reporting cycle (one per report type)."""
    existing = PlannedReport.objects.filter(plan=plan, report_type=report_type).first()
    fields = {
        "interval_months": interval_months,
        "first_due": first_due,
        "source_text": source_text,
    }
    if existing is not None:
        return save_changes(existing, actor, **fields)
    order = plan.planned_reports.count()
    return save_new(PlannedReport(plan=plan, report_type=report_type, order=order, **fields), actor)
