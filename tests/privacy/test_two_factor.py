"""Two-factor login: who must use it, that nothing else is reachable before the code, set-up with
a QR code and recovery codes shown once, wrong codes in Dutch and the django-axes lock-out."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openveiligheid.privacy.two_factor import requires_two_factor
from tests.organisations.factories import UserFactory
from tests.permissions import PASSWORD, ROLES, login
from tests.privacy.factories import privacy_officer
from tests.privacy.two_factor import current_code, enrol_app

SETUP = reverse("two_factor:setup")
VERIFY = reverse("two_factor:verify")
CODES = reverse("two_factor:recovery-codes")
PLAN = "/plannen/plan-a/"
WRONG = "Deze code klopt niet of is verlopen."


@pytest.fixture(autouse=True)
def no_throttle(settings):
    # django-otp slows down repeated wrong codes per device; the tests type them in a row.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_login(client, user, address="192.0.2.20"):
    client.logout()
    return client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR=address,
    )


def test_who_must_use_two_factor_login(world):
    required = {role: requires_two_factor(world.users[role]) for role in ROLES[1:]}
    # Programme managers read and triage the meldpunt's reports (VIEW_SIGNALS, TRIAGE_SIGNALS),
    # as does their counterpart in municipality B.
    assert required == dict.fromkeys(ROLES[1:], False) | {
        "administrator": True,
        "programme_manager": True,
        "other_municipality": True,
    }
    assert requires_two_factor(privacy_officer(world.municipality_a))
    assert requires_two_factor(UserFactory(username="root", is_superuser=True))
    assert requires_two_factor(UserFactory(username="staf", is_staff=True))


@pytest.mark.parametrize("path", [PLAN, "/acties/", "/beheer/", "/privacy/audittrail/"])
def test_nothing_else_is_reachable_before_set_up(client, world, path):
    client.force_login(world.users["administrator"])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP}?next=")


def test_the_api_answers_403_for_an_unverified_session(client, world):
    client.force_login(world.users["administrator"])
    response = client.get("/api/v1/plans/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Log eerst in met tweestapsverificatie."


def test_optional_for_other_roles(client, world):
    password_login(client, world.users["safety_adviser"])
    assert client.get(PLAN).status_code == 200
    assert client.get(SETUP).status_code == 200


def test_set_up_shows_a_qr_code_then_recovery_codes_once(client, world):
    admin = world.users["administrator"]
    response = password_login(client, admin)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    content = response.content.decode()
    assert 'src="data:image/svg+xml' in content
    assert "QR-code om Open Veiligheid" in content
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    wrong = client.post(SETUP, {"code": "000000", "next": PLAN})
    assert WRONG in wrong.content.decode()

    response = client.post(SETUP, {"code": current_code(device), "next": PLAN})
    assert response.status_code == 302 and response["Location"].startswith(CODES)
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(response["Location"])
    assert page["Cache-Control"] == "no-store"
    codes = [token.token for token in StaticToken.objects.filter(device__user=admin)]
    assert len(codes) == 10
    assert all(code in page.content.decode() for code in codes)
    assert f'href="{PLAN}"' in page.content.decode()
    again = client.get(CODES).content.decode()
    assert not any(code in again for code in codes)
    assert client.get(PLAN).status_code == 200


def test_next_login_asks_for_the_code(client, world):
    admin = world.users["administrator"]
    device = enrol_app(admin)
    response = password_login(client, admin)
    response = client.get(PLAN)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    before = client.session.session_key

    wrong = client.post(VERIFY, {"code": "123456", "next": PLAN})
    assert wrong.status_code == 200 and WRONG in wrong.content.decode()
    assert client.get(PLAN).status_code == 302

    response = client.post(VERIFY, {"code": current_code(device), "next": PLAN})
    assert response.status_code == 302 and response["Location"] == PLAN
    assert client.session.session_key != before
    assert client.get(PLAN).status_code == 200


def test_an_optional_user_who_set_it_up_is_asked_too(client, world):
    manager = world.users["programme_manager"]
    enrol_app(manager)
    password_login(client, manager)
    response = client.get(PLAN)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(client, world):
    admin = world.users["administrator"]
    enrol_app(admin)
    login(client, admin)
    client.post(SETUP, {"recovery": "new"})
    code = StaticToken.objects.filter(device__user=admin).first().token

    password_login(client, admin)
    response = client.post(VERIFY, {"code": code, "next": PLAN}, follow=True)
    assert "U heeft een herstelcode gebruikt; er zijn er nog 9." in response.content.decode()
    password_login(client, admin)
    assert WRONG in client.post(VERIFY, {"code": code}).content.decode()


def test_no_redirect_to_another_site(client, world):
    admin = world.users["administrator"]
    device = enrol_app(admin)
    password_login(client, admin)
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://example.com/"})
    assert response["Location"] == reverse("home")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_end_in_the_login_lock_out(client, world):
    admin = world.users["administrator"]
    device = enrol_app(admin)
    password_login(client, admin)
    for _ in range(2):
        assert WRONG in client.post(VERIFY, {"code": "000000"}).content.decode()
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    # Logged out, and the password alone no longer lets them in either.
    assert client.get(PLAN).status_code == 302
    assert password_login(client, admin).status_code == 429
    assert device.user == admin


def test_an_officer_must_set_it_up_before_the_audit_trail(client, world):
    officer = privacy_officer(world.municipality_a)
    client.force_login(officer)
    response = client.get(reverse("privacy:audit-trail"))
    assert response["Location"].startswith(SETUP)
    login(client, officer)
    assert client.get(reverse("privacy:audit-trail")).status_code == 200


def test_a_code_right_after_a_wrong_one_is_asked_again_later(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    admin = world.users["administrator"]
    device = enrol_app(admin)
    password_login(client, admin)
    assert WRONG in client.post(VERIFY, {"code": "000000"}).content.decode()
    response = client.post(VERIFY, {"code": current_code(device)})
    assert "Wacht enkele seconden" in response.content.decode()
    assert client.get(PLAN).status_code == 302
