from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.indicators.services import record_measurement
from openveiligheid.organisations.services import grant_membership
from openveiligheid.reports import services
from openveiligheid.reports.models import REPORT_TRANSITIONS, Report, ReportStatus
from openveiligheid.reports.selectors import content_for, period_from_text
from tests.indicators.factories import IndicatorFactory, MeasurementFactory
from tests.organisations.factories import UserFactory
from tests.plans.factories import PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory()


@pytest.fixture
def manager(plan):
    user = UserFactory()
    grant_membership(user=user, organisation=plan.owner, role_slug="programme_manager")
    return user


def _publish(report, actor):
    for status in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        report = services.change_status(report, status, actor=actor)
    return report


@pytest.mark.parametrize(
    ("text", "code"), [("2024", "2024"), ("2024-H1", "2024-H1"), ("2024-Q3", "2024-Q3")]
)
def test_report_periods(text, code):
    assert period_from_text(text).code == code


def test_a_month_is_no_report_period():
    with pytest.raises(ValueError, match="geen rapportageperiode"):
        period_from_text("2024-05")


def test_create_report_starts_as_draft_with_history_and_change_log(plan, manager):
    report = services.create_report(
        plan=plan, report_type="veiligheidsbrief", period="2024-H1", actor=manager
    )
    assert report.status == ReportStatus.DRAFT
    assert report.period.code == "2024-H1"
    assert [c.to_status for c in report.status_history.all()] == ["draft"]
    assert ChangeLogEntry.objects.filter(object_id=str(report.pk)).exists()


def test_create_report_refuses_duplicates_and_periods_outside_the_plan(plan, manager):
    services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    with pytest.raises(ValidationError, match="al een veiligheidsbrief"):
        services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    with pytest.raises(ValidationError, match="buiten de looptijd"):
        services.create_report(plan=plan, report_type="jaarrapportage", period="2030")
    with pytest.raises(ValidationError, match="geen geldige periode"):
        services.create_report(plan=plan, report_type="jaarrapportage", period="later")


def test_transition_table_is_followed_and_history_appended(plan, manager):
    report = services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    with pytest.raises(ValidationError, match="kan niet naar"):
        services.change_status(report, ReportStatus.PUBLISHED, actor=manager)
    report = services.change_status(report, ReportStatus.IN_REVIEW, actor=manager)
    report = services.change_status(report, ReportStatus.DRAFT, actor=manager, note="Aanvullen")
    report = _publish(report, manager)
    assert [c.to_status for c in report.status_history.all()] == [
        "draft",
        "in_review",
        "draft",
        "in_review",
        "approved",
        "published",
    ]
    assert REPORT_TRANSITIONS[ReportStatus.PUBLISHED] == frozenset()
    with pytest.raises(ValidationError):
        services.change_status(report, ReportStatus.DRAFT, actor=manager)


def test_adviser_writes_duiding_of_own_theme_in_draft_only(plan, manager):
    own, other = ThemeFactory(plan=plan), ThemeFactory(plan=plan)
    adviser = UserFactory()
    grant_membership(user=adviser, organisation=plan.owner, role_slug="safety_adviser")
    own.advisers.add(adviser)
    report = services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    services.write_interpretation(
        report=report, theme=own, text="Daling door inzet.", actor=adviser
    )
    with pytest.raises(PermissionDenied):
        services.write_interpretation(report=report, theme=other, text="Nee", actor=adviser)
    council = UserFactory()
    grant_membership(user=council, organisation=plan.owner, role_slug="council_member")
    with pytest.raises(PermissionDenied):
        services.write_interpretation(report=report, theme=own, text="Nee", actor=council)
    services.write_interpretation(
        report=report, theme=other, text="Door de manager.", actor=manager
    )
    report = services.change_status(report, ReportStatus.IN_REVIEW, actor=manager)
    with pytest.raises(ValidationError, match="concept"):
        services.write_interpretation(report=report, theme=own, text="Later", actor=adviser)
    texts = {t["name"]: t["interpretation"] for t in content_for(report)["themes"]}
    assert texts == {own.name: "Daling door inzet.", other.name: "Door de manager."}


def test_publishing_freezes_the_content(plan, manager):
    theme = ThemeFactory(plan=plan)
    indicator = IndicatorFactory(plan=plan, theme=theme)
    MeasurementFactory(
        indicator=indicator, area=indicator.area, period_start="2022-01-01", value=120
    )
    MeasurementFactory(
        indicator=indicator, area=indicator.area, period_start="2023-01-01", value=100
    )
    report = services.create_report(plan=plan, report_type="jaarrapportage", period="2023")
    report = _publish(report, manager)
    frozen = content_for(report)
    assert frozen["themes"][0]["indicators"][0]["current"]["display"] == "100"

    record_measurement(
        indicator=indicator, area=indicator.area, period="2023", value=Decimal(90), actor=manager
    )
    report.refresh_from_db()
    assert content_for(report) == frozen
    assert content_for(report)["themes"][0]["indicators"][0]["current"]["display"] == "100"


def test_correction_makes_version_two_and_keeps_version_one(plan, manager):
    theme = ThemeFactory(plan=plan)
    report = services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    services.write_interpretation(report=report, theme=theme, text="Eerste duiding", actor=manager)
    report = _publish(report, manager)
    with pytest.raises(ValidationError, match="reden"):
        services.create_correction(report, reason=" ", actor=manager)
    correction = services.create_correction(report, reason="Verkeerd cijfer", actor=manager)
    assert (correction.version, correction.status, correction.corrects) == (2, "draft", report)
    assert correction.interpretations.get().text == "Eerste duiding"
    with pytest.raises(ValidationError, match="al een correctie"):
        services.create_correction(report, reason="Nog een", actor=manager)
    services.write_interpretation(
        report=correction, theme=theme, text="Verbeterde duiding", actor=manager
    )
    correction = _publish(correction, manager)
    report.refresh_from_db()
    assert report.is_published and content_for(report)["themes"][0]["interpretation"] == (
        "Eerste duiding"
    )
    assert content_for(correction)["correction_reason"] == "Verkeerd cijfer"
    assert Report.objects.filter(plan=plan).count() == 2
