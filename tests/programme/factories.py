import factory

from openveiligheid.programme.models import Assignment, Pillar, Programme, Risk
from tests.plans.factories import PlanFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    plan = factory.SubFactory(PlanFactory)
    title = "Programma Integrale Veiligheid"


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Pijler {n}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    pillar = factory.SubFactory(PillarFactory)
    title = factory.Sequence(lambda n: f"Opgave {n}")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    programme = factory.SubFactory(ProgrammeFactory)
    description = "Schaarste aan personeel"
