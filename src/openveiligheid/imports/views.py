"""Pages for importing figures (upload, preview, confirm, result) and editing the mapping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openveiligheid.core.changelog import changes_for
from openveiligheid.core.concurrency import EditConflict, conflict_changes, conflict_form_data
from openveiligheid.imports import jobs, proposals, services, uploads
from openveiligheid.imports.forms import (
    MeasureMappingForm,
    MeasurementUploadForm,
    import_organisations,
    mapping_organisations,
)
from openveiligheid.imports.mapping import save_mapping
from openveiligheid.imports.models import MeasureMapping, Upload
from openveiligheid.indicators.models import Indicator
from openveiligheid.organisations.scoping import CHANGE, VIEW, get_scoped_object_or_404

SHOWN_ROWS = services.PREVIEW_ROWS  # per table on the preview page


@login_required
def upload(request):
    if not import_organisations(request.user).exists():
        raise PermissionDenied
    form = MeasurementUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Stored now, read outside the request: the preview page follows the reading.
        upload = services.start_measurement_import(
            file=form.cleaned_data["file"],
            organisation=form.cleaned_data["organisation"],
            source=form.cleaned_data["source"],
            actor=request.user,
        )
        return redirect("imports:measurement-preview", pk=upload.pk)
    return render(request, "imports/upload.html", {"form": form})


def _get_upload(request, pk) -> Upload:
    return get_scoped_object_or_404(
        Upload.objects.filter(kind=Upload.Kind.MEASUREMENTS).select_related(
            "organisation", "uploaded_by"
        ),
        request.user,
        CHANGE,
        pk=pk,
    )


@login_required
def preview(request, pk):
    upload = _get_upload(request, pk)
    context = {"upload": upload, "shown_rows": SHOWN_ROWS}
    if upload.status == Upload.Status.CONFIRMED:
        result = (upload.summary or {}).get("result", {})
        context["result"] = result
        context["indicators"] = (
            Indicator.objects.restrict(request.user, VIEW)
            .filter(pk__in=result.get("indicators", []))
            .select_related("plan")
        )
        return render(request, "imports/result.html", context)
    jobs.fail_if_stalled(upload)
    if upload.status == Upload.Status.UPLOADED:
        return render(request, "imports/reading.html", context)
    if upload.status in (Upload.Status.EXPIRED, Upload.Status.FAILED):
        context["error"] = (upload.summary or {}).get("error") or _(
            "Dit bestand is verlopen en verwijderd; upload het opnieuw."
        )
        return render(request, "imports/preview.html", context)
    try:
        context["preview"] = services.parsed_preview_of(upload)
        context["indicators_to_map_to"] = proposals.indicators_to_map_to(upload, request.user)
    except services.UnreadableFile as error:
        context["error"] = str(error)
    return render(request, "imports/preview.html", context)


@login_required
def reading_progress(request, pk):
    """The progress bar of an upload being read (polled by htmx); once the reading ended, the
    page is sent on to the preview (or the refusal)."""
    upload = jobs.fail_if_stalled(_get_upload(request, pk))
    if upload.status != Upload.Status.UPLOADED:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("imports:measurement-preview", args=[upload.pk])
        return response
    return render(request, "imports/includes/reading_progress.html", {"upload": upload})


@login_required
@require_POST
def confirm(request, pk):
    upload = _get_upload(request, pk)
    try:
        if "proposal-0" in request.POST:
            proposals.decide_proposals(
                upload,
                proposals.decisions_from_form(
                    request.POST, services.preview_for_upload(upload).proposals
                ),
                request.user,
            )
        result = services.confirm_measurement_import(upload, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:measurement-preview", pk=upload.pk)
    except (uploads.ImportRefused, services.UnreadableFile) as error:
        # An unreadable file is marked failed by the upload flow.
        messages.error(request, str(error))
        return redirect("imports:measurement-preview", pk=upload.pk)
    messages.success(
        request,
        _("Cijfers opgeslagen: %(created)s nieuw, %(updated)s gewijzigd.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("imports:measurement-preview", pk=upload.pk)


@login_required
def mapping_list(request):
    organisations = mapping_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    own = (
        MeasureMapping.objects.restrict(request.user, CHANGE)
        .filter(organisation__isnull=False)
        .select_related("organisation", "indicator", "indicator__plan")
    )
    defaults = MeasureMapping.objects.filter(organisation__isnull=True).select_related("indicator")
    return render(
        request,
        "imports/mapping_list.html",
        {"mappings": own, "defaults": defaults, "organisations": organisations},
    )


def _mapping_form_page(request, form, mapping=None):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_mapping(
                form.save(commit=False),
                request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            mapping = error.current
            form = MeasureMappingForm(
                conflict_form_data(request.POST, error), instance=mapping, user=request.user
            )
            form.is_valid()
            form.add_error(None, error.message)
            form.conflict = conflict_changes(error)
        else:
            messages.success(request, _("Koppeling opgeslagen."))
            return redirect(reverse("imports:mapping-list") + f"#koppeling-{saved.pk}")
    changelog = changes_for(mapping)[:50] if mapping is not None else []
    return render(
        request,
        "imports/mapping_form.html",
        {"form": form, "mapping": mapping, "changelog": changelog},
    )


@login_required
def mapping_create(request):
    if not mapping_organisations(request.user).exists():
        raise PermissionDenied
    form = MeasureMappingForm(request.POST or None, user=request.user)
    return _mapping_form_page(request, form)


@login_required
def mapping_edit(request, pk):
    mapping = get_scoped_object_or_404(
        MeasureMapping.objects.select_related("organisation", "indicator"),
        request.user,
        CHANGE,
        pk=pk,
    )
    form = MeasureMappingForm(request.POST or None, instance=mapping, user=request.user)
    return _mapping_form_page(request, form, mapping)
