"""`openveiligheid load-demo`: the demo plans, open data and accounts (idempotent)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.demo.loader import DEMO_PASSWORD, load_demo


class Command(LoggedCommand):
    help = "Laad de demo: plannen van Apeldoorn en Oude IJsselstreek, open data en demo-accounts."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Demoplannen opnieuw opbouwen.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Ook laden met productie-instellingen (demo-accounts met bekend wachtwoord!).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Weigering: demo-accounts hebben een bekend wachtwoord. "
                "Gebruik --allow-production als u dit echt wilt."
            )
        try:
            report = load_demo(reset=options["reset"])
        except ValidationError as error:
            # E.g. a default role an administrator removed: it is not created again.
            raise CommandError(" ".join(error.messages)) from error
        for slug in report.created:
            self.stdout.write(f"Geladen: {slug}")
        for slug in report.skipped:
            self.stdout.write(f"Bestond al (ongewijzigd): {slug}")
        self.stdout.write(f"\nDemo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for username, role in report.accounts:
            self.stdout.write(f"  {username:<22} {role}")
        self.stdout.write(
            "Wie persoonsgegevens, de audittrail of gebruikersbeheer kan zien (zoals beheerder en "
            "programmamanager), "
            "stelt bij de eerste keer inloggen tweestapsverificatie in met een authenticator-app."
        )
