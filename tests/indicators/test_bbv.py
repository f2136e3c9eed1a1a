"""The BBV safety indicators exist in every municipal plan and are computed, never typed in."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from openveiligheid.indicators.bbv import ensure_bbv_indicators
from openveiligheid.indicators.bbv_definitions import BBV_RATES, BBV_SERIES
from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.selectors import series_for
from openveiligheid.indicators.services import record_measurement
from openveiligheid.plans.models import Plan
from openveiligheid.plans.services import create_plan
from tests.indicators.factories import AreaFactory
from tests.organisations.factories import OrganisationFactory
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


def municipality(code="GM9301"):
    area = AreaFactory(code=code, name="Gemeente BBV")
    return OrganisationFactory(name="Gemeente BBV", cbs_code=code), area


def new_plan(owner, slug="ivp-bbv"):
    return create_plan(
        slug=slug,
        title="IVP",
        kind=Plan.Kind.INTEGRAL_PLAN,
        period_start=2023,
        period_end=2026,
        owner=owner,
        status=Plan.Status.DRAFT,
    )


def test_a_new_municipal_plan_has_the_bbv_indicators_with_definition_source_unit_and_per():
    owner, area = municipality()

    plan = new_plan(owner)

    indicators = {item.slug: item for item in Indicator.objects.filter(plan=plan)}
    assert set(indicators) == {slug for slug, *_ in BBV_SERIES} | {slug for slug, *_ in BBV_RATES}
    for slug, name, numerator, denominator in BBV_RATES:
        rate = indicators[slug]
        assert rate.name == name
        assert rate.is_derived
        assert (rate.numerator.slug, rate.denominator.slug, rate.per) == (
            numerator,
            denominator,
            1000,
        )
        assert rate.unit == Indicator.Unit.RATE
        assert rate.source is not None
        assert rate.definition
        assert rate.area == area
    assert indicators["bbv-verwijzingen-halt-per-1000-jongeren"].denominator.name == (
        "Jongeren van 12 tot en met 17 jaar"
    )
    # Running it again adds nothing.
    assert ensure_bbv_indicators(plan) == []


def test_a_plan_of_an_organisation_without_municipal_area_gets_none():
    owner = OrganisationFactory(name="Regio", cbs_code=None, kind="region")

    plan = new_plan(owner, slug="regio-plan")

    assert not Indicator.objects.filter(plan=plan).exists()


def test_rates_are_computed_from_the_measurements_and_cannot_be_typed_in():
    owner, area = municipality()
    plan = new_plan(owner)
    shop = Indicator.objects.get(plan=plan, slug="bbv-winkeldiefstallen")
    inhabitants = Indicator.objects.get(plan=plan, slug="bbv-inwoners")
    rate = Indicator.objects.get(plan=plan, slug="bbv-winkeldiefstallen-per-1000")
    record_measurement(indicator=shop, period="2023", value=455)
    record_measurement(indicator=inhabitants, period="2023", value=166000)

    (point,) = series_for([rate])[rate.pk]

    assert point.value.quantize(Decimal("0.01")) == Decimal("2.74")
    with pytest.raises(ValidationError):
        record_measurement(indicator=rate, period="2023", value=3)


def test_the_data_migration_adds_them_to_existing_plans():
    owner, _area = municipality("GM9302")
    plan = PlanFactory(owner=owner, slug="bestaand")  # made before BBV existed: no indicators
    assert not Indicator.objects.filter(plan=plan).exists()
    migration = importlib.import_module(
        "openveiligheid.indicators.migrations.0008_bbv_indicators_for_existing_plans"
    )

    migration.add_bbv_indicators(django_apps, None)
    migration.add_bbv_indicators(django_apps, None)  # and again: nothing twice

    assert Indicator.objects.filter(plan=plan).count() == len(BBV_SERIES) + len(BBV_RATES)
    rate = Indicator.objects.get(plan=plan, slug="bbv-geweldsmisdrijven-per-1000")
    assert rate.denominator.slug == "bbv-inwoners"
