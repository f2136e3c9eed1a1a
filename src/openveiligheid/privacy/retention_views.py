"""The privacy officer's page of retention periods (VIEW_AUDIT): the municipality's period per
kind, set through privacy.retention.set_retention_periods, and the latest deletions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openveiligheid.core.forms import add_service_errors
from openveiligheid.organisations.scoping import VIEW
from openveiligheid.privacy.forms import RetentionForm
from openveiligheid.privacy.models import DeletionRecord
from openveiligheid.privacy.retention import periods_of, set_retention_periods
from openveiligheid.privacy.selectors import audit_organisations

RECENT_DELETIONS = 50


@login_required
@require_http_methods(["GET", "POST"])
def retention_periods(request):
    organisations = list(audit_organisations(request.user).order_by("name"))
    if not organisations:
        raise PermissionDenied
    slug = request.POST.get("organisatie") or request.GET.get("organisatie")
    organisation = (
        get_object_or_404(audit_organisations(request.user), slug=slug)
        if slug
        else organisations[0]
    )
    rows = periods_of(organisation)
    form = RetentionForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = set_retention_periods(
                actor=request.user,
                organisation=organisation,
                months_by_kind=dict(form.cleaned_data),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
            else:
                messages.info(request, _("Er is niets gewijzigd."))
            return redirect(f"{request.path}?organisatie={organisation.slug}")
    deletions = DeletionRecord.objects.restrict(request.user, VIEW).filter(
        organisation=organisation
    )[:RECENT_DELETIONS]
    return render(
        request,
        "privacy/retention.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "rows": rows,
            "form": form,
            "deletions": list(deletions),
        },
    )
