"""Reads of actions: the filter form, filtering, sorting and counts for lists and exports.

Every function here takes a queryset that the caller has already narrowed with
`Action.objects.restrict(user)`; choices in the filter form come from that same queryset, so a
user is never offered (or able to pick) a theme, plan or organisation outside their scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import Action, ActionPlan, ActionStatus
from openveiligheid.core.periods import QUARTER, Period, parse_period
from openveiligheid.organisations.models import Organisation, Unit
from openveiligheid.plans.models import Plan, Theme

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


class _ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Themes of different plans often share a name ("Ondermijning"); name the plan too.
        return f"{obj.name} ({obj.plan.title})" if self.with_plan else obj.name


class ActionFilterForm(forms.Form):
    """Validates the GET parameters of the action list and export. All fields are optional."""

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle plannen"),
        error_messages={"invalid_choice": _("Kies een plan uit de lijst.")},
    )
    theme = _ThemeChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Alle thema's"),
        error_messages={"invalid_choice": _("Kies een thema uit de lijst.")},
    )
    lead = forms.ChoiceField(
        label=_("Trekker"),
        required=False,
        error_messages={"invalid_choice": _("Kies een trekker uit de lijst.")},
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Alle partners"),
        error_messages={"invalid_choice": _("Kies een partnerorganisatie uit de lijst.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *ActionStatus.choices],
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )
    # No max_length: it would put a maxlength attribute on the select; parse_period bounds it.
    due = forms.CharField(
        label=_("Wanneer"),
        required=False,
        help_text=_("Een kwartaal (zoals 2017-Q2) of 'doorlopend'."),
        widget=forms.Select,
    )
    action_plan = forms.ModelChoiceField(
        label=_("Actieplan"),
        queryset=ActionPlan.objects.none(),
        required=False,
        empty_label=_("Alle jaren"),
        error_messages={"invalid_choice": _("Kies een actieplan uit de lijst.")},
    )
    unplanned = forms.ChoiceField(
        label=_("Onvoorzien"),
        required=False,
        choices=[
            ("", _("Gepland en onvoorzien")),
            (UNPLANNED_YES, _("Alleen onvoorziene acties")),
            (UNPLANNED_NO, _("Alleen geplande acties")),
        ],
        error_messages={"invalid_choice": _("Kies gepland of onvoorzien uit de lijst.")},
    )
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    # "Onze acties" (led by one of the user's organisations) or the whole programme.
    scope = forms.ChoiceField(
        required=False,
        choices=[("", _("Alle acties")), (OURS, _("Onze acties"))],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Kies 'Onze acties' of 'Alle acties'.")},
    )

    def __init__(
        self,
        data=None,
        *,
        actions: QuerySet | None = None,
        show_plan: bool = True,
        organisation_ids=(),
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        actions = actions if actions is not None else Action.objects.none()
        self.show_plan = show_plan
        self.organisation_ids = set(organisation_ids)
        plan_ids = actions.values("action_plan__plan")
        if show_plan:
            self.fields["plan"].queryset = Plan.objects.filter(pk__in=plan_ids).order_by(
                "-period_start", "title"
            )
            del self.fields["action_plan"]
        else:
            del self.fields["plan"]
            self.fields["action_plan"].queryset = ActionPlan.objects.filter(
                pk__in=actions.values("action_plan")
            ).order_by("-year_start", "title")
        theme_field = self.fields["theme"]
        theme_field.queryset = (
            Theme.objects.filter(pk__in=actions.values("theme"))
            .select_related("plan")
            .order_by("plan__title", "order", "id")
        )
        theme_field.with_plan = show_plan
        self.fields["partner"].queryset = Organisation.objects.filter(
            pk__in=actions.values("partners")
        ).order_by("name")
        self.fields["lead"].choices = self._lead_choices(actions)
        self.fields["due"].widget.choices = self._due_choices(actions)

    @staticmethod
    def _lead_choices(actions: QuerySet) -> list[tuple[str, str]]:
        choices: list[tuple[str, str]] = [("", _("Alle trekkers"))]
        for organisation in Organisation.objects.filter(
            pk__in=actions.values("lead_organisation")
        ).order_by("name"):
            choices.append((f"org-{organisation.pk}", organisation.name))
        for unit in (
            Unit.objects.filter(pk__in=actions.values("lead_unit"))
            .select_related("organisation")
            .order_by("organisation__name", "name")
        ):
            choices.append((f"unit-{unit.pk}", f"– {unit}"))
        return choices

    @staticmethod
    def _due_choices(actions: QuerySet) -> list[tuple[str, str]]:
        bounds = actions.aggregate(first=Min("due_start"), last=Max("due_end"))
        choices: list[tuple[str, str]] = [("", _("Altijd")), (RECURRING, _("Doorlopend"))]
        first, last = bounds["first"], bounds["last"]
        if first and last and first <= last:
            period = Period(QUARTER, date(first.year, (first.month - 1) // 3 * 3 + 1, 1))
            for _index in range(MAX_QUARTER_CHOICES):
                if period.start > last:
                    break
                choices.append((period.code, period.label))
                following = date.fromordinal(period.end.toordinal() + 1)
                period = Period(QUARTER, following)
        return choices

    def clean_due(self):
        value = (self.cleaned_data.get("due") or "").strip()
        if not value:
            return None
        if value.lower() == RECURRING:
            return RECURRING
        try:
            return parse_period(value)
        except ValueError as error:
            raise forms.ValidationError(
                _("Kies een kwartaal, zoals 2017-Q2, of 'doorlopend'.")
            ) from error

    def clean_lead(self):
        value = self.cleaned_data.get("lead") or ""
        if not value:
            return None
        kind, _sep, pk = value.partition("-")
        return (kind, int(pk))

    def clean_sort(self):
        value = (self.cleaned_data.get("sort") or "").strip()
        if value and value.lstrip("-") not in SORT_KEYS:
            raise forms.ValidationError(_("Onbekende sortering: %(value)s.") % {"value": value})
        return value

    def clean_q(self):
        return (self.cleaned_data.get("q") or "").strip()

    def clean_scope(self):
        if self.cleaned_data.get("scope") != OURS:
            return None
        return self.organisation_ids


def apply_filters(queryset: QuerySet, cleaned: dict, *, skip: tuple[str, ...] = ()) -> QuerySet:
    """Narrow `queryset` by validated filter values (from ActionFilterForm.cleaned_data)."""
    value = cleaned.get

    if value("plan") and "plan" not in skip:
        queryset = queryset.filter(action_plan__plan=value("plan"))
    if value("theme") and "theme" not in skip:
        queryset = queryset.filter(theme=value("theme"))
    if value("lead") and "lead" not in skip:
        kind, pk = value("lead")
        if kind == "unit":
            queryset = queryset.filter(lead_unit_id=pk)
        else:
            queryset = queryset.filter(lead_organisation_id=pk)
    if value("partner") and "partner" not in skip:
        # A subquery rather than a join, so that an action is never listed twice.
        queryset = queryset.filter(
            pk__in=Action.partners.through.objects.filter(
                organisation_id=value("partner").pk
            ).values("action_id")
        )
    if value("action_plan") and "action_plan" not in skip:
        queryset = queryset.filter(action_plan=value("action_plan"))
    if value("status") and "status" not in skip:
        queryset = queryset.filter(status=value("status"))
    if value("unplanned") and "unplanned" not in skip:
        queryset = queryset.filter(is_unplanned=value("unplanned") == UNPLANNED_YES)
    if value("scope") is not None and "scope" not in skip:
        queryset = queryset.filter(our_actions_q(value("scope")))
    due = value("due")
    if due and "due" not in skip:
        queryset = queryset.filter(due_q(due))
    if value("q") and "q" not in skip:
        text = value("q")
        queryset = queryset.filter(
            Q(subject__icontains=text)
            | Q(description__icontains=text)
            | Q(lead_text__icontains=text)
            | Q(partner_text__icontains=text)
            | Q(due_text__icontains=text)
            | Q(theme__name__icontains=text)
        )
    return queryset


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


def filter_actions(
    queryset: QuerySet, params, *, form: ActionFilterForm | None = None, show_plan: bool = True
) -> tuple[QuerySet, dict]:
    """Filter and sort a (restricted) action queryset by GET parameters.

    Returns the queryset and the cleaned values. When any value is invalid the form carries the
    Dutch error and the list is returned unfiltered (in the default order), so the user sees
    everything rather than a silently half-applied filter.
    """
    if form is None:
        form = ActionFilterForm(params, actions=queryset, show_plan=show_plan)
    if not form.is_valid():
        return with_related(sort_actions(queryset, "")), {}
    cleaned = form.cleaned_data
    filtered = apply_filters(queryset, cleaned)
    return with_related(sort_actions(filtered, cleaned.get("sort") or "")), cleaned


def for_list_page(queryset: QuerySet, *, show_plan: bool, sort: str = "") -> QuerySet:
    """A queryset from filter_actions narrowed to what a row of the action list shows.

    with_related also fetches what exports and comparisons need (topic, goal, lead person); a
    list page shows only the theme, the lead and (across plans) the plan, and PostgreSQL spent
    more time planning the 10-table join than running it. Within one plan the default order by
    plan title is constant, so it is left out.
    """
    related = ["theme", "lead_organisation", "lead_unit__organisation"]
    if show_plan:
        related.append("action_plan__plan")
    queryset = queryset.select_related(None).select_related(*related)
    if not show_plan and not sort:
        queryset = queryset.order_by("theme__order", "order", "id")
    return queryset


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


def list_counts(base: QuerySet, cleaned: dict) -> tuple[list[dict], int, int | None]:
    """For the list page: the counts per status (status_counts, ignoring the status filter),
    the number of unplanned actions (ignoring the unplanned filter) and, when no status filter is
    set, the number of listed actions (else None). One aggregate query when neither the status nor
    the unplanned filter is set (the usual case), as the three then count the same actions."""
    if cleaned.get("status") or cleaned.get("unplanned"):
        counts = status_counts(apply_filters(base, cleaned, skip=("status",)))
        unplanned = (
            apply_filters(base, cleaned, skip=("unplanned",)).filter(is_unplanned=True).count()
        )
        total = None if cleaned.get("status") else sum(item["count"] for item in counts)
        return counts, unplanned, total
    rows = (
        apply_filters(base, cleaned)
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
    rows = list(actions)
    before, after = reverse("actions:detail", args=[_PK_PLACEHOLDER]).rsplit(
        str(_PK_PLACEHOLDER), 1
    )
    for action in rows:
        action.lead_label = lead_label(action)
        action.partners_label = partners_label(action)
        action.detail_url = f"{before}{action.pk}{after}"
    return rows


# --------------------------------------------------------------------------------------------
# Regional programmes: "our actions" and counts per lead


def our_actions_q(organisation_ids) -> Q:
    """Actions led by one of these organisations, directly or through one of their units."""
    ids = list(organisation_ids)
    return Q(lead_organisation_id__in=ids) | Q(lead_unit__organisation_id__in=ids)


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
