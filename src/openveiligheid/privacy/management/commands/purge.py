"""openveiligheid purge [--dry-run]: delete what has passed its retention period."""

from django.utils import formats

from openveiligheid.core.log import LoggedCommand
from openveiligheid.privacy.retention import purge


class Command(LoggedCommand):
    help = (
        "Verwijdert wat zijn bewaartermijn voorbij is (meldingen, bijlagen) en registreert elke "
        "verwijdering zonder persoonsgegevens; twee keer draaien verwijdert niets extra."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon alleen wat verwijderd zou worden; er verandert niets.",
        )

    def handle(self, *args, dry_run=False, **options):
        result = purge(dry_run=dry_run)
        verb = "zou verwijderen" if dry_run else "verwijderd"
        for item in result.deleted:
            self.stdout.write(
                f"{verb}: {item.label} {item.reference} ({item.organisation_name}; "
                f"bewaartermijn {item.months} maanden, geteld vanaf "
                f"{formats.date_format(item.counted_from, 'j-n-Y')})"
            )
        count = len(result.deleted)
        if dry_run:
            self.stdout.write(f"Proefdraai: {count} onderdelen zouden worden verwijderd.")
        else:
            self.stdout.write(f"{count} onderdelen verwijderd.")
