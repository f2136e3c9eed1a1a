"""Pages of actions: the list (all visible actions or one plan's), export, detail and forms.

Views are thin: objects come through restrict()/get_scoped_object_or_404, reads through
selectors.py, writes through services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.actions import list_page, services
from openveiligheid.actions.exports import actions_workbook
from openveiligheid.actions.filters import ActionFilterSet, choices_cache_key
from openveiligheid.actions.forms import (
    ActionEditForm,
    ActionPlanForm,
    NextYearForm,
    ProgressUpdateForm,
    StatusChangeForm,
    UnplannedActionForm,
)
from openveiligheid.actions.list_page import query_string
from openveiligheid.actions.models import (
    EDIT,
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.actions.presentation import render_rows
from openveiligheid.actions.selectors import (
    OURS,
    SORT_CHOICES,
    STATUS_ORDER,
    UNPLANNED_YES,
    can_grant_partner_edit,
    compare_action_plans,
    decorate_page,
    for_list_page,
    late_q,
    lead_label,
    my_actions,
    partners_label,
    sort_actions,
    with_related,
)
from openveiligheid.core.changelog import changes_for
from openveiligheid.core.concurrency import EditConflict, conflict_changes, conflict_form_data
from openveiligheid.core.due import DueExpression
from openveiligheid.core.forms import add_service_errors
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import (
    CHANGE,
    VIEW,
    access_for,
    can,
    get_scoped_object_or_404,
)
from openveiligheid.plans.models import Plan
from openveiligheid.plans.selectors import visible_changes, with_data_version

CHANGELOG_LIMIT = 50
# Rows per group on the "Mijn acties" page and in its section of the start page.
MY_ACTIONS_ROWS = 50
START_ROWS = 10


def _plan_or_none(request, slug, *, with_version: bool = False):
    """The plan of a per-plan page (None for the pages across plans); `with_version` reads its
    data version in the same query (the action list caches its filter choices by it)."""
    if slug is None:
        return None
    plans = Plan.objects.select_related("owner")
    if with_version:
        plans = with_data_version(plans)
    return get_scoped_object_or_404(plans, request.user, VIEW, slug=slug)


def _own_organisation_ids(user) -> set[int]:
    """The organisations the user is a member of ("onze acties" are the ones they lead)."""
    access = access_for(user)
    return set(access.permissions) if access else set()


def _cache_scope(user, plan) -> str | None:
    """What the list's cached parts (filter choices, results) of one plan depend on besides the
    query: the plan's data (its owner's data version, read with the plan) and what the user may
    see (the view scope, shared by users with the same roles in the same organisations)."""
    access = access_for(user)
    if plan is None or access is None:
        return None
    return list_page.scope_key(plan, access.view_scope_key)


def _filtered(request, plan, scope=None):
    """The filter set of the list (or its export), the filtered and sorted actions, and the
    valid filter values (none when any is invalid: the form then shows the error)."""
    base = Action.objects.restrict(request.user, VIEW)
    if plan is not None:
        base = base.filter(action_plan__plan=plan)
    filterset = ActionFilterSet(
        request.GET,
        base,
        request=request,
        show_plan=plan is None,
        organisation_ids=_own_organisation_ids(request.user),
        choices_key=choices_cache_key(scope) if scope else None,
    )
    cleaned = filterset.cleaned
    actions = with_related(sort_actions(filterset.filtered(), cleaned.get("sort") or ""))
    return filterset, actions, cleaned


def _sort_columns(params, current: str) -> list[dict]:
    """Header links: a click sorts ascending, a second click on the same column descending."""
    columns = []
    for key, label in SORT_CHOICES:
        if current == key:
            aria_sort, next_sort = "ascending", f"-{key}"
        elif current == f"-{key}":
            aria_sort, next_sort = "descending", key
        else:
            aria_sort, next_sort = "", key
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": aria_sort,
                "url": query_string(params, sort=next_sort, page=None),
            }
        )
    return columns


@login_required
@require_GET
def action_list(request, slug=None):
    plan = _plan_or_none(request, slug, with_version=True)
    scope = _cache_scope(request.user, plan)
    filterset, actions, cleaned = _filtered(request, plan, scope)
    results = list_page.list_results(
        request.GET, filterset, cleaned, actions, plan=plan, scope=scope
    )
    sort = cleaned.get("sort") or ""
    export_url = reverse("actions:export", args=[plan.slug]) if plan else reverse("actions:export")
    return render(
        request,
        "actions/action_list.html",
        {
            **_plan_context(request, plan),
            "scope": request.GET.get("scope") if cleaned.get("scope") is not None else "",
            "scope_links": {
                "all": query_string(request.GET, scope=None, page=None),
                "ours": query_string(request.GET, scope=OURS, page=None),
            },
            "unplanned_url": query_string(request.GET, unplanned=UNPLANNED_YES, page=None),
            "plan": plan,
            "form": filterset.form,
            "results": results,
            "selected_status": cleaned.get("status") or "",
            "columns": {column["key"]: column for column in _sort_columns(request.GET, sort)},
            "sort": sort,
            "export_url": export_url + query_string(request.GET, page=None).rstrip("?"),
        },
    )


def _plan_context(request, plan) -> dict:
    """For one plan's list: its action plans and what the user may do with them."""
    if plan is None:
        return {}
    action_plans = list(ActionPlan.objects.filter(plan=plan).order_by("year_start", "id"))
    manageable = set(
        ActionPlan.objects.filter(plan=plan)
        .restrict(request.user, CHANGE)
        .values_list("pk", flat=True)
    )
    rows = []
    for index, action_plan in enumerate(action_plans):
        previous = action_plans[index - 1] if index else None
        rows.append(
            {
                "action_plan": action_plan,
                "can_manage": action_plan.pk in manageable,
                "compare_url": reverse("actions:compare", args=[previous.pk, action_plan.pk])
                if previous
                else "",
                "previous": previous,
            }
        )
    return {
        "action_plan_rows": rows,
        "can_manage": bool(manageable),
        "may_add_action_plan": manages_actions_of(request.user, plan),
    }


@login_required
@require_GET
def action_export(request, slug=None):
    plan = _plan_or_none(request, slug)
    _filterset, actions, _cleaned = _filtered(request, plan)
    content = actions_workbook(actions)
    filename = f"acties-{plan.slug if plan else 'alle-plannen'}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _detail_queryset():
    # What a list row shows, and the plan's owner, the history and the progress updates.
    return with_related(Action.objects.select_related("action_plan__plan__owner")).prefetch_related(
        Prefetch(
            "status_history",
            queryset=ActionStatusChange.objects.select_related("changed_by").order_by(
                "-changed_at", "-id"
            ),
        ),
        Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("author")),
    )


def _due_labels(action) -> tuple[str, str]:
    """The derived meaning of the stored due fields, and the recurrence alone, in Dutch."""
    due = DueExpression(
        action.due_text,
        action.due_start,
        action.due_end,
        action.due_recurrence,
        action.due_understood,
    )
    recurrence = (
        DueExpression("", None, None, action.due_recurrence, True).label
        if action.due_recurrence
        else ""
    )
    return due.label, recurrence


def _render_detail(request, action, *, status_form=None, progress_form=None):
    can_change = can(request.user, CHANGE, action)
    can_edit = can_change and can(request.user, EDIT, action)
    due_label, recurrence_label = _due_labels(action)
    if can_change:
        status_form = status_form or StatusChangeForm(action=action)
        progress_form = progress_form or ProgressUpdateForm(action=action)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "plan": action.action_plan.plan,
            "plan_visible": can(request.user, VIEW, action.action_plan.plan),
            "lead_label": lead_label(action),
            "partners_label": partners_label(action),
            "due_label": due_label,
            "recurrence_label": recurrence_label,
            "can_change": can_change,
            "can_edit": can_edit,
            "status_form": status_form,
            "progress_form": progress_form,
            "allowed_statuses": [
                ActionStatus(value).label
                for value in STATUS_ORDER
                if value in action.allowed_transitions()
            ],
            "changelog": visible_changes(
                request.user, action.action_plan.plan, changes_for(action)
            )[:CHANGELOG_LIMIT],
        },
    )


@login_required
@require_GET
def action_detail(request, pk):
    action = get_scoped_object_or_404(_detail_queryset(), request.user, VIEW, pk=pk)
    return _render_detail(request, action)


def _render_conflict(request, conflict: EditConflict, form_name: str, form_class):
    """The action page on its current version, with the user's input in the form that
    conflicted and the change they had not seen."""
    action = _detail_queryset().get(pk=conflict.current.pk)
    form = form_class(conflict_form_data(request.POST, conflict), action=action)
    form.is_valid()
    form.add_error(None, conflict.message)
    form.conflict = conflict_changes(conflict)
    return _render_detail(request, action, **{form_name: form})


@login_required
@require_POST
def change_status(request, pk):
    action = get_scoped_object_or_404(_detail_queryset(), request.user, CHANGE, pk=pk)
    form = StatusChangeForm(request.POST, action=action)
    if form.is_valid():
        try:
            updated = services.change_status(
                action,
                form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"].strip(),
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            return _render_conflict(request, error, "status_form", StatusChangeForm)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("De status is gewijzigd in '%(status)s'.")
                % {"status": ActionStatus(updated.status).label},
            )
            return redirect("actions:detail", pk=action.pk)
    return _render_detail(request, action, status_form=form)


@login_required
@require_POST
def add_progress(request, pk):
    action = get_scoped_object_or_404(_detail_queryset(), request.user, CHANGE, pk=pk)
    form = ProgressUpdateForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.add_progress_update(
                action,
                text=form.cleaned_data["text"],
                progress=form.cleaned_data["progress"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            return _render_conflict(request, error, "progress_form", ProgressUpdateForm)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De voortgang is vastgelegd."))
            return redirect("actions:detail", pk=action.pk)
    return _render_detail(request, action, progress_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = get_scoped_object_or_404(_detail_queryset(), request.user, EDIT, pk=pk)
    owner_decides = can_grant_partner_edit(request.user, action)
    conflict = None
    if request.method == "POST":
        form = ActionEditForm(request.POST, action=action, owner=owner_decides)
        if form.is_valid():
            try:
                changes = form.changes()
                if changes:
                    services.update_action(
                        action,
                        actor=request.user,
                        expected_version=form.cleaned_data["version"],
                        **changes,
                    )
            except EditConflict as error:
                conflict = conflict_changes(error)
                form = ActionEditForm(
                    conflict_form_data(request.POST, error),
                    action=error.current,
                    owner=owner_decides,
                )
                form.is_valid()
                form.add_error(None, error.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if changes:
                    messages.success(request, _("De actie is opgeslagen."))
                else:
                    messages.info(request, _("Er is niets gewijzigd."))
                return redirect("actions:detail", pk=action.pk)
    else:
        form = ActionEditForm(action=action, owner=owner_decides)
    return render(
        request,
        "actions/action_form.html",
        {"action": action, "plan": action.action_plan.plan, "form": form, "conflict": conflict},
    )


# --------------------------------------------------------------------------------------------
# Managing a plan's actions: unplanned actions, next year, comparison
# (the Excel import pages live in imports.action_sheets, above this app)


def manages_actions_of(user, plan) -> bool:
    """Whether the user manages the plan's actions (MANAGE_ACTIONS in the plan's organisation):
    makes its action plans and adds actions to them."""
    access = access_for(user)
    return access is not None and access.has(Permission.MANAGE_ACTIONS, plan.owner_id)


def _managed_plan(request, slug):
    """The plan (404 when out of sight) and the action plans in it the user may manage (403 when
    none: managing actions needs MANAGE_ACTIONS in the plan's organisation)."""
    plan = _plan_or_none(request, slug)
    action_plans = ActionPlan.objects.filter(plan=plan).restrict(request.user, CHANGE)
    if not action_plans.exists():
        raise PermissionDenied
    return plan, action_plans


@login_required
@require_http_methods(["GET", "POST"])
def action_plan_create(request, slug):
    """A new action plan for a plan (a year or its whole period), to add actions to."""
    plan = _plan_or_none(request, slug)
    if not manages_actions_of(request.user, plan):
        raise PermissionDenied
    existing = list(ActionPlan.objects.filter(plan=plan).order_by("year_start", "id"))
    form = ActionPlanForm(
        request.POST or None, plan=plan, taken_years={ap.year_start for ap in existing}
    )
    if request.method == "POST" and form.is_valid():
        year_start, year_end = form.cleaned_data["years"]
        try:
            action_plan = services.add_action_plan(
                plan=plan,
                year_start=year_start,
                year_end=year_end,
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error("title" if field == "title" else "years", field_errors)
        else:
            messages.success(
                request,
                _("Actieplan '%(title)s' is aangemaakt. Voeg er nu acties aan toe.")
                % {"title": action_plan.title},
            )
            return redirect("actions:create", slug=plan.slug)
    return render(
        request,
        "actions/action_plan_create.html",
        {"plan": plan, "form": form, "existing": existing},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, slug):
    plan = _plan_or_none(request, slug)
    if manages_actions_of(request.user, plan) and not plan.action_plans.exists():
        # Actions live in an action plan: the first step is to make one, not a bare refusal.
        messages.info(
            request, _("Dit plan heeft nog geen actieplan. Maak eerst een actieplan aan.")
        )
        return redirect("actions:action-plan-create", slug=plan.slug)
    plan, action_plans = _managed_plan(request, slug)
    form = UnplannedActionForm(request.POST or None, plan=plan, action_plans=action_plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                action_plan=data["action_plan"],
                description=data["description"],
                actor=request.user,
                theme=data["theme"],
                subject=data["subject"].strip(),
                lead_organisation=data["lead_organisation"],
                lead_text=data["lead_text"].strip(),
                due_text=data["due_text"].strip(),
                is_unplanned=data["is_unplanned"],
                unplanned_since=data["unplanned_since"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De actie is toegevoegd."))
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/action_create.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def next_year(request, pk):
    action_plan = get_scoped_object_or_404(
        ActionPlan.objects.select_related("plan__owner"), request.user, CHANGE, pk=pk
    )
    initial = {"year": action_plan.year_end + 1}
    form = NextYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new_plan = services.start_next_year(
                action_plan,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Actieplan '%(title)s' is aangemaakt.") % {"title": new_plan.title},
            )
            return redirect("actions:compare", old=action_plan.pk, new=new_plan.pk)
    carried = sum(1 for action in action_plan.actions.all() if services.carries_over(action))
    return render(
        request,
        "actions/next_year.html",
        {
            "plan": action_plan.plan,
            "action_plan": action_plan,
            "form": form,
            "carried": carried,
            "total": action_plan.actions.count(),
        },
    )


@login_required
@require_GET
def compare(request, old, new):
    queryset = ActionPlan.objects.select_related("plan")
    old_plan = get_scoped_object_or_404(queryset, request.user, VIEW, pk=old)
    new_plan = get_scoped_object_or_404(queryset, request.user, VIEW, pk=new)
    if old_plan.plan_id != new_plan.plan_id:
        raise Http404
    comparison = compare_action_plans(old_plan, new_plan)
    return render(
        request,
        "actions/compare.html",
        {"plan": old_plan.plan, "comparison": comparison, "counts": comparison.counts},
    )


# --------------------------------------------------------------------------------------------
# "Mijn acties" and the actions' sections of the start page (registered in navigation.py)


def _my_actions_context(request, limit: int) -> dict:
    access = access_for(request.user)
    mine = my_actions(
        request.user, Action.objects.restrict(request.user, VIEW), timezone.localdate(), limit
    )
    list_url = reverse("actions:list")
    return {
        "mine": mine,
        "own_rows_html": render_rows(mine.own.rows, show_plan=True),
        "organisation_rows_html": render_rows(mine.organisation.rows, show_plan=True),
        "share_links": [
            {
                "share": share,
                "led_url": f"{list_url}?scope={OURS}" if share.led else "",
                "partner_url": f"{list_url}?partner={share.organisation.pk}"
                if share.partnered
                else "",
            }
            for share in mine.shares
        ],
        "is_member": bool(access and access.permissions),
    }


@login_required
@require_GET
def my_actions_page(request):
    context = _my_actions_context(request, MY_ACTIONS_ROWS)
    return render(request, "actions/my_actions.html", context)


def my_actions_section(request) -> str:
    context = _my_actions_context(request, START_ROWS)
    return render_to_string("actions/start/my_actions.html", context, request=request)


def late_actions_section(request) -> str:
    """For those who manage actions: the open actions past their last day, in the plans they
    manage."""
    manageable = Action.objects.restrict(request.user, CHANGE).filter(late_q(timezone.localdate()))
    total = manageable.count()
    rows = (
        decorate_page(
            for_list_page(manageable.order_by("due_end", "id"), show_plan=True, sort="due")[
                :START_ROWS
            ]
        )
        if total
        else []
    )
    return render_to_string(
        "actions/start/late_actions.html",
        {"total": total, "shown": len(rows), "rows_html": render_rows(rows, show_plan=True)},
        request=request,
    )
