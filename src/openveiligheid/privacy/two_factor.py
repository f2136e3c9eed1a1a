"""Two-factor login (django-otp): an authenticator app (TOTP) with recovery codes (static tokens).

Required for every user who can see person-level data, its audit trail, or hand out access
(organisations.permissions.TWO_FACTOR_PERMISSIONS), for staff and superusers; optional for others,
but whoever has set it up is always asked for it. After the password login (django-axes as
before) `TwoFactorMiddleware` sends an unverified user to the verification page, or to the set-up
page when they must have it and have none, before any other page. A wrong code counts as a failed
login for django-axes, so guessing codes ends in the same lock-out as guessing passwords.
"""

from __future__ import annotations

import base64
import logging
from functools import lru_cache
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openveiligheid.core.log import log_event
from openveiligheid.organisations.permissions import TWO_FACTOR_PERMISSIONS
from openveiligheid.organisations.scoping import access_for

logger = logging.getLogger(__name__)

# Set at login for a user who has a device: they are asked for a code before anything else.
PENDING_SESSION_KEY = "ov_two_factor_pending"
# New recovery codes, shown once on the next page and then removed from the session.
RECOVERY_CODES_SESSION_KEY = "ov_recovery_codes"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator-app"
RECOVERY_DEVICE_NAME = "herstelcodes"


def requires_two_factor(user) -> bool:
    """Whether the user must sign in with a second factor (read from their access, no query)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    access = access_for(user)
    return access is not None and any(access.has(code) for code in TWO_FACTOR_PERMISSIONS)


def has_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


@receiver(user_logged_in)
def _ask_for_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and has_device(user):
        request.session[PENDING_SESSION_KEY] = True


def pending_app_device(user) -> TOTPDevice:
    """The authenticator app being set up: unconfirmed until the user typed a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32 in groups of four, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The app's configuration URL as a QR code, an SVG data URI (segno: pure Python, no
    image library, and an <img> with a data URI passes the Content-Security-Policy)."""
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by new ones; each works once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log_event(logger, "recovery_codes_created", user=user.pk)
    return codes


def confirm_app_device(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app being set up with a code from it: the user is then verified for this
    session and gets recovery codes (returned, to be shown once). None for a wrong code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_digits(token)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(device.user)
    _verified(request, device)
    log_event(logger, "two_factor_enrolled", user=device.user.pk)
    return codes


def verify_code(request, token: str):
    """Check a code from the app or a recovery code; on success the session is verified and the
    device returned. A wrong code is a failed login for django-axes."""
    user = request.user
    device = django_otp.match_token(user, _digits(token) or token.strip().lower())
    if device is None:
        log_event(logger, "two_factor_failed", logging.WARNING, user=user.pk)
        user_login_failed.send(
            sender=__name__,
            credentials={settings.AXES_USERNAME_FORM_FIELD: user.get_username()},
            request=request,
        )
        return None
    _verified(request, device)
    from axes.utils import reset

    reset(username=user.get_username())
    log_event(logger, "two_factor_verified", user=user.pk, device=type(device).__name__)
    return device


def is_throttled(user) -> bool:
    """Whether django-otp refuses codes for a moment after wrong ones (it waits 1, 2, 4, ...
    seconds after each): a correct code typed now would be refused as well."""
    return any(not device.verify_is_allowed()[0] for device in django_otp.devices_for_user(user))


def is_locked_out(request) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    return AxesProxyHandler.is_locked(request, credentials)


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def _digits(token: str) -> str:
    compact = "".join((token or "").split())
    return compact if compact.isdigit() else ""


def _verified(request, device) -> None:
    # A new session key at the change of privilege, as at login (session fixation).
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


@lru_cache(maxsize=1)
def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("login"),
        reverse("logout"),
        reverse("two_factor:verify"),
        reverse("two_factor:setup"),
        reverse("two_factor:recovery-codes"),
        "/i18n/",
        settings.STATIC_URL,
    )


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: an unverified user who has a device, or must have one,
    reaches only the login, logout and two-factor pages until they have given a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_exempt_prefixes())
        ):
            pending = request.session.get(PENDING_SESSION_KEY)
            if pending or requires_two_factor(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Log eerst in met tweestapsverificatie.")}, status=403
                    )
                target = "two_factor:verify" if pending else "two_factor:setup"
                return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
