"""Reads of plans that other apps and pages use."""

from openveiligheid.organisations.scoping import VIEW
from openveiligheid.plans.models import Plan


def visible_plans(user):
    return Plan.objects.restrict(user, VIEW).select_related("owner")


def default_plan(user) -> Plan | None:
    """The plan a user lands on: the newest adopted plan they see, else the newest draft."""
    plans = list(visible_plans(user))
    adopted = [plan for plan in plans if plan.status == Plan.Status.ADOPTED]
    return (adopted or plans or [None])[0]
