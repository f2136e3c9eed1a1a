"""{% indicator_tiles tiles plan.slug 3 %}: the tiles of indicators.presentation.render_tiles."""

from django import template

from openveiligheid.indicators.presentation import render_tiles

register = template.Library()


@register.simple_tag
def indicator_tiles(tiles, plan_slug: str, level: int = 4):
    return render_tiles(tiles, plan_slug, level)
