"""Pages of the plan import: upload, preview, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openveiligheid.imports.models import Upload
from openveiligheid.imports.plans import reimport, services
from openveiligheid.imports.plans.forms import PlanUploadForm
from openveiligheid.organisations.scoping import VIEW, get_scoped_object_or_404

SHOWN_ACTIONS = 500  # rows on the preview page; the counts always cover everything


@login_required
def upload(request):
    if not services.importable_organisations(request.user).exists():
        raise PermissionDenied
    form = PlanUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload, _extracted = services.preview_upload(
                content=file.read(),
                file_name=file.name,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                year=form.cleaned_data["year"],
                plan=form.cleaned_data["plan"],
            )
        except services.UnreadableDocument as error:
            form.add_error("file", str(error))
        else:
            return redirect("plan_imports:preview", pk=upload.pk)
    return render(request, "plan_imports/upload.html", {"form": form})


def _get_upload(request, pk) -> Upload:
    # Visible to the organisation's members who see unpublished work (404 for others); only
    # those who may manage its actions or plan may go on (403).
    upload = get_scoped_object_or_404(
        Upload.objects.filter(kind=Upload.Kind.PLAN).select_related("organisation"),
        request.user,
        VIEW,
        pk=pk,
    )
    if upload.organisation is None or not services.can_import(request.user, upload.organisation):
        raise PermissionDenied
    return upload


def _diff_sections(diff) -> list[dict]:
    headings = {
        "themes": _("Thema's"),
        "goals": _("Doelen"),
        "topics": _("Subthema's"),
        "actions": _("Acties"),
        "meetings": _("Overleggen"),
    }
    return [
        {"name": name, "heading": headings[name], "changes": changes[:SHOWN_ACTIONS]}
        for name, changes in diff.sections
        if changes
    ]


@login_required
def preview(request, pk):
    upload = _get_upload(request, pk)
    if upload.status in (Upload.Status.EXPIRED, Upload.Status.FAILED):
        messages.error(
            request,
            (upload.summary or {}).get("error")
            or _("Dit bestand is verlopen en verwijderd; upload het opnieuw."),
        )
        return redirect("plan_imports:upload")
    extracted = services.extracted_for_upload(upload)
    result = (upload.summary or {}).get("result")
    calendar_url = None
    if result and result.get("series"):
        calendar_url = reverse("meetings:calendar", args=[result["series"][0]])
    elif result:
        calendar_url = reverse("actions:plan-list", args=[result["plan"]])
    diff, plan_error = None, ""
    if not result:
        try:
            plan = services.plan_to_update(upload)
        except ValidationError as error:
            plan, plan_error = None, " ".join(error.messages)
        if plan is not None:
            diff = reimport.diff_plan(extracted, plan, upload.organisation)
    # The same recognition as the import: what the preview calls recognised becomes the lead.
    leads = services.recognised_leads(
        extracted, upload.organisation, diff.plan if diff is not None else None
    )
    context = {
        "upload": upload,
        "extracted": extracted,
        "actions": list(zip(extracted.actions[:SHOWN_ACTIONS], leads, strict=False)),
        "hidden_actions": max(len(extracted.actions) - SHOWN_ACTIONS, 0),
        "unplanned_count": sum(1 for action in extracted.actions if action.unplanned),
        "summary": services.summary_of(extracted),
        "result": result,
        "result_url": calendar_url,
        "diff": diff,
        "diff_sections": _diff_sections(diff) if diff is not None else [],
        "chosen_plan": bool((upload.options or {}).get("plan")),
        "plan_error": plan_error,
    }
    return render(request, "plan_imports/preview.html", context)


@login_required
@require_POST
def confirm(request, pk):
    upload = _get_upload(request, pk)
    mode = request.POST.get("mode")
    try:
        result = services.confirm_upload(
            upload,
            actor=request.user,
            mode=mode if mode in ("new", "update") else None,
            digest=request.POST.get("digest", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan_imports:preview", pk=upload.pk)
    except services.UnreadableDocument as error:
        # The upload flow marked the upload failed.
        messages.error(request, str(error))
        return redirect("plan_imports:upload")
    if result.mode == "update":
        messages.success(
            request,
            _(
                "Het plan is bijgewerkt: %(added)s acties toegevoegd, %(updated)s onderdelen "
                "gewijzigd, %(cancelled)s acties vervallen."
            )
            % {"added": result.actions, "updated": result.updated, "cancelled": result.cancelled},
        )
    else:
        messages.success(
            request,
            _("Het plan is ingelezen: %(actions)s acties, %(meetings)s overleggen.")
            % {"actions": result.actions, "meetings": result.meetings},
        )
    if result.series:
        return redirect("meetings:calendar", pk=result.series[0].pk)
    return redirect("actions:plan-list", slug=result.plan.slug)
