"""Reads of plans that other apps and pages use."""

from django.db import connection
from django.db.models import CharField, QuerySet
from django.db.models.expressions import RawSQL

from openveiligheid.core.changelog import data_version_sql
from openveiligheid.organisations.scoping import VIEW
from openveiligheid.plans.models import Plan


def with_data_version(plans: QuerySet) -> QuerySet:
    """The plans with ``data_version``: a text that changes on every write to the data of the
    plan's owner or to data of nobody in particular, read in the same query as the plan (which
    saves a page that caches per data version a round trip to the database)."""
    quote = connection.ops.quote_name
    sql, params = data_version_sql(f"{quote(Plan._meta.db_table)}.{quote('owner_id')}")
    return plans.annotate(data_version=RawSQL(sql, params, output_field=CharField()))


def visible_plans(user):
    return Plan.objects.restrict(user, VIEW).select_related("owner")


def default_plan(user) -> Plan | None:
    """The plan a user lands on: the newest adopted plan they see, else the newest draft."""
    plans = list(visible_plans(user))
    adopted = [plan for plan in plans if plan.status == Plan.Status.ADOPTED]
    return (adopted or plans or [None])[0]
