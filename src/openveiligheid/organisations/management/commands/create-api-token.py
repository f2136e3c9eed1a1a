"""`openveiligheid create-api-token USER --name NAME [--scope read|write] [--days N]`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.organisations.models import ApiToken
from openveiligheid.organisations.services import create_api_token


class Command(LoggedCommand):
    help = (
        "Maak een API-sleutel voor een machineclient van een gebruiker (met diens rollen en "
        "organisaties). De sleutel wordt één keer getoond."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="Waarvoor de sleutel is.")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--days", type=int, default=90, help="Geldigheid in dagen (max 366).")

    def handle(self, *args, username, name, scope, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Gebruiker '{username}' bestaat niet.")
        try:
            token, key = create_api_token(user=user, name=name, scope=scope, days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
        self.stderr.write(
            f"API-sleutel '{token.name}' ({token.prefix}…, {token.get_scope_display()}) geldig tot "
            f"{token.expires_at:%d-%m-%Y}. Bewaar de sleutel nu: hij wordt niet opgeslagen."
        )
