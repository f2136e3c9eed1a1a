"""`openveiligheid import-measurements PATH`: read an export of figures into the indicators.

Shows what it changes; with --dry-run nothing is written, with --json the result is printed as
JSON ({"source", "measurements", "changes", "unmatched"})."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from openveiligheid.core.formats import format_number
from openveiligheid.core.log import LoggedCommand
from openveiligheid.imports.services import (
    ImportRefused,
    TextProgress,
    UnreadableFile,
    confirm_measurement_import,
    preview_measurement_import,
)
from openveiligheid.organisations.models import Organisation

LARGE_FILE = 256 * 1024  # bytes; smaller files are read before a bar would be of any use


class Command(LoggedCommand):
    help = "Lees cijfers (politie, CBS, Misdaad in kaart, enquêtes) in bij de indicatoren."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Het bestand met cijfers.")
        parser.add_argument(
            "--source", default="auto", help="Bestandssoort; 'auto' herkent hem aan de inhoud."
        )
        parser.add_argument(
            "--mapping",
            help='JSON-bestand met koppelingen: {"onderwerp": "plan-slug/indicator-slug"}.',
        )
        parser.add_argument(
            "--municipality", help="CBS-code van de gemeente waarvoor u inleest, zoals GM0200."
        )
        parser.add_argument("--user", help="Gebruikersnaam die als invoerder wordt vastgelegd.")
        parser.add_argument("--dry-run", action="store_true", help="Niets opslaan.")
        parser.add_argument("--json", action="store_true", help="Uitvoer als JSON.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan {path} niet lezen: {error.strerror or error}.") from error
        overrides = None
        if options["mapping"]:
            try:
                overrides = json.loads(Path(options["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(
                    f"Het koppelbestand {options['mapping']} is niet te lezen: {error}"
                ) from error
        organisation = None
        if options["municipality"]:
            code = options["municipality"].strip().upper()
            code = code if code.startswith("GM") else f"GM{code.zfill(4)}"
            organisation = Organisation.objects.filter(cbs_code=code).first()
            if organisation is None:
                raise CommandError(f"Er is geen gemeente met CBS-code {code}.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Gebruiker {options['user']} bestaat niet.")

        quiet = options["json"] or options["verbosity"] == 0
        progress = None
        if not quiet and len(content) > LARGE_FILE:
            progress = TextProgress(self.stderr, f"{path.name} lezen")
        try:
            preview = preview_measurement_import(
                name=path.name,
                content=content,
                organisation=organisation,
                source=options["source"],
                mapping_overrides=overrides,
                actor=actor,
                dry_run=options["dry_run"],
                progress=progress,
            )
            if progress:
                progress.finish()
            result = None
            if not options["dry_run"]:
                result = confirm_measurement_import(preview.upload, actor)
        except (UnreadableFile, ImportRefused, ValueError) as error:
            raise CommandError(str(error)) from error
        except PermissionDenied as error:
            raise CommandError(
                f"Gebruiker {options['user']} mag voor deze gemeente geen cijfers inlezen."
            ) from error

        if options["json"]:
            self.stdout.write(json.dumps(preview.to_json(), ensure_ascii=False, indent=2))
            return
        self._report(preview, result, dry_run=options["dry_run"])

    def _report(self, preview, result, *, dry_run):
        n = format_number
        counts = preview.counts
        self.stdout.write(
            f"{preview.file_name}: {preview.source}"
            + (f", tabel {preview.table_id}" if preview.table_id else "")
            + f", {n(counts['rows_read'])} regels gelezen."
        )
        self.stdout.write(
            f"Nieuw: {n(counts['new'])}, gewijzigd: {n(counts['changed'])}, "
            f"ongewijzigd: {n(counts['unchanged'])}, zonder indicator: {n(counts['not_written'])}, "
            f"niet herkend: {n(counts['unmatched'])}, buiten de gemeente: {n(counts['outside'])}."
        )
        for row in preview.changes:
            self.stdout.write(
                f"  gewijzigd: {row.indicator_name}, {row.area_name} ({row.area_code}), "
                f"{row.period.label}: {n(row.old_value)} -> {n(row.value)}"
            )
        for row in preview.unmatched[:20]:
            self.stdout.write(f"  niet herkend (regel {row.position}): {row.text}: {row.reason}")
        if len(preview.unmatched) > 20:
            self.stdout.write(f"  ... en nog {n(len(preview.unmatched) - 20)} regels.")
        if dry_run:
            self.stdout.write("Proefdraai: er is niets opgeslagen.")
        elif result is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Opgeslagen: {n(result.created)} nieuw, {n(result.updated)} gewijzigd."
                )
            )
