from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openveiligheid.actions import services
from openveiligheid.actions.models import (
    ACTION_TRANSITIONS,
    Action,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.core.changelog import changes_for, snapshot
from openveiligheid.core.models import ChangeLogEntry
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.organisations.factories import (
    MembershipFactory,
    PartnerFactory,
    UserFactory,
)
from tests.plans.factories import ThemeFactory

pytestmark = pytest.mark.django_db

ALLOWED = sorted(
    (from_status, to_status)
    for from_status, targets in ACTION_TRANSITIONS.items()
    for to_status in targets
)
# A sample of refused transitions: going back in the workflow, or out of a closed state.
REFUSED = [
    ("done", "cancelled"),
    ("done", "planned"),
    ("done", "delayed"),
    ("cancelled", "done"),
    ("cancelled", "in_progress"),
    ("in_progress", "planned"),
    ("delayed", "planned"),
]


@pytest.fixture
def actor():
    return UserFactory(username="programmamanager", first_name="Pim", last_name="Manager")


def test_transition_table_covers_every_status():
    assert set(ACTION_TRANSITIONS) == set(ActionStatus.values)
    for from_status, to_status in REFUSED:
        assert to_status not in ACTION_TRANSITIONS[from_status]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_transition(actor, from_status, to_status):
    action = ActionFactory(status=from_status, progress=40)
    updated = services.change_status(action, to_status, actor=actor, note="Besproken in driehoek")

    updated.refresh_from_db()
    assert updated.status == to_status
    history = list(ActionStatusChange.objects.filter(action=action))
    assert len(history) == 1
    assert (history[0].from_status, history[0].to_status) == (from_status, to_status)
    assert history[0].changed_by == actor
    assert history[0].note == "Besproken in driehoek"
    assert updated.progress == (100 if to_status == ActionStatus.DONE else 40)
    entry = changes_for(action).first()
    assert entry.operation == ChangeLogEntry.Operation.UPDATE
    assert ("status", from_status, to_status) in entry.changed_fields()


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_refused_transitions_write_nothing(actor, from_status, to_status):
    action = ActionFactory(status=from_status)
    with pytest.raises(ValidationError) as error:
        services.change_status(action, to_status, actor=actor)
    from_label, to_label = ActionStatus(from_status).label, ActionStatus(to_status).label
    assert error.value.message_dict["status"] == [
        f"Een actie met status '{from_label}' kan niet naar '{to_label}'."
    ]
    action.refresh_from_db()
    assert action.status == from_status
    assert not ActionStatusChange.objects.filter(action=action).exists()
    assert not changes_for(action).exists()


def test_unknown_status_is_refused(actor):
    action = ActionFactory()
    with pytest.raises(ValidationError, match="Onbekende status"):
        services.change_status(action, "klaar", actor=actor)
    assert not ActionStatusChange.objects.filter(action=action).exists()


def test_history_is_appended_in_order(actor):
    action = ActionFactory()
    services.change_status(action, ActionStatus.IN_PROGRESS, actor=actor)
    services.change_status(action, ActionStatus.DELAYED, actor=actor, note="Capaciteit")
    services.change_status(action, ActionStatus.DONE, actor=actor)
    steps = list(
        ActionStatusChange.objects.filter(action=action).values_list("from_status", "to_status")
    )
    assert steps == [
        ("planned", "in_progress"),
        ("in_progress", "delayed"),
        ("delayed", "done"),
    ]


def test_same_status_is_a_no_op(actor):
    action = ActionFactory(status=ActionStatus.IN_PROGRESS)
    services.change_status(action, ActionStatus.IN_PROGRESS, actor=actor)
    assert not ActionStatusChange.objects.filter(action=action).exists()


def test_progress_update_sets_progress_and_logs(actor):
    action = ActionFactory(progress=10)
    update = services.add_progress_update(
        action, text="  Eerste bijeenkomst gehouden. ", progress=30, actor=actor
    )
    assert update.text == "Eerste bijeenkomst gehouden."
    assert update.author == actor
    action.refresh_from_db()
    assert action.progress == 30
    assert ("progress", 10, 30) in changes_for(action).first().changed_fields()


def test_progress_update_without_percentage_keeps_progress(actor):
    action = ActionFactory(progress=10)
    services.add_progress_update(action, text="Loopt volgens plan", actor=actor)
    action.refresh_from_db()
    assert action.progress == 10
    assert not changes_for(action).exists()
    assert ProgressUpdate.objects.filter(action=action).count() == 1


@pytest.mark.parametrize(
    ("text", "progress", "field", "message"),
    [
        ("", None, "text", "Beschrijf de voortgang."),
        ("   ", 20, "text", "Beschrijf de voortgang."),
        ("Klaar", 150, "progress", "De voortgang ligt tussen 0 en 100%."),
        ("Klaar", -1, "progress", "De voortgang ligt tussen 0 en 100%."),
    ],
)
def test_progress_update_validation(actor, text, progress, field, message):
    action = ActionFactory(progress=10)
    with pytest.raises(ValidationError) as error:
        services.add_progress_update(action, text=text, progress=progress, actor=actor)
    assert error.value.message_dict[field] == [message]
    assert not ProgressUpdate.objects.filter(action=action).exists()
    action.refresh_from_db()
    assert action.progress == 10


def test_update_action_records_changes(actor):
    action = ActionFactory(subject="Oud onderwerp", is_new=False)
    lead = UserFactory(username="actiehouder")
    MembershipFactory(user=lead, organisation=action.action_plan.plan.owner)
    services.update_action(
        action, actor=actor, subject="Nieuw onderwerp", is_new=True, lead_person=lead
    )
    entry = changes_for(action).first()
    assert entry.actor == actor
    changed = {name: (before, after) for name, before, after in entry.changed_fields()}
    assert changed["subject"] == ("Oud onderwerp", "Nieuw onderwerp")
    assert changed["is_new"] == (False, True)
    assert changed["lead_person_id"] == (None, lead.pk)


def test_update_action_refuses_fields_outside_the_service():
    action = ActionFactory()
    with pytest.raises(ValueError, match="status"):
        services.update_action(action, status=ActionStatus.DONE)


def test_update_action_parses_the_due_text(actor):
    action = ActionFactory(action_plan=ActionPlanFactory(year_start=2017, year_end=2018))
    updated = services.update_action(action, actor=actor, due_text="2e kwartaal 2017")
    assert (updated.due_start, updated.due_end) == (date(2017, 4, 1), date(2017, 6, 30))
    assert updated.due_understood
    assert updated.due_recurrence == ""


def test_update_action_parses_ongoing_as_recurring(actor):
    action = ActionFactory(action_plan=ActionPlanFactory(year_start=2017, year_end=2018))
    updated = services.update_action(action, actor=actor, due_text="Doorlopend")
    assert updated.due_recurrence != ""
    assert updated.due_understood


def test_update_action_marks_unparsed_due_text(actor):
    action = ActionFactory(action_plan=ActionPlanFactory(year_start=2017, year_end=2018))
    updated = services.update_action(action, actor=actor, due_text="als het uitkomt, misschien")
    assert not updated.due_understood
    assert updated.due_text == "als het uitkomt, misschien"


def test_create_action_parses_due_and_starts_history(actor):
    action_plan = ActionPlanFactory(year_start=2017, year_end=2018)
    action = services.create_action(
        action_plan=action_plan,
        description="Cameratoezicht evalueren",
        due_text="Eind 2017",
        actor=actor,
    )
    assert action.due_end == date(2017, 12, 31)
    assert action.due_understood
    first = ActionStatusChange.objects.get(action=action)
    assert (first.from_status, first.to_status) == ("", "planned")
    assert changes_for(action).first().operation == ChangeLogEntry.Operation.CREATE


# --------------------------------------------------------------------------------------------
# create_actions: the batch of create_action


def _specs(action_plan, partner, lead):
    theme = ThemeFactory(plan=action_plan.plan)
    return [
        {
            "description": "  Cameratoezicht evalueren ",
            "subject": "Cameratoezicht",
            "theme": theme,
            "due_text": "Eind 2017",
            "lead_organisation": lead,
            "partners": [partner, partner.pk],  # the same partner twice counts once
            "order": 1,
        },
        {
            "description": "Buurtpreventie-apps koppelen",
            "theme_id": theme.pk,
            "due_text": "2e kwartaal 2017",
            "status": ActionStatus.IN_PROGRESS,
            "status_note": "Loopt al",
            "order": 2,
        },
        {
            "description": "Inval drugslab: nazorg buurt",
            "due_text": "als het uitkomt",
            "is_unplanned": True,
            "lead_text": "Team woonoverlast",
            "order": 3,
        },
    ]


def _comparable(action):
    """What an action holds apart from its identity, its plan and its timestamps."""
    data = snapshot(action)
    for key in ("id", "action_plan_id", "created_at", "updated_at", "theme_id"):
        data.pop(key)
    return data


def test_create_actions_gives_what_create_action_gives(actor):
    partner, lead = PartnerFactory(), PartnerFactory()
    one_by_one, batch = (ActionPlanFactory(year_start=2017, year_end=2017) for _ in range(2))
    single = [
        services.create_action(action_plan=one_by_one, actor=actor, **spec)
        for spec in _specs(one_by_one, partner, lead)
    ]
    bulk = services.create_actions(
        action_plan=batch, specs=_specs(batch, partner, lead), actor=actor
    )

    assert [a.pk for a in bulk] == list(
        Action.objects.filter(action_plan=batch).order_by("pk").values_list("pk", flat=True)
    )
    for one, other in zip(single, bulk, strict=True):
        one.refresh_from_db()
        other.refresh_from_db()
        assert _comparable(other) == _comparable(one)
        assert (one.theme_id is None) == (other.theme_id is None)
    assert [a.due_end for a in bulk] == [date(2017, 12, 31), date(2017, 6, 30), None]
    assert [a.due_understood for a in bulk] == [True, True, False]
    assert bulk[0].description == "Cameratoezicht evalueren"
    assert list(bulk[0].partners.all()) == [partner]
    assert bulk[2].unplanned_since is not None


def test_create_actions_writes_history_and_change_log(actor):
    partner, lead = PartnerFactory(), PartnerFactory()
    action_plan = ActionPlanFactory(year_start=2017, year_end=2017)
    actions = services.create_actions(
        action_plan=action_plan, specs=_specs(action_plan, partner, lead), actor=actor
    )
    history = {
        change.action_id: change for change in ActionStatusChange.objects.filter(action__in=actions)
    }
    assert [(history[a.pk].from_status, history[a.pk].to_status) for a in actions] == [
        ("", "planned"),
        ("", "in_progress"),
        ("", "planned"),
    ]
    assert history[actions[1].pk].note == "Loopt al"
    assert {change.changed_by for change in history.values()} == {actor}
    for action in actions:
        entry = changes_for(action).get()
        assert (entry.operation, entry.actor, entry.object_repr) == (
            ChangeLogEntry.Operation.CREATE,
            actor,
            str(action),
        )
        assert entry.after == snapshot(action)  # partners included, as record_change writes
    assert changes_for(actions[0]).get().after["partners"] == [partner.pk]


def test_create_actions_marks_actions_new_in_a_continued_plan():
    previous = ActionPlanFactory(year_start=2022, year_end=2022)
    action_plan = ActionPlanFactory(plan=previous.plan, year_start=2023, previous=previous)
    actions = services.create_actions(
        action_plan=action_plan,
        specs=[{"description": "Nieuw"}, {"description": "Bewust niet nieuw", "is_new": False}],
    )
    assert [a.is_new for a in actions] == [True, False]


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"theme_id": 999999}, "theme", "Actie 2: Het thema met id 999999 bestaat niet (meer)."),
        (
            {"lead_organisation_id": 999999},
            "lead_organisation",
            "Actie 2: De trekker (organisatie) met id 999999 bestaat niet (meer).",
        ),
        (
            {"partners": [999999]},
            "partners",
            "Actie 2: De partnerorganisatie met id 999999 bestaat niet (meer).",
        ),
        ({"description": "  "}, "description", "Actie 2: Beschrijf de actie."),
        ({"status": "klaar"}, "status", None),
    ],
)
def test_create_actions_refuses_the_batch_in_dutch_and_writes_nothing(actor, bad, field, message):
    action_plan = ActionPlanFactory()
    specs = [
        {"description": "Goed"},
        {"description": "Fout", **bad},
        {"description": "Ook goed"},
    ]
    with pytest.raises(ValidationError) as error:
        services.create_actions(action_plan=action_plan, specs=specs, actor=actor)
    if message:
        assert error.value.message_dict == {field: [message]}
    else:  # Django's own (Dutch) message for a value outside the choices
        assert error.value.message_dict[field][0].startswith("Actie 2: ")
        assert "geen geldige keuze" in error.value.message_dict[field][0]
    assert not Action.objects.exists()
    assert not ActionStatusChange.objects.exists()
    assert not ChangeLogEntry.objects.exists()


def test_create_action_reports_a_missing_reference_without_a_number(actor):
    with pytest.raises(ValidationError) as error:
        services.create_action(
            action_plan=ActionPlanFactory(), description="Actie", topic_id=999999, actor=actor
        )
    assert error.value.message_dict == {
        "topic": ["Het subthema met id 999999 bestaat niet (meer)."]
    }
    assert not Action.objects.exists()


def test_create_actions_runs_a_fixed_number_of_queries(actor, django_assert_max_num_queries):
    action_plan = ActionPlanFactory()
    theme = ThemeFactory(plan=action_plan.plan)
    partners = [PartnerFactory(), PartnerFactory()]
    specs = [{"description": f"Actie {n}", "theme": theme, "partners": partners} for n in range(30)]
    # Checks (action plan, theme, organisations), inserts (actions, partners, history, change
    # log), the partners read back for the change log and savepoints; one at a time was ~300.
    with django_assert_max_num_queries(12):
        actions = services.create_actions(action_plan=action_plan, specs=specs, actor=actor)
    assert len(actions) == 30
    assert Action.partners.through.objects.filter(action__in=actions).count() == 60


def test_create_actions_with_nothing_to_create():
    assert services.create_actions(action_plan=ActionPlanFactory(), specs=[]) == []
