"""`openveiligheid refresh-measurements`: fetch the configured CBS OData tables and import them.

The tables are data (imports.RefreshTable: table id, OData filter, municipality). Without internet
access the command says so and stops with a non-zero exit status."""

import json

from django.core.management.base import CommandError

from openveiligheid.core.formats import format_number
from openveiligheid.core.log import LoggedCommand
from openveiligheid.imports.models import RefreshTable
from openveiligheid.imports.services import refresh_measurements


class Command(LoggedCommand):
    help = "Haal de ingestelde CBS-tabellen op (OData) en lees de cijfers in."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Niets opslaan.")
        parser.add_argument("--json", action="store_true", help="Uitvoer als JSON.")

    def handle(self, *args, **options):
        tables = RefreshTable.objects.filter(active=True)
        if not tables.exists():
            self.stdout.write("Er zijn geen CBS-tabellen ingesteld om te verversen.")
            return
        outcomes = refresh_measurements(tables=tables, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "table": outcome.table_id,
                            "error": outcome.error or None,
                            **(outcome.preview.to_json() if outcome.preview else {}),
                        }
                        for outcome in outcomes
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            n = format_number
            for outcome in outcomes:
                if outcome.error:
                    self.stderr.write(f"{outcome.table_id}: {outcome.error}")
                    continue
                counts = outcome.preview.counts
                line = (
                    f"{outcome.table_id}: nieuw {n(counts['new'])}, gewijzigd "
                    f"{n(counts['changed'])}, ongewijzigd {n(counts['unchanged'])}, niet herkend "
                    f"{n(counts['unmatched'])}."
                )
                if options["dry_run"]:
                    line += " Proefdraai: er is niets opgeslagen."
                self.stdout.write(line)
        failed = [outcome for outcome in outcomes if outcome.error]
        if failed and len(failed) == len(outcomes):
            raise CommandError("Geen enkele CBS-tabel kon worden ververst.")
