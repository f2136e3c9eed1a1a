"""Roles get an organisation (filled in by 0007), and their slug is no longer unique on its own.
Schema and data are separate migrations: PostgreSQL runs no schema change in the transaction
that changed the table's rows."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
