"""An indicator's value beside other municipalities: the national figure, the municipalities of
the same CBS size class (gemeentegrootteklasse, from the population in the areas data), those of
the same region (the samenwerkingsverband, safety region or police unit the owner is a member of,
where known) and a ranking of all municipalities with a value.

Values of other municipalities are measurements of the same indicator in their areas (the
figures import writes them as comparison areas); a derived indicator is computed per area from
its numerator and denominator, as everywhere else (selectors._derive)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openveiligheid.areas.models import Area
from openveiligheid.core.periods import Period
from openveiligheid.organisations.models import Organisation

from .models import Indicator, Measurement
from .selectors import Point, _derive, _load_points

# CBS gemeentegrootteklassen (inhabitants on 1 January): (lower bound, label).
SIZE_CLASSES = (
    (0, gettext_lazy("minder dan 5.000 inwoners")),
    (5_000, gettext_lazy("5.000 tot 10.000 inwoners")),
    (10_000, gettext_lazy("10.000 tot 20.000 inwoners")),
    (20_000, gettext_lazy("20.000 tot 50.000 inwoners")),
    (50_000, gettext_lazy("50.000 tot 100.000 inwoners")),
    (100_000, gettext_lazy("100.000 tot 150.000 inwoners")),
    (150_000, gettext_lazy("150.000 tot 250.000 inwoners")),
    (250_000, gettext_lazy("250.000 inwoners of meer")),
)


def size_class(population: int | None) -> int | None:
    """The index in SIZE_CLASSES of a population; None when it is not known."""
    if population is None:
        return None
    return max(index for index, (low, _label) in enumerate(SIZE_CLASSES) if population >= low)


@dataclass
class ComparedArea:
    code: str
    name: str
    value: Decimal
    population: int | None
    is_own: bool = False
    rank: int = 0


@dataclass
class Group:
    """Municipalities compared with the own one, with their average and median."""

    label: str
    members: list[ComparedArea] = field(default_factory=list)

    @property
    def values(self) -> list[Decimal]:
        return [member.value for member in self.members]

    @property
    def average(self) -> Decimal | None:
        return sum(self.values) / len(self.values) if self.values else None

    @property
    def median(self) -> Decimal | None:
        return statistics.median(self.values) if self.values else None


@dataclass
class Comparison:
    indicator: Indicator
    period: Period | None
    periods: list[Period]
    own: ComparedArea | None
    national: Decimal | None
    size_class: Group | None
    regions: list[Group]
    ranking: list[ComparedArea]

    @property
    def has_others(self) -> bool:
        return len(self.ranking) > (1 if self.own else 0)


def _values_per_area(indicator: Indicator) -> dict[int, list[Point]]:
    """Every area's series of the indicator (derived ones computed), in two queries."""
    sources = (
        [indicator.numerator_id, indicator.denominator_id]
        if indicator.is_derived
        else [indicator.pk]
    )
    area_ids = set(
        Measurement.objects.filter(indicator_id=sources[0])
        .order_by()
        .values_list("area_id", flat=True)
        .distinct()
    )
    points = _load_points({(source, area) for source in sources for area in area_ids}, None)
    if not indicator.is_derived:
        return {area: points.get((indicator.pk, area), []) for area in area_ids}
    return {
        area: _derive(
            points.get((indicator.numerator_id, area), []),
            points.get((indicator.denominator_id, area), []),
            indicator.per or 1000,
        )
        for area in area_ids
    }


def compare(indicator: Indicator, period_code: str = "") -> Comparison:
    """The comparison for one period: the one asked for, else the latest with a value for the
    indicator's own area, else the latest with any values."""
    series = _values_per_area(indicator)
    areas = Area.objects.in_bulk(series.keys())
    own_area = indicator.area
    by_period: dict[Period, dict[int, Decimal]] = {}
    for area_id, points in series.items():
        for point in points:
            by_period.setdefault(point.period, {})[area_id] = point.value
    periods = sorted(by_period, key=lambda period: period.start, reverse=True)
    chosen = next((period for period in periods if period.code == period_code), None)
    if chosen is None:
        chosen = next(
            (period for period in periods if own_area.pk in by_period[period]),
            periods[0] if periods else None,
        )
    values = by_period.get(chosen, {})
    national = next(
        (value for area_id, value in values.items() if areas[area_id].level == Area.Level.COUNTRY),
        None,
    )
    municipalities = [
        ComparedArea(
            code=areas[area_id].code,
            name=areas[area_id].name,
            value=value,
            population=areas[area_id].population,
            is_own=area_id == own_area.pk,
        )
        for area_id, value in values.items()
        if areas[area_id].level == Area.Level.MUNICIPALITY
    ]
    ranking = _ranked(municipalities, indicator.direction)
    own = next((item for item in ranking if item.is_own), None)
    return Comparison(
        indicator=indicator,
        period=chosen,
        periods=periods,
        own=own,
        national=national,
        size_class=_size_class_group(own_area, ranking),
        regions=_region_groups(indicator, ranking),
        ranking=ranking,
    )


def _ranked(items: list[ComparedArea], direction: str) -> list[ComparedArea]:
    """Best first: the lowest value when lower is better, else the highest; equal values share
    a rank."""
    descending = direction == Indicator.Direction.UP
    ordered = sorted(items, key=lambda item: (-item.value if descending else item.value, item.name))
    previous, rank = None, 0
    for position, item in enumerate(ordered, start=1):
        if item.value != previous:
            rank, previous = position, item.value
        item.rank = rank
    return ordered


def _size_class_group(own_area: Area, ranking: list[ComparedArea]) -> Group | None:
    own_class = size_class(own_area.population)
    if own_class is None:
        return None
    return Group(
        label=_("Gemeenten met %(size)s") % {"size": SIZE_CLASSES[own_class][1]},
        members=[item for item in ranking if size_class(item.population) == own_class],
    )


def _region_groups(indicator: Indicator, ranking: list[ComparedArea]) -> list[Group]:
    """One group per region the plan's owner is a member of (as far as the product knows)."""
    owner = indicator.plan.owner
    if owner.kind != Organisation.Kind.MUNICIPALITY:
        return []
    groups = []
    for region in owner.regions.filter(kind=Organisation.Kind.REGION).prefetch_related("members"):
        codes = {member.cbs_code for member in region.members.all() if member.cbs_code}
        groups.append(
            Group(label=region.name, members=[item for item in ranking if item.code in codes])
        )
    return groups
