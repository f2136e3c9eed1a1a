"""Report pages: the reports of a plan, one report with its duiding and workflow, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openveiligheid.core.documents import PdfUnavailable, pdf_unavailable_page
from openveiligheid.core.forms import add_service_errors
from openveiligheid.organisations.scoping import CHANGE, VIEW, can, get_scoped_object_or_404
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.reports import exports, services
from openveiligheid.reports.forms import (
    CorrectionForm,
    InterpretationForm,
    ReportCreateForm,
    StatusForm,
)
from openveiligheid.reports.models import Report, ReportStatus
from openveiligheid.reports.presentation import with_charts
from openveiligheid.reports.selectors import (
    content_for,
    may_manage,
    may_write_theme,
    report_types_for,
    reports_for_plan,
    writable_theme_ids,
)


def _plan(request, slug) -> Plan:
    return get_scoped_object_or_404(
        Plan.objects.select_related("owner"), request.user, VIEW, slug=slug
    )


def _report(request, plan: Plan, pk: int, action: str = VIEW) -> Report:
    return get_scoped_object_or_404(
        Report.objects.filter(plan=plan).select_related("plan__owner", "corrects"),
        request.user,
        action,
        pk=pk,
    )


@login_required
def report_list(request, slug):
    plan = _plan(request, slug)
    may_create = can(request.user, CHANGE, plan)
    form = ReportCreateForm(request.POST or None, report_types=report_types_for(plan))
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.create_report(
                    plan=plan,
                    report_type=form.cleaned_data["report_type"],
                    period=form.cleaned_data["period"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("De rapportage is aangemaakt als concept."))
                return redirect("reports:detail", slug=plan.slug, pk=report.pk)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "reports/report_list.html",
        {
            "plan": plan,
            "reports": list(reports_for_plan(plan, request.user)),
            "form": form if may_create else None,
        },
        status=400 if form.errors else 200,
    )


def _render_detail(request, plan, report, *, forms=None, status=200):
    content = with_charts(content_for(report))
    writable = writable_theme_ids(request.user, report)
    manage = may_manage(request.user, report)
    forms = forms or {}
    for theme in content["themes"]:
        if theme["id"] in writable:
            theme["form"] = forms.get(theme["id"]) or InterpretationForm(
                initial={
                    "text": theme["interpretation"],
                    "cooperation_examples": theme.get("cooperation_examples", ""),
                },
                prefix=f"theme-{theme['id']}",
                strategic=theme.get("is_strategic", False),
            )
    transitions = (
        [(code, ReportStatus(code).label) for code in report.allowed_transitions] if manage else []
    )
    versions = (
        Report.objects.restrict(request.user)
        .filter(
            plan=plan,
            report_type=report.report_type,
            period_type=report.period_type,
            period_start=report.period_start,
        )
        .order_by("version")
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "plan": plan,
            "report": report,
            "content": content,
            "transitions": transitions,
            "status_form": forms.get("status") or StatusForm(),
            "correction_form": (
                forms.get("correction") or CorrectionForm()
                if manage and report.is_published and not hasattr(report, "correction")
                else None
            ),
            "history": report.status_history.select_related("changed_by"),
            "versions": versions,
        },
        status=status,
    )


@login_required
@require_GET
def report_detail(request, slug, pk):
    plan = _plan(request, slug)
    return _render_detail(request, plan, _report(request, plan, pk))


@login_required
@require_POST
def write_interpretation(request, slug, pk, theme_id):
    plan = _plan(request, slug)
    report = _report(request, plan, pk)
    try:
        theme = Theme.objects.get(plan=plan, pk=theme_id)
    except Theme.DoesNotExist as error:
        raise Http404 from error
    if not may_write_theme(request.user, report, theme):
        raise PermissionDenied
    if report.status != ReportStatus.DRAFT:
        messages.error(
            request,
            _("De duiding kan alleen worden gewijzigd zolang de rapportage een concept is."),
        )
        return redirect("reports:detail", slug=plan.slug, pk=report.pk)
    form = InterpretationForm(
        request.POST, prefix=f"theme-{theme.pk}", strategic=theme.kind == Theme.Kind.STRATEGIC
    )
    if form.is_valid():
        try:
            services.write_interpretation(
                report=report,
                theme=theme,
                text=form.cleaned_data["text"],
                cooperation_examples=form.cleaned_data.get("cooperation_examples"),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("De duiding van %(theme)s is opgeslagen.") % {"theme": theme.name}
            )
            return redirect(f"{report_url(report)}#thema-{theme.pk}")
    return _render_detail(request, plan, report, forms={theme.pk: form}, status=400)


def report_url(report: Report) -> str:
    return reverse("reports:detail", args=[report.plan.slug, report.pk])


@login_required
@require_POST
def change_status(request, slug, pk):
    plan = _plan(request, slug)
    report = _report(request, plan, pk, CHANGE)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            report = services.change_status(
                report,
                form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("De status is gewijzigd in '%(status)s'.")
                % {"status": ReportStatus(report.status).label},
            )
            return redirect("reports:detail", slug=plan.slug, pk=report.pk)
    return _render_detail(request, plan, report, forms={"status": form}, status=400)


@login_required
@require_POST
def correct(request, slug, pk):
    plan = _plan(request, slug)
    report = _report(request, plan, pk, CHANGE)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = services.create_correction(
                report, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Versie %(version)s is aangemaakt als concept; versie %(old)s blijft leesbaar.")
                % {"version": correction.version, "old": report.version},
            )
            return redirect("reports:detail", slug=plan.slug, pk=correction.pk)
    return _render_detail(request, plan, report, forms={"correction": form}, status=400)


@login_required
@require_GET
def download(request, slug, pk, output):
    plan = _plan(request, slug)
    report = _report(request, plan, pk)
    if output not in exports.CONTENT_TYPES:
        raise Http404
    try:
        data = exports.build(report, output)
    except PdfUnavailable:
        return pdf_unavailable_page(
            request,
            alternative=_("Download de rapportage als Word (DOCX), of lees haar op de pagina."),
            back_url=report_url(report),
        )
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[output])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(report, output)}"'
    return response
