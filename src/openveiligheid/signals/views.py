"""The public meldpunt (no login) and the staff's triage pages: the queue, a report with a form
for each step it allows, the reporter's contact details after a stated purpose, and attachments.
Every staff read of a report or attachment writes an audit entry (privacy.services.audited); every
step is a service call (signals.services), which audits the change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.core.forms import add_service_errors
from openveiligheid.core.pagination import page_with_query
from openveiligheid.organisations.models import Organisation
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import audited
from openveiligheid.signals import downloads, limits, selectors, services
from openveiligheid.signals.forms import (
    ALL_STATUSES,
    AskReporterForm,
    ClassifyForm,
    CloseForm,
    ForwardForm,
    LinkForm,
    PrioritiseForm,
    QueueFilterForm,
    ReportForm,
    RevealForm,
    TakeForm,
)
from openveiligheid.signals.models import SUBJECT_REQUEST_STEPS, Report, TriageStep

RECEIPT_SESSION_KEY = "meldpunt_reference"
PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def report_form(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.MUNICIPALITY)
    categories = services.ensure_default_categories(organisation)
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
                add_service_errors(form, error)
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


def _refused(request, object_id: str = "", action=AuditEntry.Action.READ) -> None:
    audited(
        request,
        action,
        object_type="signals.report",
        object_id=object_id[:20],
        object_repr="" if object_id else "Meldingen",
        result=AuditEntry.Result.REFUSED,
    )


def _reading_organisations(request) -> list[Organisation]:
    organisations = selectors.signal_organisations(request.user)
    if not organisations:
        _refused(request)
        raise PermissionDenied
    return organisations


def _filtered_queue(request, municipalities):
    categories = selectors.categories_for(municipalities)
    form = QueueFilterForm(request.GET or None, organisations=municipalities, categories=categories)
    reports = selectors.reports_for(request.user)
    status = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        if data.get("gemeente"):
            reports = reports.filter(organisation=data["gemeente"])
        if data["categorie"]:
            reports = reports.filter(category__name=data["categorie"])
        if data["prioriteit"]:
            reports = reports.filter(priority=data["prioriteit"])
    if status == ALL_STATUSES:
        pass
    elif status:
        reports = reports.filter(status=status)
    else:
        reports = reports.exclude(status=Report.Status.CLOSED)
    return form, reports


@login_required
@require_GET
def staff_list(request):
    """The triage queue: the reports of the user's municipalities, and for a partner's staff
    those forwarded to the partner; open reports by default, filtered by status, category and
    priority, with counts per category and period of the municipalities' whole meldpunt."""
    organisations = _reading_organisations(request)
    municipalities = selectors.queue_municipalities(request.user, organisations)
    own_municipalities = selectors.own_municipalities(organisations)
    receiving_partners = selectors.receiving_partners(organisations)
    form, reports = _filtered_queue(request, municipalities)
    page, query = page_with_query(request, reports, PAGE_SIZE)
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
        {
            "page": page,
            "form": form,
            "query": query,
            "municipalities": municipalities,
            "receiving_partners": receiving_partners,
            # A partner's reports come from municipalities not its own: always say which.
            "show_municipality": len(municipalities) > 1 or bool(receiving_partners),
            "own_municipalities": own_municipalities,
            "counts": selectors.category_counts(own_municipalities),
        },
    )


def _readable_report(request, reference: str) -> Report:
    """The report if the user may read it; a refused attempt is in the audit trail either way."""
    if not selectors.signal_organisations(request.user):
        _refused(request, reference)
        raise PermissionDenied
    try:
        return selectors.report_detail(request.user, reference=reference)
    except Report.DoesNotExist:
        # Another municipality's report, or none: the attempt is in the trail all the same.
        _refused(request, reference)
        raise Http404 from None


def _step_forms(report: Report, data=None, step: str = "") -> dict:
    """A form for each step the report allows now; the one posted is bound to its data."""

    def bound(name):
        return {"data": data, "prefix": name} if name == step else {"prefix": name}

    builders = {
        TriageStep.TAKE: lambda: TakeForm(**bound(TriageStep.TAKE)),
        TriageStep.CLASSIFY: lambda: ClassifyForm(report=report, **bound(TriageStep.CLASSIFY)),
        TriageStep.PRIORITISE: lambda: PrioritiseForm(
            initial={"priority": report.priority}, **bound(TriageStep.PRIORITISE)
        ),
        TriageStep.FORWARD: lambda: ForwardForm(
            partners=selectors.partner_choices(), **bound(TriageStep.FORWARD)
        ),
        TriageStep.ASK_REPORTER: lambda: AskReporterForm(**bound(TriageStep.ASK_REPORTER)),
        TriageStep.LINK: lambda: LinkForm(**bound(TriageStep.LINK)),
        TriageStep.CLOSE: lambda: CloseForm(**bound(TriageStep.CLOSE)),
    }
    steps = report.allowed_steps
    if report.is_anonymous:
        steps = steps - {TriageStep.ASK_REPORTER}
    return {name: builders[name]() for name in TriageStep.values if name in steps}


def _render_detail(request, report: Report, forms: dict | None = None, status: int = 200):
    audited(request, AuditEntry.Action.READ, obj=report)
    may_triage = services.may_triage(request.user, report)
    if forms is None:
        forms = _step_forms(report) if may_triage else {}
    return render(
        request,
        "signals/staff_detail.html",
        {
            "report": report,
            "attachments": list(report.attachments.all()),
            "may_triage": may_triage,
            "forms": forms,
            "history": selectors.history_of(report, for_triager=may_triage),
            "links": selectors.linked_reports(report, request.user),
            "suggestions": selectors.link_suggestions(report) if may_triage else [],
        },
        status=status,
    )


@login_required
@require_GET
def staff_detail(request, reference):
    report = _readable_report(request, reference)
    return _render_detail(request, report)


def _run_step(request, report: Report, step: str, form) -> None:
    """Call the step's service with the form's data; raises its ValidationError."""
    data = form.cleaned_data
    common = {"actor": request.user, "request": request}
    if step == TriageStep.TAKE:
        services.take_into_triage(report, note=data["note"], **common)
    elif step == TriageStep.CLASSIFY:
        services.classify(report, category=data["category"], note=data["note"], **common)
    elif step == TriageStep.PRIORITISE:
        services.prioritise(report, priority=data["priority"], note=data["note"], **common)
    elif step == TriageStep.FORWARD:
        services.forward(report, note=data["note"], **form.service_arguments(), **common)
    elif step == TriageStep.ASK_REPORTER:
        services.ask_reporter(report, question=data["question"], **common)
    elif step == TriageStep.LINK:
        reference = data["other"].strip().upper()
        other = selectors.reports_for(request.user).filter(reference=reference).first()
        if other is None:
            raise ValidationError({"other": _("Er is geen melding met dit kenmerk.")})
        services.link(report, other, reason=data["reason"], note=data["note"], **common)
    elif step == TriageStep.CLOSE:
        services.close(report, reason=data["reason"], note=data["note"], **common)


STEP_DONE = {
    TriageStep.TAKE: gettext_lazy("De melding is in behandeling genomen."),
    TriageStep.CLASSIFY: gettext_lazy("De categorie is gewijzigd."),
    TriageStep.PRIORITISE: gettext_lazy("De prioriteit is vastgelegd."),
    TriageStep.FORWARD: gettext_lazy("Het doorzetten is vastgelegd."),
    TriageStep.ASK_REPORTER: gettext_lazy("De vraag is per e-mail naar de melder gestuurd."),
    TriageStep.LINK: gettext_lazy("De meldingen zijn gekoppeld."),
    TriageStep.CLOSE: gettext_lazy("De melding is afgesloten."),
}


@login_required
@require_POST
def triage_step(request, reference, step):
    """One step on a report from its page; errors are shown on the page with the form."""
    if step not in TriageStep.values or step in SUBJECT_REQUEST_STEPS:
        raise Http404
    report = _readable_report(request, reference)
    if not services.may_triage(request.user, report):
        audited(
            request,
            AuditEntry.Action.CHANGE,
            obj=report,
            result=AuditEntry.Result.REFUSED,
            purpose=str(TriageStep(step).label),
        )
        raise PermissionDenied
    forms = _step_forms(report, request.POST, step)
    form = forms.get(step)
    if form is None:
        # A step the report no longer allows (another tab, a colleague): the service says why.
        messages.error(
            request,
            _("De stap '%(step)s' is niet mogelijk bij een melding met status '%(status)s'.")
            % {"step": TriageStep(step).label, "status": report.get_status_display()},
        )
        return redirect("signals:staff-detail", reference=report.reference)
    if form.is_valid():
        try:
            _run_step(request, report, step, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, STEP_DONE[step])
            return redirect("signals:staff-detail", reference=report.reference)
    return _render_detail(request, report, forms, status=400)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reveal_contact(request, reference):
    """The reporter's contact details, after the user states why they need them."""
    report = _readable_report(request, reference)
    if not services.may_triage(request.user, report):
        audited(
            request,
            AuditEntry.Action.REVEAL,
            obj=report,
            result=AuditEntry.Result.REFUSED,
            purpose=request.POST.get("purpose", "")[:2000],
        )
        # Said plainly: a reader (a partner's staff too) may wonder why the report is visible
        # but its reporter not.
        return render(
            request,
            "signals/contact_refused.html",
            {"report": report, "message": services.contact_refusal(report)},
            status=403,
        )
    if report.is_anonymous:
        raise Http404
    audited(request, AuditEntry.Action.READ, obj=report)
    form = RevealForm(request.POST or None)
    contact = None
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.reveal_contact(
                report, actor=request.user, purpose=form.cleaned_data["purpose"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
    response = render(
        request,
        "signals/reveal_contact.html",
        {"report": report, "form": form, "contact": contact},
        status=400 if form.errors else 200,
    )
    # Contact details stay out of every browser and proxy cache.
    return _no_store(response)


@login_required
@require_GET
def attachment_download(request, reference, attachment_id):
    """An attachment of a report the user may read, as a download (signals.downloads)."""
    report = _readable_report(request, reference)
    return downloads.attachment_response(request, report, attachment_id)
