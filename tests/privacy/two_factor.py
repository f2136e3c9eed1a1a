"""Test helpers for two-factor login: enrol an authenticator app in the test database, compute
its current code (django_otp.oath.totp, as the phone would), and mark a test client's session as
verified for users who must use two-factor login."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openveiligheid.privacy.two_factor import (
    APP_DEVICE_NAME,
    PENDING_SESSION_KEY,
    requires_two_factor,
)


def enrol_app(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - offset_steps * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def verify_session(client, user) -> None:
    """What a user who gave a correct code has: their session names the verifying device."""
    if not requires_two_factor(user):
        return
    device = enrol_app(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop(PENDING_SESSION_KEY, None)
    session.save()
