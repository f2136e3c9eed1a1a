from django.db import migrations


def create_default_roles(apps, schema_editor):
    from openveiligheid.organisations.permissions import DEFAULT_ROLES

    Role = apps.get_model("organisations", "Role")
    for slug, (name, permissions) in DEFAULT_ROLES.items():
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "permissions": [str(p) for p in permissions]}
        )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(create_default_roles, migrations.RunPython.noop)]
