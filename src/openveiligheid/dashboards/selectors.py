"""Reads behind the monitoring pages: the plan dashboard and a theme page.

The dashboard brings together the plan's indicators, actions and programme. It runs a fixed
number of queries whatever the number of themes, indicators, measurements and actions: themes
with their goals, indicators with their targets, all measurements at once (statuses_for), one
aggregate over the actions and the programme budget.

"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.core.changelog import changes_for
from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.presentation import IndicatorTile, indicator_tile
from openveiligheid.indicators.selectors import (
    indicators_with_targets,
    statuses_for,
)
from openveiligheid.organisations.scoping import VIEW
from openveiligheid.plans.models import Goal, Plan, Theme
from openveiligheid.programme.models import Programme
from openveiligheid.programme.selectors import budget_totals


def _since(plan: Plan, indicators: list[Indicator]) -> date:
    """Load measurements from the year before the plan (or the earliest start year) onwards."""
    years = [plan.period_start - 1] + [i.start_year for i in indicators if i.start_year]
    return date(min(years), 1, 1)


def plan_statuses(plan: Plan, indicators: list[Indicator], today=None) -> dict:
    return statuses_for(indicators, today=today, since=_since(plan, indicators))


def indicator_tiles(plan: Plan, indicators: list[Indicator], today=None) -> list[IndicatorTile]:
    statuses = plan_statuses(plan, indicators, today=today)
    return [indicator_tile(statuses[indicator.pk]) for indicator in indicators]


# --- action progress ---------------------------------------------------------------------------


@dataclass
class ActionProgress:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts.get(ActionStatus.DONE, 0)

    @property
    def cancelled(self) -> int:
        return self.counts.get(ActionStatus.CANCELLED, 0)

    @property
    def percent_done(self) -> int | None:
        """Share of finished actions; cancelled actions do not count as work to do."""
        relevant = self.total - self.cancelled
        if relevant <= 0:
            return None
        return round(self.done * 100 / relevant)

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.counts.get(value, 0))
            for value, label in ActionStatus.choices
            if self.counts.get(value)
        ]


def action_progress_by_theme(plan: Plan, user) -> dict[int | None, ActionProgress]:
    """Counts per theme and status in one aggregate query over the actions the user sees."""
    rows = (
        Action.objects.restrict(user, VIEW)
        .filter(action_plan__plan=plan)
        .order_by()  # the default ordering would split the groups
        .values("theme_id", "status")
        .annotate(count=Count("pk"))
    )
    result: dict[int | None, ActionProgress] = {}
    for row in rows:
        progress = result.setdefault(row["theme_id"], ActionProgress())
        progress.counts[row["status"]] = progress.counts.get(row["status"], 0) + row["count"]
    return result


# --- the dashboard -----------------------------------------------------------------------------


@dataclass
class ThemeBlock:
    theme: Theme
    goals: list[Goal]
    tiles: list[IndicatorTile]
    progress: ActionProgress


@dataclass
class PlanDashboard:
    plan: Plan
    headline: list[IndicatorTile]
    themes: list[ThemeBlock]
    other_tiles: list[IndicatorTile]
    progress: ActionProgress
    unthemed_progress: ActionProgress
    programme: Programme | None
    budget: list[tuple[int, Decimal]]

    @property
    def budget_total(self) -> Decimal | None:
        return sum((amount for _year, amount in self.budget), Decimal(0)) if self.budget else None

    @property
    def has_example_data(self) -> bool:
        tiles = [t for block in self.themes for t in block.tiles] + self.other_tiles
        return any(t.status.has_example_data for t in tiles + self.headline)


def _visible_indicators(plan: Plan, user, **filters) -> list[Indicator]:
    return list(
        indicators_with_targets(Indicator.objects.restrict(user, VIEW)).filter(plan=plan, **filters)
    )


def plan_dashboard(plan: Plan, user, today=None) -> PlanDashboard:
    themes = list(
        Theme.objects.restrict(user, VIEW)
        .filter(plan=plan)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order", "id")))
    )
    indicators = _visible_indicators(plan, user)
    statuses = plan_statuses(plan, indicators, today=today)
    tiles = [indicator_tile(statuses[indicator.pk]) for indicator in indicators]
    by_theme: dict[int | None, list[IndicatorTile]] = {}
    for tile in tiles:
        by_theme.setdefault(tile.indicator.theme_id, []).append(tile)

    progress = action_progress_by_theme(plan, user)
    overall = ActionProgress()
    for theme_progress in progress.values():
        for status, count in theme_progress.counts.items():
            overall.counts[status] = overall.counts.get(status, 0) + count

    programme = Programme.objects.restrict(user, VIEW).filter(plan=plan).first()
    budget = sorted(budget_totals(programme).items()) if programme else []
    theme_ids = {theme.pk for theme in themes}
    return PlanDashboard(
        plan=plan,
        headline=[
            indicator_tile(statuses[indicator.pk], id_prefix="headline-spark")
            for indicator in indicators
            if indicator.is_headline
        ],
        themes=[
            ThemeBlock(
                theme=theme,
                goals=list(theme.goals.all()),
                tiles=by_theme.get(theme.pk, []),
                progress=progress.get(theme.pk, ActionProgress()),
            )
            for theme in themes
        ],
        other_tiles=[
            t
            for t in tiles
            if t.indicator.theme_id not in theme_ids and not t.indicator.is_headline
        ],
        progress=overall,
        unthemed_progress=progress.get(None, ActionProgress()),
        programme=programme,
        budget=budget,
    )


# --- the theme page ----------------------------------------------------------------------------


@dataclass
class ThemePage:
    theme: Theme
    topics: list
    goals: list[Goal]
    tiles: list[IndicatorTile]
    actions: list[Action]
    progress: ActionProgress
    changelog: list


def theme_page(plan: Plan, theme: Theme, user, today=None) -> ThemePage:
    indicators = _visible_indicators(plan, user, theme=theme)
    actions = list(
        Action.objects.restrict(user, VIEW)
        .filter(action_plan__plan=plan, theme=theme)
        .select_related("topic", "lead_organisation", "lead_unit", "lead_person", "action_plan")
    )
    progress = ActionProgress()
    for action in actions:
        progress.counts[action.status] = progress.counts.get(action.status, 0) + 1
    return ThemePage(
        theme=theme,
        topics=list(theme.topics.all()),
        goals=list(theme.goals.select_related("topic").order_by("order", "id")),
        tiles=indicator_tiles(plan, indicators, today=today),
        actions=actions,
        progress=progress,
        changelog=list(changes_for(theme)[:50]),
    )
