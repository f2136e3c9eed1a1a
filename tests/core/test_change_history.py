"""The change history as people read it (core.changelog.readable_history and its template):
Dutch field labels, displayed values instead of codes and ids, local time, one group per save,
folded away; council members and partners read only what changed since publication."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from openveiligheid.actions.models import Action
from openveiligheid.core.changelog import changes_for, readable_history, save_changes
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Plan
from openveiligheid.plans.selectors import published_since, visible_changes
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.indicators.factories import MeasurementFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.permissions import login
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


def _entry(instance, *, at: datetime, before=None, after=None, actor=None, operation="update"):
    entry = ChangeLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance),
        operation=operation,
        actor=actor,
        before=before or {},
        after=after or {},
    )
    ChangeLogEntry.objects.filter(pk=entry.pk).update(timestamp=at)
    return entry


def _history(instance):
    with translation.override("nl"):
        return readable_history(changes_for(instance))


def _fields(save) -> dict[str, tuple[str, str]]:
    return {change.label: (change.before, change.after) for change in save.objects[0].fields}


@pytest.fixture
def action():
    return ActionFactory(subject="Buurtpreventie")


def test_labels_and_displayed_values_instead_of_codes(action):
    police = OrganisationFactory(name="Politie Oost")
    author = UserFactory(first_name="Anna", last_name="Adviseur")
    _entry(
        action,
        at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        actor=author,
        before={
            "status": "planned",
            "lead_organisation_id": None,
            "due_end": "2026-06-30",
            "is_new": False,
            "order": 3,
            "updated_at": "2026-03-01T08:00:00+00:00",
        },
        after={
            "status": "in_progress",
            "lead_organisation_id": police.pk,
            "due_end": "2026-12-31",
            "is_new": True,
            "order": 4,
            "updated_at": "2026-03-02T09:00:00+00:00",
        },
    )
    (save,) = _history(action)
    assert save.author == "Anna Adviseur"
    changed = save.objects[0]
    assert changed.subject == "Actie \u201cBuurtpreventie\u201d"
    assert changed.operation == "Gewijzigd"
    assert _fields(save) == {
        "Status": ("Gepland", "In uitvoering"),
        "Trekker (organisatie)": ("–", "Politie Oost"),
        "Uiterlijk": ("30 juni 2026", "31 december 2026"),
        "Nieuw ten opzichte van vorig plan": ("nee", "ja"),
    }


def test_a_relation_without_own_label_is_named_after_its_model_and_survives_deletion(action):
    _entry(
        action,
        at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        before={"action_plan_id": action.action_plan_id},
        after={"action_plan_id": 987654},
    )
    (save,) = _history(action)
    assert _fields(save) == {
        "Actieplan": (str(action.action_plan), "verwijderd (987654)"),
    }


def test_a_created_object_shows_its_filled_fields_once(action):
    _entry(
        action,
        at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        operation="create",
        after={"subject": "Buurtpreventie", "status": "planned", "lead_text": ""},
    )
    (save,) = _history(action)
    assert save.objects[0].operation == "Aangemaakt"
    assert _fields(save) == {"Onderwerp": ("", "Buurtpreventie"), "Status": ("", "Gepland")}


def test_times_are_local_amsterdam_time_in_summer_and_winter(action):
    _entry(action, at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC), after={"status": "done"})
    _entry(action, at=datetime(2026, 1, 15, 10, 0, tzinfo=UTC), after={"status": "delayed"})
    summer, winter = _history(action)
    assert (summer.timestamp.hour, winter.timestamp.hour) == (12, 11)
    assert str(summer.timestamp.tzinfo) == "Europe/Amsterdam"


def test_entries_of_one_save_are_one_group(action):
    other_action = ActionFactory(action_plan=action.action_plan)
    author, someone_else = UserFactory(), UserFactory()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for index, instance in enumerate((action, other_action, action)):
        _entry(
            instance,
            at=start + timedelta(milliseconds=300 * index),
            actor=author,
            after={"status": "done"},
        )
    _entry(action, at=start + timedelta(minutes=5), actor=author, after={"status": "delayed"})
    _entry(action, at=start + timedelta(minutes=5), actor=someone_else, after={"note": "x"})
    entries = ChangeLogEntry.objects.filter(
        object_id__in=[str(action.pk), str(other_action.pk)]
    ).select_related("actor")
    saves = readable_history(entries)
    assert [save.count for save in saves] == [1, 1, 3]


def test_the_history_is_folded_away_in_dutch_on_the_page(client, action):
    manager = UserFactory()
    grant_membership(
        user=manager, organisation=action.action_plan.plan.owner, role_slug="programme_manager"
    )
    save_changes(action, manager, subject="Buurtpreventie Noord")
    login(client, manager)
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    section = html[
        html.index('class="ov-changelog"') : html.index(
            "</section>", html.index('class="ov-changelog"')
        )
    ]
    assert '<details class="ov-changelog__details">' in section
    assert "<dt>Onderwerp</dt>" in section
    assert "Buurtpreventie Noord" in section
    assert "<code>" not in section and ">subject<" not in section


@pytest.fixture
def concept_then_published():
    """A plan drafted as a concept (its action's description changed then from "Schets"), adopted,
    and changed once more. What the action said at adoption was published; the sketch before
    it was not."""
    owner = OrganisationFactory()
    plan = PlanFactory(owner=owner, status=Plan.Status.DRAFT)
    action = ActionFactory(
        action_plan=ActionPlanFactory(plan=plan), subject="Buurtpreventie", description="Schets"
    )
    manager, council_member, partner_contact = UserFactory(), UserFactory(), UserFactory()
    grant_membership(user=manager, organisation=owner, role_slug="programme_manager")
    grant_membership(user=council_member, organisation=owner, role_slug="council_member")
    partner = OrganisationFactory(kind="partner", cbs_code=None)
    grant_membership(user=partner_contact, organisation=partner, role_slug="partner_contact")
    save_changes(action, manager, description="Conceptversie van de aanpak")
    save_changes(plan, manager, status=Plan.Status.ADOPTED, adopted_on=date(2026, 3, 1))
    save_changes(action, manager, description="Vastgestelde aanpak")
    return plan, action, manager, council_member, partner, partner_contact


def _descriptions(entries) -> list[str]:
    return [entry.after.get("description") for entry in entries if "description" in entry.after]


def test_council_members_read_only_the_history_since_publication(client, concept_then_published):
    plan, action, manager, council_member, *_ = concept_then_published
    everything = changes_for(action)
    assert _descriptions(visible_changes(manager, plan, everything)) == [
        "Vastgestelde aanpak",
        "Conceptversie van de aanpak",
    ]
    assert _descriptions(visible_changes(council_member, plan, everything)) == [
        "Vastgestelde aanpak"
    ]
    login(client, council_member)
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Vastgestelde aanpak" in html and "Schets" not in html
    login(client, manager)
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Schets" in html


def test_a_concept_shared_with_a_partner_shows_the_partner_no_history(concept_then_published):
    plan, action, manager, _, partner, partner_contact = concept_then_published
    save_changes(plan, manager, status=Plan.Status.DRAFT)
    plan.shared_with.add(partner)
    assert published_since(plan) is None
    assert not visible_changes(partner_contact, plan, changes_for(action)).exists()
    assert visible_changes(manager, plan, changes_for(action)).exists()


def test_published_since_falls_back_to_the_adoption_date_without_a_logged_adoption():
    plan = PlanFactory(adopted_on=date(2026, 3, 1))
    since = published_since(plan)
    assert (since.date(), since.hour) == (date(2026, 3, 1), 0)
    assert Action.objects.count() == 0


def test_a_large_save_names_its_new_objects_without_every_field(action):
    plan = action.action_plan
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    created = [ActionFactory(action_plan=plan) for _ in range(12)]
    for index, instance in enumerate(created):
        _entry(
            instance,
            at=start + timedelta(milliseconds=index),
            operation="create",
            after={"subject": instance.subject, "status": "planned"},
        )
    entries = ChangeLogEntry.objects.filter(object_id__in=[str(a.pk) for a in created])
    (save,) = readable_history(entries)
    assert (save.count, len(save.objects), save.more) == (12, 10, 2)
    assert all(changed.fields == [] for changed in save.objects)


def test_machine_data_in_json_fields_is_left_out():
    measurement = MeasurementFactory(value=Decimal("7.5"))
    _entry(
        measurement,
        at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        before={"value": "7.5", "provenance": {}},
        after={"value": "1234.5", "provenance": {"sha256": "ab12", "file": "cijfers.csv"}},
    )
    (save,) = _history(measurement)
    assert _fields(save) == {"Waarde": ("7,5", "1.234,5")}
