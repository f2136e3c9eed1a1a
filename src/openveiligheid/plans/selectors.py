"""Reads of plans that other apps and pages use."""

from datetime import datetime, time

from django.db import connection
from django.db.models import CharField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from openveiligheid.core.changelog import changes_for, data_version_sql
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import VIEW, access_for
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


def published_since(plan: Plan) -> datetime | None:
    """When ``plan`` was published: the change that made it adopted (or created it adopted),
    else the start of its adoption date, else its creation; None while it is a concept."""
    if plan.is_concept:
        return None
    adopting = changes_for(plan).filter(after__status=Plan.Status.ADOPTED)
    for entry in adopting.order_by("-timestamp", "-id"):
        if entry.before.get("status") != Plan.Status.ADOPTED:
            return entry.timestamp
    if plan.adopted_on:
        return timezone.make_aware(datetime.combine(plan.adopted_on, time.min))
    return plan.created_at


def visible_changes(user, plan: Plan, entries: QuerySet) -> QuerySet:
    """The change history of material of ``plan`` that ``user`` may read: all of it for those
    who see the owner's unpublished material; for the others (council members, partners) only
    what changed since the plan was published, none of the concept's drafting."""
    access = access_for(user)
    if access is not None and (
        access.is_superuser
        or plan.owner_id in access.orgs_with(Permission.VIEW_UNPUBLISHED, reach_regions=True)
    ):
        return entries
    since = published_since(plan)
    if since is None:
        return entries.none()
    return entries.filter(timestamp__gte=since)
