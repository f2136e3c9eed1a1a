"""OpenID Connect single sign-on against a small OpenID provider on 127.0.0.1 (token and userinfo
endpoints over real HTTP, the id_token signed with the client secret, HS256): only existing users
sign in, with the roles they have in the product, and two-factor login still applies."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import override_settings
from django.urls import reverse

from openveiligheid.organisations.models import Membership
from openveiligheid.organisations.oidc import BACKEND
from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CLIENT_ID = "open-veiligheid"
CLIENT_SECRET = "geheim-" + "x" * 40


class Provider:
    """Issues a code per test login (what the user's browser would bring back), then answers the
    product's back-channel calls for it."""

    def __init__(self):
        self.logins: dict[str, dict] = {}  # code -> {"nonce": ..., "claims": ...}
        self.access: dict[str, dict] = {}  # access token -> claims
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                form = {key: values[0] for key, values in form.items()}
                provider.token_requests.append(form)
                login = provider.logins.pop(form.get("code"), None)
                if form.get("client_secret") != CLIENT_SECRET or login is None:
                    return self._answer(400, {"error": "invalid_grant"})
                access_token = secrets.token_urlsafe(16)
                provider.access[access_token] = login["claims"]
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.url,
                        "sub": login["claims"].get("sub", "sub-1"),
                        "aud": login.get("audience", CLIENT_ID),
                        "nonce": login["nonce"],
                        "iat": now,
                        "exp": now + 300,
                    },
                    CLIENT_SECRET,
                    algorithm="HS256",
                )
                self._answer(200, {"access_token": access_token, "id_token": id_token})

            def do_GET(self):
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if urlsplit(self.path).path != "/userinfo" or token not in provider.access:
                    return self._answer(401, {"error": "invalid_token"})
                self._answer(200, provider.access[token])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def settings(self) -> dict:
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.url + "/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": self.url + "/token",
            "OIDC_OP_USER_ENDPOINT": self.url + "/userinfo",
            "OIDC_RP_SIGN_ALGO": "HS256",
            "OIDC_CREATE_USER": False,
            "OIDC_TIMEOUT": 5,
            "OIDC_PROVIDER_NAME": "Gemeente-account",
        }


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    provider = Provider()
    from django.conf import settings

    with override_settings(
        **provider.settings(),
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, BACKEND],
    ):
        yield provider
    provider.server.shutdown()
    provider.server.server_close()


def sign_in(client, provider, claims, next_path="", **login):
    """The browser's round trip: the product sends it to the provider, the person signs in
    there, the provider sends it back with a code."""
    start = reverse("oidc_authentication_init") + (f"?next={next_path}" if next_path else "")
    response = client.get(start)
    assert response.status_code == 302
    authorize = urlsplit(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == provider.url + "/authorize"
    query = {key: values[0] for key, values in parse_qs(authorize.query).items()}
    assert query["client_id"] == CLIENT_ID and "email" in query["scope"].split()
    code = secrets.token_urlsafe(8)
    provider.logins[code] = {"nonce": query["nonce"], "claims": claims, **login}
    return client.get(
        reverse("oidc_authentication_callback"), {"code": code, "state": query["state"]}
    )


@pytest.fixture
def member():
    municipality = OrganisationFactory(name="Gemeente Aanmeldstad", slug="aanmeldstad")
    user = UserFactory(username="j.jansen", email="J.Jansen@Aanmeldstad.nl")
    grant_membership(user=user, organisation=municipality, role_slug="action_lead")
    return user


def test_off_by_default_no_button_and_no_endpoints(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Inloggen met" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_login_page_offers_the_provider(client, provider):
    page = client.get(reverse("login") + "?next=/plannen/").content.decode()
    assert "Inloggen met Gemeente-account" in page
    assert reverse("oidc_authentication_init") + "?next=/plannen/" in page


def test_known_user_signs_in_with_only_the_roles_of_the_product(client, provider, member):
    memberships = list(Membership.objects.filter(user=member).values_list("role__slug", flat=True))
    response = sign_in(
        client,
        provider,
        # Claims that would grant roles, were they believed.
        {
            "sub": "abc",
            "email": "j.jansen@aanmeldstad.nl",
            "email_verified": True,
            "roles": ["administrator"],
            "groups": ["beheerders"],
            "is_superuser": True,
        },
        next_path="/plannen/",
    )
    assert response.status_code == 302
    assert response["Location"] == "/plannen/"
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.session["_auth_user_backend"] == BACKEND
    # The token request went over HTTP with the code and this product's secret.
    assert provider.token_requests[-1]["client_secret"] == CLIENT_SECRET
    member.refresh_from_db()
    assert not member.is_superuser and not member.is_staff
    assert (
        list(Membership.objects.filter(user=member).values_list("role__slug", flat=True))
        == memberships
        == ["action_lead"]
    )
    # The next request reads the user through the backend, with the access of the product.
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert page.wsgi_request.user == member


def test_unknown_email_is_refused_in_dutch(client, provider, member):
    users_before = type(member).objects.count()
    response = sign_in(client, provider, {"email": "onbekend@elders.nl"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert type(member).objects.count() == users_before
    page = client.get(response["Location"]).content.decode()
    assert (
        "Er is geen account in Open Veiligheid met het e-mailadres onbekend@elders.nl. Vraag de "
        "beheerder van uw organisatie u toe te voegen; daarna kunt u inloggen met "
        "Gemeente-account." in page
    )


@pytest.mark.parametrize(
    ("claims", "login", "message"),
    [
        (
            {"email": "j.jansen@aanmeldstad.nl", "email_verified": False},
            {},
            "Gemeente-account gaf geen bevestigd e-mailadres door",
        ),
        ({"sub": "zonder-e-mail"}, {}, "Gemeente-account gaf geen bevestigd e-mailadres door"),
        (
            {"email": "j.jansen@aanmeldstad.nl"},
            {"audience": "een-andere-toepassing"},
            "Inloggen met Gemeente-account is niet gelukt.",
        ),
    ],
)
def test_unverified_missing_email_or_foreign_token_is_refused(
    client, provider, member, claims, login, message
):
    response = sign_in(client, provider, claims, **login)
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert message in client.get(reverse("login")).content.decode()


def test_inactive_user_and_shared_address_are_refused(client, provider, member):
    member.is_active = False
    member.save()
    sign_in(client, provider, {"email": member.email})
    assert "_auth_user_id" not in client.session
    member.is_active = True
    member.save()
    UserFactory(username="j.jansen2", email="j.jansen@aanmeldstad.nl")
    sign_in(client, provider, {"email": member.email})
    assert "_auth_user_id" not in client.session
    assert (
        "Meer dan één account heeft het e-mailadres"
        in client.get(reverse("login")).content.decode()
    )


def test_provider_error_is_refused_in_dutch(client, provider, member):
    response = client.get(reverse("oidc_authentication_init"))
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    # A code the provider never issued: its token endpoint answers 400.
    response = client.get(
        reverse("oidc_authentication_callback"), {"code": "verzonnen", "state": state}
    )
    assert response["Location"] == reverse("login")
    assert (
        "Inloggen met Gemeente-account is niet gelukt"
        in client.get(reverse("login")).content.decode()
    )


def test_two_factor_still_applies_after_single_sign_on(client, provider):
    administrator = UserFactory(username="beheerder", email="beheer@aanmeldstad.nl")
    grant_membership(
        user=administrator,
        organisation=OrganisationFactory(slug="aanmeldstad"),
        role_slug="administrator",
    )
    response = sign_in(client, provider, {"email": "beheer@aanmeldstad.nl"}, next_path="/")
    assert client.session["_auth_user_id"] == str(administrator.pk)
    # Signed in, but every page sends the administrator to set up the authenticator app first.
    page = client.get(response["Location"])
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("two_factor:setup"))


def _settings_in_a_fresh_process(**environment):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")} | environment
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from openveiligheid.config import settings; print(settings.AUTHENTICATION_BACKENDS)",
        ],
        env=env,
        capture_output=True,
        text=True,
    )


def test_settings_switch_the_backend_on_only_with_a_complete_configuration(db):
    off = _settings_in_a_fresh_process()
    assert off.returncode == 0 and BACKEND not in off.stdout
    incomplete = _settings_in_a_fresh_process(OIDC_RP_CLIENT_ID=CLIENT_ID)
    assert incomplete.returncode != 0
    assert "OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT" in incomplete.stderr
    complete = _settings_in_a_fresh_process(
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://login.example.nl/authorize",
        OIDC_OP_TOKEN_ENDPOINT="https://login.example.nl/token",
        OIDC_OP_USER_ENDPOINT="https://login.example.nl/userinfo",
        OIDC_OP_JWKS_ENDPOINT="https://login.example.nl/jwks",
    )
    assert complete.returncode == 0, complete.stderr
    assert BACKEND in complete.stdout
