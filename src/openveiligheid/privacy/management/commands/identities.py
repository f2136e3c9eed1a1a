"""openveiligheid identities rotate-keys: encrypt every identity under the newest key."""

from openveiligheid.core.log import LoggedCommand
from openveiligheid.privacy.services import rotate_identity_keys


class Command(LoggedCommand):
    help = (
        "Identiteiten: 'rotate-keys' versleutelt elke identiteit opnieuw met de eerste sleutel "
        "van OPENVEILIGHEID_IDENTITY_KEYS; daarna kunnen oudere sleutels uit de lijst."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser(
            "rotate-keys", help="Versleutel alles opnieuw met de nieuwste sleutel."
        )

    def handle(self, *args, **options):
        count = rotate_identity_keys()
        self.stdout.write(f"{count} identiteiten opnieuw versleuteld.")
