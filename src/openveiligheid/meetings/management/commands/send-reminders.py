"""openveiligheid send-reminders [--today YYYY-MM-DD] [--dry-run]: remind leads before meetings."""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from openveiligheid.core.log import LoggedCommand
from openveiligheid.meetings.reminders import DEFAULT_HORIZON_DAYS, send_reminders


class Command(LoggedCommand):
    help = (
        "Stuurt trekkers een herinnering voor acties die vóór de stukkendatum van een komend "
        "overleg klaar moeten zijn en nog niet zijn gerapporteerd, en programmamanagers een "
        "overzicht. Veilig om vaker te draaien: verstuurde herinneringen worden bijgehouden."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Doe alsof het deze datum is (JJJJ-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Toon wat verstuurd zou worden; verstuur niets."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_HORIZON_DAYS,
            help=f"Overleggen binnen zoveel dagen (standaard {DEFAULT_HORIZON_DAYS}).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Adres van de site voor links in de e-mail, zoals https://veiligheid.example.nl.",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"--today: '{options['today']}' is geen datum als 2021-02-11."
                ) from error
        report = send_reminders(
            today=today,
            dry_run=options["dry_run"],
            horizon_days=options["days"],
            base_url=options["base_url"],
        )
        verb = "Zou versturen" if options["dry_run"] else "Verstuurd"
        for message in report.messages:
            self.stdout.write(
                f"{verb}: {message.recipient} ({message.kind}): {message.subject} "
                f"[{len(message.entries)} actie(s)]"
            )
        outcome = "niet verstuurd (proefdraai)" if options["dry_run"] else "verstuurd"
        self.stdout.write(
            f"{report.meetings} overleg(gen) met {report.due} te rapporteren actie(s); "
            f"{report.sent} e-mail(s) {outcome}."
        )
