"""Need-to-know: programme managers read the meldpunt's reports, administrators do not. Roles
are data per organisation (organisations 0007): every existing programme manager's role gets the
permission; organisations without roles yet get it with their first membership
(permissions.DEFAULT_ROLES)."""

from django.db import migrations


def grant_view_signals(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    for role in Role.objects.filter(slug="programme_manager"):
        if "view_signals" not in role.permissions:
            role.permissions = [*role.permissions, "view_signals"]
            role.save(update_fields=["permissions"])


def revoke_view_signals(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    for role in Role.objects.all():
        if "view_signals" in role.permissions:
            role.permissions = [code for code in role.permissions if code != "view_signals"]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0001_meldpunt"),
        ("organisations", "0008_roles_require_organisation"),
    ]
    operations = [migrations.RunPython(grant_view_signals, revoke_view_signals)]
