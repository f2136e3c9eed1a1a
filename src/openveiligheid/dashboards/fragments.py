"""The plan dashboard, rendered once and cached at two levels.

The indicator tiles (and the themes' goals) are the expensive part: every measurement of the
plan since the year before it started (thousands of rows), a status per indicator, a sparkline
each and some 60 rendered tiles. They are the same for every user who sees the same indicators,
so the rendered HTML is cached per plan, language and day (the status "no recent data" depends
on the date), for the exact set of visible indicators and themes.

The whole dashboard body (tiles, action counts, budget, change log) depends on what the user
may view and nothing else: it is cached per plan, language, day and view scope
(Access.view_scope_key), so every user with the same roles in the same organisations gets the
same body and a request on a warm cache only checks access and the data version.

Both levels are keyed by a data version of the plan's owner that changes on every write to its
data: every domain write goes through a service that appends a core.ChangeLogEntry naming the
organisation whose data changed (see plans.selectors.with_data_version). A write in one
municipality leaves the cached dashboards of all others valid; a change that concerns everybody
(an organisation's name, a role) renews them all.

Writes that bypass the services (the admin site, bulk loads such as the benchmark's generator)
show after at most CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from openveiligheid.core.changelog import changes_for
from openveiligheid.dashboards.selectors import (
    PlanDashboard,
    PlanTiles,
    plan_dashboard,
    plan_tiles,
)
from openveiligheid.indicators import presentation
from openveiligheid.organisations.scoping import access_for
from openveiligheid.plans.models import Plan
from openveiligheid.plans.selectors import visible_changes

CACHE_SECONDS = 10 * 60
BODY_TEMPLATE = "dashboards/includes/dashboard_body.html"
CHANGELOG_ROWS = 20
THEME_BODY_TEMPLATE = "dashboards/includes/theme_body.html"
# Heading levels of the tile titles: under h2 "Kerncijfers", under a theme's h4, under h3.
HEADLINE_LEVEL, THEME_LEVEL, OTHER_LEVEL = 3, 5, 4


@dataclass
class TileFragments:
    headline: SafeString
    themes: dict[int, SafeString]  # per theme id its goals and tiles
    other: SafeString
    has_example_data: bool


def _key(kind: str, plan: Plan, today, version: str, scope: str) -> str:
    return (
        f"ov:dashboard-{kind}:v1:{plan.pk}:{translation.get_language()}:{today.isoformat()}:"
        f"{version}:{scope}"
    )


def tiles_cache_key(plan: Plan, indicator_ids, theme_ids, today, version: str) -> str:
    scope = hashlib.sha256(
        f"{sorted(indicator_ids)}|{sorted(theme_ids)}".encode(), usedforsecurity=False
    ).hexdigest()[:24]
    return _key("tiles", plan, today, version, scope)


def _render(tiles, plan: Plan, level: int) -> SafeString:
    return presentation.render_tiles(tiles or [], plan.slug, level)


def render_tiles(plan: Plan, tiles: PlanTiles, theme_ids) -> TileFragments:
    return TileFragments(
        headline=_render(tiles.headline, plan, HEADLINE_LEVEL),
        themes={
            theme_id: mark_safe(
                render_to_string(
                    THEME_BODY_TEMPLATE,
                    {
                        "goals": tiles.goals.get(theme_id, []),
                        "tiles_html": _render(tiles.by_theme.get(theme_id), plan, THEME_LEVEL),
                    },
                )
            )
            for theme_id in theme_ids
        },
        other=_render(tiles.other, plan, OTHER_LEVEL),
        has_example_data=tiles.has_example_data,
    )


def tile_fragments(dashboard: PlanDashboard, today, version: str) -> TileFragments:
    """The rendered tiles of the dashboard (from the cache when nothing changed), also set on
    each theme block."""
    plan = dashboard.plan
    theme_ids = [block.theme.pk for block in dashboard.themes]
    key = tiles_cache_key(plan, dashboard.indicator_ids, theme_ids, today, version)
    fragments = cache.get(key)
    if fragments is None:
        tiles = plan_tiles(plan, dashboard.indicators, set(theme_ids), today=today)
        fragments = render_tiles(plan, tiles, theme_ids)
        cache.set(key, fragments, CACHE_SECONDS)
    for block in dashboard.themes:
        block.body_html = fragments.themes.get(block.theme.pk, mark_safe(""))
    return fragments


def dashboard_body(plan: Plan, user, today=None) -> SafeString:
    """The dashboard below the page header as HTML, from the cache when nothing changed for the
    user's view scope. ``plan`` comes from plans.selectors.with_data_version."""
    today = today or timezone.localdate()
    version = plan.data_version
    key = _key("body", plan, today, version, access_for(user).view_scope_key)
    body = cache.get(key)
    if body is None:
        dashboard = plan_dashboard(plan, user)
        context = {
            "plan": plan,
            "dashboard": dashboard,
            "tiles": tile_fragments(dashboard, today, version),
            "changelog": visible_changes(user, plan, changes_for(plan))[:CHANGELOG_ROWS],
        }
        body = render_to_string(BODY_TEMPLATE, context)
        cache.set(key, body, CACHE_SECONDS)
    return mark_safe(body)
