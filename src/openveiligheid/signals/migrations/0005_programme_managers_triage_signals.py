"""Who reads the reports also triages them: every existing programme manager's role gets
TRIAGE_SIGNALS (as VIEW_SIGNALS in 0002); organisations without roles yet get it with their first
membership (permissions.DEFAULT_ROLES)."""

from django.db import migrations


def grant_triage_signals(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    for role in Role.objects.filter(slug="programme_manager"):
        if "triage_signals" not in role.permissions:
            role.permissions = [*role.permissions, "triage_signals"]
            role.save(update_fields=["permissions"])


def revoke_triage_signals(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    for role in Role.objects.all():
        if "triage_signals" in role.permissions:
            role.permissions = [code for code in role.permissions if code != "triage_signals"]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("signals", "0004_triage")]
    operations = [migrations.RunPython(grant_triage_signals, revoke_triage_signals)]
