"""The token in an invitation link: Django's password reset token (a hash of the user's
password, last login and e-mail address with a timestamp, signed with SECRET_KEY), with a salt of
its own and the validity of OPENVEILIGHEID_INVITATION_HOURS.

Nothing is stored: setting the password changes the hash, so a link works once; a new invitation
gives the user a new unusable password, so the earlier links stop working."""

from __future__ import annotations

from enum import Enum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class TokenState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "openveiligheid.organisations.tokens.InvitationTokenGenerator"

    def state(self, user, token: str) -> TokenState:
        """Valid, expired (a genuine link, too old: the invitee asks for a new one) or invalid
        (used, replaced by a newer invitation, or never issued)."""
        if not (user and token):
            return TokenState.INVALID
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return TokenState.INVALID
        for secret in (self.secret, *self.secret_fallbacks):
            expected = self._make_token_with_timestamp(user, timestamp, secret)
            if constant_time_compare(expected, token):
                break
        else:
            return TokenState.INVALID
        age = self._num_seconds(self._now()) - timestamp
        if age > settings.OPENVEILIGHEID_INVITATION_HOURS * 3600:
            return TokenState.EXPIRED
        return TokenState.VALID

    def check_token(self, user, token) -> bool:
        return self.state(user, token) is TokenState.VALID


invitation_tokens = InvitationTokenGenerator()
