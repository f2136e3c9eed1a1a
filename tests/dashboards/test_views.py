import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.indicators.models import Indicator, Measurement, Target
from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.services import add_goal, add_topic, update_plan
from openveiligheid.programme.models import BudgetAmount, BudgetLine
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    MeasurementFactory,
    TargetFactory,
)
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.permissions import PAGE, assert_matrix, expect, login
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory
from tests.programme.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db
# The latest value must be recent, or the status is "no recent data".
LAST_YEAR = date.today().year - 1


# --- permissions ---------------------------------------------------------------------------


def test_home_matrix(client, world):
    # Every signed-in user has a start page (dashboards.views.home; its sections: test_start).
    assert_matrix(client, world, "GET", reverse("home"), expect(200, anonymous=302))


def test_list_matrix(client, world):
    assert_matrix(client, world, "GET", reverse("dashboards:plan-list"), PAGE.any_user)


def test_dashboard_matrix(client, world):
    assert_matrix(
        client, world, "GET", reverse("dashboards:plan", args=["plan-a"]), PAGE.read_published_a
    )
    assert_matrix(
        client, world, "GET", reverse("dashboards:plan", args=["concept-a"]), PAGE.read_draft_a
    )
    assert_matrix(
        client,
        world,
        "GET",
        reverse("dashboards:plan", args=["plan-b"]),
        expect(404, anonymous=302, other_municipality=200),
    )


def test_theme_matrix(client, world):
    url = reverse("dashboards:theme", args=["plan-a", world.objects["a"]["theme"].slug])
    assert_matrix(client, world, "GET", url, PAGE.read_published_a)
    draft = reverse("dashboards:theme", args=["concept-a", world.objects["draft_a"]["theme"].slug])
    assert_matrix(client, world, "GET", draft, PAGE.read_draft_a)
    # A theme of another plan under this plan's slug is not found.
    wrong = reverse("dashboards:theme", args=["plan-a", world.objects["b"]["theme"].slug])
    login(client, world.users["administrator"])
    assert client.get(wrong).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("dashboards:plan", args=["plan-a"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- home and list -------------------------------------------------------------------------


def test_list_shows_visible_plans_only(client, world):
    login(client, world.users["council_member"])
    html = client.get(reverse("dashboards:plan-list")).content.decode()
    assert "IVP A" in html and "Vastgesteld" in html
    assert "Concept A" not in html and "IVP B" not in html


# --- dashboard content ---------------------------------------------------------------------


def build_plan(owner, *, themes, indicators_per_theme, measurements, actions, slug):
    """A plan with monthly indicators (each with a yearly start value and a target), goals,
    actions spread over the themes and statuses, and a programme budget."""
    area = AreaFactory()
    plan = PlanFactory(owner=owner, slug=slug, title=f"IVP {slug}")
    action_plan = ActionPlanFactory(plan=plan)
    statuses = list(ActionStatus)
    theme_objects = []
    for t in range(themes):
        theme = ThemeFactory(plan=plan, name=f"Thema {slug} {t}", slug=f"thema-{t}")
        theme_objects.append(theme)
        GoalFactory(theme=theme, text=f"Doel {t}")
        for i in range(indicators_per_theme):
            indicator = IndicatorFactory(
                plan=plan,
                theme=theme,
                area=area,
                frequency="month",
                is_headline=(t == 0 and i == 0),
            )
            TargetFactory(indicator=indicator, comparison=Target.Comparison.AT_MOST, value=90)
            rows = [
                Measurement(
                    indicator=indicator,
                    area=area,
                    period_type="year",
                    period_start=date(2022, 1, 1),
                    value=120,
                )
            ]
            rows += [
                Measurement(
                    indicator=indicator,
                    area=area,
                    period_type="month",
                    period_start=date(2022 + m // 12, m % 12 + 1, 1),
                    value=100 + m,
                    is_example=m % 2 == 0,
                )
                for m in range(measurements - 1)
            ]
            Measurement.objects.bulk_create(rows)
    Action.objects.bulk_create(
        [
            Action(
                action_plan=action_plan,
                theme=theme_objects[n % themes],
                description=f"Actie {n}",
                status=statuses[n % len(statuses)],
            )
            for n in range(actions)
        ]
    )
    programme = ProgrammeFactory(plan=plan)
    line = BudgetLine.objects.create(programme=programme, item="Personeel")
    BudgetAmount.objects.create(line=line, year=2023, amount=Decimal("1270000"))
    BudgetAmount.objects.create(line=line, year=2024, amount=Decimal("635000.50"))
    return plan


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def owner(client):
    """A municipality of its own, with its programme manager logged in."""
    owner = OrganisationFactory()
    user = UserFactory()
    grant_membership(user=user, organisation=owner, role_slug="programme_manager")
    login(client, user)
    return owner


def build_small_plan(owner):
    """One of everything: the query count of its page is the bound for a big plan's page."""
    return build_plan(
        owner, themes=1, indicators_per_theme=1, measurements=2, actions=1, slug="klein"
    )


def test_dashboard_queries_do_not_grow_with_the_plan(client, owner, django_assert_max_num_queries):
    small = build_small_plan(owner)
    big = build_plan(
        owner, themes=6, indicators_per_theme=10, measurements=50, actions=100, slug="groot"
    )
    assert Measurement.objects.filter(indicator__plan=big).count() == 6 * 10 * 50
    small_count = count_queries(client, reverse("dashboards:plan", args=[small.slug]))
    with django_assert_max_num_queries(small_count):
        response = client.get(reverse("dashboards:plan", args=[big.slug]))
    html = response.content.decode()
    assert html.count('class="ov-tile"') == 60 + 1  # every indicator plus the headline one
    assert "Thema groot 5" in html
    assert small_count <= 20


def test_theme_page_queries_do_not_grow(client, owner, django_assert_max_num_queries):
    small = build_small_plan(owner)
    big = build_plan(
        owner, themes=2, indicators_per_theme=10, measurements=30, actions=60, slug="groot"
    )
    small_count = count_queries(client, reverse("dashboards:theme", args=[small.slug, "thema-0"]))
    with django_assert_max_num_queries(small_count):
        client.get(reverse("dashboards:theme", args=[big.slug, "thema-0"]))


@pytest.fixture
def rich_plan(world):
    """Plan A with readable content: a grade, a count, example data and actions."""
    plan = world.plan_a
    update_plan(plan, summary="Samen werken aan een veilige gemeente.")
    theme = world.objects["a"]["theme"]
    area = world.objects["a"]["indicator"].area
    grade = IndicatorFactory(
        plan=plan,
        theme=theme,
        area=area,
        name="Rapportcijfer veiligheid buurt",
        unit=Indicator.Unit.GRADE,
        direction=Indicator.Direction.UP,
        is_headline=True,
    )
    TargetFactory(
        indicator=grade, comparison=Target.Comparison.AT_LEAST, value="7.5", text="7,5 of hoger"
    )
    MeasurementFactory(indicator=grade, period_start=date(2022, 1, 1), value="7.1")
    MeasurementFactory(indicator=grade, period_start=date(LAST_YEAR, 1, 1), value="7.6")
    count = IndicatorFactory(
        plan=plan, theme=theme, area=area, name="Geregistreerde misdrijven", direction="down"
    )
    MeasurementFactory(indicator=count, period_start=date(2022, 1, 1), value=24100)
    MeasurementFactory(
        indicator=count, period_start=date(LAST_YEAR, 1, 1), value=23555, is_example=True
    )
    add_goal(theme, text="Minder ondermijnende criminaliteit", target_text="10% minder")
    add_topic(theme, name="Drugsproductie")
    action_plan = world.objects["a"]["action_plan"]
    ActionFactory(action_plan=action_plan, theme=theme, status=ActionStatus.DONE)
    line = BudgetLine.objects.create(programme=world.objects["a"]["programme"], item="Personeel")
    BudgetAmount.objects.create(line=line, year=2023, amount=Decimal("1270000"))
    return plan


def test_dashboard_shows_figures_in_dutch(client, world, rich_plan):
    login(client, world.users["council_member"])
    html = client.get(reverse("dashboards:plan", args=["plan-a"])).content.decode()
    assert "IVP A" in html and "2023–2026" in html and "Vastgesteld" in html
    assert "Kerncijfers" in html
    assert "Rapportcijfer veiligheid buurt" in html
    assert "7,6" in html and "Startwaarde 2022: 7,1" in html and "Doel: 7,5 of hoger" in html
    assert "Doel gehaald" in html
    assert "23.555" in html and "voorbeelddata" in html
    assert "gedaald ten opzichte van 2022" in html and "(gunstig)" in html
    assert 'role="img"' in html  # sparklines
    assert "Minder ondermijnende criminaliteit" in html
    # The world's own action is planned, ours is done: 2 actions, half of them finished.
    assert "2 acties" in html and "50% afgerond" in html
    assert "€ 1.270.000" in html
    assert reverse("programme:detail", args=["plan-a"]) in html
    assert reverse("dashboards:theme", args=["plan-a", world.objects["a"]["theme"].slug]) in html
    # The headline tile repeats under its theme; its SVG ids must stay unique.
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_dashboard_counts_only_actions_the_user_sees(client, world, rich_plan):
    from openveiligheid.dashboards.selectors import action_progress_by_theme

    theme = world.objects["a"]["theme"]
    admin = action_progress_by_theme(rich_plan, world.users["administrator"])
    assert admin[theme.pk].total == 2
    # The partner action has no theme.
    assert admin[None].total == 1


def test_theme_page_shows_situation_goals_indicators_actions_and_changes(client, world, rich_plan):
    theme = world.objects["a"]["theme"]
    theme.situation = "Het aantal drugslabs steeg in 2022."
    theme.save()
    login(client, world.users["safety_adviser"])
    url = reverse("dashboards:theme", args=["plan-a", theme.slug])
    html = client.get(url).content.decode()
    assert "Veiligheidsbeeld" in html and "drugslabs steeg" in html
    assert "Drugsproductie" in html
    assert "Minder ondermijnende criminaliteit" in html and "10% minder" in html
    assert "Rapportcijfer veiligheid buurt" in html and "7,6" in html
    action = world.objects["a"]["action"]
    assert reverse("actions:detail", args=[action.pk]) in html
    assert "Afgerond" in html
    assert "Wijzigingen" in html


# --- speed: shared drawings and the tile cache -----------------------------------------------


def test_headline_sparkline_is_drawn_once(client, world, rich_plan):
    login(client, world.users["council_member"])
    html = client.get(reverse("dashboards:plan", args=["plan-a"])).content.decode()
    grade = Indicator.objects.get(plan=rich_plan, name="Rapportcijfer veiligheid buurt")
    # The headline tile draws the line; the same indicator under its theme refers to it and
    # keeps its own accessible name and description.
    assert html.count(f'id="headline-spark-{grade.pk}-shape"') == 1
    assert f'<use href="#headline-spark-{grade.pk}-shape"/>' in html
    assert f'aria-labelledby="spark-{grade.pk}-title spark-{grade.pk}-desc"' in html
    assert "<line " not in html.split("ov-sparkline", 1)[1].split("</svg>", 1)[0]


def test_cached_tiles_follow_every_write(client, world, rich_plan):
    from openveiligheid.indicators.services import record_measurement

    login(client, world.users["programme_manager"])
    url = reverse("dashboards:plan", args=["plan-a"])
    first = count_queries(client, url)
    # From the cache: the indicators and their measurements are not read again.
    with CaptureQueriesContext(connection) as cached:
        assert "7,6" in client.get(url).content.decode()
    assert len(cached.captured_queries) < first
    assert not any("indicators_measurement" in q["sql"] and "value" in q["sql"] for q in cached)

    grade = Indicator.objects.get(plan=rich_plan, name="Rapportcijfer veiligheid buurt")
    record_measurement(
        indicator=grade,
        period=str(LAST_YEAR),
        value=Decimal("8.3"),
        actor=world.users["programme_manager"],
    )
    html = client.get(url).content.decode()
    assert "8,3" in html


def test_tiles_are_shared_but_action_counts_are_per_user(client, world, rich_plan):
    url = reverse("dashboards:plan", args=["plan-a"])
    login(client, world.users["administrator"])
    admin_html = client.get(url).content.decode()
    client.logout()
    login(client, world.users["council_member"])
    council_html = client.get(url).content.decode()
    # Same tiles (the second page came from the cache) ...
    assert "Rapportcijfer veiligheid buurt" in council_html and "7,6" in council_html
    tiles = re.findall(r'<li class="ov-tile">.*?</li>', admin_html, re.S)
    assert tiles and tiles == re.findall(r'<li class="ov-tile">.*?</li>', council_html, re.S)
    # ... but each user's own action counts, computed per request.
    from openveiligheid.dashboards.selectors import action_progress_by_theme

    for user, html in (
        (world.users["administrator"], admin_html),
        (world.users["council_member"], council_html),
    ):
        total = sum(p.total for p in action_progress_by_theme(rich_plan, user).values())
        assert f"{total} acties" in html or f"{total} actie" in html


def test_users_with_the_same_view_scope_share_the_dashboard_body(client, world, rich_plan):
    url = reverse("dashboards:plan", args=["plan-a"])
    colleague = UserFactory(username="tweede-programmamanager", first_name="Tweede")
    grant_membership(
        user=colleague, organisation=world.municipality_a, role_slug="programme_manager"
    )
    login(client, world.users["programme_manager"])
    first = count_queries(client, url)
    client.logout()
    login(client, colleague)
    with CaptureQueriesContext(connection) as context:
        html = client.get(url).content.decode()
    # The colleague's page is built from the cached body: no action count, budget or change log
    # is read again: only the session, the user with their access, the second factor's device
    # (programme managers read reports: two-factor login) and the plan with its data version.
    assert len(context.captured_queries) == 4 < first
    assert any("otp_totp" in query["sql"] for query in context.captured_queries)
    assert not any("actions_action" in query["sql"] for query in context.captured_queries)
    assert "Tweede" in html and "Rapportcijfer veiligheid buurt" in html


def test_cached_body_follows_action_status_changes(client, world, rich_plan):
    from openveiligheid.actions.services import change_status

    login(client, world.users["programme_manager"])
    url = reverse("dashboards:plan", args=["plan-a"])
    assert "50% afgerond" in client.get(url).content.decode()
    change_status(
        world.objects["a"]["action"], ActionStatus.DONE, actor=world.users["programme_manager"]
    )
    assert "100% afgerond" in client.get(url).content.decode()


def test_view_scope_key_is_equal_exactly_when_view_scoping_is(world):
    """The dashboard body is shared by view scope key: two users with the same key must see the
    same rows of every scoped model, and users who see different rows must differ in key."""
    from django.apps import apps

    from openveiligheid.organisations.scoping import VIEW, ScopedQuerySet, access_for

    colleague = UserFactory(username="tweede-programmamanager")
    grant_membership(
        user=colleague, organisation=world.municipality_a, role_slug="programme_manager"
    )
    manager = world.users["programme_manager"]
    scoped = [
        model
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), ScopedQuerySet)
    ]
    assert len(scoped) >= 10
    assert access_for(colleague).view_scope_key == access_for(manager).view_scope_key
    for model in scoped:
        sql = [
            str(model._default_manager.restrict(user, VIEW).query) for user in (manager, colleague)
        ]
        assert sql[0] == sql[1], model
    keys = {
        access_for(user).view_scope_key
        for name, user in world.users.items()
        if user is not None and name != "programme_manager"
    } | {access_for(manager).view_scope_key}
    assert len(keys) == len([user for user in world.users.values() if user is not None])


def test_writes_of_another_municipality_leave_the_cached_dashboard_valid(client, world, rich_plan):
    from openveiligheid.indicators.services import record_measurement

    login(client, world.users["programme_manager"])
    url = reverse("dashboards:plan", args=["plan-a"])
    client.get(url)
    record_measurement(
        indicator=world.objects["b"]["indicator"], period=str(LAST_YEAR), value=Decimal("5")
    )
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert not any("actions_action" in query["sql"] for query in context.captured_queries)


def test_tiles_escape_names_and_target_texts(client, world):
    indicator = IndicatorFactory(
        plan=world.plan_a, theme=world.objects["a"]["theme"], name="<script>naam</script>"
    )
    TargetFactory(indicator=indicator, text="<b>meer</b> dan 5")
    MeasurementFactory(indicator=indicator, period_start=date(LAST_YEAR, 1, 1), value=7)
    login(client, world.users["programme_manager"])
    html = client.get(reverse("dashboards:plan", args=["plan-a"])).content.decode()
    assert "&lt;script&gt;naam&lt;/script&gt;" in html and "<script>naam" not in html
    assert "Doel: &lt;b&gt;meer&lt;/b&gt; dan 5" in html
