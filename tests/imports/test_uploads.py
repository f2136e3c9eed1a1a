"""The one upload flow (imports.uploads): private file storage, one size limit, the status table
checked under a row lock (a double confirm imports once), change log, permissions, retention."""

import io
import os
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from openveiligheid.actions.models import Action
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports import uploads
from openveiligheid.imports.models import UPLOAD_TRANSITIONS, Upload, upload_storage
from openveiligheid.imports.plans.readers import UnreadableDocument
from openveiligheid.imports.plans.services import confirm_upload, preview_upload
from openveiligheid.imports.uploads import ImportRefused
from tests.actions.test_xlsx_roundtrip import edit, export
from tests.imports.plans import documents
from tests.permissions import login

pytestmark = pytest.mark.django_db

Status = Upload.Status


def _plan_upload(world, user=None) -> Upload:
    return _plan_upload_and_extracted(world, user)[0]


def _plan_upload_and_extracted(world, user=None):
    return preview_upload(
        content=documents.small_plan_xlsx(),
        file_name="plan.xlsx",
        organisation=world.municipality_a,
        user=user or world.users["programme_manager"],
    )


def _status_log(upload: Upload) -> list[tuple[str, str]]:
    entries = ChangeLogEntry.objects.filter(
        content_type__model="upload", object_id=str(upload.pk)
    ).order_by("pk")
    return [(entry.operation, entry.after.get("status", "")) for entry in entries]


# --------------------------------------------------------------------------------------------
# Storage


def test_file_is_kept_on_private_storage_not_in_the_database(world):
    content = documents.small_plan_xlsx()
    upload = uploads.store_upload(
        Upload.Kind.PLAN,
        SimpleUploadedFile("plan.xlsx", content),
        world.municipality_a,
        world.users["programme_manager"],
    )
    storage = upload_storage()

    assert "content" not in {field.name for field in Upload._meta.get_fields()}
    assert storage.exists(upload.file.name)
    assert upload.read_content() == content
    assert (upload.size, upload.sha256) == (len(content), Upload.hash_of(content))
    # The stored name tells nothing of the original; the original name is data.
    assert "plan" not in upload.file.name.rsplit("/", 1)[-1]
    assert upload.file_name == "plan.xlsx"
    location = os.path.realpath(storage.location)
    assert not location.startswith(os.path.realpath(settings.STATIC_ROOT))


def test_upload_storage_is_its_own_configured_entry():
    entry = settings.STORAGES["uploads"]
    assert entry["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert entry["OPTIONS"]["file_permissions_mode"] == 0o600


# --------------------------------------------------------------------------------------------
# Confirm under a row lock


def test_double_confirm_imports_once(world):
    manager = world.users["programme_manager"]
    upload = _plan_upload(world)
    confirm_upload(upload, actor=manager)
    actions = Action.objects.count()
    assert upload.status == Status.CONFIRMED

    with pytest.raises(ImportRefused, match="al ingelezen"):
        confirm_upload(upload, actor=manager)
    assert Action.objects.count() == actions


def test_two_requests_holding_the_same_upload_import_once(world):
    """Both requests read the upload as previewed before either confirmed (a double submit)."""
    manager = world.users["programme_manager"]
    upload = _plan_upload(world)
    first, second = Upload.objects.get(pk=upload.pk), Upload.objects.get(pk=upload.pk)
    before = Action.objects.count()

    confirm_upload(first, actor=manager)
    imported = Action.objects.count() - before
    with pytest.raises(ImportRefused):
        confirm_upload(second, actor=manager)

    assert imported > 0
    assert Action.objects.count() - before == imported


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="row locks need PostgreSQL (SQLite serialises whole transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirms_import_once_on_postgresql(world):
    manager = world.users["programme_manager"]
    upload, extracted = _plan_upload_and_extracted(world)
    before = Action.objects.count()
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def confirm_in_thread():
        try:
            start.wait()
            confirm_upload(Upload.objects.get(pk=upload.pk), actor=manager)
            outcomes.append("confirmed")
        except ImportRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["confirmed", "refused"]
    upload.refresh_from_db()
    assert upload.status == Status.CONFIRMED
    assert Action.objects.count() - before == len(extracted.actions)


def test_double_submit_of_an_action_sheet_imports_once(client, world):
    action_plan = world.objects["a"]["action_plan"]
    login(client, world.users["programme_manager"])
    client.post(
        reverse("action_sheets:upload", args=["plan-a"]),
        {"action_plan": action_plan.pk, "file": SimpleUploadedFile("acties.xlsx", _new_row(world))},
    )
    upload = Upload.objects.get(kind=Upload.Kind.ACTION_SHEET)
    confirm_url = reverse("action_sheets:confirm", args=["plan-a", upload.pk])
    before = Action.objects.count()

    client.post(confirm_url)
    again = client.post(confirm_url, follow=True)

    assert Action.objects.count() == before + 1
    assert "Dit bestand is al ingelezen." in again.content.decode()


def _new_row(world) -> bytes:
    """An export of plan A's action plan with one new action (a row without id)."""
    content = export(world.objects["a"]["action_plan"])
    row = load_workbook(io.BytesIO(content))["Acties"].max_row + 1
    changes = {(row, "Actie"): "Nieuwe actie uit Excel", (row, "Status"): "Gepland"}
    theme = world.objects["a"]["action"].theme
    if theme is not None:
        changes[(row, "Thema")] = theme.name
    return edit(content, changes)


# --------------------------------------------------------------------------------------------
# Status table and change log


def test_every_status_change_is_in_the_change_log(world):
    upload = _plan_upload(world)
    confirm_upload(upload, actor=world.users["programme_manager"])
    assert _status_log(upload) == [
        ("create", "uploaded"),
        ("update", "previewed"),
        ("update", "confirmed"),
    ]


def test_an_upload_without_preview_cannot_be_confirmed(world):
    manager = world.users["programme_manager"]
    upload = uploads.store_upload(
        Upload.Kind.PLAN, documents.small_plan_xlsx(), world.municipality_a, manager, name="p.xlsx"
    )
    with pytest.raises(ImportRefused, match="Bekijk eerst het voorbeeld"):
        uploads.confirm(upload, manager)
    assert Upload.objects.get(pk=upload.pk).status == Status.UPLOADED


def test_status_table_ends_in_expired():
    assert set(UPLOAD_TRANSITIONS) == set(Status)
    assert UPLOAD_TRANSITIONS[Status.EXPIRED] == set()
    for status in set(Status) - {Status.EXPIRED}:
        assert Status.EXPIRED in UPLOAD_TRANSITIONS[status]


def test_unreadable_stored_file_marks_the_upload_failed(world):
    manager = world.users["programme_manager"]
    upload = _plan_upload(world)
    with upload_storage().open(upload.file.name, "wb") as stored:
        stored.write(b"geen plan meer")

    with pytest.raises(UnreadableDocument):
        confirm_upload(upload, actor=manager)

    upload.refresh_from_db()
    assert upload.status == Status.FAILED
    assert upload.summary["error"]
    assert _status_log(upload)[-1] == ("update", "failed")
    with pytest.raises(ImportRefused, match="kon niet worden ingelezen"):
        confirm_upload(upload, actor=manager)


# --------------------------------------------------------------------------------------------
# Permissions


def test_a_user_without_permission_cannot_upload_or_confirm(world, caplog):
    outsider = world.users["other_municipality"]
    with pytest.raises(PermissionDenied):
        uploads.store_upload(
            Upload.Kind.PLAN, b"plan", world.municipality_a, outsider, name="plan.txt"
        )
    assert not Upload.objects.exists()
    assert "upload_permission_denied" in caplog.messages

    upload = _plan_upload(world)
    with pytest.raises(PermissionDenied):
        confirm_upload(upload, actor=outsider)
    assert Upload.objects.get(pk=upload.pk).status == Status.PREVIEWED


def test_every_kind_is_registered_with_its_permission(world):
    manager, outsider = world.users["programme_manager"], world.users["other_municipality"]
    action_plan = world.objects["a"]["action_plan"]
    cases = [
        (Upload.Kind.MEASUREMENTS, {}),
        (Upload.Kind.PLAN, {}),
        (Upload.Kind.ACTION_SHEET, {"action_plan": action_plan.pk}),
    ]
    for kind, options in cases:
        assert uploads.may_upload(kind, manager, world.municipality_a, options), kind
        assert not uploads.may_upload(kind, outsider, world.municipality_a, options), kind


# --------------------------------------------------------------------------------------------
# One size limit


def test_one_size_limit_for_every_kind(client, world, settings):
    settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES = 100
    message = "u kunt bestanden tot 100\xa0bytes uploaden"  # filesizeformat: no-break space
    with pytest.raises(ValidationError) as refused:
        uploads.store_upload(
            Upload.Kind.PLAN,
            b"x" * 101,
            world.municipality_a,
            world.users["programme_manager"],
            name="plan.txt",
        )
    assert message in refused.value.messages[0]
    login(client, world.users["programme_manager"])
    posts = [
        (
            reverse("imports:measurement-upload"),
            {"organisation": world.municipality_a.pk, "source": "auto"},
            "cijfers.csv",
        ),
        (reverse("plan_imports:upload"), {"organisation": world.municipality_a.pk}, "plan.txt"),
        (
            reverse("action_sheets:upload", args=["plan-a"]),
            {"action_plan": world.objects["a"]["action_plan"].pk},
            "acties.xlsx",
        ),
    ]
    for url, data, name in posts:
        response = client.post(url, {**data, "file": SimpleUploadedFile(name, b"x" * 101)})
        assert response.status_code == 200, url
        assert message in response.content.decode(), url
    assert not Upload.objects.exists()


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="Het bestand is leeg."):
        uploads.check_size(0)


# --------------------------------------------------------------------------------------------
# Retention


def _age(upload: Upload, days: int) -> None:
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=timezone.now() - timedelta(days=days))


def _orphan_file(days: int) -> str:
    storage = upload_storage()
    name = storage.save("2000/01/achtergebleven.txt", ContentFile(b"x"))
    old = time.time() - days * 86400
    os.utime(storage.path(name), (old, old))
    return name


def test_purge_uploads_removes_old_files_and_is_safe_to_run_twice(world):
    storage = upload_storage()
    old, recent = _plan_upload(world), _plan_upload(world)
    _age(old, 40)
    old_file = old.file.name
    orphan = _orphan_file(40)

    dry = io.StringIO()
    call_command("purge-uploads", "--dry-run", stdout=dry)
    assert "Zou verwijderen: 1 uploads ouder dan 30 dagen, 1 bestanden zonder upload." in (
        dry.getvalue()
    )
    assert storage.exists(old_file) and storage.exists(orphan)

    out = io.StringIO()
    call_command("purge-uploads", stdout=out)
    assert "Verwijderd: 1 uploads ouder dan 30 dagen, 1 bestanden zonder upload." in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.file.name) == (Status.EXPIRED, "")
    assert not storage.exists(old_file) and not storage.exists(orphan)
    assert recent.status == Status.PREVIEWED and storage.exists(recent.file.name)
    assert _status_log(old)[-1] == ("update", "expired")
    with pytest.raises(ImportRefused, match="verlopen"):
        confirm_upload(old, actor=world.users["programme_manager"])

    again = io.StringIO()
    call_command("purge-uploads", stdout=again)
    assert "Verwijderd: 0 uploads" in again.getvalue()


def test_purge_period_comes_from_the_setting_or_the_option(world, settings):
    upload = _plan_upload(world)
    _age(upload, 40)
    settings.OPENVEILIGHEID_UPLOAD_RETENTION_DAYS = 60
    call_command("purge-uploads", stdout=io.StringIO())
    assert Upload.objects.get(pk=upload.pk).status == Status.PREVIEWED
    call_command("purge-uploads", "--older-than", "10", stdout=io.StringIO())
    assert Upload.objects.get(pk=upload.pk).status == Status.EXPIRED


def test_expired_upload_pages_say_so(client, world):
    upload = _plan_upload(world)
    _age(upload, 40)
    call_command("purge-uploads", stdout=io.StringIO())
    login(client, world.users["programme_manager"])
    response = client.get(reverse("plan_imports:preview", args=[upload.pk]), follow=True)
    assert "Dit bestand is verlopen en verwijderd" in response.content.decode()


# --------------------------------------------------------------------------------------------
# Migration of the contents kept in the database


@pytest.mark.django_db(transaction=True)
def test_migration_moves_stored_contents_to_files():
    before = [("imports", "0003_default_measure_mappings")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldUpload = executor.loader.project_state(before).apps.get_model("imports", "Upload")
    plan = OldUpload.objects.create(
        kind="plan", file_name="plan.txt", sha256="-", content=b"inhoud", status="imported"
    )
    sheet = OldUpload.objects.create(
        kind="plan",
        file_name="acties.xlsx",
        sha256="-",
        content=b"blad",
        status="previewed",
        options={"purpose": "actions_xlsx", "action_plan": 1},
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    plan, sheet = Upload.objects.get(pk=plan.pk), Upload.objects.get(pk=sheet.pk)
    assert (plan.read_content(), plan.size, plan.status) == (b"inhoud", 6, Status.CONFIRMED)
    assert (sheet.read_content(), sheet.kind) == (b"blad", Upload.Kind.ACTION_SHEET)


# --------------------------------------------------------------------------------------------
# The commands take the same way


def test_import_plan_command_goes_through_the_upload_flow(world, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(documents.small_plan_xlsx())
    call_command("import-plan", str(path), "--municipality", "GM9101", stdout=io.StringIO())
    upload = Upload.objects.get()
    assert (upload.kind, upload.status, upload.uploaded_by) == (
        Upload.Kind.PLAN,
        Status.CONFIRMED,
        None,
    )
    assert (
        upload.summary["result"]["actions"]
        == Action.objects.filter(action_plan__plan__slug=upload.summary["result"]["plan"]).count()
    )
    assert [status for _operation, status in _status_log(upload)] == [
        "uploaded",
        "previewed",
        "confirmed",
    ]


@pytest.mark.parametrize("command", ["import-plan", "import-measurements"])
def test_commands_refuse_a_file_above_the_limit(world, tmp_path, settings, command):
    settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES = 10
    path = tmp_path / "bestand.txt"
    path.write_bytes(b"x" * 11)
    with pytest.raises(CommandError, match="u kunt bestanden tot 10"):
        call_command(command, str(path), "--municipality", "GM9101", stdout=io.StringIO())
    assert not Upload.objects.exists()


def test_a_file_above_the_limit_is_not_kept_while_it_streams_in(settings):
    settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES = 100
    handler = uploads.UploadLimitHandler()
    handler.new_file("file", "groot.csv", "text/csv", 250)
    passed_on = [handler.receive_data_chunk(b"x" * 50, start) for start in range(0, 250, 50)]
    file = handler.file_complete(250)

    assert passed_on == [b"x" * 50, b"x" * 50, None, None, None]
    assert (file.name, file.size, file.read()) == ("groot.csv", 250, b"")
    with pytest.raises(ValidationError, match="250"):
        uploads.check_size(file.size)


def test_a_file_within_the_limit_is_left_to_the_next_handler(settings):
    settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES = 100
    handler = uploads.UploadLimitHandler()
    handler.new_file("file", "klein.csv", "text/csv", 60)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    assert handler.file_complete(60) is None
