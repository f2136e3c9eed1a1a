"""A continuous action runs through its action plan's years, on every way in."""

from datetime import date

import pytest

from openveiligheid.actions.services import create_action, update_action
from tests.actions.factories import ActionPlanFactory


@pytest.mark.django_db
def test_continuous_action_spans_the_action_plan_years():
    action_plan = ActionPlanFactory(year_start=2017, year_end=2018)
    action = create_action(action_plan=action_plan, description="Monitoren", due_text="Doorlopend")
    assert (action.due_start, action.due_end) == (date(2017, 1, 1), date(2018, 12, 31))
    assert action.due_recurrence == "continuous"
    action = update_action(action, due_text="Maandelijks")
    assert (action.due_start, action.due_end) == (date(2017, 1, 1), date(2018, 12, 31))
    # A text with its own period keeps it.
    action = update_action(action, due_text="Eind 2017")
    assert action.due_end == date(2017, 12, 31)


@pytest.mark.django_db
def test_continuous_action_of_a_one_year_plan_ends_with_that_year():
    action_plan = ActionPlanFactory(year_start=2023, year_end=2023)
    action = create_action(action_plan=action_plan, description="Monitoren", due_text="Doorlopend")
    assert (action.due_start, action.due_end) == (date(2023, 1, 1), date(2023, 12, 31))
