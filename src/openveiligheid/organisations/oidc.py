"""OpenID Connect single sign-on (mozilla-django-oidc), an option in settings: off unless
OIDC_RP_CLIENT_ID is set (README, "Single sign-on").

The provider only says who someone is. It never makes an account and never grants a role: a
person signs in only when an active user with the e-mail address the provider vouches for already
exists here, and then has exactly the memberships and roles given in the product. Two-factor login
still applies after it (privacy.two_factor.TwoFactorMiddleware), as after a password."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from openveiligheid.organisations.backends import MembershipModelBackend

logger = logging.getLogger(__name__)

BACKEND = "openveiligheid.organisations.oidc.ExistingUserOIDCBackend"


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


class ExistingUserOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the one active user whose e-mail address the provider gives (and has verified,
    when it says so); refuses everyone else with a Dutch message for the login page. Claims never
    change the user: no roles, groups or names are taken from them."""

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            # An unreachable provider, a refused code, a token that does not verify.
            logger.warning("oidc_login_failed reason=%s", type(error).__name__)
            self._refuse(
                _(
                    "Inloggen met %(provider)s is niet gelukt. Probeert u het opnieuw, of log in "
                    "met uw gebruikersnaam en wachtwoord."
                )
                % {"provider": provider_name()}
            )
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks signature and nonce but not the audience: the token must
        # have been issued to this product.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token for another client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            self._refuse(
                _("%(provider)s gaf geen bevestigd e-mailadres door; daarmee kunt u niet inloggen.")
                % {"provider": provider_name()}
            )
            return None
        users = list(self.UserModel.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) == 1:
            return users[0]
        if users:
            self._refuse(
                _(
                    "Meer dan één account heeft het e-mailadres %(email)s. Vraag de beheerder van "
                    "uw organisatie dit op te lossen."
                )
                % {"email": email}
            )
        else:
            self._refuse(
                _(
                    "Er is geen account in Open Veiligheid met het e-mailadres %(email)s. Vraag de "
                    "beheerder van uw organisatie u toe te voegen; daarna kunt u inloggen met "
                    "%(provider)s."
                )
                % {"email": email, "provider": provider_name()}
            )
        return None

    def _refuse(self, message: str) -> None:
        # Read by CallbackView.login_failure, which shows it on the login page.
        self.request.oidc_refusal = message

    def get_user(self, user_id):
        # Every later request of the session reads its user through this backend: with the
        # memberships and access, as after a password login.
        return MembershipModelBackend().get_user(user_id)


class LoginView(auth_views.LoginView):
    """Django's login page, offering "Inloggen met <provider>" when single sign-on is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if oidc_enabled():
            context["oidc_provider_name"] = provider_name()
        return context


class RequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; 404 while single sign-on is off."""

    def __init__(self, *args, **kwargs):
        if oidc_enabled():
            super().__init__(*args, **kwargs)
        else:
            View.__init__(self, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signs the user in, or back to the login page with the reason."""

    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self):
        message = getattr(self.request, "oidc_refusal", None) or _(
            "Inloggen met %(provider)s is niet gelukt of afgebroken. Probeert u het opnieuw, of "
            "log in met uw gebruikersnaam en wachtwoord."
        ) % {"provider": provider_name()}
        messages.error(self.request, message)
        return HttpResponseRedirect(reverse("login"))


urlpatterns = [
    path("aanmelden/", RequestView.as_view(), name="oidc_authentication_init"),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
