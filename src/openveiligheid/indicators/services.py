"""Every write of indicators, targets, measurements and duiding goes through here."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openveiligheid.areas.models import Area
from openveiligheid.core.changelog import record_change, save_new, snapshot, user_or_none
from openveiligheid.core.concurrency import check_version
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.core.numbers import decimal_for_column
from openveiligheid.core.periods import Period, parse_period
from openveiligheid.indicators import state
from openveiligheid.indicators.models import (
    Indicator,
    Interpretation,
    Measurement,
    Source,
    Target,
)
from openveiligheid.indicators.selectors import areas_within
from openveiligheid.signals.counts import report_counts

_UNIT_BOUNDS = {
    Indicator.Unit.PERCENTAGE: (Decimal(0), Decimal(100), "Een percentage ligt tussen 0 en 100."),
    Indicator.Unit.GRADE: (Decimal(1), Decimal(10), "Een rapportcijfer ligt tussen 1 en 10."),
    Indicator.Unit.COUNT: (Decimal(0), None, "Een aantal kan niet negatief zijn."),
    Indicator.Unit.RATE: (Decimal(0), None, "Een aantal per inwoners kan niet negatief zijn."),
}


def get_or_create_source(name: str, kind: str = Source.Kind.MUNICIPALITY, **fields) -> Source:
    source, _created = Source.objects.get_or_create(name=name, defaults={"kind": kind, **fields})
    return source


def validate_value(indicator: Indicator, value) -> Decimal:
    number = decimal_for_column(Measurement, "value", value)
    low, high, message = _UNIT_BOUNDS.get(indicator.unit, (None, None, ""))
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError({"value": message})
    return number


@transaction.atomic
def create_indicator(
    *,
    plan,
    name: str,
    unit: str,
    direction: str,
    frequency: str,
    area: Area,
    actor=None,
    target: dict | None = None,
    slug_hint: str = "",
    **fields,
) -> Indicator:
    base_slug = slugify(slug_hint or name)[:110] or "indicator"
    slug, counter = base_slug, 2
    while Indicator.objects.filter(plan=plan, slug=slug).exists():
        slug, counter = f"{base_slug}-{counter}", counter + 1
    indicator = Indicator(
        plan=plan,
        name=name,
        slug=slug,
        unit=unit,
        direction=direction,
        frequency=frequency,
        area=area,
        **fields,
    )
    save_new(indicator, actor)
    # Its state, and those of the plan's other indicators when its start year widens the window.
    state.refresh_plan(plan.pk)
    if target:
        set_target(indicator, actor=actor, **target)
    return indicator


@transaction.atomic
def set_target(
    indicator: Indicator,
    *,
    comparison: str,
    value=None,
    text: str = "",
    year: int | None = None,
    actor=None,
) -> Target:
    existing = Target.objects.filter(indicator=indicator).first()
    before = snapshot(existing) if existing else None
    target = existing or Target(indicator=indicator)
    target.comparison, target.text, target.year = comparison, text, year
    target.value = None if value is None else decimal_for_column(Target, "value", value)
    if target.comparison in (Target.Comparison.AT_LEAST, Target.Comparison.AT_MOST) and (
        target.value is None
    ):
        raise ValidationError({"value": _("Geef een streefwaarde bij 'minimaal' of 'maximaal'.")})
    target.full_clean()
    target.save()
    operation = ChangeLogEntry.Operation.UPDATE if existing else ChangeLogEntry.Operation.CREATE
    record_change(target, actor, operation, before)
    return target


def _as_period(period: Period | str) -> Period:
    if isinstance(period, str):
        try:
            return parse_period(period)
        except ValueError as error:
            raise ValidationError({"period": str(error)}) from error
    return period


def check_measurement(
    indicator: Indicator, period: Period, area: Area, *, comparison_area: bool = False
) -> None:
    """The rules of a measurement besides its value: the period has begun (figures are recorded
    afterwards) and the area is the indicator's own or lies within it (areas_within), unless it
    is a comparison area that the caller names explicitly (the figures import writes
    neighbouring municipalities that its mapping lists for comparison).

    Raises ValidationError with the field; record_measurement calls it, and the figures import
    calls it for its preview."""
    if period.start > timezone.localdate():
        raise ValidationError(
            {
                "period": _("%(period)s is nog niet begonnen; een meting kan pas achteraf.")
                % {"period": period.label}
            }
        )
    if (
        area.pk != indicator.area_id
        and not comparison_area
        and not areas_within(indicator).filter(pk=area.pk).exists()
    ):
        raise ValidationError(
            {
                "area": _("%(area)s ligt niet in %(own)s, het gebied van deze indicator.")
                % {"area": area.name, "own": indicator.area.name}
            }
        )


@transaction.atomic
def record_measurement(
    *,
    indicator: Indicator,
    period: Period | str,
    value,
    area: Area | None = None,
    source: Source | None = None,
    note: str = "",
    is_example: bool = False,
    provenance: dict | None = None,
    comparison_area: bool = False,
    actor=None,
    expected_version: int | None = None,
) -> tuple[Measurement, bool]:
    """Create or update the one measurement of an indicator for an area and period.

    Returns the measurement and whether anything changed. Derived indicators are refused: their
    values are computed from the series they derive from. `expected_version` is the version the
    form or client saw (ABSENT: none yet); another raises EditConflict (core.concurrency)."""
    if indicator.is_derived:
        raise ValidationError(
            _(
                "Deze indicator wordt berekend uit andere reeksen; "
                "voer de onderliggende metingen in."
            )
        )
    period = _as_period(period)
    number = validate_value(indicator, value)
    area = area or indicator.area
    check_measurement(indicator, period, area, comparison_area=comparison_area)
    key = {"indicator": indicator, "area": area, "period_type": period.type}
    key["period_start"] = period.start
    values = {
        "value": number,
        "is_example": is_example,
        "note": note,
        "source": source,
        "provenance": provenance,
    }
    existing = _locked_measurement(key)
    check_version(existing, expected_version)
    if existing is not None:
        return _update_measurement(existing, values, actor)
    try:
        # A savepoint: when another request creates the same measurement at the same moment,
        # the unique constraint refuses this insert and the value updates that one instead.
        with transaction.atomic():
            measurement = Measurement.objects.create(
                **key,
                value=number,
                source=source or indicator.source,
                note=note,
                is_example=is_example,
                provenance=provenance or {},
                entered_by=user_or_none(actor),
            )
    except IntegrityError:
        existing = _locked_measurement(key)
        check_version(existing, expected_version)
        return _update_measurement(existing, values, actor)
    record_change(measurement, actor, ChangeLogEntry.Operation.CREATE)
    state.refresh({(indicator.pk, area.pk)})
    return measurement, True


def _locked_measurement(key: dict) -> Measurement | None:
    return Measurement.objects.order_by().select_for_update(of=("self",)).filter(**key).first()


def _update_measurement(existing: Measurement, values: dict, actor) -> tuple[Measurement, bool]:
    number, is_example, note = values["value"], values["is_example"], values["note"]
    source, provenance = values["source"], values["provenance"]
    unchanged = (
        existing.value == number
        and existing.is_example == is_example
        and (not note or existing.note == note)
        and (source is None or existing.source_id == source.pk)
    )
    if unchanged:
        return existing, False
    before = snapshot(existing)
    existing.value, existing.is_example = number, is_example
    existing.note = note or existing.note
    existing.source = source or existing.source
    existing.provenance = provenance or existing.provenance
    existing.entered_by = user_or_none(actor)
    existing.save()
    record_change(existing, actor, ChangeLogEntry.Operation.UPDATE, before)
    state.refresh({(existing.indicator_id, existing.area_id)})
    return existing, True


@transaction.atomic
def record_measurements(items, *, actor=None) -> list[tuple[Measurement, bool]]:
    """record_measurement for many values in one transaction (all or nothing), with the
    indicators' states renewed once at the end. ``items`` are dicts of record_measurement's
    keyword arguments; returns its results in the same order."""
    with state.refresh_once():
        return [record_measurement(**item, actor=actor) for item in items]


@transaction.atomic
def write_interpretation(
    *,
    indicator: Indicator,
    period: Period | str,
    text: str,
    actor=None,
    expected_version: int | None = None,
) -> Interpretation:
    """Write or replace the duiding of an indicator for a period; `expected_version` as in
    record_measurement."""
    period = _as_period(period)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Schrijf een duiding.")})
    key = {"indicator": indicator, "period_type": period.type, "period_start": period.start}
    existing = _locked_interpretation(key)
    check_version(existing, expected_version)
    if existing is None:
        try:
            # A savepoint: a duiding written for the same period at the same moment makes this
            # insert fail on the unique constraint; that one is then the existing one.
            with transaction.atomic():
                interpretation = Interpretation.objects.create(
                    **key, text=text, written_by=user_or_none(actor)
                )
        except IntegrityError:
            existing = _locked_interpretation(key)
            check_version(existing, expected_version)
        else:
            record_change(interpretation, actor, ChangeLogEntry.Operation.CREATE)
            return interpretation
    if existing.text == text:
        return existing
    before = snapshot(existing)
    existing.text = text
    existing.written_by = user_or_none(actor)
    existing.save()
    record_change(existing, actor, ChangeLogEntry.Operation.UPDATE, before)
    return existing


def _locked_interpretation(key: dict) -> Interpretation | None:
    return Interpretation.objects.order_by().select_for_update(of=("self",)).filter(**key).first()


@transaction.atomic
def delete_measurement(measurement: Measurement, actor=None) -> None:
    record_change(measurement, actor, ChangeLogEntry.Operation.DELETE, snapshot(measurement))
    pair = (measurement.indicator_id, measurement.area_id)
    measurement.delete()
    state.refresh({pair})


@transaction.atomic
def link_signal_category(indicator: Indicator, category, actor=None) -> Indicator:
    """Tie a count indicator to a meldpunt category of the plan's own municipality (or untie it
    with None); record_signal_counts then feeds it. Refused for other units, derived indicators
    and another organisation's category."""
    if category is not None:
        if indicator.unit != Indicator.Unit.COUNT:
            raise ValidationError(
                {
                    "signal_category": _(
                        "Alleen een indicator met de eenheid 'aantal' kan meldingen tellen."
                    )
                }
            )
        if indicator.is_derived:
            raise ValidationError(
                {
                    "signal_category": _(
                        "Deze indicator wordt berekend uit andere reeksen en telt geen meldingen."
                    )
                }
            )
        if category.organisation_id != indicator.plan.owner_id:
            raise ValidationError(
                {
                    "signal_category": _(
                        "Kies een categorie van het meldpunt van %(organisation)s."
                    )
                    % {"organisation": indicator.plan.owner.name}
                }
            )
    if indicator.signal_category_id == (category.pk if category else None):
        return indicator
    before = snapshot(indicator)
    indicator.signal_category = category
    indicator.save(update_fields=["signal_category"])
    record_change(indicator, actor, ChangeLogEntry.Operation.UPDATE, before)
    return indicator


@transaction.atomic
def record_signal_counts(
    *, organisation=None, indicators=None, actor=None, today=None
) -> list[tuple[Indicator, Period, int, bool]]:
    """Record the meldpunt's report counts as measurements of the indicators tied to a category
    (all of them, those of plans owned by `organisation`, or the given `indicators`): one per
    ended period of the indicator's period type, through record_measurement, so a rerun updates
    the same measurement instead of adding one.

    Reports are only ever removed from an ended period (retention purge, erasure), never added,
    so a count lower than the stored measurement means reports were deleted: the stored value
    stays. That is what makes the plan's figures survive the purge. Returns (indicator, period,
    count, changed) for every period counted."""
    if indicators is None:
        indicators = Indicator.objects.filter(signal_category__isnull=False)
        if organisation is not None:
            indicators = indicators.filter(plan__owner=organisation)
        indicators = indicators.select_related("plan", "area", "signal_category")
    results = []
    with state.refresh_once():
        for indicator in indicators:
            if indicator.signal_category_id is None or indicator.is_derived:
                continue
            counts = report_counts(
                indicator.signal_category,
                indicator.period_type,
                first=date(indicator.start_year or indicator.plan.period_start, 1, 1),
                today=today,
            )
            stored = dict(
                Measurement.objects.filter(
                    indicator=indicator,
                    area=indicator.area,
                    period_type=indicator.period_type,
                    period_start__in=[period.start for period in counts],
                ).values_list("period_start", "value")
            )
            provenance = {"meldpunt_category": indicator.signal_category.slug}
            for period, count in counts.items():
                kept = stored.get(period.start)
                if kept is not None and kept > count:
                    results.append((indicator, period, int(kept), False))
                    continue
                _measurement, changed = record_measurement(
                    indicator=indicator,
                    period=period,
                    value=count,
                    note=_("Geteld uit het meldpunt, categorie %(category)s.")
                    % {"category": indicator.signal_category.name},
                    provenance=provenance,
                    actor=actor,
                )
                results.append((indicator, period, count, changed))
    return results
