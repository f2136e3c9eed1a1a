"""openveiligheid read-upload ID: read a stored upload for its preview (started by the upload
page, imports.jobs), within the memory and processor-time bounds of a reading process."""

from openveiligheid.core.log import LoggedCommand
from openveiligheid.imports import jobs


class Command(LoggedCommand):
    help = (
        "Leest een geüpload bestand voor het voorbeeld, buiten het webverzoek, met grenzen aan "
        "geheugen en rekentijd. De uploadpagina start dit zelf; met de hand alleen nodig voor "
        "een upload die nog op lezen wacht."
    )

    def add_arguments(self, parser):
        parser.add_argument("upload", type=int, help="Het nummer (id) van de upload.")

    def handle(self, *args, **options):
        jobs.limit_resources()
        jobs.read_upload(options["upload"])
