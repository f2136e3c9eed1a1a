import factory

from openveiligheid.actions.models import Action, ActionPlan
from tests.plans.factories import PlanFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Uitvoeringsprogramma {n}")
    year_start = 2023
    year_end = 2023


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    action_plan = factory.SubFactory(ActionPlanFactory)
    subject = factory.Sequence(lambda n: f"Onderwerp {n}")
    description = factory.Sequence(lambda n: f"Actie {n}: aanpak woonoverlast")
    due_text = "2e kwartaal 2023"
