"""`openveiligheid revoke-api-token PREFIX`: a key stops working at once."""

from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.organisations.models import ApiToken
from openveiligheid.organisations.services import API_TOKEN_PREFIX, revoke_api_token


class Command(LoggedCommand):
    help = "Trek een API-sleutel in (op het begin van de sleutel, zoals getoond bij het maken)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        prefix = prefix.removeprefix(API_TOKEN_PREFIX)[:8]
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(
                f"Geen geldige API-sleutel die begint met '{prefix}'."
                if not tokens
                else f"Meer dan één sleutel begint met '{prefix}'; trek ze in via het beheer."
            )
        revoke_api_token(tokens[0])
        self.stdout.write(f"API-sleutel '{tokens[0].name}' ({prefix}…) is ingetrokken.")
