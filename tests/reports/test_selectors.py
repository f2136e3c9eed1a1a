from datetime import date

import pytest

from openveiligheid.actions.models import ActionStatus
from openveiligheid.reports import services
from openveiligheid.reports.selectors import report_content
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory()


def test_actions_summary_counts_done_on_course_and_lists_late_ones(plan):
    theme = ThemeFactory(plan=plan)
    action_plan = ActionPlanFactory(plan=plan)
    ActionFactory(action_plan=action_plan, theme=theme, status=ActionStatus.DONE)
    ActionFactory(action_plan=action_plan, theme=theme, due_end=date(2024, 12, 31))
    ActionFactory(action_plan=action_plan, theme=theme, subject="Te laat", due_end=date(2024, 3, 1))
    ActionFactory(
        action_plan=action_plan, theme=theme, status=ActionStatus.DELAYED, subject="Traag"
    )
    ActionFactory(action_plan=action_plan, theme=theme, status=ActionStatus.CANCELLED)
    report = services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    summary = report_content(report)["themes"][0]["actions"]
    assert (summary["done"], summary["on_course"], summary["late"]) == (1, 1, 2)
    assert sorted(action["subject"] for action in summary["late_actions"]) == ["Te laat", "Traag"]


def test_indicator_row_uses_the_values_up_to_the_report_period(plan):
    theme = ThemeFactory(plan=plan)
    GoalFactory(theme=theme, text="Minder inbraken")
    indicator = IndicatorFactory(plan=plan, theme=theme, name="Inbraken")
    TargetFactory(indicator=indicator, value=90)
    for year, value in ((2022, 120), (2023, 100), (2024, 95), (2025, 80)):
        MeasurementFactory(
            indicator=indicator, area=indicator.area, period_start=f"{year}-01-01", value=value
        )
    report = services.create_report(plan=plan, report_type="jaarrapportage", period="2024")
    theme_content = report_content(report)["themes"][0]
    assert theme_content["goals"] == [{"text": "Minder inbraken", "target": ""}]
    row = theme_content["indicators"][0]
    assert [row[key]["display"] for key in ("start", "previous", "current")] == ["120", "100", "95"]
    assert (row["change_symbol"], row["change_assessment"]) == ("↓", "gunstig")
    assert (row["status"], row["target"]) == ("on_course", "maximaal 90")
    assert [point["value"] for point in row["series"]] == ["120", "100", "95"]
