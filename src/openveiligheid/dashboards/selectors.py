"""Reads behind the monitoring pages: the plan dashboard and a theme page.

The dashboard brings together the plan's indicators, actions and programme. It runs a fixed
number of queries whatever the number of themes, indicators, measurements and actions: themes,
the visible indicator ids, one aggregate over the actions and the programme
budget; and for the tiles (when they are not cached, see dashboards.fragments) the indicators
with their targets, all measurements at once (statuses_for) and the themes' goals.

"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.core.changelog import changes_for
from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.presentation import IndicatorTile, indicator_tile, sparkline_id
from openveiligheid.indicators.selectors import OFF_COURSE, statuses_for, statuses_from_states
from openveiligheid.indicators.state import window_start
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import VIEW, access_for
from openveiligheid.plans.models import Goal, Plan, PlannedReport, Theme
from openveiligheid.plans.selectors import visible_changes, visible_plans
from openveiligheid.programme.models import Programme
from openveiligheid.programme.selectors import budget_totals, year_differences


def _since(plan: Plan, indicators: list[Indicator]) -> date:
    """Load measurements from the year before the plan (or the earliest start year) onwards."""
    return window_start(plan.period_start, (i.start_year for i in indicators))


def plan_statuses(plan: Plan, indicators: list[Indicator], today=None) -> dict:
    """The statuses from the indicators' stored states (one row each); those without a state
    for this window are computed from their measurements."""
    since = _since(plan, indicators)
    statuses = statuses_from_states(indicators, since, today=today)
    missing = [indicator for indicator in indicators if indicator.pk not in statuses]
    if missing:
        statuses.update(statuses_for(missing, today=today, since=since))
    return statuses


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


# --- the dashboard ---------------------------------------------------------------------------

HEADLINE_PREFIX = "headline-spark"


@dataclass
class ThemeBlock:
    theme: Theme
    progress: ActionProgress
    # The theme's goals and indicator tiles, rendered (set by dashboards.fragments).
    body_html: str = ""


@dataclass
class PlanDashboard:
    """What the dashboard shows besides the indicator tiles: cheap reads scoped to what the user
    may view (action counts, programme, budget). The tiles are the same for every user who sees
    the same indicators and are built, rendered and cached by dashboards.fragments."""

    plan: Plan
    themes: list[ThemeBlock]
    # The indicators the user may view, with their targets (what plan_tiles needs).
    indicators: list[Indicator]
    progress: ActionProgress
    unthemed_progress: ActionProgress
    programme: Programme | None
    budget: list[tuple[int, Decimal]]
    # The plan's reporting cycle (veiligheidsbrief, jaarrapportage, evaluations).
    planned_reports: list[PlannedReport] = field(default_factory=list)

    @property
    def indicator_ids(self) -> list[int]:
        return sorted(indicator.pk for indicator in self.indicators)

    @property
    def budget_total(self) -> Decimal | None:
        return sum((amount for _year, amount in self.budget), Decimal(0)) if self.budget else None

    @property
    def budget_differences(self) -> list[tuple[int, Decimal, Decimal]]:
        """(year, printed, sum) where the programme document prints another total than its lines
        add up to; from the sums already read, so it costs no query."""
        if self.programme is None:
            return []
        differences = year_differences(self.programme.stated_budget_totals, dict(self.budget))
        return [(year, stated, total) for year, (stated, total) in sorted(differences.items())]


@dataclass
class PlanTiles:
    """The indicator tiles of a dashboard: the headline figures, per theme, and the rest."""

    headline: list[IndicatorTile]
    by_theme: dict[int | None, list[IndicatorTile]]
    other: list[IndicatorTile]
    goals: dict[int, list[Goal]] = field(default_factory=dict)

    @property
    def has_example_data(self) -> bool:
        tiles = self.headline + self.other + [t for ts in self.by_theme.values() for t in ts]
        return any(t.status.has_example_data for t in tiles)


def _visible_indicators(plan: Plan, user, **filters) -> list[Indicator]:
    return list(
        Indicator.objects.restrict(user, VIEW)
        .filter(plan=plan, **filters)
        # Only the target is shown on a tile; source, area and theme are not read.
        .select_related("target")
        .defer("definition")
    )


def plan_tiles(
    plan: Plan, indicators: list[Indicator], theme_ids: set[int], today=None
) -> PlanTiles:
    """The tiles of the given (visible) indicators, in their order and with their targets
    selected (_visible_indicators), and the goals of the given (visible) themes, with a fixed
    number of queries."""
    statuses = plan_statuses(plan, indicators, today=today)
    # Headline figures come first on the page and also appear under their theme: the theme's
    # tile reuses the headline sparkline's drawing rather than drawing it again.
    headline = [
        indicator_tile(statuses[indicator.pk], id_prefix=HEADLINE_PREFIX)
        for indicator in indicators
        if indicator.is_headline
    ]
    by_theme: dict[int | None, list[IndicatorTile]] = {}
    other = []
    for indicator in indicators:
        in_theme = indicator.theme_id in theme_ids
        if not in_theme and indicator.is_headline:
            continue  # shown among the headline figures only
        tile = indicator_tile(
            statuses[indicator.pk],
            drawn_as=sparkline_id(indicator, HEADLINE_PREFIX) if indicator.is_headline else None,
        )
        if in_theme:
            by_theme.setdefault(indicator.theme_id, []).append(tile)
        else:
            other.append(tile)
    goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(theme_id__in=theme_ids).order_by("order", "id"):
        goals.setdefault(goal.theme_id, []).append(goal)
    return PlanTiles(headline=headline, by_theme=by_theme, other=other, goals=goals)


def plan_dashboard(plan: Plan, user) -> PlanDashboard:
    # The goals are shown with the tiles and cached with them (dashboards.fragments).
    themes = list(Theme.objects.restrict(user, VIEW).filter(plan=plan))
    progress = action_progress_by_theme(plan, user)
    overall = ActionProgress()
    for theme_progress in progress.values():
        for status, count in theme_progress.counts.items():
            overall.counts[status] = overall.counts.get(status, 0) + count

    programme = Programme.objects.restrict(user, VIEW).filter(plan=plan).first()
    budget = sorted(budget_totals(programme).items()) if programme else []
    return PlanDashboard(
        plan=plan,
        themes=[
            ThemeBlock(theme=theme, progress=progress.get(theme.pk, ActionProgress()))
            for theme in themes
        ],
        indicators=_visible_indicators(plan, user),
        progress=overall,
        unthemed_progress=progress.get(None, ActionProgress()),
        programme=programme,
        budget=budget,
        planned_reports=list(plan.planned_reports.all()),
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
        changelog=list(visible_changes(user, plan, changes_for(theme))[:50]),
    )


# --- the start page ----------------------------------------------------------------------------


@dataclass
class PlanOverview:
    plan: Plan
    action_plans: int
    # Whether the user manages this plan's actions (may make an action plan, add actions).
    manages_actions: bool


def plans_overview(user) -> list[PlanOverview]:
    """The plans the user may see, with their number of action plans (one query)."""
    access = access_for(user)
    plans = visible_plans(user).annotate(action_plan_count=Count("action_plans"))
    return [
        PlanOverview(
            plan=plan,
            action_plans=plan.action_plan_count,
            manages_actions=bool(access and access.has(Permission.MANAGE_ACTIONS, plan.owner_id)),
        )
        for plan in plans
    ]


@dataclass
class OffCourse:
    plan: Plan
    statuses: list  # IndicatorStatus of the plan's indicators that are off course


# Who answers for the figures of a plan: they see its indicators that are off course.
FIGURE_PERMISSIONS = (Permission.MANAGE_PLAN, Permission.RECORD_MEASUREMENTS)


def indicators_off_course(user, today=None) -> list[OffCourse]:
    """Per plan of the organisations where the user answers for the figures, its visible
    indicators that are off course against their norm (target or direction). A fixed number of
    queries per plan (its indicators and their stored states)."""
    access = access_for(user)
    if access is None:
        return []
    plans = visible_plans(user)
    if not access.is_superuser:
        plans = plans.filter(owner__in=access.orgs_with(*FIGURE_PERMISSIONS))
    result = []
    for plan in plans:
        indicators = _visible_indicators(plan, user)
        statuses = plan_statuses(plan, indicators, today=today)
        off = [statuses[i.pk] for i in indicators if statuses[i.pk].status == OFF_COURSE]
        if off:
            result.append(OffCourse(plan, off))
    return result


def advised_themes(user) -> list[Theme]:
    """The visible themes the user advises on (Theme.advisers), with their plans (one query)."""
    return list(
        Theme.objects.restrict(user, VIEW)
        .filter(advisers=user)
        .select_related("plan")
        .order_by("plan__title", "order", "id")
    )
