"""The indicator tiles (and the themes' goals) of a plan dashboard, rendered once and cached.

The tiles are the expensive part of the dashboard: every measurement of the plan since the year
before it started (thousands of rows), a status per indicator, a sparkline each and some 60
rendered tiles. They are the same for every user who sees the same indicators, so the rendered
HTML is cached per plan, language and day (the status "no recent data" depends on the date),
for the exact set of visible indicators and themes, and for a data version that changes on
every write:

- every domain write goes through a service that appends a core.ChangeLogEntry, so the change
  log changes whenever anything changes (see data_version: primary key index lookups);
- the highest measurement id as well, for rows written without the services (bulk loads).

Writes that bypass both (editing in the admin site) show after at most CACHE_SECONDS. Per-user
content (action counts) is never cached here: the view computes it for every request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.dashboards.selectors import PlanDashboard, PlanTiles, plan_tiles
from openveiligheid.indicators.models import Measurement
from openveiligheid.plans.models import Plan

CACHE_SECONDS = 10 * 60
VERSION_WINDOW = 1000
TILE_LIST_TEMPLATE = "dashboards/includes/tile_list.html"
THEME_BODY_TEMPLATE = "dashboards/includes/theme_body.html"
# Heading levels of the tile titles: under h2 "Kerncijfers", under a theme's h4, under h3.
HEADLINE_LEVEL, THEME_LEVEL, OTHER_LEVEL = 3, 5, 4


@dataclass
class TileFragments:
    headline: SafeString
    themes: dict[int, SafeString]  # per theme id its goals and tiles
    other: SafeString
    has_example_data: bool


def data_version() -> str:
    """Changes on every write: the highest change log id, the number of entries among the last
    VERSION_WINDOW ids and the highest measurement id, in one query on primary key indexes.

    The count catches a transaction that took its id before another one but committed after it:
    the highest id stays the same then, the count of the ids just below it does not.
    """
    quote = connection.ops.quote_name
    log = quote(ChangeLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(id), COUNT(*), (SELECT MAX(id) FROM {quote(Measurement._meta.db_table)}) "
            f"FROM {log} WHERE id > (SELECT COALESCE(MAX(id), 0) FROM {log}) - %s",
            [VERSION_WINDOW],
        )
        entry, recent, measurement = cursor.fetchone()
    return f"{entry or 0}.{recent}.{measurement or 0}"


def cache_key(plan: Plan, indicator_ids: list[int], theme_ids: list[int], today) -> str:
    scope = hashlib.sha256(
        f"{sorted(indicator_ids)}|{sorted(theme_ids)}".encode(), usedforsecurity=False
    ).hexdigest()[:24]
    return (
        f"ov:dashboard-tiles:v1:{plan.pk}:{translation.get_language()}:{today.isoformat()}:"
        f"{data_version()}:{scope}"
    )


def _render(tiles, plan: Plan, level: int) -> SafeString:
    if not tiles:
        return mark_safe("")
    html = render_to_string(TILE_LIST_TEMPLATE, {"tiles": tiles, "plan": plan, "level": level})
    return mark_safe(html)


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


def tile_fragments(dashboard: PlanDashboard, today=None) -> TileFragments:
    """The rendered tiles of the dashboard (from the cache when nothing changed), also set on
    each theme block."""
    plan = dashboard.plan
    today = today or timezone.localdate()
    theme_ids = [block.theme.pk for block in dashboard.themes]
    key = cache_key(plan, dashboard.indicator_ids, theme_ids, today)
    fragments = cache.get(key)
    if fragments is None:
        tiles = plan_tiles(plan, dashboard.indicator_ids, set(theme_ids), today=today)
        fragments = render_tiles(plan, tiles, theme_ids)
        cache.set(key, fragments, CACHE_SECONDS)
    for block in dashboard.themes:
        block.body_html = fragments.themes.get(block.theme.pk, mark_safe(""))
    return fragments
