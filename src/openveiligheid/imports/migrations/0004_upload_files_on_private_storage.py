"""Uploads keep their file on private file storage instead of in the database; the status follows
one table (uploaded -> previewed -> confirmed / failed / expired) and action sheets are a kind of
their own."""

from django.core.files.base import ContentFile
from django.db import migrations, models

import openveiligheid.imports.models


def contents_to_files(apps, schema_editor):
    Upload = apps.get_model("imports", "Upload")
    storage = openveiligheid.imports.models.upload_storage()
    for upload in Upload.objects.exclude(content=b"").only("pk", "file_name", "content").iterator():
        content = bytes(upload.content)
        name = openveiligheid.imports.models.upload_path(upload, upload.file_name)
        stored = storage.save(name, ContentFile(content))
        Upload.objects.filter(pk=upload.pk).update(file=stored, size=len(content))


def files_to_contents(apps, schema_editor):
    Upload = apps.get_model("imports", "Upload")
    storage = openveiligheid.imports.models.upload_storage()
    for upload in Upload.objects.exclude(file="").only("pk", "file").iterator():
        if storage.exists(upload.file.name):
            with storage.open(upload.file.name, "rb") as stored:
                Upload.objects.filter(pk=upload.pk).update(content=stored.read())


def new_statuses_and_kinds(apps, schema_editor):
    Upload = apps.get_model("imports", "Upload")
    Upload.objects.filter(status="imported").update(status="confirmed")
    Upload.objects.filter(options__purpose="actions_xlsx").update(kind="action_sheet")


def old_statuses_and_kinds(apps, schema_editor):
    Upload = apps.get_model("imports", "Upload")
    Upload.objects.filter(status="confirmed").update(status="imported")
    Upload.objects.filter(status__in=["uploaded", "expired"]).update(status="failed")
    Upload.objects.filter(kind="action_sheet").update(kind="plan")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_default_measure_mappings"),
    ]

    operations = [
        migrations.AddField(
            model_name="upload",
            name="file",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=openveiligheid.imports.models.upload_storage,
                upload_to=openveiligheid.imports.models.upload_path,
                verbose_name="bestand",
            ),
        ),
        migrations.AddField(
            model_name="upload",
            name="size",
            field=models.PositiveBigIntegerField(default=0, verbose_name="grootte in bytes"),
        ),
        migrations.RunPython(contents_to_files, files_to_contents),
        migrations.RemoveField(model_name="upload", name="content"),
        migrations.RenameField(
            model_name="upload", old_name="imported_at", new_name="confirmed_at"
        ),
        migrations.AlterField(
            model_name="upload",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ingelezen op"),
        ),
        migrations.AlterField(
            model_name="upload",
            name="kind",
            field=models.CharField(
                choices=[
                    ("plan", "Plan of programma"),
                    ("measurements", "Cijfers"),
                    ("action_sheet", "Actielijst (Excel)"),
                ],
                max_length=20,
                verbose_name="soort",
            ),
        ),
        migrations.AlterField(
            model_name="upload",
            name="status",
            field=models.CharField(
                choices=[
                    ("uploaded", "Geüpload"),
                    ("previewed", "Voorbeeld getoond"),
                    ("confirmed", "Ingelezen"),
                    ("failed", "Mislukt"),
                    ("expired", "Verlopen"),
                ],
                default="uploaded",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(new_statuses_and_kinds, old_statuses_and_kinds),
    ]
