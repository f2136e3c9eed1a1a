"""Every role belongs to an organisation (after 0007 copied them), with a slug unique in it; a
role in use can be deleted only with its organisation. A migration of its own: PostgreSQL
alters no table in the transaction that changed its rows (0007)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organisations", "0007_roles_per_organisation")]

    operations = [
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
