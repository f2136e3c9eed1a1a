"""The start page per role: the sections the apps register (core.navigation.StartSection)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from openveiligheid.indicators.models import Indicator
from openveiligheid.meetings.models import Meeting, MeetingSeries
from tests.dashboards.test_views import build_plan
from tests.indicators.factories import IndicatorFactory, MeasurementFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = {
    "Mijn acties": 'id="start-mijn-acties"',
    "Uw thema's": 'id="start-themas"',
    "Plannen": 'id="start-plannen"',
    "Acties over de termijn": 'id="start-termijn"',
    "Indicatoren niet op koers": 'id="start-indicatoren"',
    "Komende overleggen": 'id="start-overleggen"',
}
# Which sections each role's start page has (in this order).
SECTIONS = {
    "administrator": [
        "Mijn acties",
        "Plannen",
        "Acties over de termijn",
        "Indicatoren niet op koers",
        "Komende overleggen",
    ],
    "programme_manager": [
        "Plannen",
        "Acties over de termijn",
        "Indicatoren niet op koers",
        "Komende overleggen",
    ],
    "safety_adviser": ["Mijn acties", "Uw thema's", "Plannen"],
    "action_lead": ["Mijn acties", "Plannen"],
    "partner_contact": ["Mijn acties"],
    "council_member": ["Plannen"],
}


def _sections(html: str) -> list[str]:
    found = [(html.find(marker), name) for name, marker in SECTION_HEADINGS.items()]
    return [name for position, name in sorted(found) if position >= 0]


def test_each_role_gets_the_sections_of_its_work(client, world):
    for role, expected in SECTIONS.items():
        login(client, world.users[role])
        assert _sections(client.get(reverse("home")).content.decode()) == expected, role


def test_council_member_sees_published_plans_only(client, world):
    login(client, world.users["council_member"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("dashboards:plan", args=["plan-a"]) in html
    assert "Concept A" not in html and "IVP B" not in html


def test_manager_sees_indicators_off_course_and_coming_meetings(client, world):
    plan = world.plan_a
    worse = IndicatorFactory(plan=plan, name="Slechter dan de start", slug="slechter")
    for year, value in ((2022, 100), (date.today().year - 1, 130)):
        MeasurementFactory(indicator=worse, period_start=date(year, 1, 1), value=value)
    series = MeetingSeries.objects.create(
        organisation=world.municipality_a, kind="driehoek", name="Driehoek A", year=2026
    )
    Meeting.objects.create(
        series=series,
        date=date.today() + timedelta(days=10),
        document_deadline=date.today() + timedelta(days=3),
    )
    login(client, world.users["programme_manager"])
    html = client.get(reverse("home")).content.decode()
    assert "Slechter dan de start" in html
    assert "Driehoek A" in html and "stukken uiterlijk" in html
    login(client, world.users["other_municipality"])
    html = client.get(reverse("home")).content.decode()
    assert "Slechter dan de start" not in html and "Driehoek A" not in html


def test_an_indicator_without_norm_is_never_off_course(client, world):
    plain = IndicatorFactory(
        plan=world.plan_a,
        name="Aantal casussen",
        slug="casussen",
        direction=Indicator.Direction.NONE,
    )
    for year, value in ((2022, 100), (date.today().year - 1, 130)):
        MeasurementFactory(indicator=plain, period_start=date(year, 1, 1), value=value)
    login(client, world.users["programme_manager"])
    assert "Aantal casussen" not in client.get(reverse("home")).content.decode()


def test_manager_start_page_queries_do_not_grow_with_the_plan(
    client, world, django_assert_max_num_queries
):
    counts = []
    for size, slug in ((1, "klein"), (4, "groot")):
        build_plan(
            world.municipality_a,
            themes=size,
            indicators_per_theme=size,
            measurements=4 * size,
            actions=10 * size,
            slug=slug,
        )
        login(client, world.users["programme_manager"])
        # Session and user; plans; late actions (count and rows with their partners); per plan
        # its indicators and their states; meetings.
        with django_assert_max_num_queries(30) as context:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(context.captured_queries))
    # A plan four times as big adds only its own fixed number of queries (its indicators and
    # their states), not more with its indicators, measurements or actions.
    klein, groot = counts
    assert groot - klein <= 3, counts


def test_adviser_finds_their_themes(client, world):
    login(client, world.users["safety_adviser"])
    html = client.get(reverse("home")).content.decode()
    theme = world.objects["a"]["theme"]
    assert reverse("dashboards:theme", args=["plan-a", theme.slug]) in html


def test_start_page_without_memberships_explains(client, world):
    from tests.organisations.factories import UserFactory

    login(client, UserFactory(username="nergens-lid"))
    html = client.get(reverse("home")).content.decode()
    assert "Vraag de beheerder van uw organisatie om toegang." in html
