"""openveiligheid purge-subscriptions: delete subscriptions whose confirmation link expired."""

from openveiligheid.core.log import LoggedCommand
from openveiligheid.public.services import confirmation_hours, purge_unconfirmed


class Command(LoggedCommand):
    help = (
        "Verwijdert de e-mailadressen van aanmeldingen voor nieuwe rapportages die niet binnen "
        "OPENVEILIGHEID_PUBLIC_CONFIRMATION_HOURS zijn bevestigd. Een nieuwe aanmelding ruimt "
        "ze ook op; draai dit dagelijks zodat ze ook zonder nieuwe aanmelding verdwijnen."
    )

    def handle(self, *args, **options):
        deleted = purge_unconfirmed()
        self.stdout.write(
            f"Verwijderd: {deleted} niet bevestigde aanmeldingen ouder dan "
            f"{confirmation_hours()} uur."
        )
