"""The BBV safety indicators that every municipality publishes in its budget (Besluit begroting
en verantwoording, beleidsindicatoren taakveld Veiligheid), present in every plan out of the box.

Each is a rate per 1.000 computed from two series (Indicator.numerator / denominator / per): the
count (police registration, Halt) and the population it is taken over (CBS). Only the counts and
the population are measured or imported; the rates are never typed in.

`ensure_bbv_indicators(plan)` creates what is missing; it runs when a plan is created (the
plans.services.plan_created signal, connected in apps.py) and, for plans that already existed,
in a data migration that uses the same definitions (BBV_SERIES, BBV_RATES)."""

from __future__ import annotations

from django.db import transaction

from openveiligheid.areas.models import Area

from . import services
from .bbv_definitions import (
    BBV_RATES,
    BBV_SERIES,
    INHABITANTS,
    PER,
    RATE_DEFINITION,
    YOUTHS,
)
from .models import Indicator


def bbv_area(plan) -> Area | None:
    """The municipality a plan's BBV figures are about; None for a plan whose owner is not a
    municipality with a CBS area (a regional plan has no BBV indicators of its own)."""
    code = getattr(plan.owner, "cbs_code", None)
    if not code:
        return None
    return Area.objects.filter(code=code, level=Area.Level.MUNICIPALITY).first()


@transaction.atomic
def ensure_bbv_indicators(plan, actor=None) -> list[Indicator]:
    """Create the BBV series and rates that the plan lacks; returns the ones created."""
    area = bbv_area(plan)
    if area is None:
        return []
    existing = {
        indicator.slug: indicator
        for indicator in Indicator.objects.filter(plan=plan, slug__startswith="bbv-")
    }
    created = []
    order = 900  # after the plan's own indicators
    for slug, name, (source_name, kind, url), definition in BBV_SERIES:
        order += 1
        if slug in existing:
            continue
        source = services.get_or_create_source(source_name, kind, url=url)
        existing[slug] = services.create_indicator(
            plan=plan,
            name=name,
            slug_hint=slug,
            unit=Indicator.Unit.COUNT,
            direction=Indicator.Direction.NONE
            if slug in (INHABITANTS, YOUTHS)
            else Indicator.Direction.DOWN,
            frequency="year",
            area=area,
            source=source,
            definition=definition,
            order=order,
            actor=actor,
        )
        created.append(existing[slug])
    for slug, name, numerator, denominator in BBV_RATES:
        order += 1
        if slug in existing:
            continue
        numerator_indicator, denominator_indicator = existing[numerator], existing[denominator]
        existing[slug] = services.create_indicator(
            plan=plan,
            name=name,
            slug_hint=slug,
            unit=Indicator.Unit.RATE,
            direction=Indicator.Direction.DOWN,
            frequency="year",
            area=area,
            source=numerator_indicator.source,
            definition=RATE_DEFINITION.format(
                numerator=numerator_indicator.name,
                per="1.000",
                denominator=denominator_indicator.name.lower(),
            ),
            numerator=numerator_indicator,
            denominator=denominator_indicator,
            per=PER,
            order=order,
            actor=actor,
        )
        created.append(existing[slug])
    return created


def ensure_on_plan_created(sender, plan, actor=None, **kwargs) -> None:
    ensure_bbv_indicators(plan, actor)
