"""API: programmes with pillars, assignments, roles, participants, risks and budget."""

from decimal import Decimal

import pytest
from django.urls import reverse

from openveiligheid.programme.models import BudgetAmount, BudgetLine, Participant, ProgrammeRole
from tests.permissions import API, assert_matrix, login
from tests.programme.factories import AssignmentFactory, PillarFactory, RiskFactory

pytestmark = pytest.mark.django_db


def test_programme_matrix(client, world):
    assert_matrix(
        client,
        world,
        "GET",
        reverse("programme-list"),
        API.any_user,
    )
    for key, expected in (("a", API.read_published_a), ("draft_a", API.read_draft_a)):
        programme = world.objects[key]["programme"]
        url = reverse("programme-detail", args=[programme.pk])
        assert_matrix(client, world, "GET", url, expected)


def test_programme_detail_has_everything_with_totals_per_year(
    client, world, django_assert_max_num_queries
):
    programme = world.objects["a"]["programme"]
    pillar = programme.pillars.get()
    AssignmentFactory(pillar=pillar, number="1.1", title="Aanpak drugs")
    AssignmentFactory(pillar=PillarFactory(programme=programme), title="Jeugd")
    ProgrammeRole.objects.create(programme=programme, name="Programmamanager", holder="J. Jansen")
    Participant.objects.create(
        programme=programme, name="Politie", organisation=world.partner, role="Partner"
    )
    RiskFactory(programme=programme, likelihood="high", impact="")
    for item, amounts in (("Personeel", (100000, 110000)), ("Campagne", (5000.50, 0))):
        line = BudgetLine.objects.create(programme=programme, item=item)
        for year, amount in zip((2024, 2025), amounts, strict=True):
            BudgetAmount.objects.create(line=line, year=year, amount=amount)
    login(client, world.users["council_member"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("programme-detail", args=[programme.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "plan-a"
    assert [len(p["assignments"]) for p in body["pillars"]] == [1, 1]
    assert body["pillars"][0]["assignments"][0]["number"] == "1.1"
    assert body["roles"][0]["holder"] == "J. Jansen"
    assert body["participants"][0]["organisation_name"] == "Politie Oost"
    assert body["risks"][0]["likelihood"] == "high"
    assert body["risks"][0]["impact"] is None
    assert [line["item"] for line in body["budget_lines"]] == ["Personeel", "Campagne"]
    totals = {row["year"]: Decimal(row["amount"]) for row in body["budget_totals"]}
    assert totals == {2024: Decimal("105000.50"), 2025: Decimal("110000.00")}


def test_programme_list_is_scoped(client, world):
    login(client, world.users["council_member"])
    rows = client.get(reverse("programme-list")).json()["results"]
    assert [row["plan"] for row in rows] == ["plan-a"]
    login(client, world.users["other_municipality"])
    rows = client.get(reverse("programme-list")).json()["results"]
    assert [row["plan"] for row in rows] == ["plan-b"]


def test_list_and_detail_use_the_same_key(client, world):
    """The list gives ids and the detail is found by that id, as for every endpoint but plans;
    a plan's programme is the list filtered by the plan's slug."""
    login(client, world.users["programme_manager"])
    rows = client.get(reverse("programme-list")).json()["results"]
    assert {row["plan"] for row in rows} == {"plan-a", "concept-a"}
    for row in rows:
        detail = client.get(reverse("programme-detail", args=[row["id"]]))
        assert detail.status_code == 200
        assert (detail.json()["id"], detail.json()["plan"]) == (row["id"], row["plan"])
    filtered = client.get(reverse("programme-list"), {"plan": "plan-a"}).json()["results"]
    assert [row["id"] for row in filtered] == [world.objects["a"]["programme"].pk]
    assert client.get(reverse("programme-list"), {"plan": "plan-b"}).json()["results"] == []
    # The slug is no key of a programme.
    assert client.get("/api/v1/programmes/plan-a/").status_code == 404
