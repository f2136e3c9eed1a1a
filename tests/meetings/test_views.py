from datetime import date

import pytest
from django.urls import reverse

from openveiligheid.meetings import services
from openveiligheid.meetings.models import AgendaItem
from tests.actions.factories import ActionFactory
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory
from tests.meetings.fixtures import build_calendar
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

# Driehoek agendas are internal: members of A with VIEW_UNPUBLISHED, not council members,
# partner contacts or municipality B.
READ = expect(200, anonymous=302, partner_contact=404, council_member=404, other_municipality=404)
MANAGE = expect(
    403,
    anonymous=302,
    administrator=302,
    programme_manager=302,
    partner_contact=404,
    council_member=404,
    other_municipality=404,
)
# An action lead may mark the items of the actions they lead as reported.
MARK_OWN = MANAGE | {"action_lead": 302}


@pytest.fixture
def agenda_world(world):
    a = world.objects["a"]
    series = MeetingSeriesFactory(organisation=world.municipality_a, year=2023)
    meeting = MeetingFactory(series=series)
    own_item = services.schedule_action(meeting, a["action"], what_to_report="Stand van zaken")
    other_item = services.schedule_action(meeting, a["partner_action"])
    region_series = MeetingSeriesFactory(organisation=world.region, year=2023)
    region_meeting = MeetingFactory(series=region_series)
    services.schedule_action(region_meeting, a["action"])
    return {
        "series": series,
        "meeting": meeting,
        "own_item": own_item,
        "other_item": other_item,
        "region_series": region_series,
        "region_meeting": region_meeting,
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("meetings:calendar", "series"),
        ("meetings:calendar-docx", "series"),
        ("meetings:calendar-pdf", "series"),
        ("meetings:agenda", "meeting"),
        ("meetings:agenda-docx", "meeting"),
        ("meetings:agenda-pdf", "meeting"),
        # A municipality's members see the series of the region it takes part in.
        ("meetings:calendar", "region_series"),
        ("meetings:agenda", "region_meeting"),
    ],
)
def test_read_matrix(client, world, agenda_world, name, key):
    assert_matrix(client, world, "GET", reverse(name, args=[agenda_world[key].pk]), READ)


def test_series_list_and_organisation_calendar_matrix(client, world, agenda_world):
    assert_matrix(client, world, "GET", reverse("meetings:series-list"), expect(200, anonymous=302))
    url = reverse("meetings:organisation-calendar", args=["gemeente-a", 2023])
    assert_matrix(client, world, "GET", url, READ)
    missing = reverse("meetings:organisation-calendar", args=["gemeente-a", 1999])
    assert_matrix(client, world, "GET", missing, expect(404, anonymous=302))


def test_series_list_shows_only_visible_series(client, world, agenda_world):
    MeetingSeriesFactory(organisation=world.municipality_b, name="Driehoek B")
    login(client, world.users["programme_manager"])
    content = client.get(reverse("meetings:series-list")).content.decode()
    assert agenda_world["series"].name in content
    assert agenda_world["region_series"].name in content
    assert "Driehoek B" not in content


def test_schedule_matrix(client, world, agenda_world):
    url = reverse("meetings:schedule", args=[agenda_world["meeting"].pk])
    action = world.objects["a"]["action"]
    assert_matrix(client, world, "POST", url, MANAGE, data={"action": action.pk})


def test_mark_reported_matrix(client, world, agenda_world):
    own = reverse("meetings:mark-reported", args=[agenda_world["own_item"].pk])
    assert_matrix(client, world, "POST", own, MARK_OWN, data={"reported": "1"})
    other = reverse("meetings:mark-reported", args=[agenda_world["other_item"].pk])
    assert_matrix(client, world, "POST", other, MANAGE, data={"reported": "1"})


def test_get_on_post_views_is_refused(client, world, agenda_world):
    login(client, world.users["programme_manager"])
    url = reverse("meetings:schedule", args=[agenda_world["meeting"].pk])
    assert client.get(url).status_code == 405


def test_schedule_puts_an_action_on_the_agenda(client, world, agenda_world):
    meeting = agenda_world["meeting"]
    new_action = ActionFactory(action_plan=world.objects["a"]["action_plan"], subject="Nieuw")
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("meetings:schedule", args=[meeting.pk]),
        {"action": new_action.pk, "what_to_report": "Evaluatie"},
        follow=True,
    )
    assert response.status_code == 200
    assert "staat op de agenda" in response.content.decode()
    item = AgendaItem.objects.get(meeting=meeting, action=new_action)
    assert item.what_to_report == "Evaluatie"


def test_schedule_refuses_actions_out_of_the_programme(client, world, agenda_world):
    """Only visible actions of the series' organisation can be chosen; the form says so."""
    login(client, world.users["programme_manager"])
    url = reverse("meetings:schedule", args=[agenda_world["meeting"].pk])
    foreign = world.objects["b"]["action"]
    response = client.post(url, {"action": foreign.pk, "what_to_report": "bewaard"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kies een actie uit de lijst." in content
    assert "bewaard" in content  # what was typed is kept
    assert not AgendaItem.objects.filter(action=foreign).exists()
    response = client.post(url, {"action": ""})
    assert "Kies de actie die op de agenda komt." in response.content.decode()


def test_mark_reported_and_undo(client, world, agenda_world):
    item = agenda_world["own_item"]
    login(client, world.users["action_lead"])
    url = reverse("meetings:mark-reported", args=[item.pk])
    response = client.post(url, {"reported": "1"}, follow=True)
    assert "is gerapporteerd" in response.content.decode()
    item.refresh_from_db()
    assert item.reported and item.reported_by == world.users["action_lead"]
    client.post(url, {"reported": "0"})
    item.refresh_from_db()
    assert not item.reported


def test_agenda_page_shows_sections_and_buttons(client, world, agenda_world):
    login(client, world.users["programme_manager"])
    content = client.get(reverse("meetings:agenda", args=[agenda_world["meeting"].pk])).content
    content = content.decode()
    for text in ("Agendapunten", "Te rapporteren", "Te laat", "Actie op de agenda zetten"):
        assert text in content
    assert "Stand van zaken" in content
    # A safety adviser sees the agenda but neither the schedule form nor the buttons.
    login(client, world.users["safety_adviser"])
    content = client.get(reverse("meetings:agenda", args=[agenda_world["meeting"].pk])).content
    assert b"Actie op de agenda zetten" not in content
    assert b"meetings/agendapunt" not in content and b"gerapporteerd/" not in content


def test_calendar_page(client, world, agenda_world):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("meetings:calendar", args=[agenda_world["series"].pk]))
    content = response.content.decode()
    assert 'id="calendar-caption"' in content
    assert 'scope="row"' in content and "Totaal" in content
    assert "Onvoorzien" in content
    assert "@page" in content  # printable in landscape


def test_calendar_view_query_count_does_not_grow(client, django_assert_max_num_queries):
    known = build_calendar()
    login(client, known.users["programme_manager"])
    url = reverse("meetings:calendar", args=[known.series.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as small:
        assert client.get(url).status_code == 200
    for index in range(25):
        meeting = MeetingFactory(series=known.series, date=date(2023, 8, 1 + index))
        for key in ("a1", "a3", "a4", "a7"):
            services.schedule_action(meeting, known.actions[key])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
