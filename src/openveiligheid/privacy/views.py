"""Pages of the privacy officer (search and export the audit trail, the yearly access review;
each needs VIEW_AUDIT and shows only the officer's own organisations) and of two-factor login
(set-up with a QR code, the code after the password, recovery codes shown once)."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from openveiligheid.core.pagination import page_with_query
from openveiligheid.core.security import locked_out
from openveiligheid.organisations.scoping import VIEW
from openveiligheid.privacy import services, two_factor
from openveiligheid.privacy.exports import audit_csv_response
from openveiligheid.privacy.filters import AuditEntryFilter
from openveiligheid.privacy.forms import AccessReviewForm, CodeForm
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
    page, query = page_with_query(request, entries, PAGE_SIZE)
    return render(
        request,
        "privacy/audit_trail.html",
        {
            "form": search.form,
            "page": page,
            "query": query,
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


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


WRONG_CODE = gettext_lazy(
    "Deze code klopt niet of is verlopen. Typ de code die uw app nu toont, of een herstelcode."
)

TOO_FAST = gettext_lazy(
    "Na een onjuiste code kunt u het even niet opnieuw proberen. Wacht enkele seconden en typ "
    "dan de code die uw app op dat moment toont."
)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_device(request.user):
        return redirect("two_factor:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and two_factor.is_throttled(request.user):
        form.add_error("code", TOO_FAST)
    elif request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(request, form.cleaned_data["code"])
        if device is not None:
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "U heeft een herstelcode gebruikt; er zijn er nog %(count)d. Maak nieuwe "
                        "codes als u er bijna geen meer heeft."
                    )
                    % {"count": two_factor.remaining_recovery_codes(request.user)},
                )
            return redirect(_next_url(request))
        if two_factor.is_locked_out(request):
            logout(request)
            return locked_out(request)
        form.add_error("code", WRONG_CODE)
    return render(
        request, "privacy/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if two_factor.has_device(user):
        if not user.is_verified():
            return redirect(f"{reverse('two_factor:verify')}?next={request.path}")
        if request.method == "POST" and request.POST.get("recovery") == "new":
            request.session[two_factor.RECOVERY_CODES_SESSION_KEY] = two_factor.new_recovery_codes(
                user
            )
            return redirect("two_factor:recovery-codes")
        return render(
            request,
            "privacy/two_factor_status.html",
            {"remaining": two_factor.remaining_recovery_codes(user)},
        )
    device = two_factor.pending_app_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not device.verify_is_allowed()[0]:
        form.add_error("code", TOO_FAST)
    elif request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app_device(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session[two_factor.RECOVERY_CODES_SESSION_KEY] = codes
            next_url = _next_url(request)
            return redirect(f"{reverse('two_factor:recovery-codes')}?next={quote(next_url)}")
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "privacy/two_factor_setup.html",
        {
            "form": form,
            "required": two_factor.requires_two_factor(user),
            "qr_code": two_factor.qr_code_data_uri(device),
            "secret": two_factor.secret_for_manual_entry(device),
            "next": _next_url(request),
        },
    )


@login_required
@require_GET
def two_factor_recovery_codes(request):
    codes = request.session.pop(two_factor.RECOVERY_CODES_SESSION_KEY, None)
    response = render(
        request,
        "privacy/two_factor_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )
    # Shown once: no copy in a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response
