"""API: organisations, plans, themes and goals - permission matrices and behaviour."""

import pytest
from django.urls import reverse

from tests.permissions import API, assert_matrix, expect, login
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory, TopicFactory

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize(
    "name", ["organisation-list", "plan-list", "theme-list", "goal-list", "api-root"]
)
def test_lists_need_login(client, world, name):
    assert_matrix(client, world, "GET", reverse(name), API.any_user)


def test_organisation_detail_matrix(client, world):
    assert_matrix(
        client,
        world,
        "GET",
        reverse("organisation-detail", args=[world.municipality_a.pk]),
        API.read_published_a,
    )
    # A's members see the region A takes part in; B's and the partner's do not.
    assert_matrix(
        client,
        world,
        "GET",
        reverse("organisation-detail", args=[world.region.pk]),
        API.read_published_a,
    )
    assert_matrix(
        client,
        world,
        "GET",
        reverse("organisation-detail", args=[world.partner.pk]),
        expect(404, anonymous=401, partner_contact=200),
    )


def test_organisations_include_fellow_members_of_a_region(client, world):
    world.region.members.add(world.partner)
    login(client, world.users["council_member"])
    slugs = {item["slug"] for item in results(client.get(reverse("organisation-list")))}
    assert slugs == {"gemeente-a", "regio-r", "politie-oost"}
    login(client, world.users["other_municipality"])
    slugs = {item["slug"] for item in results(client.get(reverse("organisation-list")))}
    assert slugs == {"gemeente-b"}


def test_plan_detail_matrix(client, world):
    for slug, expected in (("plan-a", API.read_published_a), ("concept-a", API.read_draft_a)):
        assert_matrix(client, world, "GET", reverse("plan-detail", args=[slug]), expected)
    assert_matrix(
        client,
        world,
        "GET",
        reverse("plan-detail", args=["plan-b"]),
        expect(404, anonymous=401, other_municipality=200),
    )


def test_plans_are_read_only(client, world):
    url = reverse("plan-detail", args=["plan-a"])
    assert_matrix(
        client,
        world,
        "PATCH",
        url,
        expect(405, anonymous=401),
        data={"title": "Anders"},
        content_type="application/json",
    )


def test_plan_list_is_scoped_and_filtered(client, world):
    login(client, world.users["council_member"])
    assert [p["slug"] for p in results(client.get(reverse("plan-list")))] == ["plan-a"]
    login(client, world.users["programme_manager"])
    slugs = {p["slug"] for p in results(client.get(reverse("plan-list")))}
    assert slugs == {"plan-a", "concept-a"}
    drafts = results(client.get(reverse("plan-list"), {"status": "draft"}))
    assert [p["slug"] for p in drafts] == ["concept-a"]
    assert results(client.get(reverse("plan-list"), {"owner": "gemeente-b"})) == []
    by_id = results(client.get(reverse("plan-list"), {"owner": world.municipality_a.pk}))
    assert len(by_id) == 2
    response = client.get(reverse("plan-list"), {"status": "vastgesteld"})
    assert response.status_code == 400
    assert "Onbekende waarde" in response.json()["status"][0]


def test_plan_themes_nested_and_flat(client, world):
    theme = world.objects["a"]["theme"]
    TopicFactory(theme=theme, name="Drugs")
    assert_matrix(
        client, world, "GET", reverse("plan-themes", args=["plan-a"]), API.read_published_a
    )
    assert_matrix(
        client, world, "GET", reverse("plan-themes", args=["concept-a"]), API.read_draft_a
    )
    assert_matrix(
        client, world, "GET", reverse("theme-detail", args=[theme.pk]), API.read_published_a
    )
    assert_matrix(
        client,
        world,
        "GET",
        reverse("theme-detail", args=[world.objects["draft_a"]["theme"].pk]),
        API.read_draft_a,
    )
    login(client, world.users["programme_manager"])
    nested = results(client.get(reverse("plan-themes", args=["plan-a"])))
    flat = results(client.get(reverse("theme-list"), {"plan": "plan-a"}))
    assert nested == flat
    assert [t["id"] for t in nested] == [theme.pk]
    assert nested[0]["plan"] == "plan-a"
    assert [topic["name"] for topic in nested[0]["topics"]] == ["Drugs"]


def test_goal_matrix_and_filters(client, world):
    goal = GoalFactory(theme=world.objects["a"]["theme"], text="Minder inbraken")
    draft_goal = GoalFactory(theme=world.objects["draft_a"]["theme"])
    GoalFactory(theme=world.objects["b"]["theme"])
    assert_matrix(
        client, world, "GET", reverse("goal-detail", args=[goal.pk]), API.read_published_a
    )
    assert_matrix(
        client, world, "GET", reverse("goal-detail", args=[draft_goal.pk]), API.read_draft_a
    )
    login(client, world.users["council_member"])
    assert [g["id"] for g in results(client.get(reverse("goal-list")))] == [goal.pk]
    login(client, world.users["programme_manager"])
    assert {g["id"] for g in results(client.get(reverse("goal-list")))} == {goal.pk, draft_goal.pk}
    filtered = results(client.get(reverse("goal-list"), {"theme": goal.theme_id}))
    assert [g["id"] for g in filtered] == [goal.pk]
    assert results(client.get(reverse("goal-list"), {"plan": "concept-a"}))[0]["id"] == (
        draft_goal.pk
    )
    assert client.get(reverse("goal-list"), {"theme": "x"}).status_code == 400


def test_plan_and_theme_lists_use_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for number in range(15):
        plan = PlanFactory(owner=world.municipality_a, slug=f"extra-{number}")
        theme = ThemeFactory(plan=plan)
        TopicFactory(theme=theme)
        GoalFactory(theme=theme)
    login(client, world.users["programme_manager"])
    for name in ("plan-list", "theme-list", "goal-list", "organisation-list"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse(name))
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert len(results(client.get(reverse("plan-list")))) == 17
