"""Pages of the action sheet import: upload an edited export, preview it, confirm it.

The comparison and the writes are actions.services.import_actions_xlsx; the file is kept through
the one upload flow (imports.action_sheets.services, imports.uploads) between the preview and the
confirmation, so that exactly what was previewed is applied, once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.actions.models import ActionPlan
from openveiligheid.imports.action_sheets import services
from openveiligheid.imports.action_sheets.forms import ImportUploadForm
from openveiligheid.imports.models import Upload
from openveiligheid.organisations.scoping import CHANGE, VIEW, get_scoped_object_or_404
from openveiligheid.plans.models import Plan


def _managed_plan(request, slug):
    """The plan (404 when out of sight) and the action plans in it the user may manage (403 when
    none: managing actions needs MANAGE_ACTIONS in the plan's organisation). The same rule as the
    other action management pages in actions.views."""
    plan = get_scoped_object_or_404(
        Plan.objects.select_related("owner"), request.user, VIEW, slug=slug
    )
    action_plans = ActionPlan.objects.filter(plan=plan).restrict(request.user, CHANGE)
    if not action_plans.exists():
        raise PermissionDenied
    return plan, action_plans


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, slug):
    plan, action_plans = _managed_plan(request, slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None, action_plans=action_plans)
    if request.method == "POST" and form.is_valid():
        try:
            upload, _preview = services.upload_action_sheet(
                form.cleaned_data["action_plan"], form.cleaned_data["file"], request.user
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("action_sheets:preview", slug=plan.slug, upload=upload.pk)
    return render(request, "action_sheets/upload.html", {"plan": plan, "form": form})


def _own_upload(request, action_plans, pk):
    """An action import the user uploaded for one of this plan's action plans they manage."""
    upload = (
        Upload.objects.filter(pk=pk, kind=Upload.Kind.ACTION_SHEET, uploaded_by=request.user)
        .only("pk", "kind", "file_name", "file", "options", "status", "uploaded_at", "summary")
        .first()
    )
    if upload is None:
        raise Http404
    action_plan = action_plans.filter(pk=(upload.options or {}).get("action_plan")).first()
    if action_plan is None:
        raise Http404
    return upload, action_plan


@login_required
@require_GET
def preview(request, slug, upload):
    plan, action_plans = _managed_plan(request, slug)
    upload, action_plan = _own_upload(request, action_plans, upload)
    preview = None
    error = ""
    if upload.status == Upload.Status.PREVIEWED:
        try:
            preview = services.preview_action_sheet(upload)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    elif upload.status != Upload.Status.CONFIRMED:
        error = _("Dit bestand is verlopen en verwijderd; upload het opnieuw.")
    return render(
        request,
        "action_sheets/preview.html",
        {
            "plan": plan,
            "action_plan": action_plan,
            "upload": upload,
            "preview": preview,
            "error": error,
        },
    )


@login_required
@require_POST
def confirm(request, slug, upload):
    plan, action_plans = _managed_plan(request, slug)
    upload, action_plan = _own_upload(request, action_plans, upload)
    try:
        result = services.confirm_action_sheet(upload, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("action_sheets:preview", slug=plan.slug, upload=upload.pk)
    messages.success(
        request,
        _("Het bestand is verwerkt: %(changed)s acties gewijzigd, %(created)s toegevoegd.")
        % {"changed": result.changed, "created": result.created},
    )
    if result.refused:
        messages.warning(
            request,
            _("%(refused)s rijen zijn niet verwerkt; zie het voorbeeld voor de redenen.")
            % {"refused": result.refused},
        )
    return redirect(
        reverse("actions:plan-list", args=[plan.slug]) + f"?action_plan={action_plan.pk}"
    )
