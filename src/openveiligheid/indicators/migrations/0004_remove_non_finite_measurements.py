"""Measurements whose value is not a finite number (stored as infinity on SQLite before the
service checked the column's range) made every page that shows them fail. They carry no
information; this migration reports each one, writes a change log entry with what it held and
removes it."""

from django.db import migrations

NON_FINITE = {
    # SQLite keeps such values as REAL infinity (NaN becomes NULL and cannot be in this column).
    "sqlite": "value > 9e307 OR value < -9e307",
    # PostgreSQL 14+ numeric can hold them; comparing the text works on every version.
    "postgresql": "value::text IN ('Infinity', '-Infinity', 'NaN')",
}


def remove_non_finite_measurements(apps, schema_editor):
    connection = schema_editor.connection
    condition = NON_FINITE.get(connection.vendor)
    if condition is None:
        return
    table = "indicators_measurement"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, indicator_id, area_id, period_type, period_start, CAST(value AS TEXT), "
            f"note FROM {table} WHERE {condition}"
        )
        rows = cursor.fetchall()
    if not rows:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeLogEntry = apps.get_model("core", "ChangeLogEntry")
    content_type, _ = ContentType.objects.get_or_create(app_label="indicators", model="measurement")
    for pk, indicator_id, area_id, period_type, period_start, value, note in rows:
        print(
            f"  Meting {pk} (indicator {indicator_id}, {period_type} {period_start}): waarde "
            f"{value} is geen eindig getal en is verwijderd."
        )
        ChangeLogEntry.objects.create(
            content_type=content_type,
            object_id=str(pk),
            object_repr=f"Meting {period_type} {period_start}"[:300],
            operation="delete",
            before={
                "id": pk,
                "indicator_id": indicator_id,
                "area_id": area_id,
                "period_type": period_type,
                "period_start": str(period_start),
                "value": value,
                "note": note,
                "reason": "geen eindig getal",
            },
            after={},
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {condition}")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_two_yearly_frequency"),
        ("core", "0002_changelog_owner_organisation"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(remove_non_finite_measurements, migrations.RunPython.noop),
    ]
