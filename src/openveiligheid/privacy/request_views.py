"""The request point for data subjects' requests (AVG art. 15, 16, 17): the privacy officer
(VIEW_IDENTITIES) registers a request, sees everything held on the person, exports it as PDF and
JSON, rectifies and erases. The views are thin: every step is a service of
privacy.subject_requests, which checks, appends history and writes the audit entry."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.core.documents import PdfUnavailable, pdf_from_html, pdf_unavailable_page
from openveiligheid.core.forms import add_service_errors
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import CHANGE, VIEW, access_for, get_scoped_object_or_404
from openveiligheid.privacy import subject_requests as services
from openveiligheid.privacy.forms import (
    EraseForm,
    RectifyForm,
    SubjectRequestForm,
    SubjectRequestStatusForm,
)
from openveiligheid.privacy.models import SubjectRequest

LIST_LIMIT = 200


def _officer_organisations(request):
    access = access_for(request.user)
    if access is None:
        raise PermissionDenied
    if access.is_superuser:
        organisations = Organisation.objects.all()
    else:
        organisations = Organisation.objects.filter(
            pk__in=access.orgs_with(Permission.VIEW_IDENTITIES)
        )
    if not organisations.exists():
        raise PermissionDenied
    return organisations.order_by("name")


def _subject_request(request, pk, action=VIEW) -> SubjectRequest:
    _officer_organisations(request)
    return get_scoped_object_or_404(
        SubjectRequest.objects.select_related("organisation"), request.user, action, pk=pk
    )


@login_required
@require_GET
def request_list(request):
    _officer_organisations(request)
    requests = (
        SubjectRequest.objects.restrict(request.user, VIEW)
        .select_related("organisation")
        .order_by("status", "deadline", "pk")[:LIST_LIMIT]
    )
    return render(
        request,
        "privacy/subject_request_list.html",
        {"requests": list(requests), "today": timezone.localdate(), "limit": LIST_LIMIT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    organisations = _officer_organisations(request)
    form = SubjectRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject_request = services.register_subject_request(
                actor=request.user,
                organisation=data["organisation"],
                kind=data["kind"],
                received_on=data["received_on"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het verzoek is geregistreerd."))
            return redirect("privacy:subject-request", pk=subject_request.pk)
    return render(request, "privacy/subject_request_form.html", {"form": form})


def _detail(request, subject_request, *, status_form=None, error=None, status=200):
    records = services.find_person_data(
        actor=request.user, subject_request=subject_request, request=request
    )
    choices = [
        (value, services.Status(value).label)
        for value in services.SUBJECT_REQUEST_TRANSITIONS[subject_request.status]
    ]
    return render(
        request,
        "privacy/subject_request_detail.html",
        {
            "subject_request": subject_request,
            "terms": services.terms_of(subject_request),
            "records": records,
            "events": list(subject_request.events.select_related("actor")),
            "status_form": status_form or SubjectRequestStatusForm(choices=choices),
            "can_change_status": bool(choices),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def request_detail(request, pk):
    return _detail(request, _subject_request(request, pk))


@login_required
@require_POST
def request_status(request, pk):
    subject_request = _subject_request(request, pk, CHANGE)
    choices = [
        (value, services.Status(value).label)
        for value in services.SUBJECT_REQUEST_TRANSITIONS[subject_request.status]
    ]
    form = SubjectRequestStatusForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            services.change_status(
                actor=request.user,
                subject_request=subject_request,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De status is gewijzigd."))
            return redirect("privacy:subject-request", pk=subject_request.pk)
    return _detail(request, subject_request, status_form=form, status=400)


def _step_failed(request, subject_request, error: ValidationError):
    return _detail(request, subject_request, error=" ".join(error.messages), status=400)


@login_required
@require_POST
def request_rectify(request, pk):
    subject_request = _subject_request(request, pk, CHANGE)
    form = RectifyForm(request.POST)
    if not form.is_valid():
        return _step_failed(
            request, subject_request, ValidationError(_("Controleer de ingevulde gegevens."))
        )
    try:
        reference = services.rectify_person_data(
            actor=request.user,
            subject_request=subject_request,
            provider_key=form.cleaned_data["provider"],
            object_id=form.cleaned_data["object_id"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            request=request,
        )
    except ValidationError as error:
        return _step_failed(request, subject_request, error)
    messages.success(
        request, _("De gegevens bij %(reference)s zijn gewijzigd.") % {"reference": reference}
    )
    return redirect("privacy:subject-request", pk=subject_request.pk)


@login_required
@require_POST
def request_erase(request, pk):
    subject_request = _subject_request(request, pk, CHANGE)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _step_failed(request, subject_request, ValidationError(_("Kies wat u verwijdert.")))
    try:
        erased = services.erase_person_data(
            actor=request.user,
            subject_request=subject_request,
            provider_key=form.cleaned_data["provider"],
            object_id=form.cleaned_data["object_id"],
            request=request,
        )
    except ValidationError as error:
        return _step_failed(request, subject_request, error)
    messages.success(
        request,
        _("%(reference)s: %(what)s verwijderd.")
        % {"reference": erased.reference, "what": erased.what},
    )
    return redirect("privacy:subject-request", pk=subject_request.pk)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: no copy in a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def request_export_json(request, pk):
    subject_request = _subject_request(request, pk)

    def render_json(records) -> bytes:
        document = services.export_document(subject_request, records)
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")

    content = services.export_person_data(
        actor=request.user,
        subject_request=subject_request,
        file_format="JSON",
        render=render_json,
        request=request,
    )
    return _download(
        content, "application/json; charset=utf-8", f"avg-verzoek-{subject_request.pk}.json"
    )


@login_required
@require_GET
def request_export_pdf(request, pk):
    subject_request = _subject_request(request, pk)

    def render_pdf(records) -> bytes:
        html = render_to_string(
            "privacy/subject_request_pdf.html",
            {
                "subject_request": subject_request,
                "terms": services.terms_of(subject_request),
                "records": records,
                "exported_at": timezone.now(),
            },
            request=request,
        )
        return pdf_from_html(html, base_url=request.build_absolute_uri("/"))

    try:
        content = services.export_person_data(
            actor=request.user,
            subject_request=subject_request,
            file_format="PDF",
            render=render_pdf,
            request=request,
        )
    except PdfUnavailable:
        return pdf_unavailable_page(
            request,
            alternative=_("Download de gegevens als JSON-bestand, of meld het aan de beheerder."),
            back_url=reverse("privacy:subject-request", args=[subject_request.pk]),
            back_label=_("Terug naar het verzoek"),
        )
    return _download(content, "application/pdf", f"avg-verzoek-{subject_request.pk}.pdf")
