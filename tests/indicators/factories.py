import factory
from django.db import transaction

from openveiligheid.areas.models import Area
from openveiligheid.indicators import state
from openveiligheid.indicators.models import Indicator, Measurement, Source, Target
from tests.plans.factories import PlanFactory, ThemeFactory


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    level = Area.Level.MUNICIPALITY
    population = 100000


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = "Politie"
    kind = Source.Kind.POLICE


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(PlanFactory)
    theme = factory.SubFactory(ThemeFactory, plan=factory.SelfAttribute("..plan"))
    name = factory.Sequence(lambda n: f"Aantal woninginbraken {n}")
    slug = factory.Sequence(lambda n: f"indicator-{n}")
    unit = Indicator.Unit.COUNT
    direction = Indicator.Direction.DOWN
    frequency = "year"
    area = factory.SubFactory(AreaFactory)
    source = factory.SubFactory(SourceFactory)
    start_year = 2022

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As indicators.services.create_indicator does: the new indicator gets its state.
        # In one transaction, as there: the refresh locks the state rows.
        with transaction.atomic():
            indicator = super()._create(model_class, *args, **kwargs)
            state.refresh_plan(indicator.plan_id)
        return indicator


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    comparison = Target.Comparison.AT_MOST
    value = 100


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SelfAttribute("indicator.area")
    period_type = "year"
    period_start = factory.Sequence(lambda n: __import__("datetime").date(2000 + n % 30, 1, 1))
    value = 120

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As indicators.services.record_measurement does: the indicator's state is renewed.
        with transaction.atomic():
            measurement = super()._create(model_class, *args, **kwargs)
            state.refresh({(measurement.indicator_id, measurement.area_id)})
        return measurement
