"""openveiligheid purge-uploads [--older-than DAYS] [--dry-run]: remove old uploaded files."""

from django.conf import settings
from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.imports.uploads import purge_uploads


class Command(LoggedCommand):
    help = (
        "Verwijdert de bestanden van uploads die ouder zijn dan de bewaartermijn en markeert de "
        "uploads als verlopen (naam, hash, wie en het resultaat blijven als herkomst bewaard); "
        "ruimt ook bestanden op waar geen upload meer bij hoort. Veilig om vaker te draaien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.OPENVEILIGHEID_UPLOAD_RETENTION_DAYS,
            metavar="DAYS",
            help=(
                "Uploads ouder dan zoveel dagen (standaard OPENVEILIGHEID_UPLOAD_RETENTION_DAYS, "
                f"nu {settings.OPENVEILIGHEID_UPLOAD_RETENTION_DAYS})."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon wat verwijderd zou worden; verwijder niets.",
        )

    def handle(self, *args, **options):
        days = options["older_than"]
        if days < 0:
            raise CommandError("--older-than: geef een aantal dagen van 0 of meer.")
        dry_run = options["dry_run"]
        report = purge_uploads(older_than_days=days, dry_run=dry_run)
        verb = "Zou verwijderen" if dry_run else "Verwijderd"
        for upload in report.expired:
            self.stdout.write(
                f"  {upload.pk}: {upload.file_name} ({upload.get_kind_display()}, "
                f"{upload.get_status_display()}, {upload.uploaded_at:%Y-%m-%d})"
            )
        for name in report.orphan_files:
            self.stdout.write(f"  bestand zonder upload: {name}")
        self.stdout.write(
            f"{verb}: {len(report.expired)} uploads ouder dan {days} dagen, "
            f"{len(report.orphan_files)} bestanden zonder upload."
        )
