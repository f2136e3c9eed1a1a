"""Default mapping rules for the known police and CBS tables (a frozen copy of DEFAULT_RULES)."""

from django.db import migrations

RULES = (
    ("47013NED", "Geregistreerde misdrijven", "misdrijven-politie", "municipality"),
    ("47013NED", "Totaal misdrijven", "misdrijven-politie", "municipality"),
    ("83648NED", "Totaal geregistreerde misdrijven", "misdrijven-cbs", "municipality"),
    ("83648NED", "Geregistreerde misdrijven", "misdrijven-cbs", "municipality"),
    ("83648NED", "Geregistreerde misdrijven per 1000 inw", "misdrijven-per-1000-cbs", ""),
    ("83648NED", "Misdrijven per 1000 inw", "misdrijven-per-1000-cbs", ""),
    ("47024NED", "Totaal registraties overlast", "overlast-totaal", ""),
    ("47024NED", "Melding overlast jeugd", "overlast-jeugd", ""),
    ("47024NED", "Overlast door verward persoon", "overlast-verward-persoon", ""),
    ("", "Woninginbraak", "woninginbraak", "municipality"),
    ("", "Poging tot woninginbraak", "poging-tot-woninginbraak", "municipality"),
)


def create_defaults(apps, schema_editor):
    MeasureMapping = apps.get_model("imports", "MeasureMapping")
    for table_id, measure, key, level in RULES:
        MeasureMapping.objects.get_or_create(
            organisation=None,
            table_id=table_id,
            measure=measure,
            defaults={"key": key, "area_level": level},
        )


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_measuremapping_refreshtable")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
