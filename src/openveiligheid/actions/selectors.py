"""Reads of actions: sorting, counts and labels for lists and exports (the filters are in
actions.filters).

Every function here takes a queryset that the caller has already narrowed with
`Action.objects.restrict(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.core.periods import Period
from openveiligheid.organisations.models import Membership, Organisation, Unit
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.plans.models import Plan

RECURRING = "doorlopend"
OURS = "onze"
UNPLANNED_YES, UNPLANNED_NO = "ja", "nee"
PER_PAGE = 50
# Quarters offered in the "Wanneer" select; a plan spans a few years, so this is generous.
MAX_QUARTER_CHOICES = 40

# Workflow order, so that sorting by status reads as the life of an action.
STATUS_ORDER = (
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DELAYED,
    ActionStatus.DONE,
    ActionStatus.CANCELLED,
)

SORT_CHOICES = (
    ("subject", _("Onderwerp")),
    ("lead", _("Trekker")),
    ("due", _("Wanneer")),
    ("status", _("Status")),
)
SORT_KEYS = {key for key, _label in SORT_CHOICES}


def with_related(queryset: QuerySet) -> QuerySet:
    """Everything a list row or export row shows, in a fixed number of queries."""
    return queryset.select_related(
        "action_plan__plan",
        "theme",
        "topic",
        "goal",
        "lead_organisation",
        "lead_unit__organisation",
        "lead_person",
    ).prefetch_related("partners")


def due_q(due: Period | str) -> Q:
    """Actions whose due range overlaps the period, or recurring actions for 'doorlopend'.

    An open end counts as unbounded on that side ("vanaf 2017" overlaps every later quarter);
    an action with neither a start nor an end has no known range and never matches a period.
    """
    if due == RECURRING:
        return ~Q(due_recurrence="")
    known = Q(due_start__isnull=False) | Q(due_end__isnull=False)
    starts_in_time = Q(due_start__isnull=True) | Q(due_start__lte=due.end)
    ends_in_time = Q(due_end__isnull=True) | Q(due_end__gte=due.start)
    return known & starts_in_time & ends_in_time


def sort_actions(queryset: QuerySet, sort: str) -> QuerySet:
    descending = sort.startswith("-")
    key = sort.lstrip("-")

    def direction(expression):
        expression = F(expression) if isinstance(expression, str) else expression
        if descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)

    if key == "subject":
        fields = [direction("subject"), direction("description")]
    elif key == "lead":
        fields = [
            direction("lead_organisation__name"),
            direction("lead_unit__name"),
            direction("lead_text"),
        ]
    elif key == "due":
        fields = [direction("due_end"), direction("due_start")]
    elif key == "status":
        queryset = queryset.annotate(
            status_order=Case(
                *(When(status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)),
                output_field=IntegerField(),
            )
        )
        fields = [direction("status_order")]
    else:
        return queryset.order_by("action_plan__plan__title", "theme__order", "order", "id")
    return queryset.order_by(*fields, "id")


# What a row of the action list shows (template actions/action_list.html, lead_label).
LIST_ROW_FIELDS = (
    "id",
    "subject",
    "description",
    "lead_text",
    "partner_text",
    "due_text",
    "status",
    "progress",
    "is_new",
    "is_unplanned",
    "unplanned_since",
    "is_example",
    "theme__name",
    "lead_organisation__name",
    "lead_unit__name",
    "lead_unit__abbreviation",
    "lead_unit__organisation__name",
)


def for_list_page(queryset: QuerySet, *, show_plan: bool, sort: str = "") -> QuerySet:
    """A queryset from filter_actions narrowed to what a row of the action list shows.

    with_related also fetches what exports and comparisons need (topic, goal, lead person, the
    partner organisations); a list page shows only the theme, the lead and (across plans) the
    plan, and only their names: PostgreSQL spent more time planning the 10-table join than
    running it, and building every column of every related row was a third of the page's
    Python time. The partners' names come from decorate_page. Within one plan the default order
    by plan title is constant, so it is left out.
    """
    related = ["theme", "lead_organisation", "lead_unit__organisation"]
    fields = list(LIST_ROW_FIELDS)
    if show_plan:
        related.append("action_plan__plan")
        fields += ["action_plan__plan__title", "action_plan__plan__status"]
    queryset = (
        queryset.select_related(None).select_related(*related).prefetch_related(None).only(*fields)
    )
    if not show_plan and not sort:
        queryset = queryset.order_by("theme__order", "order", "id")
    return queryset


def decorate_page(actions) -> list[Action]:
    """decorate() for a page of for_list_page: the partners' names in one query of names
    rather than a prefetch of whole organisations."""
    rows = list(actions)
    names: dict[int, list[str]] = {}
    for action_id, name in (
        Action.partners.through.objects.filter(action_id__in=[action.pk for action in rows])
        .order_by("organisation__name", "organisation_id")
        .values_list("action_id", "organisation__name")
    ):
        names.setdefault(action_id, []).append(name)
    return _decorate(
        rows, lambda action: ", ".join(names.get(action.pk, ())) or action.partner_text
    )


def status_counts(queryset: QuerySet) -> list[dict]:
    """Per status (in workflow order): its value, Dutch label and number of actions."""
    counts = {
        row["status"]: row["total"]
        for row in queryset.order_by().values("status").annotate(total=Count("id"))
    }
    return [
        {"status": status, "label": ActionStatus(status).label, "count": counts.get(status, 0)}
        for status in STATUS_ORDER
    ]


def list_counts(filtered, cleaned: dict) -> tuple[list[dict], int, int | None]:
    """For the list page: the counts per status (status_counts, ignoring the status filter),
    the number of unplanned actions (ignoring the unplanned filter) and, when no status filter is
    set, the number of listed actions (else None). ``filtered(skip=(...))`` gives the actions
    narrowed by every filter but the skipped ones (ActionFilterSet.filtered). One aggregate query
    when neither the status nor the unplanned filter is set (the usual case), as the three then
    count the same actions."""
    if cleaned.get("status") or cleaned.get("unplanned"):
        counts = status_counts(filtered(skip=("status",)))
        unplanned = filtered(skip=("unplanned",)).filter(is_unplanned=True).count()
        total = None if cleaned.get("status") else sum(item["count"] for item in counts)
        return counts, unplanned, total
    rows = (
        filtered()
        .order_by()
        .values("status")
        .annotate(total=Count("id"), unplanned=Count("id", filter=Q(is_unplanned=True)))
    )
    totals = {row["status"]: row["total"] for row in rows}
    counts = [
        {"status": status, "label": ActionStatus(status).label, "count": totals.get(status, 0)}
        for status in STATUS_ORDER
    ]
    return counts, sum(row["unplanned"] for row in rows), sum(totals.values())


def lead_label(action: Action) -> str:
    """The lead as one line: the unit (with its organisation), else the organisation, else the
    text as written in the plan."""
    if action.lead_unit_id:
        return str(action.lead_unit)
    if action.lead_organisation_id:
        return action.lead_organisation.name
    return action.lead_text


def partners_label(action: Action) -> str:
    """Linked partner organisations (from the prefetch), else the text as written."""
    names = [organisation.name for organisation in action.partners.all()]
    return ", ".join(names) if names else action.partner_text


_PK_PLACEHOLDER = 987654321


def decorate(actions) -> list[Action]:
    """Attach display labels and the detail page's address to each action of an evaluated page
    (no extra queries; the address is reversed once, not once per row)."""
    return _decorate(list(actions), partners_label)


def _decorate(rows: list[Action], partners) -> list[Action]:
    before, after = reverse("actions:detail", args=[_PK_PLACEHOLDER]).rsplit(
        str(_PK_PLACEHOLDER), 1
    )
    for action in rows:
        action.lead_label = lead_label(action)
        action.partners_label = partners(action)
        action.detail_url = f"{before}{action.pk}{after}"
    return rows


# --------------------------------------------------------------------------------------------
# Regional programmes: "our actions" and counts per lead


def our_actions_q(organisation_ids) -> Q:
    """Actions led by one of these organisations, directly or through one of their units."""
    ids = list(organisation_ids)
    return Q(lead_organisation_id__in=ids) | Q(lead_unit__organisation_id__in=ids)


def organisation_actions_q(organisation_ids) -> Q:
    """Actions an organisation has a part in: led by it (our_actions_q) or naming it as partner."""
    ids = list(organisation_ids)
    partnered = Action.partners.through.objects.filter(organisation_id__in=ids).values("action_id")
    return our_actions_q(ids) | Q(pk__in=partnered)


# --------------------------------------------------------------------------------------------
# "Mijn acties" and what needs attention


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


def late_q(today) -> Q:
    """Open actions whose last day has passed."""
    return Q(due_end__lt=today) & ~Q(status__in=CLOSED_STATUSES)


def urgent_first(queryset: QuerySet, today) -> QuerySet:
    """Open actions first, the earliest last day first (late ones lead); closed ones at the end."""
    return queryset.annotate(
        is_closed=Case(
            When(status__in=CLOSED_STATUSES, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("is_closed", F("due_end").asc(nulls_last=True), "id")


@dataclass
class ActionGroup:
    """Some actions of the user's: the counts over all of them and the first rows, most urgent
    first (rows prepared by decorate_page for actions.presentation.render_rows)."""

    total: int
    open: int
    late: int
    rows: list[Action]


@dataclass
class OrganisationShare:
    """The actions one of the user's organisations has a part in."""

    organisation: Organisation
    led: int
    partnered: int


@dataclass
class MyActions:
    own: ActionGroup  # the actions the user holds personally (lead_person)
    organisation: ActionGroup  # those of the user's organisations, as lead or partner
    shares: list[OrganisationShare]


def _group(queryset: QuerySet, today, limit: int) -> ActionGroup:
    counts = queryset.order_by().aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status__in=CLOSED_STATUSES)),
        late=Count("id", filter=late_q(today)),
    )
    rows = []
    if counts["total"] and limit:
        rows = decorate_page(
            for_list_page(urgent_first(queryset, today), show_plan=True, sort="due")[:limit]
        )
    return ActionGroup(counts["total"], counts["open"], counts["late"], rows)


def my_actions(user, visible: QuerySet, today, limit: int) -> MyActions:
    """The user's own actions and their organisations' (of ``visible``, the actions the user may
    see): counts and the first ``limit`` rows of each, most urgent first. A fixed number of
    queries: two per group with rows, one per organisation."""
    access = access_for(user)
    organisation_ids = sorted(access.permissions) if access else []
    own = _group(visible.filter(lead_person=user), today, limit)
    ours = _group(visible.filter(organisation_actions_q(organisation_ids)), today, limit)
    shares = []
    organisations = Organisation.objects.filter(pk__in=organisation_ids).order_by("name")
    for organisation in organisations:
        partnered = Action.partners.through.objects.filter(organisation=organisation)
        counts = visible.order_by().aggregate(
            led=Count("id", filter=our_actions_q([organisation.pk])),
            partnered=Count("id", filter=Q(pk__in=partnered.values("action_id"))),
        )
        if counts["led"] or counts["partnered"]:
            shares.append(OrganisationShare(organisation, counts["led"], counts["partnered"]))
    return MyActions(own=own, organisation=ours, shares=shares)


def lead_counts(queryset: QuerySet) -> list[dict]:
    """Per lead organisation (a unit counts for its organisation): id, name and number of actions,
    most actions first; actions without a known lead organisation last (id None)."""
    rows = (
        queryset.order_by()
        .annotate(lead_org=Coalesce("lead_organisation_id", "lead_unit__organisation_id"))
        .values("lead_org")
        .annotate(total=Count("id"))
    )
    totals = {row["lead_org"]: row["total"] for row in rows}
    names = dict(
        Organisation.objects.filter(pk__in=[pk for pk in totals if pk]).values_list("pk", "name")
    )
    counts = [
        {"organisation_id": pk, "name": names[pk], "count": total}
        for pk, total in totals.items()
        if pk in names
    ]
    counts.sort(key=lambda row: (-row["count"], row["name"]))
    if totals.get(None):
        counts.append({"organisation_id": None, "name": "", "count": totals[None]})
    return counts


# --------------------------------------------------------------------------------------------
# Year to year: the differences between two action plans of one plan

# (label, how to read the value from an action fetched with with_related)
COMPARED_FIELDS = (
    (_("Thema"), lambda action: action.theme.name if action.theme_id else ""),
    (_("Onderwerp"), lambda action: action.subject),
    (_("Actie"), lambda action: action.description),
    (_("Trekker"), lead_label),
    (_("Partners"), partners_label),
    (_("Wanneer"), lambda action: action.due_text),
    (_("Status"), lambda action: str(ActionStatus(action.status).label)),
)


@dataclass
class FieldDifference:
    label: str
    old: str
    new: str


@dataclass
class CarriedAction:
    old: Action
    new: Action
    differences: list[FieldDifference]


@dataclass
class DroppedAction:
    action: Action
    reason: str


@dataclass
class Comparison:
    old_plan: object
    new_plan: object
    new: list[Action] = field(default_factory=list)
    carried: list[CarriedAction] = field(default_factory=list)
    dropped: list[DroppedAction] = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {
            "new": len(self.new),
            "carried": len(self.carried),
            "changed": sum(1 for item in self.carried if item.differences),
            "dropped": len(self.dropped),
        }


def _match_key(action: Action) -> tuple[str, str]:
    return (" ".join(action.subject.lower().split()), " ".join(action.description.lower().split()))


def compare_action_plans(old, new) -> Comparison:
    """New, carried-over (with what changed) and dropped actions between two action plans.

    An action of `new` belongs to one of `old` through `carried_over_from` (start_next_year);
    plans that are not consecutive, or were entered separately, are matched by the same subject
    and text instead. Two queries, whatever the number of actions."""
    old_actions = decorate(
        with_related(Action.objects.filter(action_plan=old)).order_by("order", "id")
    )
    new_actions = decorate(
        with_related(Action.objects.filter(action_plan=new)).order_by("order", "id")
    )
    comparison = Comparison(old_plan=old, new_plan=new)
    old_by_id = {action.pk: action for action in old_actions}
    old_by_text: dict[tuple[str, str], list[Action]] = {}
    for action in old_actions:
        old_by_text.setdefault(_match_key(action), []).append(action)
    matched: set[int] = set()
    unmatched_new = []
    for action in new_actions:
        source = old_by_id.get(action.carried_over_from_id)
        if source is None or source.pk in matched:
            unmatched_new.append(action)
            continue
        matched.add(source.pk)
        comparison.carried.append(CarriedAction(source, action, _differences(source, action)))
    for action in unmatched_new:
        candidates = [c for c in old_by_text.get(_match_key(action), []) if c.pk not in matched]
        if candidates:
            matched.add(candidates[0].pk)
            comparison.carried.append(
                CarriedAction(candidates[0], action, _differences(candidates[0], action))
            )
        else:
            comparison.new.append(action)
    reasons = {
        ActionStatus.DONE: _("afgerond"),
        ActionStatus.CANCELLED: _("vervallen"),
    }
    for action in old_actions:
        if action.pk not in matched:
            reason = reasons.get(action.status, _("niet overgenomen of verwijderd"))
            comparison.dropped.append(DroppedAction(action, str(reason)))
    comparison.carried.sort(key=lambda item: (item.new.order, item.new.pk))
    return comparison


def _differences(old: Action, new: Action) -> list[FieldDifference]:
    differences = []
    for label, read in COMPARED_FIELDS:
        before, after = read(old), read(new)
        if before != after:
            differences.append(FieldDifference(str(label), before, after))
    return differences


# --------------------------------------------------------------------------------------------
# Choice lists: who may lead an action of a plan. The services check writes against these same
# selectors, so the page, the API and the spreadsheet import offer and accept the same choices.


def eligible_lead_organisations(plan: Plan) -> QuerySet[Organisation]:
    """Who may lead an action of ``plan``: the plan's owner, the members of an owning region,
    the regions the owner takes part in, and every partner organisation."""
    owner_id = plan.owner_id
    participation = Organisation.members.through.objects
    members = participation.filter(from_organisation_id=owner_id).values("to_organisation_id")
    regions = participation.filter(to_organisation_id=owner_id).values("from_organisation_id")
    return Organisation.objects.filter(
        Q(pk=owner_id) | Q(pk__in=members) | Q(pk__in=regions) | Q(kind=Organisation.Kind.PARTNER)
    ).order_by("kind", "name")


def units_of(organisation_id: int | None) -> QuerySet[Unit]:
    """The units an action led by this organisation may name (none without an organisation)."""
    if organisation_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(organisation_id=organisation_id).order_by("name")


def eligible_lead_people(plan: Plan, lead_organisation_id: int | None = None) -> QuerySet:
    """Who may hold an action of ``plan``: active members of the plan's owner or of the action's
    lead organisation."""
    organisation_ids = {plan.owner_id, lead_organisation_id} - {None}
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(organisation_id__in=organisation_ids).values(
                "user_id"
            ),
        )
        .order_by("last_name", "first_name", "username")
    )


def can_grant_partner_edit(user, action: Action) -> bool:
    """Whether the user decides for the action's owner: manages actions in the organisation that
    owns its plan (only they let partners edit what the owner decides)."""
    access = access_for(user)
    if access is None:
        return False
    return access.is_superuser or access.has(
        Permission.MANAGE_ACTIONS, action.action_plan.plan.owner_id
    )
