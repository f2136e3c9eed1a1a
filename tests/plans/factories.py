import factory

from openveiligheid.plans.models import Goal, Plan, Theme, Topic
from tests.organisations.factories import OrganisationFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"Integraal Veiligheidsplan {n}")
    kind = Plan.Kind.INTEGRAL_PLAN
    period_start = 2023
    period_end = 2026
    owner = factory.SubFactory(OrganisationFactory)
    status = Plan.Status.ADOPTED


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    kind = Theme.Kind.PRIORITY
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"Subthema {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    theme = factory.SubFactory(ThemeFactory)
    text = factory.Sequence(lambda n: f"Doel {n}: minder overlast")
