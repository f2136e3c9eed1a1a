"""`openveiligheid load-areas`: the CBS area hierarchy from the files in areas/data (idempotent)."""

import time

from openveiligheid.areas.services import load_areas
from openveiligheid.core.formats import format_number
from openveiligheid.core.log import LoggedCommand


class Command(LoggedCommand):
    help = "Laad de CBS-gebieden (land, gemeenten, wijken, buurten, inwoners) uit de CBS-bestanden."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def progress(stage: str, done: int, total: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {stage}: {done}/{total}")

        started = time.monotonic()
        counts = load_areas(progress=progress)
        seconds = time.monotonic() - started
        n = format_number
        self.stdout.write(
            f"Gemeenten: {n(counts['municipalities'])} (incl. 'Gemeente onbekend'), "
            f"opgeheven gemeenten: {n(counts['historic_municipalities'])}, "
            f"wijken: {n(counts['districts'])}, buurten: {n(counts['neighbourhoods'])}."
        )
        self.stdout.write(
            f"Nieuw: {n(counts['created'])}, bijgewerkt: {n(counts['updated'])}, "
            f"ongewijzigd: {n(counts['unchanged'])} ({n(seconds, 1)} s)."
        )
