"""Pages of the privacy officer: search and export the audit trail, and the yearly access
review. Each needs VIEW_AUDIT and shows only the officer's own organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from openveiligheid.organisations.scoping import VIEW
from openveiligheid.privacy import services
from openveiligheid.privacy.exports import audit_csv_response
from openveiligheid.privacy.filters import AuditEntryFilter
from openveiligheid.privacy.forms import AccessReviewForm
from openveiligheid.privacy.models import AccessReview, AuditEntry
from openveiligheid.privacy.selectors import access_overview, audit_organisations

PAGE_SIZE = 50


def _officer_organisations(request) -> list:
    organisations = list(audit_organisations(request.user))
    if not organisations:
        raise PermissionDenied
    return organisations


def _search(request):
    entries = AuditEntry.objects.restrict(request.user, VIEW).order_by("-sequence")
    return AuditEntryFilter(request.GET or None, queryset=entries)


@login_required
@require_GET
def audit_trail(request):
    _officer_organisations(request)
    search = _search(request)
    entries = search.qs if search.is_bound and search.is_valid() else search.queryset
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "privacy/audit_trail.html",
        {
            "form": search.form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def audit_export(request):
    organisations = _officer_organisations(request)
    search = _search(request)
    if search.is_bound and not search.is_valid():
        # The page shows what is wrong with the search; nothing is exported.
        return redirect(f"{reverse('privacy:audit-trail')}?{request.GET.urlencode()}")
    return audit_csv_response(request, search.qs, organisation_id=organisations[0].pk)


@login_required
@require_http_methods(["GET", "POST"])
def access_review(request):
    organisations = _officer_organisations(request)
    slug = request.POST.get("organisatie") or request.GET.get("organisatie")
    organisation = (
        get_object_or_404(audit_organisations(request.user), slug=slug)
        if slug
        else organisations[0]
    )
    form = AccessReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_access_review(
                actor=request.user,
                organisation=organisation,
                year=form.cleaned_data["year"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("De toegang over %(year)d is afgetekend.") % {"year": form.cleaned_data["year"]},
            )
            return redirect(f"{request.path}?organisatie={organisation.slug}")
    reviews = AccessReview.objects.restrict(request.user, VIEW).filter(organisation=organisation)
    return render(
        request,
        "privacy/access_review.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "members": access_overview(organisation),
            "reviews": reviews.select_related("signed_by"),
            "form": form,
        },
    )
