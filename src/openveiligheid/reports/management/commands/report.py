"""openveiligheid report build --plan SLUG --type TYPE --period 2024-H1 --format pdf -o FILE."""

from pathlib import Path

from django.core.management.base import CommandError

from openveiligheid.core.documents import PdfUnavailable
from openveiligheid.core.log import LoggedCommand
from openveiligheid.plans.models import Plan
from openveiligheid.reports import exports
from openveiligheid.reports.models import Report, ReportType
from openveiligheid.reports.selectors import find_report, period_from_text


class Command(LoggedCommand):
    help = (
        "Maakt een rapportage als bestand. Een gepubliceerde rapportage komt uit haar vastgelegde "
        "inhoud; bestaat de rapportage nog niet, dan wordt een concept uit de actuele gegevens "
        "gemaakt (zonder duiding en zonder iets op te slaan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build"], help="build: maak het bestand.")
        parser.add_argument("--plan", required=True, help="Korte naam (slug) van het plan.")
        parser.add_argument(
            "--type", required=True, choices=ReportType.values, help="Soort rapportage."
        )
        parser.add_argument("--period", required=True, help="Periode: 2024, 2024-H1 of 2024-Q3.")
        parser.add_argument(
            "--format", required=True, choices=sorted(exports.CONTENT_TYPES), help="Bestandsvorm."
        )
        parser.add_argument(
            "--report-version",
            type=int,
            help="Versie (standaard de nieuwste).",
            dest="report_version",
        )
        parser.add_argument("-o", "--output", required=True, help="Het bestand om te schrijven.")

    def handle(self, *args, **options):
        try:
            plan = Plan.objects.get(slug=options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(f"Er is geen plan '{options['plan']}'.") from error
        try:
            period = period_from_text(options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = find_report(plan, options["type"], period, options["report_version"])
        if report is None:
            if options["report_version"] is not None:
                raise CommandError(f"Versie {options['report_version']} bestaat niet.")
            report = Report(
                plan=plan,
                report_type=options["type"],
                period_type=period.type,
                period_start=period.start,
            )
        try:
            data = exports.build(report, options["format"])
        except PdfUnavailable as error:
            raise CommandError(
                "Deze server kan geen PDF maken: WeasyPrint of Pango ontbreekt."
            ) from error
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{report} ({options['format']}): {options['output']}")
