"""`openveiligheid signal-counts [--organisation SLUG]`: record the meldpunt's report counts per
category and period as measurements of the indicators tied to a category.

Safe to run as often as wanted (daily from cron): each ended period has one measurement, updated in
place; a count that dropped because reports were purged leaves the stored value alone."""

from django.core.management.base import CommandError

from openveiligheid.core.log import LoggedCommand
from openveiligheid.indicators.services import record_signal_counts
from openveiligheid.organisations.models import Organisation


class Command(LoggedCommand):
    help = "Leg het aantal meldingen per categorie en periode vast als metingen van indicatoren."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Alleen de plannen van deze gemeente."
        )

    def handle(self, *args, **options):
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Geen organisatie met code '{options['organisation']}'.")
        results = record_signal_counts(organisation=organisation)
        if not results:
            self.stdout.write("Geen indicatoren met een meldpuntcategorie en afgelopen perioden.")
            return
        per_indicator: dict = {}
        for indicator, _period, _count, changed in results:
            counted = per_indicator.setdefault(indicator, [0, 0])
            counted[0] += 1
            counted[1] += changed
        for indicator, (periods, changed) in per_indicator.items():
            self.stdout.write(
                f"{indicator.plan.slug}/{indicator.slug}: {periods} perioden geteld, "
                f"{changed} metingen nieuw of gewijzigd."
            )
