"""A programme manager shares a concept plan with a partner by clicking, and withdraws it; the
page passes axe-core."""

import re

import pytest

from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Plan
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UserFactory
from tests.plans.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


def test_share_a_concept_with_a_partner_and_withdraw_it(page):
    municipality = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    PartnerFactory(name="Politie Oost-Nederland", slug="politie-on")
    plan = PlanFactory(
        owner=municipality, slug="ivp-concept", title="IVP concept", status=Plan.Status.DRAFT
    )
    user = UserFactory(username="programmamanager")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")

    login_with_second_factor(page, "programmamanager", PASSWORD)
    page.goto("/plannen/ivp-concept/")
    page.get_by_role("link", name="Concept delen met partners").click()
    page.wait_for_url(re.compile(r"/plannen/ivp-concept/delen/"))
    assert run_axe(page) == []

    page.get_by_label("Politie Oost-Nederland").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Het concept is gedeeld met: Politie Oost-Nederland.").is_visible()
    assert [o.name for o in plan.shared_with.all()] == ["Politie Oost-Nederland"]

    page.get_by_label("Politie Oost-Nederland").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Het concept is met geen enkele partner gedeeld.").is_visible()
    assert not plan.shared_with.exists()
    assert run_axe(page) == []
