"""Pages of actions: the list (all visible actions or one plan's), export, detail and forms.

Views are thin: objects come through restrict()/get_scoped_object_or_404, reads through
selectors.py, writes through services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.actions import services
from openveiligheid.actions.exports import actions_workbook
from openveiligheid.actions.forms import ActionEditForm, ProgressUpdateForm, StatusChangeForm
from openveiligheid.actions.models import Action, ActionStatus, ActionStatusChange, ProgressUpdate
from openveiligheid.actions.selectors import (
    PER_PAGE,
    SORT_CHOICES,
    STATUS_ORDER,
    ActionFilterForm,
    apply_filters,
    decorate,
    filter_actions,
    lead_label,
    partners_label,
    status_counts,
)
from openveiligheid.core.changelog import changes_for
from openveiligheid.core.due import DueExpression
from openveiligheid.organisations.scoping import CHANGE, VIEW, can, get_scoped_object_or_404
from openveiligheid.plans.models import Plan

CHANGELOG_LIMIT = 50


def _plan_or_none(request, slug):
    if slug is None:
        return None
    return get_scoped_object_or_404(
        Plan.objects.select_related("owner"), request.user, VIEW, slug=slug
    )


def _filtered(request, plan):
    base = Action.objects.restrict(request.user, VIEW)
    if plan is not None:
        base = base.filter(action_plan__plan=plan)
    form = ActionFilterForm(request.GET, actions=base, show_plan=plan is None)
    actions, cleaned = filter_actions(base, request.GET, form=form)
    return base, form, actions, cleaned


def _query_string(params, **changes) -> str:
    query = params.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


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
                "url": _query_string(params, sort=next_sort, page=None),
            }
        )
    return columns


@login_required
@require_GET
def action_list(request, slug=None):
    plan = _plan_or_none(request, slug)
    base, form, actions, cleaned = _filtered(request, plan)
    # Counts ignore the status filter, so that each count doubles as a link to that status.
    counts = status_counts(apply_filters(base, cleaned, skip=("status",)))
    for item in counts:
        item["url"] = _query_string(request.GET, status=item["status"], page=None)
    page = Paginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    rows = decorate(page.object_list)
    sort = cleaned.get("sort") or ""
    export_url = reverse("actions:export", args=[plan.slug]) if plan else reverse("actions:export")
    return render(
        request,
        "actions/action_list.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "actions": rows,
            "total": page.paginator.count,
            "status_counts": counts,
            "selected_status": cleaned.get("status") or "",
            "columns": {column["key"]: column for column in _sort_columns(request.GET, sort)},
            "sort": sort,
            "export_url": export_url + _query_string(request.GET, page=None).rstrip("?"),
            "page_links": {
                "previous": _query_string(request.GET, page=page.previous_page_number())
                if page.has_previous()
                else "",
                "next": _query_string(request.GET, page=page.next_page_number())
                if page.has_next()
                else "",
            },
        },
    )


@login_required
@require_GET
def action_export(request, slug=None):
    plan = _plan_or_none(request, slug)
    _base, _form, actions, _cleaned = _filtered(request, plan)
    content = actions_workbook(actions)
    filename = f"acties-{plan.slug if plan else 'alle-plannen'}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _detail_queryset():
    return Action.objects.select_related(
        "action_plan__plan__owner",
        "theme",
        "topic",
        "goal",
        "lead_organisation",
        "lead_unit__organisation",
        "lead_person",
    ).prefetch_related(
        "partners",
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
    due_label, recurrence_label = _due_labels(action)
    if can_change:
        status_form = status_form or StatusChangeForm(action=action)
        progress_form = progress_form or ProgressUpdateForm()
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "plan": action.action_plan.plan,
            "lead_label": lead_label(action),
            "partners_label": partners_label(action),
            "due_label": due_label,
            "recurrence_label": recurrence_label,
            "can_change": can_change,
            "status_form": status_form,
            "progress_form": progress_form,
            "allowed_statuses": [
                ActionStatus(value).label
                for value in STATUS_ORDER
                if value in action.allowed_transitions()
            ],
            "changelog": changes_for(action)[:CHANGELOG_LIMIT],
        },
    )


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_GET
def action_detail(request, pk):
    action = get_scoped_object_or_404(_detail_queryset(), request.user, VIEW, pk=pk)
    return _render_detail(request, action)


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
            )
        except ValidationError as error:
            _add_service_errors(form, error)
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
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.add_progress_update(
                action,
                text=form.cleaned_data["text"],
                progress=form.cleaned_data["progress"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("De voortgang is vastgelegd."))
            return redirect("actions:detail", pk=action.pk)
    return _render_detail(request, action, progress_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = get_scoped_object_or_404(_detail_queryset(), request.user, CHANGE, pk=pk)
    if request.method == "POST":
        form = ActionEditForm(request.POST, action=action)
        if form.is_valid():
            try:
                changes = form.changes()
                if changes:
                    services.update_action(action, actor=request.user, **changes)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                if changes:
                    messages.success(request, _("De actie is opgeslagen."))
                else:
                    messages.info(request, _("Er is niets gewijzigd."))
                return redirect("actions:detail", pk=action.pk)
    else:
        form = ActionEditForm(action=action)
    return render(
        request,
        "actions/action_form.html",
        {"action": action, "plan": action.action_plan.plan, "form": form},
    )
