"""Upload, preview and confirm pages of the action sheet import (an edited XLSX export of an
action plan read back in), with their permission matrices. The comparison itself is tested in
tests/actions/test_xlsx_roundtrip.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openveiligheid.actions.models import ActionStatus
from openveiligheid.imports.action_sheets.services import upload_action_sheet
from openveiligheid.imports.models import Upload
from tests.actions.test_xlsx_roundtrip import edit, export, row_of
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

MANAGE_PAGE = expect(
    403,
    anonymous=302,
    administrator=200,
    programme_manager=200,
    partner_contact=404,
    other_municipality=404,
)


def _upload_file(content: bytes, name="acties.xlsx"):
    return SimpleUploadedFile(
        name, content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_upload_preview_confirm(client, world):
    action_plan = world.objects["a"]["action_plan"]
    action = world.objects["a"]["action"]
    login(client, world.users["programme_manager"])
    exported = client.get(
        reverse("actions:export", args=["plan-a"]), {"action_plan": action_plan.pk}
    ).content
    content = edit(exported, {(row_of(exported, action.pk), "Status"): "In uitvoering"})

    response = client.post(
        reverse("action_sheets:upload", args=["plan-a"]),
        {"action_plan": action_plan.pk, "file": _upload_file(content)},
    )
    upload = Upload.objects.get()
    assert (upload.kind, upload.status) == (Upload.Kind.ACTION_SHEET, Upload.Status.PREVIEWED)
    assert upload.organisation == action_plan.plan.owner
    preview_url = reverse("action_sheets:preview", args=["plan-a", upload.pk])
    assert response["Location"] == preview_url
    page = client.get(preview_url)
    assert page.status_code == 200
    [row] = page.context["preview"].rows
    assert (row.action, row.changes[0].old, row.changes[0].new) == (
        action,
        "Gepland",
        "In uitvoering",
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED

    confirm_url = reverse("action_sheets:confirm", args=["plan-a", upload.pk])
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CONFIRMED
    # A second confirmation does nothing.
    client.post(confirm_url)
    assert action.status_history.count() == 1  # the factory wrote none; the import one


def test_upload_rejects_other_files(client, world):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("action_sheets:upload", args=["plan-a"]),
        {
            "action_plan": world.objects["a"]["action_plan"].pk,
            "file": _upload_file(b"geen excel", name="acties.xlsx"),
        },
    )
    assert response.status_code == 200
    assert "geen leesbaar Excelbestand" in response.content.decode()
    assert not Upload.objects.exists()


def test_matrix_import_get(client, world):
    assert_matrix(
        client, world, "GET", reverse("action_sheets:upload", args=["plan-a"]), MANAGE_PAGE
    )


def test_matrix_import_post(client, world, monkeypatch):
    action_plan = world.objects["a"]["action_plan"]
    content = export(action_plan)
    original_post = client.post

    def post(url, data=None, **kwargs):
        data = {"action_plan": action_plan.pk, "file": _upload_file(content)}
        return original_post(url, data, **kwargs)

    monkeypatch.setattr(client, "post", post)
    url = reverse("action_sheets:upload", args=["plan-a"])
    expected = MANAGE_PAGE | {"administrator": 302, "programme_manager": 302}
    assert_matrix(client, world, "POST", url, expected)


def _pm_upload(world):
    action_plan = world.objects["a"]["action_plan"]
    exported = export(action_plan)
    row = row_of(exported, world.objects["a"]["action"].pk)
    content = edit(exported, {(row, "Status"): "Vertraagd"})
    upload, _preview = upload_action_sheet(
        action_plan,
        _upload_file(content),
        world.users["programme_manager"],
    )
    return upload


# Only the uploader sees their preview; others who manage actions get 404, not someone's file.
UPLOADER_ONLY = MANAGE_PAGE | {"administrator": 404}


def test_matrix_import_preview(client, world):
    upload = _pm_upload(world)
    url = reverse("action_sheets:preview", args=["plan-a", upload.pk])
    assert_matrix(client, world, "GET", url, UPLOADER_ONLY)


def test_matrix_import_confirm(client, world):
    upload = _pm_upload(world)
    url = reverse("action_sheets:confirm", args=["plan-a", upload.pk])
    assert_matrix(client, world, "POST", url, UPLOADER_ONLY | {"programme_manager": 302})
    assert world.objects["a"]["action"].status_history.last().to_status == "delayed"


def test_preview_of_another_plan_is_404(client, world):
    upload = _pm_upload(world)
    login(client, world.users["programme_manager"])
    url = reverse("action_sheets:preview", args=["concept-a", upload.pk])
    assert client.get(url).status_code in (403, 404)


def test_an_unchanged_sheet_says_what_it_was_compared_with(client, world):
    action_plan = world.objects["a"]["action_plan"]
    login(client, world.users["programme_manager"])
    exported = client.get(
        reverse("actions:export", args=["plan-a"]), {"action_plan": action_plan.pk}
    ).content
    client.post(
        reverse("action_sheets:upload", args=["plan-a"]),
        {"action_plan": action_plan.pk, "file": _upload_file(exported)},
    )
    upload = Upload.objects.get()
    page = client.get(reverse("action_sheets:preview", args=["plan-a", upload.pk]))
    actions = action_plan.actions.count()
    assert (
        f"Vergeleken met actieplan „{action_plan.title}” ({actions} acties): "
        f"{actions} {'rij' if actions == 1 else 'rijen'} van het bestand, geen verschillen."
    ) in page.content.decode()
