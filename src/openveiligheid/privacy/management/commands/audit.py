"""openveiligheid audit verify: check the audit trail's hash chain from its first entry."""

from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.privacy.chain import verify_chain


class Command(LoggedCommand):
    help = "Audittrail: 'verify' controleert de hashketen en noemt de eerste verbroken regel."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser(
            "verify",
            help="Controleer elke regel van de audittrail; een fout geeft exitcode 1.",
        )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audittrail verbroken bij regel {report.broken_sequence}: {report.reason}. "
                f"{report.checked} regels ervoor zijn in orde."
            )
        self.stdout.write(f"Audittrail in orde: {report.checked} regels gecontroleerd.")
