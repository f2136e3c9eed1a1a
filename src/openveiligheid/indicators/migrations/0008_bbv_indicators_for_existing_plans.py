"""Give every existing municipal plan the BBV safety indicators (indicators.bbv), which new plans
get when they are created, and compute their stored states."""

from django.db import migrations
from django.utils.text import slugify


def add_bbv_indicators(apps, schema_editor):
    from openveiligheid.indicators import state
    from openveiligheid.indicators.bbv_definitions import (
        BBV_RATES,
        BBV_SERIES,
        INHABITANTS,
        PER,
        RATE_DEFINITION,
        YOUTHS,
    )

    Plan = apps.get_model("plans", "Plan")
    Area = apps.get_model("areas", "Area")
    Source = apps.get_model("indicators", "Source")
    Indicator = apps.get_model("indicators", "Indicator")
    areas = {
        area.code: area for area in Area.objects.filter(level="municipality", valid_until=None)
    }
    touched = False
    for plan in Plan.objects.select_related("owner"):
        area = areas.get(plan.owner.cbs_code or "")
        if area is None:
            continue
        existing = {
            item.slug: item for item in Indicator.objects.filter(plan=plan, slug__startswith="bbv-")
        }
        order = 900
        for slug, name, (source_name, kind, url), definition in BBV_SERIES:
            order += 1
            if slug in existing:
                continue
            source, _created = Source.objects.get_or_create(
                name=source_name, defaults={"kind": kind, "url": url}
            )
            existing[slug] = Indicator.objects.create(
                plan=plan,
                name=name,
                slug=slugify(slug),
                unit="count",
                direction="none" if slug in (INHABITANTS, YOUTHS) else "down",
                frequency="year",
                area=area,
                source=source,
                definition=definition,
                order=order,
            )
            touched = True
        for slug, name, numerator, denominator in BBV_RATES:
            order += 1
            if slug in existing:
                continue
            existing[slug] = Indicator.objects.create(
                plan=plan,
                name=name,
                slug=slug,
                unit="rate",
                direction="down",
                frequency="year",
                area=area,
                source=existing[numerator].source,
                definition=RATE_DEFINITION.format(
                    numerator=existing[numerator].name,
                    per="1.000",
                    denominator=existing[denominator].name.lower(),
                ),
                numerator=existing[numerator],
                denominator=existing[denominator],
                per=PER,
                order=order,
            )
            touched = True
    if touched:
        state.refresh_all(
            state.Models(
                Plan=Plan,
                Indicator=Indicator,
                Measurement=apps.get_model("indicators", "Measurement"),
                IndicatorState=apps.get_model("indicators", "IndicatorState"),
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_measurement_and_interpretation_versions"),
        ("plans", "0004_plan_version"),
        ("areas", "0002_hierarchy_validity"),
    ]

    operations = [migrations.RunPython(add_bbv_indicators, migrations.RunPython.noop)]
