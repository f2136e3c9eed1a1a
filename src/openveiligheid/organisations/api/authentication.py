"""API authentication for machine clients: `Authorization: Bearer ov_…` with an ApiToken.

Browsers use the session (with CSRF); Basic authentication is not offered, so a password never
travels with API requests and no request costs a password hash.

A key is one factor. Endpoints that serve person-level data (reports of the meldpunt, the audit
trail) are reached only with a session that passed the two-factor login: such a view sets
`person_level_data = True` and a key is refused there, whoever its user is."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from openveiligheid.organisations.models import ApiToken
from openveiligheid.organisations.services import API_TOKEN_PREFIX, hash_api_key

# Writing "last used" on every request would make each API read a database write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def refuses_api_keys(view) -> bool:
    return bool(getattr(view, "person_level_data", False))


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Geef de API-sleutel als 'Authorization: Bearer <sleutel>'.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Deze API-sleutel is ongeldig.")) from None
        return self._authenticate_key(request, key)

    def _authenticate_key(self, request, key: str):
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=hash_api_key(key)).first()
            if key.startswith(API_TOKEN_PREFIX)
            else None
        )
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Deze API-sleutel is ongeldig of ingetrokken."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Deze API-sleutel is verlopen."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("De gebruiker van deze sleutel is niet actief.")
            )
        # Checked here rather than in a permission class, so that no view can forget it.
        if refuses_api_keys(request.parser_context.get("view")):
            raise exceptions.PermissionDenied(
                _(
                    "Een API-sleutel geeft geen toegang tot persoonsgegevens. Gebruik de API "
                    "na inloggen met tweestapsverificatie."
                )
            )
        if token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("Deze API-sleutel mag alleen lezen."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session. A write without a valid CSRF token is refused in Dutch (DRF's
    message is Django's English reason)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("De CSRF-controle is mislukt. Laad de pagina opnieuw en probeer het nog eens.")
            ) from None


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiKey"

    def get_security_requirement(self, auto_schema):
        if refuses_api_keys(auto_schema.view):
            return None
        return super().get_security_requirement(auto_schema)

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "API-sleutel (`openveiligheid create-api-token`), als "
                "`Authorization: Bearer ov_…`; bereik 'read' of 'write', met een vervaldatum."
            ),
        }


class SessionAuthenticationScheme(SessionScheme):
    target_class = SessionAuthentication
