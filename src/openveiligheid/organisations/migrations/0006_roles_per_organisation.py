"""Roles become data per organisation: every organisation with members gets its own copy of each
role there was (same slug, name and permissions), so that its administrators can change its
roles without changing another organisation's. An organisation without members gets the default
roles with its first membership (services.role_by_slug)."""

import django.db.models.deletion
from django.db import migrations, models


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
    dependencies = [("organisations", "0005_invitations")]

    operations = [
        migrations.AddField(
            model_name="role",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="roles",
                to="organisations.organisation",
                verbose_name="organisatie",
            ),
        ),
        migrations.AlterField(
            model_name="role",
            name="slug",
            field=models.SlugField(),
        ),
        migrations.RunPython(copy_roles_per_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="role",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="roles",
                to="organisations.organisation",
                verbose_name="organisatie",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="memberships",
                to="organisations.role",
            ),
        ),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(
                fields=("organisation", "slug"), name="organisations_role_unique_slug"
            ),
        ),
    ]
