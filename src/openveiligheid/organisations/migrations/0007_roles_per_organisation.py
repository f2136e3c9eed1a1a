"""Roles become data per organisation: every organisation with members gets its own copy of each
role there was (same slug, name and permissions), so that its administrators can change its
roles without changing another organisation's. An organisation without members gets the default
roles with its first membership (services.role_by_slug)."""

from django.db import migrations


def copy_roles_per_organisation(apps, schema_editor):
    Role = apps.get_model("organisations", "Role")
    Membership = apps.get_model("organisations", "Membership")
    shared = list(Role.objects.filter(organisation__isnull=True))
    organisation_ids = Membership.objects.values_list("organisation_id", flat=True).distinct()
    for organisation_id in organisation_ids:
        for role in shared:
            copy = Role.objects.create(
                organisation_id=organisation_id,
                slug=role.slug,
                name=role.name,
                permissions=role.permissions,
            )
            Membership.objects.filter(role=role, organisation_id=organisation_id).update(
                role=copy
            )
    for role in shared:
        role.delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_role_organisation")]

    operations = [migrations.RunPython(copy_roles_per_organisation, migrations.RunPython.noop)]
