from datetime import date

import pytest

from openveiligheid.meetings.demo import PLAN_SLUG, load_demo_meetings
from openveiligheid.meetings.models import AgendaItem, MeetingSeries
from openveiligheid.meetings.selectors import year_calendar
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_without_the_plan_nothing_happens():
    assert load_demo_meetings() is None


def test_creates_the_driehoek_once():
    owner = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    plan = PlanFactory(owner=owner, slug=PLAN_SLUG, period_start=2017, period_end=2018)
    action_plan = ActionPlanFactory(plan=plan, year_start=2017, year_end=2018)
    for month in range(1, 13):
        ActionFactory(
            action_plan=action_plan,
            subject=f"Actie {month}",
            due_text="",
            due_start=date(2017, month, 1),
            due_end=date(2017, month, 28),
        )
    ActionFactory(
        action_plan=action_plan,
        subject="Doorlopend",
        due_text="",
        due_start=date(2017, 1, 1),
        due_end=date(2017, 12, 31),
        due_recurrence="continuous",
    )
    series = load_demo_meetings()
    assert series.meetings.count() == 8
    assert load_demo_meetings() == series
    assert MeetingSeries.objects.count() == 1
    # The dates are invented: the series says so, and no action is invented with it.
    assert series.is_example
    calendar = year_calendar(series, 2017, UserFactory(is_superuser=True))
    # 12 dated actions once, the continuous one twice.
    assert calendar.grand_total == 12 + 2
    assert calendar.unplanned == []
    assert action_plan.actions.count() == 13
    assert AgendaItem.objects.filter(reported=True).exists()
    assert AgendaItem.objects.filter(reported=False).exists()
