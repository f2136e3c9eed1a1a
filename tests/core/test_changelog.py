"""The change log names whose data changed, so that caches of one organisation's pages survive
writes elsewhere (dashboards.fragments.data_version)."""

from decimal import Decimal

import pytest

from openveiligheid.actions.services import create_actions
from openveiligheid.core.changelog import organisation_path
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.indicators.models import Target
from openveiligheid.indicators.services import record_measurement
from openveiligheid.organisations.services import upsert_organisation
from openveiligheid.plans.models import Plan
from openveiligheid.programme.models import BudgetAmount
from openveiligheid.programme.services import add_budget_line
from tests.actions.factories import ActionPlanFactory
from tests.indicators.factories import IndicatorFactory
from tests.organisations.factories import OrganisationFactory
from tests.plans.factories import PlanFactory
from tests.programme.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def latest_entry() -> ChangeLogEntry:
    return ChangeLogEntry.objects.order_by("-id").first()


def test_entries_name_the_organisation_that_owns_the_changed_data():
    owner = OrganisationFactory()
    plan = PlanFactory(owner=owner)
    indicator = IndicatorFactory(plan=plan)
    record_measurement(indicator=indicator, period="2024", value=Decimal("12"))
    assert latest_entry().owner_organisation == owner.pk

    # Two foreign keys away from the scoped programme: line, programme, plan, owner.
    add_budget_line(ProgrammeFactory(plan=plan), item="Personeel", amounts={2024: 1000})
    assert latest_entry().content_type.model == "budgetline"
    assert latest_entry().owner_organisation == owner.pk
    assert organisation_path(BudgetAmount) == ("line", "programme", "plan", "owner_id")
    assert organisation_path(Target) == ("indicator", "plan", "owner_id")


def test_bulk_entries_name_each_instance_owner():
    first, second = OrganisationFactory(), OrganisationFactory()
    for owner in (first, second):
        action_plan = ActionPlanFactory(plan=PlanFactory(owner=owner))
        create_actions(
            action_plan=action_plan,
            specs=[{"description": f"Actie {n}", "due_text": "Doorlopend"} for n in range(3)],
        )
    entries = ChangeLogEntry.objects.filter(content_type__model="action")
    assert sorted(entries.values_list("owner_organisation", flat=True)) == sorted(
        [first.pk] * 3 + [second.pk] * 3
    )


def test_changes_that_concern_everybody_name_no_organisation():
    upsert_organisation(kind="municipality", name="Gemeente Nieuw", cbs_code="GM9999")
    assert latest_entry().content_type.model == "organisation"
    assert latest_entry().owner_organisation is None


def test_data_version_follows_own_and_common_writes_only():
    from openveiligheid.plans.selectors import with_data_version

    mine, theirs = OrganisationFactory(), OrganisationFactory()
    my_plan = PlanFactory(owner=mine)
    my_indicator = IndicatorFactory(plan=my_plan)
    their_indicator = IndicatorFactory(plan=PlanFactory(owner=theirs))

    def data_version():
        return with_data_version(Plan.objects.filter(pk=my_plan.pk)).get().data_version

    before = data_version()
    record_measurement(indicator=their_indicator, period="2024", value=Decimal("3"))
    assert data_version() == before
    record_measurement(indicator=my_indicator, period="2024", value=Decimal("3"))
    after_own = data_version()
    assert after_own != before
    upsert_organisation(kind="municipality", name="Gemeente Nieuw", cbs_code="GM9998")
    assert data_version() != after_own
