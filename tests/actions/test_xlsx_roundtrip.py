"""Export an action plan to XLSX, edit it, and import it back: preview, confirm, refusals."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from openveiligheid.actions import services
from openveiligheid.actions.exports import actions_workbook
from openveiligheid.actions.models import Action, ActionStatus, ActionStatusChange
from openveiligheid.actions.selectors import with_related
from openveiligheid.imports.models import Upload
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.permissions import assert_matrix, expect, login
from tests.plans.factories import ThemeFactory

pytestmark = pytest.mark.django_db

MANAGE_PAGE = expect(
    403,
    anonymous=302,
    administrator=200,
    programme_manager=200,
    partner_contact=404,
    other_municipality=404,
)


@pytest.fixture
def action_plan():
    action_plan = ActionPlanFactory(year_start=2023, year_end=2023)
    theme = ThemeFactory(plan=action_plan.plan, name="Ondermijning")
    ActionFactory(
        action_plan=action_plan,
        theme=theme,
        subject="Straatcoaches",
        description="=Inzet straatcoaches\nin de binnenstad",  # looks like a formula
        lead_text="Gemeente (Veiligheid)",
        due_text="2e kwartaal 2023",
        due_start=date(2023, 4, 1),
        due_end=date(2023, 6, 30),
        status=ActionStatus.IN_PROGRESS,
        progress=29,
        is_new=True,
    )
    ActionFactory(action_plan=action_plan, subject="", due_text="Doorlopend", status="done")
    ActionFactory(
        action_plan=action_plan,
        subject="Brandstichting",
        is_unplanned=True,
        unplanned_since=date(2023, 5, 2),
    )
    return action_plan


def export(action_plan) -> bytes:
    return actions_workbook(with_related(action_plan.actions.order_by("order", "id")))


def edit(content: bytes, changes: dict) -> bytes:
    """changes: {(row, header): value}; row 2 is the first action."""
    workbook = load_workbook(BytesIO(content))
    sheet = workbook["Acties"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for (row, header), value in changes.items():
        sheet.cell(row=row, column=headers[header]).value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(content: bytes, pk: int) -> int:
    sheet = load_workbook(BytesIO(content))["Acties"]
    column = [cell.value for cell in sheet[1]].index("Id")
    return next(
        number
        for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2)
        if row[column] == pk
    )


def test_export_then_import_unchanged_gives_no_changes(action_plan):
    content = export(action_plan)
    workbook = load_workbook(BytesIO(content))
    assert workbook["Gegevens"].sheet_state == "hidden"
    assert workbook["Gegevens"]["B2"].value == str(action_plan.pk)

    preview = services.import_actions_xlsx(action_plan, content, dry_run=True)
    assert preview.rows == []
    assert preview.unchanged == 3
    assert not preview.has_changes

    before = ActionStatusChange.objects.count()
    applied = services.import_actions_xlsx(action_plan, content, dry_run=False)
    assert applied.applied and applied.rows == []
    assert ActionStatusChange.objects.count() == before


def test_edited_status_and_dates_preview_exactly_those_then_apply(action_plan):
    first, second, third = action_plan.actions.order_by("order", "id")
    content = edit(
        export(action_plan),
        {
            (2, "Status"): "Afgerond",
            (2, "Tot"): datetime(2023, 9, 30),
            (4, "Van"): "01-07-2023",
            (4, "Voortgang"): 0.5,
        },
    )
    preview = services.import_actions_xlsx(action_plan, content, dry_run=True)
    shown = {
        (row.action.pk, change.label, change.old, change.new)
        for row in preview.rows
        for change in row.changes
    }
    assert shown == {
        (first.pk, "Tot", "30-06-2023", "30-09-2023"),
        (first.pk, "Status", "In uitvoering", "Afgerond"),
        (third.pk, "Van", "–", "01-07-2023"),
        (third.pk, "Voortgang", "0%", "50%"),
    }
    assert (preview.changed, preview.created, preview.refused, preview.unchanged) == (2, 0, 0, 1)
    # A preview writes nothing.
    assert Action.objects.get(pk=first.pk).status == ActionStatus.IN_PROGRESS

    services.import_actions_xlsx(action_plan, content, dry_run=False)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, first.due_end, first.progress) == ("done", date(2023, 9, 30), 100)
    assert first.status_history.last().note == "Bijgewerkt via Excel-import."
    assert (third.due_start, third.progress) == (date(2023, 7, 1), 50)
    second.refresh_from_db()
    assert second.status == ActionStatus.DONE
    # Importing the same file again changes nothing more (except the progress of the done
    # action, which change_status set to 100% and the file still says 29%).
    again = services.import_actions_xlsx(action_plan, content, dry_run=True)
    assert [(r.action.pk, [c.label for c in r.changes]) for r in again.rows] == [
        (first.pk, ["Voortgang"])
    ]


def test_refused_transition_is_reported_and_not_applied(action_plan):
    done = action_plan.actions.get(status=ActionStatus.DONE)
    content = edit(export(action_plan), {(3, "Status"): "Vertraagd", (3, "Wanneer"): "Eind 2023"})
    preview = services.import_actions_xlsx(action_plan, content, dry_run=False)
    [row] = preview.rows
    assert row.errors == [
        "De status kan niet van 'Afgerond' naar 'Vertraagd'; deze rij is niet verwerkt."
    ]
    assert preview.refused == 1
    done.refresh_from_db()
    assert (done.status, done.due_text) == (ActionStatus.DONE, "Doorlopend")


def test_unreadable_cells_unknown_ids_and_new_rows(action_plan):
    content = edit(
        export(action_plan),
        {
            (2, "Status"): "Half af",
            (3, "Id"): 999999,
            (5, "Actie"): "Nieuwe actie uit Excel",
            (5, "Thema"): "Ondermijning",
            (5, "Trekker"): "Politie",
            (5, "Wanneer"): "Eind 2023",
            (5, "Status"): "Gepland",
        },
    )
    preview = services.import_actions_xlsx(action_plan, content, dry_run=False)
    errors = {row.row: row.errors for row in preview.rows if row.errors}
    assert errors[2][0].startswith("Onbekende status 'Half af'. Kies uit: Gepland,")
    assert errors[3] == ["Er is geen actie met id 999999 in dit actieplan; de rij is overgeslagen."]
    assert preview.created == 1
    new = action_plan.actions.get(description="Nieuwe actie uit Excel")
    assert (new.theme.name, new.lead_text, new.due_end) == (
        "Ondermijning",
        "Politie",
        date(2023, 12, 31),
    )


def test_not_a_workbook():
    with pytest.raises(ValidationError, match="geen leesbaar Excelbestand"):
        services.import_actions_xlsx(ActionPlanFactory(), b"plain text", dry_run=True)


# --- pages: upload, preview, confirm ------------------------------------------------------------


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
        reverse("actions:import", args=["plan-a"]),
        {"action_plan": action_plan.pk, "file": _upload_file(content)},
    )
    upload = Upload.objects.get()
    assert upload.organisation is None  # never picked up by the plan import
    preview_url = reverse("actions:import-preview", args=["plan-a", upload.pk])
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

    confirm_url = reverse("actions:import-confirm", args=["plan-a", upload.pk])
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED
    # A second confirmation does nothing.
    client.post(confirm_url)
    assert action.status_history.count() == 1  # the factory wrote none; the import one


def test_upload_rejects_other_files(client, world):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("actions:import", args=["plan-a"]),
        {
            "action_plan": world.objects["a"]["action_plan"].pk,
            "file": _upload_file(b"geen excel", name="acties.xlsx"),
        },
    )
    assert response.status_code == 200
    assert "geen leesbaar Excelbestand" in response.content.decode()
    assert not Upload.objects.exists()


def test_matrix_import_get(client, world):
    assert_matrix(client, world, "GET", reverse("actions:import", args=["plan-a"]), MANAGE_PAGE)


def test_matrix_import_post(client, world, monkeypatch):
    action_plan = world.objects["a"]["action_plan"]
    content = export(action_plan)
    original_post = client.post

    def post(url, data=None, **kwargs):
        data = {"action_plan": action_plan.pk, "file": _upload_file(content)}
        return original_post(url, data, **kwargs)

    monkeypatch.setattr(client, "post", post)
    url = reverse("actions:import", args=["plan-a"])
    expected = MANAGE_PAGE | {"administrator": 302, "programme_manager": 302}
    assert_matrix(client, world, "POST", url, expected)


def _pm_upload(world):
    action_plan = world.objects["a"]["action_plan"]
    exported = export(action_plan)
    row = row_of(exported, world.objects["a"]["action"].pk)
    content = edit(exported, {(row, "Status"): "Vertraagd"})
    return Upload.objects.create(
        kind=Upload.Kind.PLAN,
        file_name="acties.xlsx",
        sha256=Upload.hash_of(content),
        content=content,
        options={"purpose": "actions_xlsx", "action_plan": action_plan.pk},
        uploaded_by=world.users["programme_manager"],
    )


# Only the uploader sees their preview; others who manage actions get 404, not someone's file.
UPLOADER_ONLY = MANAGE_PAGE | {"administrator": 404}


def test_matrix_import_preview(client, world):
    upload = _pm_upload(world)
    url = reverse("actions:import-preview", args=["plan-a", upload.pk])
    assert_matrix(client, world, "GET", url, UPLOADER_ONLY)


def test_matrix_import_confirm(client, world):
    upload = _pm_upload(world)
    url = reverse("actions:import-confirm", args=["plan-a", upload.pk])
    assert_matrix(client, world, "POST", url, UPLOADER_ONLY | {"programme_manager": 302})
    assert world.objects["a"]["action"].status_history.last().to_status == "delayed"


def test_preview_of_another_plan_is_404(client, world):
    upload = _pm_upload(world)
    login(client, world.users["programme_manager"])
    url = reverse("actions:import-preview", args=["concept-a", upload.pk])
    assert client.get(url).status_code in (403, 404)
