"""Meldpunt reports counted per category and period as measurements of an indicator."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.indicators import services
from openveiligheid.indicators.models import Indicator, Measurement
from openveiligheid.signals.models import Report
from tests.indicators.factories import IndicatorFactory
from tests.organisations.factories import OrganisationFactory
from tests.permissions import assert_matrix, expect, login
from tests.plans.factories import PlanFactory
from tests.signals.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 15)


def _report(category, when: datetime):
    report = ReportFactory(organisation=category.organisation, category=category)
    Report.objects.filter(pk=report.pk).update(created_at=when)
    return report


@pytest.fixture
def municipality():
    return OrganisationFactory(name="Gemeente Teldorp", slug="teldorp")


@pytest.fixture
def drugs(municipality):
    return CategoryFactory(organisation=municipality, slug="drugs", name="Drugs")


@pytest.fixture
def indicator(municipality, drugs):
    plan = PlanFactory(owner=municipality, slug="ivp-teldorp", period_start=2025)
    indicator = IndicatorFactory(plan=plan, frequency="quarter", start_year=2025)
    return services.link_signal_category(indicator, drugs)


@pytest.fixture
def reports(municipality, drugs):
    nuisance = CategoryFactory(organisation=municipality, slug="overlast", name="Overlast")
    return [
        _report(drugs, datetime(2024, 11, 3, 12, tzinfo=UTC)),  # before the plan: not counted
        _report(drugs, datetime(2025, 1, 10, 9, tzinfo=UTC)),
        _report(drugs, datetime(2025, 2, 20, 18, tzinfo=UTC)),
        # 31 March 22:30 UTC is 1 April 00:30 in the Netherlands: the second quarter.
        _report(drugs, datetime(2025, 3, 31, 22, 30, tzinfo=UTC)),
        _report(drugs, datetime(2025, 8, 1, 12, tzinfo=UTC)),
        _report(drugs, datetime(2026, 1, 5, 12, tzinfo=UTC)),
        _report(drugs, datetime(2026, 7, 2, 12, tzinfo=UTC)),  # the running quarter: not yet
        _report(nuisance, datetime(2025, 1, 11, 12, tzinfo=UTC)),  # another category
    ]


def _stored(indicator) -> dict:
    return {
        (m.period_type, m.period_start): m.value
        for m in Measurement.objects.filter(indicator=indicator)
    }


EXPECTED = {
    ("quarter", date(2025, 1, 1)): Decimal(2),
    ("quarter", date(2025, 4, 1)): Decimal(1),
    ("quarter", date(2025, 7, 1)): Decimal(1),
    ("quarter", date(2025, 10, 1)): Decimal(0),
    ("quarter", date(2026, 1, 1)): Decimal(1),
    ("quarter", date(2026, 4, 1)): Decimal(0),
}


def test_counts_per_ended_period_of_the_indicators_type(indicator, reports):
    results = services.record_signal_counts(today=TODAY)
    assert _stored(indicator) == EXPECTED
    assert all(changed for _indicator, _period, _count, changed in results)
    measurement = Measurement.objects.get(indicator=indicator, period_start=date(2025, 1, 1))
    assert measurement.note == "Geteld uit het meldpunt, categorie Drugs."
    assert measurement.provenance == {"meldpunt_category": "drugs"}
    # Through record_measurement: each measurement has its change log entry.
    assert ChangeLogEntry.objects.filter(
        content_type__model="measurement", operation=ChangeLogEntry.Operation.CREATE
    ).count() == len(EXPECTED)


def test_yearly_indicator_counts_whole_years(indicator, reports):
    Indicator.objects.filter(pk=indicator.pk).update(frequency="year")
    services.record_signal_counts(today=TODAY)
    assert _stored(indicator) == {("year", date(2025, 1, 1)): Decimal(4)}


def test_rerun_updates_the_same_measurements_instead_of_adding(indicator, reports, drugs):
    services.record_signal_counts(today=TODAY)
    log_entries = ChangeLogEntry.objects.count()
    again = services.record_signal_counts(today=TODAY)
    assert _stored(indicator) == EXPECTED
    assert not any(changed for _indicator, _period, _count, changed in again)
    assert ChangeLogEntry.objects.count() == log_entries
    # A report that came in late for an ended period (not in the count yet) updates its quarter.
    _report(drugs, datetime(2025, 10, 20, 12, tzinfo=UTC))
    services.record_signal_counts(today=TODAY)
    assert Measurement.objects.filter(indicator=indicator).count() == len(EXPECTED)
    assert _stored(indicator)[("quarter", date(2025, 10, 1))] == Decimal(1)


def test_counts_survive_deleting_the_reports(indicator, reports):
    services.record_signal_counts(today=TODAY)
    # Retention removes one report of the first quarter, then all of them.
    reports[1].delete()
    services.record_signal_counts(today=TODAY)
    assert _stored(indicator) == EXPECTED
    Report.objects.all().delete()
    assert services.record_signal_counts(today=TODAY) == []
    assert _stored(indicator) == EXPECTED


def test_only_count_indicators_of_the_plans_own_municipality_can_be_linked(indicator, drugs):
    other = CategoryFactory(organisation=OrganisationFactory(name="Gemeente Elders"))
    with pytest.raises(ValidationError) as error:
        services.link_signal_category(indicator, other)
    assert error.value.message_dict["signal_category"] == [
        "Kies een categorie van het meldpunt van Gemeente Teldorp."
    ]
    percentage = IndicatorFactory(plan=indicator.plan, unit=Indicator.Unit.PERCENTAGE)
    with pytest.raises(ValidationError) as error:
        services.link_signal_category(percentage, drugs)
    assert error.value.message_dict["signal_category"] == [
        "Alleen een indicator met de eenheid 'aantal' kan meldingen tellen."
    ]
    assert Indicator.objects.get(pk=percentage.pk).signal_category is None


def test_command_counts_one_organisation(indicator, reports):
    elsewhere = OrganisationFactory(name="Gemeente Elders", slug="elders")
    out = StringIO()
    call_command("signal-counts", "--organisation", "elders", stdout=out)
    assert "Geen indicatoren" in out.getvalue()
    assert not Measurement.objects.filter(indicator=indicator).exists()
    call_command("signal-counts", "--organisation", "teldorp", stdout=out)
    assert f"ivp-teldorp/{indicator.slug}: " in out.getvalue()
    assert Measurement.objects.filter(indicator=indicator).count() >= len(EXPECTED)
    assert elsewhere.pk
    with pytest.raises(CommandError, match="Geen organisatie met code 'onbekend'"):
        call_command("signal-counts", "--organisation", "onbekend")


# -- the page --------------------------------------------------------------------------------


def _url(indicator):
    return reverse("indicators:signal-category", args=[indicator.plan.slug, indicator.slug])


def test_signal_category_page_matrix(client, world):
    indicator = world.objects["a"]["indicator"]
    category = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    allowed = expect(
        200,
        anonymous=302,
        action_lead=403,
        partner_contact=404,
        council_member=403,
        other_municipality=404,
    )
    assert_matrix(client, world, "GET", _url(indicator), allowed)
    posted = allowed | {"administrator": 302, "programme_manager": 302, "safety_adviser": 302}
    assert_matrix(
        client, world, "POST", _url(indicator), posted, data={"signal_category": category.pk}
    )
    indicator.refresh_from_db()
    assert indicator.signal_category == category


def test_page_links_a_category_and_refuses_another_municipalitys(client, world):
    indicator = world.objects["a"]["indicator"]
    own = CategoryFactory(organisation=world.municipality_a, slug="fraude", name="Fraude")
    CategoryFactory(organisation=world.municipality_b, slug="geheim", name="Geheim van B")
    login(client, world.users["programme_manager"])
    page = client.get(_url(indicator)).content.decode()
    assert "Fraude" in page and "Geheim van B" not in page
    foreign = CategoryFactory(organisation=world.municipality_b, slug="drugs", name="Drugs B")
    response = client.post(_url(indicator), {"signal_category": foreign.pk})
    assert response.status_code == 200
    assert "Kies een categorie van het meldpunt van Gemeente A." in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.signal_category is None

    response = client.post(_url(indicator), {"signal_category": own.pk}, follow=True)
    content = response.content.decode()
    assert "De indicator telt voortaan de meldingen in de categorie Fraude." in content
    assert "Telt de meldingen in de categorie Fraude." in content
    assert ChangeLogEntry.objects.filter(
        content_type__model="indicator", object_id=str(indicator.pk)
    ).exists()
    response = client.post(_url(indicator), {"signal_category": ""}, follow=True)
    assert "De indicator telt geen meldingen meer." in response.content.decode()
