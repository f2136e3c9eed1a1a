"""Template filters for Dutch formatting and small SVG charts."""

from django import template

from openveiligheid.core import formats

register = template.Library()


@register.filter
def nl_number(value, decimals=None):
    return formats.format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def nl_euro(value):
    return formats.format_euro(value)


@register.filter
def nl_percentage(value):
    return formats.format_percentage(value)


@register.filter
def nl_value(value, unit):
    """A measured value formatted by its indicator's unit: {{ value|nl_value:indicator.unit }}."""
    return formats.format_value(value, unit)
