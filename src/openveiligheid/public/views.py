"""The pages without login: a municipality's information page (published reports, the figures of
its adopted plans, open data), a published report as HTML, PDF and DOCX, and the subscription to
new reports. Everything shown comes from public.selectors, which only reads what is public."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from openveiligheid.core.documents import PdfUnavailable, pdf_unavailable_page
from openveiligheid.core.forms import add_service_errors
from openveiligheid.privacy.services import origin_of
from openveiligheid.public import selectors, services
from openveiligheid.public.forms import SubscribeForm
from openveiligheid.public.opendata import file_urls
from openveiligheid.reports import exports
from openveiligheid.reports.presentation import with_charts

DOWNLOADS = ("pdf", "docx")
# A published report never changes, so its files are built once and kept (a day at a time).
DOWNLOAD_CACHE_SECONDS = 24 * 3600
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _context(organisation, **extra) -> dict:
    colour = organisation.brand_colour or ""
    return {
        "organisation": organisation,
        "brand_colour": colour if _COLOUR.match(colour) else "",
        **extra,
    }


def _plan_dashboards(organisation) -> list[dict]:
    dashboards = []
    for plan in selectors.adopted_plans(organisation):
        rows = selectors.public_indicators(plan)
        for row in rows:
            row.files = file_urls(row.indicator)
        dashboards.append(
            {
                "plan": plan,
                "groups": selectors.themes_with_indicators(plan, rows),
                "has_example_data": any(row.has_example_data for row in rows),
                "any_suppressed": any(row.any_suppressed for row in rows),
            }
        )
    return dashboards


@require_GET
def organisation_page(request, slug):
    organisation = selectors.municipality(slug)
    return render(
        request,
        "public/organisation.html",
        _context(
            organisation,
            reports=list(selectors.published_reports(organisation)),
            dashboards=_plan_dashboards(organisation),
            form=SubscribeForm(),
            suppress_below=selectors.suppress_below(),
        ),
    )


@require_GET
def report_page(request, slug, pk):
    organisation = selectors.municipality(slug)
    report = selectors.published_report(organisation, pk)
    # The frozen snapshot only: never the live figures.
    return render(
        request,
        "public/report.html",
        _context(organisation, report=report, content=with_charts(report.snapshot)),
    )


@require_GET
def report_download(request, slug, pk, output):
    organisation = selectors.municipality(slug)
    report = selectors.published_report(organisation, pk)
    if output not in DOWNLOADS:
        raise Http404
    key = f"public:report:{report.pk}:{report.published_at.timestamp()}:{output}"
    data = cache.get(key)
    if data is None:
        try:
            data = exports.build(report, output)
        except PdfUnavailable:
            return pdf_unavailable_page(
                request,
                alternative=_("Lees de rapportage op de pagina of download de Word-versie."),
                back_url=reverse("public:report", args=[organisation.slug, report.pk]),
                back_label=str(report),
                base_template="public/base.html",
            )
        cache.set(key, data, DOWNLOAD_CACHE_SECONDS)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[output])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(report, output)}"'
    return response


def _over_rate_limit(request) -> bool:
    """Counts this client's subscription requests in the cache; True past the hourly limit."""
    client = origin_of(request).ip_address or "unknown"
    key = f"public:subscriptions:{client}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.OPENVEILIGHEID_PUBLIC_SUBSCRIBE_PER_HOUR


@require_http_methods(["GET", "POST"])
def subscribe(request, slug):
    organisation = selectors.municipality(slug)
    # Bound on every POST, also an empty one: it then says the address is missing.
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _over_rate_limit(request):
            return render(
                request, "public/subscribe_rate_limited.html", _context(organisation), status=429
            )
        if form.is_valid():
            try:
                services.subscribe(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    base_url=request.build_absolute_uri("/"),
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("public:subscribe-sent", slug=organisation.slug)
    return render(
        request,
        "public/subscribe.html",
        _context(organisation, form=form),
        status=400 if form.errors else 200,
    )


@require_GET
def subscribe_sent(request, slug):
    organisation = selectors.municipality(slug)
    return render(
        request,
        "public/subscribe_sent.html",
        _context(organisation, hours=services.confirmation_hours()),
    )


@require_http_methods(["GET", "POST"])
def confirm(request, slug, token):
    """The link from the confirmation mail shows one button; only the button confirms, so that a
    mail scanner opening the link confirms nothing."""
    organisation = selectors.municipality(slug)
    context = _context(organisation, token=token)
    if request.method == "POST":
        try:
            services.confirm(organisation=organisation, signed=token, request=request)
        except ValidationError as error:
            context["error"] = error.messages[0]
            return render(request, "public/confirm.html", context, status=400)
        return render(request, "public/confirmed.html", context)
    return render(request, "public/confirm.html", context)


# The mail's List-Unsubscribe-Post header lets a mail program unsubscribe with one POST to this
# address, without a CSRF token; the signed token in the address is the authority.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, slug, token):
    organisation = selectors.municipality(slug)
    context = _context(organisation, token=token)
    if request.method == "POST":
        try:
            services.unsubscribe(organisation=organisation, signed=token, request=request)
        except ValidationError as error:
            context["error"] = error.messages[0]
            return render(request, "public/unsubscribe.html", context, status=400)
        return render(request, "public/unsubscribed.html", context)
    return render(request, "public/unsubscribe.html", context)
