"""The public meldpunt (no login) and the staff's list of reports. Every staff read of a report
writes an audit entry (privacy.services.audited)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import get_scoped_object_or_404
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import audited
from openveiligheid.signals import limits, selectors, services
from openveiligheid.signals.forms import ReportForm
from openveiligheid.signals.models import Category, Report

RECEIPT_SESSION_KEY = "meldpunt_reference"
LIST_LIMIT = 200


@require_http_methods(["GET", "POST"])
def report_form(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.MUNICIPALITY)
    services.ensure_default_categories(organisation)
    categories = Category.objects.filter(organisation=organisation, is_active=True)
    context = {"organisation": organisation}
    if request.method == "POST":
        if limits.over_submission_limit(request):
            return render(request, "signals/rate_limited.html", context, status=429)
        form = ReportForm(request.POST, request.FILES, categories=categories)
        if form.is_spam:
            # Said plainly for a person who filled the hidden field by accident; nothing saved.
            return render(request, "signals/refused.html", context, status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.submit_report(
                    organisation=organisation,
                    data=services.ReportInput(
                        category=data["category"],
                        description=data["description"],
                        postcode=data["postcode"],
                        house_number=data["house_number"],
                        location_description=data["location_description"],
                        occurred_on=data["occurred_on"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        contact_email=data["contact_email"],
                    ),
                    attachments=data["attachments"],
                    request=request,
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                request.session[RECEIPT_SESSION_KEY] = report.reference
                return redirect("signals:receipt", slug=organisation.slug)
    else:
        form = ReportForm(categories=categories)
    context["form"] = form
    return render(request, "signals/report_form.html", context)


@require_GET
def receipt(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.MUNICIPALITY)
    reference = request.session.get(RECEIPT_SESSION_KEY)
    if not reference:
        return redirect("signals:report", slug=organisation.slug)
    return render(
        request, "signals/receipt.html", {"organisation": organisation, "reference": reference}
    )


@login_required
@require_GET
def staff_list(request):
    organisations = selectors.signal_organisations(request.user)
    if not organisations:
        audited(
            request,
            AuditEntry.Action.READ,
            object_type="signals.report",
            object_repr="Meldingen",
            result=AuditEntry.Result.REFUSED,
        )
        raise PermissionDenied
    reports = list(selectors.reports_for(request.user)[:LIST_LIMIT])
    for organisation in organisations:
        audited(
            request,
            AuditEntry.Action.READ,
            object_type="signals.report",
            object_repr="Meldingen",
            organisation=organisation,
        )
    return render(
        request,
        "signals/staff_list.html",
        {"reports": reports, "organisations": organisations, "limit": LIST_LIMIT},
    )


def _refused_read(request, reference: str) -> None:
    audited(
        request,
        AuditEntry.Action.READ,
        object_type="signals.report",
        object_id=reference[:20],
        result=AuditEntry.Result.REFUSED,
    )


@login_required
@require_GET
def staff_detail(request, reference):
    if not selectors.signal_organisations(request.user):
        _refused_read(request, reference)
        raise PermissionDenied
    try:
        report = get_scoped_object_or_404(
            Report.objects.select_related("category", "organisation"),
            request.user,
            reference=reference,
        )
    except Http404:
        # Another municipality's report, or none: the attempt is in the trail all the same.
        _refused_read(request, reference)
        raise
    audited(request, AuditEntry.Action.READ, obj=report)
    return render(
        request,
        "signals/staff_detail.html",
        {"report": report, "attachments": list(report.attachments.all())},
    )
