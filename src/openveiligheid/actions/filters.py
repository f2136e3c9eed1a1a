"""The filters of the action list, shared by the page (actions.views.action_list), its XLSX
export and the API endpoint (actions.api.views.ActionViewSet), as one django-filter set: the same
query parameters, validated by the same form with the same Dutch messages.

The form's choices come from the queryset the caller narrowed with
`Action.objects.restrict(user, VIEW)`, so a user is never offered (or able to pick) a theme, plan
or organisation outside their scope. An invalid value is a form error on the page (which then
lists everything rather than a silently half-applied filter) and a 400 in the API, never a 500.
"""

from __future__ import annotations

import functools
from datetime import date

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Max, Min, Q, QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import Action, ActionPlan, ActionStatus
from openveiligheid.actions.selectors import (
    MAX_QUARTER_CHOICES,
    OURS,
    RECURRING,
    SORT_KEYS,
    UNPLANNED_NO,
    UNPLANNED_YES,
    due_q,
    our_actions_q,
    sort_actions,
    with_related,
)
from openveiligheid.core.periods import QUARTER, Period, parse_period
from openveiligheid.organisations.models import Organisation, Unit
from openveiligheid.plans.models import Plan, Theme

# The select lists of the page (not the hidden or free-text fields).
CACHED_CHOICE_FIELDS = ("plan", "action_plan", "theme", "lead", "partner", "due")
CHOICES_CACHE_SECONDS = 10 * 60


def choices_cache_key(scope: str) -> str:
    """`scope` from actions.list_page.scope_key: the plan, language, data version and view scope."""
    return f"ov:action-filter-choices:v2:{scope}"


def _once(read):
    """A callable that reads its choices on the first call only."""
    return functools.cache(read)


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
        all_fields: bool = False,
        choices_key: str | None = None,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        actions = actions if actions is not None else Action.objects.none()
        self.show_plan = show_plan
        self.organisation_ids = set(organisation_ids)
        plan_ids = actions.values("action_plan__plan")
        # A list across plans filters by plan, one plan's list by action plan; the API both.
        if show_plan or all_fields:
            self.fields["plan"].queryset = Plan.objects.filter(pk__in=plan_ids).order_by(
                "-period_start", "title"
            )
        else:
            del self.fields["plan"]
        if not show_plan or all_fields:
            self.fields["action_plan"].queryset = ActionPlan.objects.filter(
                pk__in=actions.values("action_plan")
            ).order_by("-year_start", "title")
        else:
            del self.fields["action_plan"]
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
        # Read when the field is validated or shown (once), not for a request that filters only
        # by status or plan (the API).
        self.fields["lead"].choices = _once(lambda: self._lead_choices(actions))
        self.fields["due"].widget.choices = CallableChoiceIterator(
            _once(lambda: self._due_choices(actions))
        )
        if choices_key:
            self._use_cached_choices(choices_key)

    def _use_cached_choices(self, key: str) -> None:
        """The choice lists from the cache: they depend only on the actions the user may see
        (the key names the plan, the view scope, the language and the data version), and reading
        them was a third of the list page's time. Model choice fields keep their queryset, so a
        submitted value is still checked against the database."""
        choices = cache.get(key)
        if choices is None:
            choices = {
                name: [
                    (str(getattr(value, "value", value)), str(label))
                    for value, label in self.fields[name].widget.choices
                ]
                for name in CACHED_CHOICE_FIELDS
                if name in self.fields
            }
            cache.set(key, choices, CHOICES_CACHE_SECONDS)
        for name, listed in choices.items():
            field = self.fields[name]
            if name == "lead":
                field.choices = listed
            else:
                field.widget.choices = listed

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


class ActionFilterSet(django_filters.FilterSet):
    """Every filter of the action list; its form is ActionFilterForm. ``filtered(skip=...)``
    gives the actions narrowed by all valid values but the skipped ones (the counts per status
    ignore the status filter, the counts per lead the lead filter)."""

    plan = django_filters.Filter(field_name="action_plan__plan")
    theme = django_filters.Filter(field_name="theme")
    lead = django_filters.Filter(method="filter_lead")
    # A subquery rather than a join, so that an action is never listed twice.
    partner = django_filters.Filter(method="filter_partner")
    action_plan = django_filters.Filter(field_name="action_plan")
    status = django_filters.Filter(field_name="status")
    unplanned = django_filters.Filter(method="filter_unplanned")
    scope = django_filters.Filter(method="filter_scope")
    due = django_filters.Filter(method="filter_due")
    q = django_filters.Filter(method="filter_text")

    class Meta:
        model = Action
        fields: list[str] = []  # all declared above

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        request=None,
        show_plan: bool = True,
        organisation_ids=(),
        all_fields: bool = False,
        choices_key: str | None = None,
    ):
        super().__init__(data, queryset, request=request)
        self.show_plan = show_plan
        self.organisation_ids = organisation_ids
        self.all_fields = all_fields
        self.choices_key = choices_key

    @property
    def form(self) -> ActionFilterForm:
        if not hasattr(self, "_form"):
            self._form = ActionFilterForm(
                self.data if self.is_bound else None,
                actions=self.queryset,
                show_plan=self.show_plan,
                organisation_ids=self.organisation_ids,
                all_fields=self.all_fields,
                choices_key=self.choices_key,
            )
        return self._form

    @property
    def cleaned(self) -> dict:
        """The valid values, or nothing when any value is invalid."""
        return self.form.cleaned_data if self.is_valid() else {}

    def filtered(self, skip: tuple[str, ...] = ()) -> QuerySet:
        queryset = self.queryset
        cleaned = self.cleaned
        for name, filter_ in self.filters.items():
            if name in cleaned and name not in skip:
                queryset = filter_.filter(queryset, cleaned[name])
        return queryset

    def filter_queryset(self, queryset):
        return self.filtered()

    def filter_lead(self, queryset, _name, value):
        kind, pk = value
        if kind == "unit":
            return queryset.filter(lead_unit_id=pk)
        return queryset.filter(lead_organisation_id=pk)

    def filter_partner(self, queryset, _name, value):
        return queryset.filter(
            pk__in=Action.partners.through.objects.filter(organisation_id=value.pk).values(
                "action_id"
            )
        )

    def filter_unplanned(self, queryset, _name, value):
        return queryset.filter(is_unplanned=value == UNPLANNED_YES)

    def filter_scope(self, queryset, _name, value):
        return queryset.filter(our_actions_q(value))

    def filter_due(self, queryset, _name, value):
        return queryset.filter(due_q(value))

    def filter_text(self, queryset, _name, value):
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(description__icontains=value)
            | Q(lead_text__icontains=value)
            | Q(partner_text__icontains=value)
            | Q(due_text__icontains=value)
            | Q(theme__name__icontains=value)
        )


def filter_actions(
    queryset: QuerySet, params, *, form: ActionFilterForm | None = None, show_plan: bool = True
) -> tuple[QuerySet, dict]:
    """Filter and sort a (restricted) action queryset by GET parameters.

    Returns the queryset and the cleaned values. When any value is invalid the form carries the
    Dutch error and the list is returned unfiltered (in the default order), so the user sees
    everything rather than a silently half-applied filter."""
    filterset = ActionFilterSet(
        params if form is None else form.data, queryset, show_plan=show_plan
    )
    if form is not None:
        filterset._form = form
    cleaned = filterset.cleaned
    return with_related(sort_actions(filterset.filtered(), cleaned.get("sort") or "")), cleaned
