"""Pages for administering an organisation's members: users, their roles, invitations,
deactivation. For those holding MANAGE_MEMBERS in the organisation; every write goes through
services.py, which checks the same authority again."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openveiligheid.core.forms import add_service_errors
from openveiligheid.organisations import services
from openveiligheid.organisations.forms import (
    AssignRoleForm,
    HouseStyleForm,
    InviteForm,
    RolePermissionsForm,
    SetPasswordForm,
)
from openveiligheid.organisations.models import Membership, Organisation
from openveiligheid.organisations.scoping import CHANGE, access_for
from openveiligheid.organisations.selectors import (
    logo_of,
    managed_organisations,
    members_of,
    roles_of,
    roles_to_grant,
)
from openveiligheid.organisations.tokens import TokenState


def _managed_organisation(request, slug) -> Organisation:
    """The organisation if the user manages its members; 403 for a member who does not, 404
    for everyone else (nobody learns of organisations outside their reach)."""
    organisation = managed_organisations(request.user).filter(slug=slug).first()
    if organisation is not None:
        return organisation
    access = access_for(request.user)
    if access and Organisation.objects.filter(slug=slug, pk__in=access.member_orgs).exists():
        raise PermissionDenied
    raise Http404


def _member(request, organisation, user_id):
    found = members_of(organisation, request.user, user_id=user_id)
    if not found:
        raise Http404
    return found[0]


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def home(request):
    """The menu entry: straight to the one organisation the user manages, or a choice."""
    organisations = list(managed_organisations(request.user).order_by("name"))
    if not organisations:
        raise PermissionDenied
    if len(organisations) == 1:
        return redirect("organisations:users", slug=organisations[0].slug)
    return render(request, "organisations/choose.html", {"organisations": organisations})


@login_required
@require_GET
def users(request, slug):
    organisation = _managed_organisation(request, slug)
    return render(
        request,
        "organisations/users.html",
        {"organisation": organisation, "members": members_of(organisation, request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    organisation = _managed_organisation(request, slug)
    form = InviteForm(request.POST or None, roles=roles_of(organisation, request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invite_user(
                organisation=organisation,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                actor=request.user,
                base_url=_base_url(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s.") % {"email": user.email},
            )
            return redirect("organisations:member", slug=organisation.slug, user_id=user.pk)
    return render(
        request,
        "organisations/invite.html",
        {
            "organisation": organisation,
            "form": form,
            "invitation_hours": settings.OPENVEILIGHEID_INVITATION_HOURS,
        },
    )


def _render_member(request, organisation, member, role_form=None):
    roles = roles_to_grant(organisation, member, request.user)
    return render(
        request,
        "organisations/member.html",
        {
            "organisation": organisation,
            "member": member,
            "role_form": role_form or AssignRoleForm(roles=roles),
            "is_self": member.user.pk == request.user.pk,
        },
    )


@login_required
@require_GET
def member(request, slug, user_id):
    organisation = _managed_organisation(request, slug)
    return _render_member(request, organisation, _member(request, organisation, user_id))


@login_required
@require_POST
def assign_role(request, slug, user_id):
    organisation = _managed_organisation(request, slug)
    found = _member(request, organisation, user_id)
    form = AssignRoleForm(request.POST, roles=roles_to_grant(organisation, found, request.user))
    if form.is_valid():
        try:
            services.assign_role(
                organisation=organisation,
                user=found.user,
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("De rol '%(role)s' is toegekend.") % {"role": form.cleaned_data["role"]},
            )
            return redirect("organisations:member", slug=organisation.slug, user_id=user_id)
    return _render_member(request, organisation, found, role_form=form)


@login_required
@require_POST
def remove_role(request, slug, user_id, membership_id):
    organisation = _managed_organisation(request, slug)
    found = _member(request, organisation, user_id)
    membership = next((m for m in found.memberships if m.pk == membership_id), None)
    if membership is None:
        raise Http404
    try:
        services.remove_role(membership=membership, actor=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("De rol '%(role)s' is ingetrokken.") % {"role": membership.role}
        )
    if (
        Membership.objects.restrict(request.user, CHANGE)
        .filter(organisation=organisation, user_id=user_id)
        .exists()
    ):
        return redirect("organisations:member", slug=organisation.slug, user_id=user_id)
    return redirect("organisations:users", slug=organisation.slug)


def _status_change(request, slug, user_id, change, success: str):
    organisation = _managed_organisation(request, slug)
    found = _member(request, organisation, user_id)
    try:
        change(organisation=organisation, user=found.user, actor=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, success % {"user": found.user.get_full_name() or found.user})
    return redirect("organisations:member", slug=organisation.slug, user_id=user_id)


@login_required
@require_POST
def deactivate(request, slug, user_id):
    return _status_change(
        request,
        slug,
        user_id,
        services.deactivate_user,
        _("%(user)s is gedeactiveerd en kan niet meer inloggen."),
    )


@login_required
@require_POST
def reactivate(request, slug, user_id):
    return _status_change(
        request,
        slug,
        user_id,
        services.reactivate_user,
        _("%(user)s is weer actief en kan inloggen met het eigen wachtwoord."),
    )


@login_required
@require_POST
def resend_invitation(request, slug, user_id):
    return _status_change(
        request,
        slug,
        user_id,
        partial(services.resend_invitation, base_url=_base_url(request)),
        _("Er is een nieuwe uitnodiging verstuurd aan %(user)s; eerdere links werken niet meer."),
    )


@login_required
@require_GET
def roles(request, slug):
    organisation = _managed_organisation(request, slug)
    return render(
        request,
        "organisations/roles.html",
        {"organisation": organisation, "roles": roles_of(organisation, request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request, slug, role_id):
    organisation = _managed_organisation(request, slug)
    role = roles_of(organisation, request.user).filter(pk=role_id).first()
    if role is None:
        raise Http404
    form = RolePermissionsForm(request.POST or None, initial={"permissions": role.permissions})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role_permissions(
                role=role, permissions=form.cleaned_data["permissions"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("De rechten van de rol '%(role)s' zijn opgeslagen.") % {"role": role}
            )
            return redirect("organisations:roles", slug=organisation.slug)
    return render(
        request,
        "organisations/role_form.html",
        {"organisation": organisation, "role": role, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def house_style(request, slug):
    """The colour and logo the organisation's reports carry."""
    organisation = _managed_organisation(request, slug)
    form = HouseStyleForm(
        request.POST or None,
        request.FILES or None,
        initial={"brand_colour": organisation.brand_colour},
        max_bytes=settings.OPENVEILIGHEID_LOGO_MAX_BYTES,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_house_style(
                    organisation=organisation,
                    actor=request.user,
                    brand_colour=form.cleaned_data["brand_colour"],
                    logo=form.cleaned_data["logo"],
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("De huisstijl is opgeslagen."))
                return redirect("organisations:house-style", slug=organisation.slug)
        status = 400
    return render(
        request,
        "organisations/house_style.html",
        {"organisation": organisation, "form": form, "logo": logo_of(organisation)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, uidb64, token):
    """The page behind the link in the e-mail: set a password, then log in."""
    user = services.invited_user(uidb64)
    state = services.invitation_state(user, token)
    if state is not TokenState.VALID:
        return render(
            request,
            "organisations/invitation_refused.html",
            {"message": services.INVITATION_REFUSED[state]},
            status=400 if state is TokenState.INVALID else 410,
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(
                user=user, token=token, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            messages.success(
                request,
                _(
                    "Uw wachtwoord is ingesteld. Log in met uw gebruikersnaam %(username)s en "
                    "uw nieuwe wachtwoord."
                )
                % {"username": user.get_username()},
            )
            return redirect("login")
    return render(request, "organisations/accept_invitation.html", {"form": form, "invitee": user})
