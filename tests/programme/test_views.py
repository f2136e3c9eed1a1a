from decimal import Decimal

import pytest
from django.urls import reverse

from openveiligheid.programme.models import (
    Assignment,
    BudgetAmount,
    BudgetLine,
    Level,
    Participant,
    ProgrammeRole,
)
from tests.permissions import PAGE, assert_matrix, expect, login
from tests.plans.factories import PlanFactory
from tests.programme.factories import AssignmentFactory, PillarFactory, RiskFactory

pytestmark = pytest.mark.django_db


def budget_line(programme, item, amounts, **fields):
    line = BudgetLine.objects.create(programme=programme, item=item, **fields)
    for year, amount in amounts.items():
        BudgetAmount.objects.create(line=line, year=year, amount=Decimal(amount))
    return line


@pytest.fixture
def programme(world):
    """The programme of plan-a, filled like the Apeldoorn programme document."""
    programme = world.objects["a"]["programme"]
    programme.description = "Eén programmamanager stuurt de opgaves aan."
    programme.save()
    pillar = PillarFactory(programme=programme, name="Informatie en inzicht", order=0)
    AssignmentFactory(
        pillar=pillar,
        number="1.1",
        title="Informatiegestuurd werken",
        what="Een informatieknooppunt voor ondermijning",
        goal="Beter zicht op criminele netwerken",
        result="Halfjaarlijks ondermijningsbeeld",
        who="Gemeente, politie en RIEC",
        how="Gezamenlijke analyses",
        when="2023 en 2024",
        approach=Assignment.Approach.ANALYSIS,
    )
    ProgrammeRole.objects.create(
        programme=programme, name="Programmamanager", description="Stuurt", holder="P. Jansen"
    )
    Participant.objects.create(
        programme=programme, name="Wijkagent", organisation=world.partner, role="Deelnemer"
    )
    RiskFactory(
        programme=programme,
        description="Schaarste aan personeel",
        likelihood=Level.HIGH,
        impact=Level.MEDIUM,
        mitigation="Inhuur en opleiding",
        owner="Programmamanager",
    )
    budget_line(
        programme,
        "Jurist OOV 32 uur",
        {2023: "100000", 2024: "105000"},
        funding_source="Algemene middelen",
        is_structural=True,
        is_mpb_claim=True,
    )
    budget_line(
        programme,
        "Casusregisseurs jeugdcriminaliteit",
        {2023: "250000", 2024: "345000", 2025: "920000"},
        funding_source="Rijksbijdrage",
    )
    return programme


def test_matrix_programme_page(client, world):
    assert_matrix(
        client, world, "GET", reverse("programme:detail", args=["plan-a"]), PAGE.read_published_a
    )


def test_matrix_programme_of_draft_plan(client, world):
    assert_matrix(
        client,
        world,
        "GET",
        reverse("programme:detail", args=["concept-a"]),
        PAGE.read_draft_a,
    )


def test_matrix_programme_of_other_municipality(client, world):
    expected = expect(404, anonymous=302, other_municipality=200)
    assert_matrix(client, world, "GET", reverse("programme:detail", args=["plan-b"]), expected)


def test_plan_without_programme_is_404(client, world):
    PlanFactory(owner=world.municipality_a, slug="zonder-programma")
    login(client, world.users["programme_manager"])
    response = client.get(reverse("programme:detail", args=["zonder-programma"]))
    assert response.status_code == 404


def test_programme_page_content(client, world, programme):
    login(client, world.users["council_member"])
    response = client.get(reverse("programme:detail", args=["plan-a"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Programma Integrale Veiligheid" in content
    assert "Eén programmamanager stuurt de opgaves aan." in content
    assert "Pijler: Informatie en inzicht" in content
    assert "Opgave 1.1: Informatiegestuurd werken" in content
    for label, text in (
        ("Wat is het", "Een informatieknooppunt voor ondermijning"),
        ("Doel", "Beter zicht op criminele netwerken"),
        ("Resultaat", "Halfjaarlijks ondermijningsbeeld"),
        ("Wie", "Gemeente, politie en RIEC"),
        ("Hoe", "Gezamenlijke analyses"),
        ("Wanneer", "2023 en 2024"),
        ("Aanpak", "Analyse"),
    ):
        assert f"<dt>{label}</dt><dd>{text}</dd>" in content
    assert "P. Jansen" in content
    assert "Wijkagent" in content and "Politie Oost" in content
    assert "Schaarste aan personeel" in content
    assert ">hoog<" in content and ">middel<" in content
    assert "Inhuur en opleiding" in content


def test_budget_table_amounts_and_totals(client, world, programme):
    login(client, world.users["programme_manager"])
    content = client.get(reverse("programme:detail", args=["plan-a"])).content.decode()
    assert "MPB-claim" in content
    assert "structureel" in content and "incidenteel" in content
    assert "Algemene middelen" in content
    # Line amounts, row totals, totals per year and the grand total in Dutch notation.
    assert "€ 100.000" in content
    assert "€ 205.000" in content  # Jurist: 100.000 + 105.000
    assert "€ 1.515.000" in content  # Casusregisseurs: 250.000 + 345.000 + 920.000
    assert "€ 350.000" in content  # 2023
    assert "€ 450.000" in content  # 2024
    assert "€ 920.000" in content  # 2025
    assert "€ 1.720.000" in content  # grand total
    assert "Totaal per jaar" in content
    # The jurist has no amount in 2025: an empty cell, not € 0.
    assert "€ 0" not in content


def test_budget_sections_and_stated_differences(client, world, programme):
    budget_line(programme, "Claim handhaving", {2024: "1270000"}, section="Claims MPB")
    BudgetLine.objects.filter(section="").update(order=0)
    BudgetLine.objects.filter(section="Claims MPB").update(order=10)
    programme.stated_budget_totals = {"2023": 350000, "2024": 460000}
    programme.save()
    login(client, world.users["programme_manager"])
    content = client.get(reverse("programme:detail", args=["plan-a"])).content.decode()
    assert "Claims MPB" in content
    assert "€ 1.270.000" in content
    # The claim table is not added to the programme's own totals.
    assert "€ 1.720.000" in content
    assert "wijkt af van de som van de regels" in content
    assert "2024: volgens het document € 460.000, som van de regels € 450.000" in content
    assert "2023: volgens het document" not in content


def test_programme_page_queries_are_bounded(
    client, world, programme, django_assert_max_num_queries
):
    login(client, world.users["programme_manager"])
    url = reverse("programme:detail", args=["plan-a"])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for index in range(15):
        pillar = PillarFactory(programme=programme)
        AssignmentFactory.create_batch(3, pillar=pillar)
        RiskFactory(programme=programme)
        budget_line(programme, f"Post {index}", {2023: "1000", 2024: "2000"})
    with django_assert_max_num_queries(20) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
