from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openveiligheid.core.changelog import changes_for
from openveiligheid.meetings import services
from openveiligheid.meetings.models import AgendaItem, MeetingSeries
from openveiligheid.organisations.models import Organisation
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory
from tests.organisations.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.plans.factories import PlanFactory, ThemeFactory


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("11-2-2021 (28-1)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (28-1)", 2019, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11 februari 2021", None, (date(2021, 2, 11), None)),
        ("11 Februari", 2021, (date(2021, 2, 11), None)),
        ("11 feb. 2021", None, (date(2021, 2, 11), None)),
        ("11-02", 2021, (date(2021, 2, 11), None)),
        ("11/02/2021", None, (date(2021, 2, 11), None)),
        ("11.2.21", None, (date(2021, 2, 11), None)),
        ("2021-02-11", None, (date(2021, 2, 11), None)),
        ("donderdag 11-2-2021 (28-1)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("do 11 februari 2021", None, (date(2021, 2, 11), None)),
        ("  11-2-2021   ( 28-1 ) ", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (stukken 28-1)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (28 januari)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        ("11-2-2021 (28-1-2021)", None, (date(2021, 2, 11), date(2021, 1, 28))),
        # A deadline after the meeting's day in the year lies in the year before.
        ("8-1-2021 (20-12)", None, (date(2021, 1, 8), date(2020, 12, 20))),
        ("11-2-2021 (11-2)", None, (date(2021, 2, 11), date(2021, 2, 11))),
    ],
)
def test_parse_meeting_date(text, year, expected):
    assert services.parse_meeting_date(text, year) == expected


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("", 2021, "Geen datum"),
        ("11-02", None, "geen jaar"),
        ("31-2-2021", None, "geen bestaande datum"),
        ("volgt", 2021, "geen datum die ik kan lezen"),
        ("11-2-2021 (onbekend)", None, "geen datum die ik kan lezen"),
        ("11-2-2021 (28-2)", None, "niet kort vóór het overleg"),
        ("11-2-2021 (28-3-2021)", None, "niet kort vóór het overleg"),
        ("11 brumaire 2021", None, "geen datum die ik kan lezen"),
    ],
)
def test_parse_meeting_date_refuses_in_dutch(text, year, message):
    with pytest.raises(ValueError, match=message):
        services.parse_meeting_date(text, year)


@pytest.mark.django_db
def test_create_series_and_meeting_record_changes():
    organisation = OrganisationFactory()
    actor = UserFactory()
    series = services.create_series(
        organisation=organisation,
        kind=MeetingSeries.Kind.DRIEHOEK_PREPARATION,
        name="",
        year=2021,
        actor=actor,
    )
    assert series.name == "Ambtelijk vooroverleg driehoek"
    meeting_date, deadline = services.parse_meeting_date("11-2-2021 (28-1)", 2021)
    meeting = services.add_meeting(
        series, date=meeting_date, document_deadline=deadline, location="Stadhuis", actor=actor
    )
    assert (meeting.date, meeting.document_deadline, meeting.location) == (
        date(2021, 2, 11),
        date(2021, 1, 28),
        "Stadhuis",
    )
    assert changes_for(series).get().actor == actor
    assert changes_for(meeting).count() == 1


@pytest.mark.django_db
def test_create_series_refuses_unknown_kind_and_foreign_theme():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError, match="Onbekende soort"):
        services.create_series(organisation=organisation, kind="koffie", name="x", year=2021)
    foreign_theme = ThemeFactory(plan=PlanFactory(owner=OrganisationFactory()))
    with pytest.raises(ValidationError, match="andere organisatie"):
        services.create_series(
            organisation=organisation,
            kind=MeetingSeries.Kind.EXPERT_GROUP,
            name="Expertgroep",
            year=2021,
            theme=foreign_theme,
        )


@pytest.mark.django_db
def test_region_series_may_take_a_members_theme():
    municipality = OrganisationFactory()
    region = OrganisationFactory(kind=Organisation.Kind.REGION, cbs_code=None)
    region.members.add(municipality)
    theme = ThemeFactory(plan=PlanFactory(owner=municipality))
    series = services.create_series(
        organisation=region,
        kind=MeetingSeries.Kind.EXPERT_GROUP,
        name="Expertgroep ondermijning",
        year=2021,
        theme=theme,
    )
    assert series.theme == theme


@pytest.mark.django_db
def test_add_meeting_refuses_deadline_after_meeting():
    series = MeetingSeriesFactory()
    with pytest.raises(ValidationError, match="uiterlijk op de dag"):
        services.add_meeting(series, date=date(2021, 2, 11), document_deadline=date(2021, 2, 12))


@pytest.mark.django_db
def test_schedule_action_derives_lead_and_is_idempotent():
    organisation = OrganisationFactory()
    meeting = MeetingFactory(series=MeetingSeriesFactory(organisation=organisation))
    action_plan = ActionPlanFactory(plan=PlanFactory(owner=organisation))
    police = OrganisationFactory(kind=Organisation.Kind.PARTNER, cbs_code=None)
    with_org = ActionFactory(action_plan=action_plan, lead_organisation=police)
    unit = UnitFactory(organisation=organisation, name="Veiligheid & Regie", abbreviation="V&R")
    with_unit = ActionFactory(action_plan=action_plan, lead_unit=unit)
    with_text = ActionFactory(action_plan=action_plan, lead_text="Team woonoverlast")

    item = services.schedule_action(meeting, with_org, what_to_report="Stand van zaken")
    assert (item.lead_organisation, item.lead_text, item.order) == (police, "", 1)
    assert services.schedule_action(meeting, with_unit).lead_text == str(unit)
    assert services.schedule_action(meeting, with_text).lead_text == "Team woonoverlast"

    again = services.schedule_action(meeting, with_org, what_to_report="Evaluatie")
    assert again.pk == item.pk
    assert again.what_to_report == "Evaluatie"
    assert AgendaItem.objects.filter(meeting=meeting).count() == 3
    # An empty text on rescheduling keeps what was to be reported.
    assert services.schedule_action(meeting, with_org).what_to_report == "Evaluatie"


@pytest.mark.django_db
def test_schedule_action_with_explicit_lead_and_region_member_action():
    municipality = OrganisationFactory()
    region = OrganisationFactory(kind=Organisation.Kind.REGION, cbs_code=None)
    region.members.add(municipality)
    meeting = MeetingFactory(series=MeetingSeriesFactory(organisation=region))
    action = ActionFactory(action_plan=ActionPlanFactory(plan=PlanFactory(owner=municipality)))
    item = services.schedule_action(meeting, action, lead_organisation=municipality)
    assert item.lead_organisation == municipality


@pytest.mark.django_db
def test_schedule_action_refuses_another_organisations_action():
    meeting = MeetingFactory()
    action = ActionFactory()  # its plan belongs to some other municipality
    with pytest.raises(ValidationError, match="andere organisatie"):
        services.schedule_action(meeting, action)


@pytest.mark.django_db
def test_add_agenda_item_needs_a_title():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError, match="onderwerp"):
        services.add_agenda_item(meeting, title="  ")
    item = services.add_agenda_item(meeting, title="Rondvraag", lead_text="Burgemeester")
    assert (item.label, item.action) == ("Rondvraag", None)


@pytest.mark.django_db
def test_mark_reported_and_undo():
    organisation = OrganisationFactory()
    meeting = MeetingFactory(series=MeetingSeriesFactory(organisation=organisation))
    action = ActionFactory(action_plan=ActionPlanFactory(plan=PlanFactory(owner=organisation)))
    item = services.schedule_action(meeting, action)
    actor = UserFactory()
    reported = services.mark_reported(item, actor=actor)
    assert reported.reported and reported.reported_at and reported.reported_by == actor
    # Marking twice changes nothing and logs nothing new.
    services.mark_reported(item, actor=actor)
    assert changes_for(item).count() == 2
    undone = services.mark_reported(item, actor=actor, reported=False)
    assert (undone.reported, undone.reported_at, undone.reported_by) == (False, None, None)


# --------------------------------------------------------------------------------------------
# schedule_actions: the batch of schedule_action


@pytest.fixture
def scheduling():
    """A municipality's meeting and four of its actions led in each way the calendar knows."""
    organisation = OrganisationFactory()
    series = MeetingSeriesFactory(organisation=organisation)
    action_plan = ActionPlanFactory(plan=PlanFactory(owner=organisation))
    police = OrganisationFactory(kind=Organisation.Kind.PARTNER, cbs_code=None)
    unit = UnitFactory(organisation=organisation, name="Veiligheid & Regie", abbreviation="V&R")
    person = UserFactory(first_name="Ada", last_name="Actiehouder")
    actions = [
        ActionFactory(action_plan=action_plan, lead_organisation=police),
        ActionFactory(action_plan=action_plan, lead_unit=unit),
        ActionFactory(action_plan=action_plan, lead_person=person),
        ActionFactory(action_plan=action_plan, lead_text="Team woonoverlast"),
    ]
    return series, actions


def _item_values(items):
    return [
        (item.action_id, item.lead_organisation_id, item.lead_text, item.what_to_report, item.order)
        for item in items
    ]


@pytest.mark.django_db
def test_schedule_actions_gives_what_schedule_action_gives(scheduling):
    series, actions = scheduling
    one_by_one = MeetingFactory(series=series, date=date(2023, 3, 9))
    batch = MeetingFactory(series=series, date=date(2023, 4, 13))
    texts = ["Stand van zaken", "", "Evaluatie", "  "]
    single = [
        services.schedule_action(one_by_one, action, what_to_report=text)
        for action, text in zip(actions, texts, strict=True)
    ]
    actor = UserFactory()
    bulk = services.schedule_actions(
        [(batch, action, text) for action, text in zip(actions, texts, strict=True)], actor=actor
    )
    assert _item_values(bulk) == _item_values(single)
    assert [item.lead_text for item in bulk] == [
        "",
        str(actions[1].lead_unit),
        "Ada Actiehouder",
        "Team woonoverlast",
    ]
    assert [item.order for item in bulk] == [1, 2, 3, 4]
    for item in bulk:
        entry = changes_for(item).get()
        assert (entry.operation, entry.actor) == ("create", actor)
        assert entry.after["what_to_report"] == item.what_to_report


@pytest.mark.django_db
def test_schedule_actions_updates_existing_items_and_continues_the_order(scheduling):
    series, actions = scheduling
    meeting = MeetingFactory(series=series)
    first = services.schedule_action(meeting, actions[0], what_to_report="Oud")
    unchanged = services.schedule_action(meeting, actions[1], what_to_report="Blijft")
    items = services.schedule_actions(
        [
            (meeting, actions[0], "Nieuw"),
            (meeting, actions[1], ""),  # an empty text keeps what was to be reported
            (meeting, actions[2], "Eerste keer"),
            (meeting, actions[2], "Tweede keer in dezelfde batch"),
        ]
    )
    assert [item.pk for item in items[:2]] == [first.pk, unchanged.pk]
    assert items[2] is items[3]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 3
    first.refresh_from_db()
    assert first.what_to_report == "Nieuw"
    assert items[1].what_to_report == "Blijft"
    assert items[2].what_to_report == "Tweede keer in dezelfde batch"
    assert items[2].order == 3
    update = changes_for(first).filter(operation="update").get()
    assert update.before["what_to_report"] == "Oud"
    assert update.after["what_to_report"] == "Nieuw"
    # Scheduled again with nothing new: nothing saved, nothing logged.
    assert not changes_for(unchanged).filter(operation="update").exists()


@pytest.mark.django_db
def test_schedule_actions_refuses_another_organisations_action_and_writes_nothing(scheduling):
    series, actions = scheduling
    meeting = MeetingFactory(series=series)
    foreign = ActionFactory()  # its plan belongs to some other municipality
    with pytest.raises(ValidationError) as error:
        services.schedule_actions([(meeting, actions[0], ""), (meeting, foreign, "")])
    assert error.value.message_dict == {
        "action": [
            "Agendapunt 2: Deze actie hoort bij een plan van een andere organisatie dan het "
            "overleg."
        ]
    }
    assert not AgendaItem.objects.exists()
    assert not changes_for(*actions).exists()


@pytest.mark.django_db
def test_schedule_actions_refuses_a_deleted_meeting(scheduling):
    series, actions = scheduling
    meeting = MeetingFactory(series=series)
    gone = MeetingFactory(series=series)
    gone_pk = gone.pk
    gone.delete()
    gone.pk = gone_pk
    with pytest.raises(ValidationError) as error:
        services.schedule_actions([(meeting, actions[0], ""), (gone, actions[1], "")])
    assert error.value.message_dict == {
        "meeting": [f"Agendapunt 2: Het overleg met id {gone_pk} bestaat niet (meer)."]
    }
    assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_schedule_actions_takes_a_region_members_actions(django_assert_max_num_queries):
    municipality = OrganisationFactory()
    region = OrganisationFactory(kind=Organisation.Kind.REGION, cbs_code=None)
    region.members.add(municipality)
    meetings = [
        MeetingFactory(series=MeetingSeriesFactory(organisation=region), date=date(2023, m, 1))
        for m in (2, 4, 6)
    ]
    action_plan = ActionPlanFactory(plan=PlanFactory(owner=municipality))
    unit = UnitFactory(organisation=municipality)
    actions = [ActionFactory(action_plan=action_plan, lead_unit=unit) for _ in range(20)]
    # A fixed number of queries, however many items: checks, existing items, orders, leads,
    # inserts and change log; one at a time took about 7 per item.
    with django_assert_max_num_queries(14):
        items = services.schedule_actions(
            [(meeting, action, "") for meeting in meetings for action in actions]
        )
    assert len(items) == 60
    assert {item.lead_text for item in items} == {str(unit)}
