"""Export an action plan to XLSX, edit it, and import it back: preview, confirm, refusals.

The upload, preview and confirm pages live in imports.action_sheets (above actions); their tests
are in tests/imports/test_action_sheets.py and reuse export/edit/row_of from here.
"""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from openveiligheid.actions import services
from openveiligheid.actions.exports import actions_workbook
from openveiligheid.actions.models import Action, ActionStatus, ActionStatusChange
from openveiligheid.actions.selectors import with_related
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.plans.factories import ThemeFactory

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("odd_id", ["²", "9" * 30, "-3"])
def test_an_odd_id_is_a_new_row_not_a_server_error(action_plan, odd_id):
    """A "²" or a number no database integer holds in the hidden Id column reads as a row
    without id (a new action in the preview), never as an error."""
    content = export(action_plan)
    pk = action_plan.actions.first().pk
    edited = edit(content, {(row_of(content, pk), "Id"): odd_id})
    preview = services.import_actions_xlsx(action_plan, edited, dry_run=True)
    assert preview is not None
    assert Action.objects.filter(pk=pk).exists()


def test_an_import_does_not_undo_a_change_made_after_the_export(action_plan):
    """The hidden "Versie" column: a row whose action changed in the product since the export
    is not applied (it would put back the old value), with a Dutch reason; other rows are."""
    first, other = action_plan.actions.order_by("order", "id")[:2]
    content = export(action_plan)
    services.update_action(first, subject="Gewijzigd na de export")

    # The row of the changed action is as exported: importing it would revert the subject.
    edited = edit(content, {(row_of(content, other.pk), "Onderwerp"): "Ander onderwerp"})
    preview = services.import_actions_xlsx(action_plan, edited, dry_run=False)
    refused = next(row for row in preview.rows if row.action == first)
    assert "na de export in de applicatie gewijzigd" in refused.errors[0]
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.subject == "Gewijzigd na de export"
    assert other.subject == "Ander onderwerp"

    # A fresh export carries the new version: the same edit then goes through.
    fresh = export(action_plan)
    edited = edit(fresh, {(row_of(fresh, first.pk), "Onderwerp"): "Mijn onderwerp"})
    services.import_actions_xlsx(action_plan, edited, dry_run=False)
    first.refresh_from_db()
    assert first.subject == "Mijn onderwerp"
