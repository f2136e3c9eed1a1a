"""`openveiligheid import-plan PATH (--municipality CODE | --region SLUG) [--plan SLUG | --new]
[--dry-run] [--json]`: a document read again updates the plan it made before (see
imports.plans.reimport) unless --new is given."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.imports.plans.services import (
    UnreadableDocument,
    confirm_upload,
    preview_upload,
    read_plan,
    resolve_target,
)
from openveiligheid.plans.models import Plan


class Command(LoggedCommand):
    help = (
        "Importeer een bestaand plan of programma (tekst, DOCX, PDF of XLSX): thema's, acties, "
        "vergaderkalender en onvoorziene acties. Met --dry-run wordt niets opgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Het bestand: .txt, .docx, .pdf of .xlsx.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--municipality", help="CBS-code van de gemeente, zoals GM0233.")
        target.add_argument("--region", help="Korte naam (slug) van het samenwerkingsverband.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen lezen, niets opslaan.")
        parser.add_argument("--json", action="store_true", help="Het resultaat als JSON tonen.")
        parser.add_argument("--year", type=int, help="Jaar voor datums zonder jaartal.")
        parser.add_argument(
            "--plan",
            help="Korte naam van een bestaand plan om bij te werken (zonder --plan wordt het plan "
            "bijgewerkt dat dit document al eerder werd: zelfde organisatie, titel en periode).",
        )
        parser.add_argument(
            "--new",
            action="store_true",
            help="Altijd een nieuw plan maken, ook als het document al eerder is ingelezen.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        dry_run = options["dry_run"]
        try:
            target = resolve_target(
                municipality=options["municipality"] or "",
                region=options["region"] or "",
                require=not dry_run,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        plan = None
        if options["plan"] and not dry_run:
            plan = Plan.objects.filter(slug=options["plan"], owner=target.organisation).first()
            if plan is None:
                raise CommandError(
                    f"{target.name} heeft geen plan met korte naam {options['plan']}."
                )
        result = None
        try:
            if dry_run:
                extracted = read_plan(
                    path.read_bytes(),
                    path.name,
                    organisation=target.organisation,
                    year=options["year"],
                )
            else:
                # The same upload flow as the pages: stored, previewed, confirmed once.
                upload, extracted = preview_upload(
                    content=path.read_bytes(),
                    file_name=path.name,
                    organisation=target.organisation,
                    user=None,
                    year=options["year"],
                    plan=plan,
                )
                result = confirm_upload(upload, actor=None, mode="new" if options["new"] else None)
        except UnreadableDocument as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

        if options["json"]:
            data = extracted.as_dict()
            data["target"] = {"kind": target.kind, "code": target.code, "name": target.name}
            data["dry_run"] = dry_run
            if result is not None:
                data["result"] = result.as_dict()
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{extracted.title or path.name} ({extracted.format.upper()})")
        self.stdout.write(
            f"Thema's: {len(extracted.themes)}, onderwerpen: {len(extracted.topics)}, "
            f"acties: {len(extracted.actions)} "
            f"(onvoorzien: {sum(a.unplanned for a in extracted.actions)}), "
            f"overleggen: {len(extracted.meetings)}, niet geplaatst: {len(extracted.unparsed)}"
        )
        for entry in extracted.unparsed:
            if entry.reason:
                self.stdout.write(f"  onzeker ({entry.position.label}): {entry.reason}")
                self.stdout.write(f"    Wanneer: {entry.text[:100]}")
            else:
                self.stdout.write(f"  niet geplaatst ({entry.position.label}): {entry.text[:100]}")
        if result is None:
            self.stdout.write("Proefrun: niets opgeslagen.")
        elif result.mode == "update":
            self.stdout.write(
                f"Plan {result.plan.slug} bijgewerkt: {result.actions} acties toegevoegd, "
                f"{result.updated} onderdelen gewijzigd, {result.cancelled} acties vervallen, "
                f"{result.meetings} overleggen toegevoegd."
            )
        else:
            self.stdout.write(
                f"Opgeslagen in plan {result.plan.slug}: {result.actions} acties, "
                f"{result.meetings} overleggen, {result.agenda_items} agendapunten."
            )
            if result.unmatched_leads:
                self.stdout.write(
                    "Trekkers zonder bekende organisatie: " + ", ".join(result.unmatched_leads)
                )
