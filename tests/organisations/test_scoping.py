import pytest

from openveiligheid.actions.models import Action
from openveiligheid.indicators.models import Indicator
from openveiligheid.organisations.scoping import CHANGE, VIEW
from openveiligheid.plans.models import Plan

pytestmark = pytest.mark.django_db


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


def test_programme_manager_sees_own_plans_including_drafts_never_other_municipality(world):
    user = world.users["programme_manager"]
    assert slugs(Plan.objects.restrict(user, VIEW)) == ["concept-a", "plan-a"]
    assert slugs(Plan.objects.restrict(world.users["other_municipality"], VIEW)) == ["plan-b"]


def test_council_member_sees_only_published_material_of_own_municipality(world):
    assert slugs(Plan.objects.restrict(world.users["council_member"], VIEW)) == ["plan-a"]


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Plan.objects.restrict(AnonymousUser(), VIEW).exists()


def test_safety_adviser_changes_only_indicators_of_advised_themes(world):
    adviser = world.users["safety_adviser"]
    changeable = Indicator.objects.restrict(adviser, CHANGE)
    assert list(changeable) == [world.objects["a"]["indicator"]]
    assert Indicator.objects.restrict(world.users["action_lead"], CHANGE).count() == 0


def test_action_lead_changes_own_action_and_partner_changes_given_action(world):
    lead_actions = Action.objects.restrict(world.users["action_lead"], CHANGE)
    assert list(lead_actions) == [world.objects["a"]["action"]]
    partner_view = Action.objects.restrict(world.users["partner_contact"], VIEW)
    assert list(partner_view) == [world.objects["a"]["partner_action"]]
    assert list(Action.objects.restrict(world.users["partner_contact"], CHANGE)) == [
        world.objects["a"]["partner_action"]
    ]


def test_region_membership_reach(world):
    from tests.plans.factories import PlanFactory

    PlanFactory(owner=world.region, slug="regio-plan", status=Plan.Status.DRAFT)
    assert "regio-plan" in slugs(Plan.objects.restrict(world.users["programme_manager"], VIEW))
    assert "regio-plan" not in slugs(Plan.objects.restrict(world.users["council_member"], VIEW))
    assert "regio-plan" not in slugs(
        Plan.objects.restrict(world.users["programme_manager"], CHANGE)
    )
