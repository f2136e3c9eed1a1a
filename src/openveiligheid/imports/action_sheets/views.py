"""Pages of the action sheet import: upload an edited export, preview it, confirm it.

The comparison and the writes are actions.services.import_actions_xlsx; these views only keep the
file in an Upload between the preview and the confirmation, so that exactly what was previewed
is applied.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.actions import services
from openveiligheid.actions.models import ActionPlan
from openveiligheid.imports.action_sheets.forms import ImportUploadForm
from openveiligheid.imports.models import Upload
from openveiligheid.imports.uploads import store_upload
from openveiligheid.organisations.scoping import CHANGE, VIEW, get_scoped_object_or_404
from openveiligheid.plans.models import Plan

UPLOAD_PURPOSE = "actions_xlsx"


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


def _summary(preview) -> dict:
    return {"changed": preview.changed, "created": preview.created, "refused": preview.refused}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, slug):
    plan, action_plans = _managed_plan(request, slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None, action_plans=action_plans)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        action_plan = form.cleaned_data["action_plan"]
        content = file.read()
        try:
            preview = services.import_actions_xlsx(
                action_plan, content, actor=request.user, dry_run=True
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            # The file is kept so that the confirmation applies exactly what was previewed. No
            # organisation: it is not a plan for the plan import to pick up.
            upload = store_upload(
                kind=Upload.Kind.PLAN,
                organisation=None,
                file_name=file.name,
                content=content,
                options={"purpose": UPLOAD_PURPOSE, "action_plan": action_plan.pk},
                summary=_summary(preview),
                actor=request.user,
            )
            return redirect("action_sheets:preview", slug=plan.slug, upload=upload.pk)
    return render(request, "action_sheets/upload.html", {"plan": plan, "form": form})


def _own_upload(request, action_plans, pk):
    """An action import the user uploaded for one of this plan's action plans they manage."""
    upload = (
        Upload.objects.filter(
            pk=pk,
            kind=Upload.Kind.PLAN,
            organisation__isnull=True,
            options__purpose=UPLOAD_PURPOSE,
            uploaded_by=request.user,
        )
        .only("pk", "file_name", "content", "options", "status", "uploaded_at")
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
            preview = services.import_actions_xlsx(
                action_plan, bytes(upload.content), actor=request.user, dry_run=True
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
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
    if upload.status != Upload.Status.PREVIEWED:
        messages.error(request, _("Dit bestand is al verwerkt."))
        return redirect("action_sheets:preview", slug=plan.slug, upload=upload.pk)
    try:
        with transaction.atomic():
            preview = services.import_actions_xlsx(
                action_plan, bytes(upload.content), actor=request.user, dry_run=False
            )
            Upload.objects.filter(pk=upload.pk).update(
                status=Upload.Status.IMPORTED,
                imported_at=timezone.now(),
                summary=_summary(preview),
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("action_sheets:preview", slug=plan.slug, upload=upload.pk)
    messages.success(
        request,
        _("Het bestand is verwerkt: %(changed)s acties gewijzigd, %(created)s toegevoegd.")
        % {"changed": preview.changed, "created": preview.created},
    )
    if preview.refused:
        messages.warning(
            request,
            _("%(refused)s rijen zijn niet verwerkt; zie het voorbeeld voor de redenen.")
            % {"refused": preview.refused},
        )
    return redirect(
        reverse("actions:plan-list", args=[plan.slug]) + f"?action_plan={action_plan.pk}"
    )
