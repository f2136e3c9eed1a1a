"""Writes for organisations, memberships and roles."""

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from openveiligheid.core.changelog import (
    record_change,
    save_changes,
    save_new,
    snapshot,
    user_or_none,
)
from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.logos import logo_sha256, normalised_logo
from openveiligheid.organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    Unit,
)
from openveiligheid.organisations.permissions import DEFAULT_ROLES, Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.organisations.tokens import TokenState, invitation_tokens

logger = logging.getLogger(__name__)


@transaction.atomic
def upsert_organisation(*, kind: str, name: str, actor=None, **fields) -> Organisation:
    """Find an organisation by CBS code or slug and bring its fields up to date."""
    slug = fields.pop("slug", None) or slugify(name)[:100]
    cbs_code = fields.get("cbs_code")
    existing = (
        Organisation.objects.filter(cbs_code=cbs_code).first()
        if cbs_code
        else Organisation.objects.filter(slug=slug).first()
    )
    if existing is None:
        return save_new(Organisation(kind=kind, name=name, slug=slug, **fields), actor)
    return save_changes(existing, actor, kind=kind, name=name, **fields)


@transaction.atomic
def get_or_create_unit(organisation: Organisation, abbreviation: str, actor=None) -> Unit:
    unit, created = Unit.objects.get_or_create(
        organisation=organisation,
        name=abbreviation,
        defaults={"abbreviation": abbreviation},
    )
    if created:
        record_change(unit, actor, ChangeLogEntry.Operation.CREATE)
    return unit


def give_default_roles(organisation: Organisation, actor=None) -> list[Role]:
    """The default roles (permissions.DEFAULT_ROLES) for an organisation that has none yet."""
    roles = [
        save_new(
            Role(
                organisation=organisation,
                slug=slug,
                name=name,
                permissions=[str(permission) for permission in permissions],
            ),
            actor,
        )
        for slug, (name, permissions) in DEFAULT_ROLES.items()
    ]
    return roles


def role_by_slug(organisation: Organisation, slug: str) -> Role:
    """The organisation's role with this slug. An organisation gets the default roles with its
    first role: one that an administrator removed later stays removed, and granting it is
    refused with a message."""
    roles = {role.slug: role for role in Role.objects.filter(organisation=organisation)}
    if not roles:
        roles = {role.slug: role for role in give_default_roles(organisation)}
    role = roles.get(slug)
    if role is None:
        raise ValidationError(
            {
                "role": _(
                    "De rol '%(slug)s' bestaat niet (meer) bij %(organisation)s. Kies een andere "
                    "rol; een superuser kan hem onder /beheer/ opnieuw aanmaken."
                )
                % {"slug": slug, "organisation": organisation}
            }
        )
    return role


@transaction.atomic
def grant_membership(*, user, organisation: Organisation, role_slug: str, actor=None) -> Membership:
    role = role_by_slug(organisation, role_slug)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        record_change(membership, actor, ChangeLogEntry.Operation.CREATE)
    return membership


@transaction.atomic
def ensure_user(*, username: str, password: str, full_name: str = "", email: str = ""):
    user_model = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email}
    )
    if created:
        user.set_password(password)
        user.save()
    return user


# --- API tokens ----------------------------------------------------------------------------------

API_TOKEN_PREFIX = "ov_"
API_TOKEN_MAX_DAYS = 366


def hash_api_key(key: str) -> str:
    # The key has 256 random bits, so a plain SHA-256 (not a slow password hash) cannot be
    # brute-forced, and authenticating a request costs microseconds instead of a password hash.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user, name: str, scope: str, days: int, actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the token and its key (shown once, never stored)."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError(
            {"scope": _("Kies als bereik 'read' (alleen lezen) of 'write' (lezen en schrijven).")}
        )
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "expires_at": _("Een API-sleutel is 1 tot %(max)d dagen geldig.")
                % {"max": API_TOKEN_MAX_DAYS}
            }
        )
    if not user.is_active:
        raise ValidationError(_("Een gedeactiveerde gebruiker krijgt geen API-sleutel."))
    secret = secrets.token_urlsafe(32)
    # The shown beginning is what an operator passes to `revoke-api-token`; one that starts
    # with "-" would be read as an option there.
    while secret.startswith("-"):
        secret = secrets.token_urlsafe(32)
    key = API_TOKEN_PREFIX + secret
    token = ApiToken(
        user=user,
        name=name.strip()[:100],
        prefix=key[len(API_TOKEN_PREFIX) : len(API_TOKEN_PREFIX) + 8],
        key_hash=hash_api_key(key),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    save_new(token, actor)
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        save_changes(token, actor, revoked_at=timezone.now())
    return token


# --- administration of an organisation's members -----------------------------------------------
# Called by the pages under /organisaties/<slug>/gebruikers/ with the signed-in user as actor.
# Each service checks the actor's authority itself (the page and any other caller refuse the same
# things with the same message) and writes the change log.


def _manages(actor, organisation: Organisation) -> bool:
    access = access_for(actor)
    return access is not None and access.has(Permission.MANAGE_MEMBERS, organisation.pk)


def _require_manager(actor, organisation: Organisation) -> None:
    if not _manages(actor, organisation):
        raise PermissionDenied(
            _("U beheert de gebruikers van %(organisation)s niet.") % {"organisation": organisation}
        )


def _require_member(user, organisation: Organisation) -> None:
    """Nobody touches users of another organisation: the user must hold a role here."""
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise PermissionDenied(
            _("Deze gebruiker hoort niet bij %(organisation)s.") % {"organisation": organisation}
        )


def _keeps_manage_members(user, organisation: Organisation, *, without: Membership) -> bool:
    remaining = Membership.objects.filter(user=user, organisation=organisation).exclude(
        pk=without.pk
    )
    return any(
        Permission.MANAGE_MEMBERS in (permissions or [])
        for permissions in remaining.values_list("role__permissions", flat=True)
    )


def _require_own_role(role: Role, organisation: Organisation) -> None:
    if role.organisation_id != organisation.pk:
        raise ValidationError(
            {"role": _("Kies een rol van %(organisation)s.") % {"organisation": organisation}}
        )


def normalise_email(email: str) -> str:
    return get_user_model().objects.normalize_email(email.strip()).lower()


def _send_invitation(invitation: Invitation, base_url: str) -> None:
    """A fresh unusable password (so every earlier link stops working) and the e-mail with the
    new link. Sent inside the caller's transaction: when the mail server refuses, nothing is
    saved and the page says so."""
    user = invitation.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    path = reverse(
        "organisations:accept-invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    context = {
        "user": user,
        "organisation": invitation.organisation,
        "invited_by": invitation.invited_by,
        "link": base_url.rstrip("/") + path,
        "hours": settings.OPENVEILIGHEID_INVITATION_HOURS,
        "username": user.get_username(),
    }
    subject = render_to_string("organisations/email/invitation_subject.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("organisations/email/invitation_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        log_event(logger, "invitation_not_sent", user=user.pk, error=type(error).__name__)
        raise ValidationError(
            _(
                "De uitnodiging kon niet worden verstuurd: de mailserver is niet bereikbaar of "
                "weigert het bericht. Er is niets opgeslagen; probeer het later opnieuw."
            )
        ) from error
    log_event(logger, "invitation_sent", user=user.pk, organisation=invitation.organisation_id)


@transaction.atomic
def invite_user(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    actor,
    base_url: str,
):
    """A new, inactive user (their e-mail address is their user name) with ``role`` in
    ``organisation``, and an e-mail with a link to set a password."""
    _require_manager(actor, organisation)
    _require_own_role(role, organisation)
    email = normalise_email(email)
    try:
        EmailValidator()(email)
    except ValidationError:
        raise ValidationError({"email": _("Geef een geldig e-mailadres.")}) from None
    user_model = get_user_model()
    if user_model.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise ValidationError(
            {
                "email": _(
                    "Er is al een account met dit e-mailadres. Geef deze gebruiker een rol via "
                    "de lijst van gebruikers, of laat een functioneel beheerder het account aan "
                    "uw organisatie koppelen."
                )
            }
        )
    user = user_model(
        username=email,
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
        is_active=False,
    )
    user.set_unusable_password()
    save_new(user, actor)
    membership = save_new(Membership(user=user, organisation=organisation, role=role), actor)
    invitation = save_new(
        Invitation(
            user=user,
            organisation=membership.organisation,
            invited_by=user_or_none(actor),
            sent_at=timezone.now(),
        ),
        actor,
    )
    _send_invitation(invitation, base_url)
    return user


@transaction.atomic
def resend_invitation(*, organisation: Organisation, user, actor, base_url: str) -> Invitation:
    """A new link for someone who has not set a password yet (also after the link expired or the
    invitation was withdrawn); the earlier links stop working."""
    _require_manager(actor, organisation)
    _require_member(user, organisation)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    invitation = Invitation.objects.filter(user=user).first()
    if user.is_active or user.has_usable_password() or invitation is None:
        raise ValidationError(
            _("Deze gebruiker heeft al een wachtwoord; een uitnodiging is niet nodig.")
        )
    save_changes(
        invitation,
        actor,
        organisation=organisation,
        invited_by=user_or_none(actor),
        sent_at=timezone.now(),
        withdrawn_at=None,
    )
    _send_invitation(invitation, base_url)
    return invitation


def invited_user(uidb64: str):
    """The user an invitation link names, or None."""
    try:
        user_id = force_str(urlsafe_base64_decode(uidb64))
        return get_user_model().objects.filter(pk=int(user_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def invitation_state(user, token: str) -> TokenState:
    """Whether a link can still be used: its token, and an open invitation behind it."""
    if user is None or user.is_active:
        return TokenState.INVALID
    invitation = Invitation.objects.filter(user=user).first()
    if invitation is None or not invitation.is_open:
        return TokenState.INVALID
    return invitation_tokens.state(user, token)


INVITATION_REFUSED = {
    TokenState.EXPIRED: _lazy(
        "Deze uitnodiging is verlopen. Vraag de beheerder van uw organisatie om een nieuwe "
        "uitnodiging."
    ),
    TokenState.INVALID: _lazy(
        "Deze link is niet (meer) geldig: hij is al gebruikt of vervangen door een nieuwere "
        "uitnodiging. Vraag zo nodig de beheerder van uw organisatie om een nieuwe uitnodiging."
    ),
}


@transaction.atomic
def accept_invitation(*, user, token: str, password: str):
    """Set the invitee's password (checked by the password validators) and activate the
    account. The token is checked again here, under a row lock: a link works once."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    state = invitation_state(user, token)
    if state is not TokenState.VALID:
        raise ValidationError(INVITATION_REFUSED[state])
    validate_password(password, user)
    user.set_password(password)
    save_changes(user, user, is_active=True)
    save_changes(user.invitation, user, accepted_at=timezone.now())
    return user


@transaction.atomic
def assign_role(*, organisation: Organisation, user, role: Role, actor) -> Membership:
    _require_manager(actor, organisation)
    _require_member(user, organisation)
    _require_own_role(role, organisation)
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ValidationError(
            {"role": _("Deze gebruiker heeft de rol '%(role)s' al.") % {"role": role}}
        )
    return save_new(Membership(user=user, organisation=organisation, role=role), actor)


@transaction.atomic
def remove_role(*, membership: Membership, actor) -> None:
    """Take a role away. Refused for the actor's own last role that lets them manage members,
    and for a user's last role in the organisation when they have none elsewhere (deactivate
    them instead: they would drop out of every list, still able to log in)."""
    organisation = membership.organisation
    _require_manager(actor, organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    user = membership.user
    own_last = (
        user.pk == actor.pk
        and not actor.is_superuser
        and not _keeps_manage_members(actor, organisation, without=membership)
    )
    if own_last:
        raise ValidationError(
            _(
                "U kunt uw eigen laatste rol met het recht '%(permission)s' niet intrekken: "
                "u zou %(organisation)s niet meer kunnen beheren. Laat een andere beheerder "
                "dat doen."
            )
            % {"permission": Permission.MANAGE_MEMBERS.label, "organisation": organisation}
        )
    others = Membership.objects.filter(user=user).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _(
                "Dit is de laatste rol van deze gebruiker. Deactiveer de gebruiker als hij geen "
                "toegang meer mag hebben."
            )
        )
    record_change(membership, actor, ChangeLogEntry.Operation.DELETE, snapshot(membership))
    membership.delete()


@transaction.atomic
def change_role_permissions(*, role: Role, permissions, actor) -> Role:
    """Set what a role of the actor's organisation grants. Refused when the actor would lose the
    right to manage members there: at least one of their roles keeps it."""
    organisation = role.organisation
    _require_manager(actor, organisation)
    role = Role.objects.select_for_update().get(pk=role.pk)
    unknown = set(permissions) - set(Permission.values)
    chosen = [value for value in Permission.values if value in set(permissions)]
    if unknown:
        raise ValidationError(
            {"permissions": _("Onbekende rechten: %s") % ", ".join(sorted(unknown))}
        )
    if Permission.MANAGE_MEMBERS not in chosen and not actor.is_superuser:
        own_roles = Membership.objects.filter(user=actor, organisation=organisation).exclude(
            role=role
        )
        keeps = any(
            Permission.MANAGE_MEMBERS in (granted or [])
            for granted in own_roles.values_list("role__permissions", flat=True)
        )
        if not keeps and Membership.objects.filter(user=actor, role=role).exists():
            raise ValidationError(
                {
                    "permissions": _(
                        "U kunt het recht '%(permission)s' niet weghalen uit uw eigen laatste "
                        "rol die het geeft: u zou %(organisation)s niet meer kunnen beheren."
                    )
                    % {"permission": Permission.MANAGE_MEMBERS.label, "organisation": organisation}
                }
            )
    return save_changes(role, actor, permissions=chosen)


def _users_organisations_all_managed(actor, user) -> bool:
    access = access_for(actor)
    if access is None:
        return False
    if access.is_superuser:
        return True
    managed = access.orgs_with(Permission.MANAGE_MEMBERS)
    return set(user.memberships.values_list("organisation_id", flat=True)) <= managed


@transaction.atomic
def deactivate_user(*, organisation: Organisation, user, actor):
    """The user can no longer log in, their sessions end at their next request and their API
    keys are revoked; nothing is deleted, and an open invitation is withdrawn. A user with roles
    in organisations the actor does not manage is deactivated by someone who manages all of
    them (their roles here can be taken away instead)."""
    _require_manager(actor, organisation)
    _require_member(user, organisation)
    if user.pk == actor.pk:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    if not _users_organisations_all_managed(actor, user):
        raise ValidationError(
            _(
                "Deze gebruiker heeft ook rollen bij een organisatie die u niet beheert. Neem de "
                "rollen bij %(organisation)s weg, of vraag een beheerder van alle organisaties "
                "van deze gebruiker om hem te deactiveren."
            )
            % {"organisation": organisation}
        )
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        invitation = Invitation.objects.filter(user=user).first()
        if invitation is not None and invitation.is_open:
            save_changes(invitation, actor, withdrawn_at=timezone.now())
            user.set_unusable_password()
            user.save(update_fields=["password"])
            return user
        raise ValidationError(_("Deze gebruiker is al gedeactiveerd."))
    save_changes(user, actor, is_active=False)
    for token in ApiToken.objects.filter(user=user).usable(timezone.now()):
        revoke_api_token(token, actor=actor)
    log_event(logger, "user_deactivated", user=user.pk, organisation=organisation.pk)
    return user


@transaction.atomic
def reactivate_user(*, organisation: Organisation, user, actor):
    """Let a deactivated user log in again with their own password (revoked API keys stay
    revoked). Someone who never set a password gets a new invitation instead."""
    _require_manager(actor, organisation)
    _require_member(user, organisation)
    if not _users_organisations_all_managed(actor, user):
        raise ValidationError(
            _(
                "Deze gebruiker heeft ook rollen bij een organisatie die u niet beheert; alleen "
                "een beheerder van al die organisaties kan hem weer activeren."
            )
        )
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("Deze gebruiker is al actief."))
    if not user.has_usable_password():
        raise ValidationError(
            _(
                "Deze gebruiker heeft nog nooit een wachtwoord ingesteld. Stuur een nieuwe "
                "uitnodiging."
            )
        )
    save_changes(user, actor, is_active=True)
    log_event(logger, "user_reactivated", user=user.pk, organisation=organisation.pk)
    return user


# --- house style: colour and logo ------------------------------------------------------------


def _require_house_style_manager(actor, organisation: Organisation) -> None:
    if not _manages(actor, organisation):
        raise PermissionDenied(
            _("U beheert de huisstijl van %(organisation)s niet.") % {"organisation": organisation}
        )


@transaction.atomic
def change_house_style(
    *,
    organisation: Organisation,
    actor,
    brand_colour: str | None = None,
    logo=None,
    remove_logo: bool = False,
) -> Organisation:
    """The organisation's house colour and logo, as its documents show them. A new logo is
    checked and redrawn as PNG (organisations.logos) before anything is stored; a published
    report keeps the logo it was published with (its snapshot holds a copy)."""
    _require_house_style_manager(actor, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation)
    errors = {}
    if brand_colour is not None:
        organisation.brand_colour = brand_colour.strip()
        try:
            organisation.full_clean(validate_unique=False, exclude=["logo"])
        except ValidationError as error:
            errors.update(error.message_dict)
    data = None
    if logo is not None:
        try:
            data = normalised_logo(logo)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    old_name = organisation.logo.name
    if data is not None:
        digest = logo_sha256(data)
        if digest != organisation.logo_sha256:
            organisation.logo.save(f"{digest[:16]}.png", ContentFile(data), save=False)
            organisation.logo_sha256 = digest
    elif remove_logo:
        organisation.logo = ""
        organisation.logo_sha256 = ""
    organisation.save()
    record_change(organisation, actor, ChangeLogEntry.Operation.UPDATE, before)
    if old_name and old_name != organisation.logo.name:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    log_event(
        logger,
        "house_style_changed",
        organisation=organisation.pk,
        logo=organisation.logo_sha256[:16] or "-",
    )
    return organisation
