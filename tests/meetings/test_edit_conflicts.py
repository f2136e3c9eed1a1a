"""No lost updates on agendas: scheduling an action whose agenda item someone else wrote after
the form was shown does not silently replace what is to be reported."""

import re

import pytest
from django.urls import reverse

from openveiligheid.meetings import services
from openveiligheid.meetings.models import AgendaItem
from tests.actions.factories import ActionFactory
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db


def test_a_stale_schedule_form_does_not_replace_what_someone_else_scheduled(client, world):
    series = MeetingSeriesFactory(organisation=world.municipality_a, year=2023)
    meeting = MeetingFactory(series=series)
    action = ActionFactory(action_plan=world.objects["a"]["action_plan"], subject="Cameratoezicht")
    agenda_url = reverse("meetings:agenda", args=[meeting.pk])
    url = reverse("meetings:schedule", args=[meeting.pk])
    login(client, world.users["programme_manager"])
    page = client.get(agenda_url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)[1]
    # Someone else puts the same action on the agenda meanwhile.
    services.schedule_action(
        meeting, action, what_to_report="Besluit gevraagd", actor=world.users["administrator"]
    )

    data = {"action": action.pk, "what_to_report": "Stand van zaken", "version": version}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hiervoor is al iets vastgelegd" in html
    assert "ov-edit-conflict" in html and "Besluit gevraagd" in html
    item = AgendaItem.objects.get(meeting=meeting, action=action)
    assert item.what_to_report == "Besluit gevraagd"

    data["version"] = re.search(r'name="version" value="(\d+)"', html)[1]
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.what_to_report == "Stand van zaken"
    assert AgendaItem.objects.filter(meeting=meeting, action=action).count() == 1


def test_bulk_scheduling_raises_the_version_of_updated_items(world):
    series = MeetingSeriesFactory(organisation=world.municipality_a, year=2023)
    meeting = MeetingFactory(series=series)
    action = world.objects["a"]["action"]
    item = services.schedule_action(meeting, action, what_to_report="Eerst")
    services.schedule_actions([(meeting, action, "Daarna")])
    item.refresh_from_db()
    assert (item.what_to_report, item.version) == ("Daarna", 2)
