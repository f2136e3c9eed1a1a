"""Template filters for Dutch formatting, small SVG charts and select options."""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from openveiligheid.core import formats

register = template.Library()


@register.filter
def select_options(bound_field):
    """The <option> elements of a bound select field: the values, labels and selection that
    Django's select widget gives (ChoiceWidget.optgroups, groups written as plain options), without
    building a widget and a bound widget per option, which cost a filter form with a few hundred
    options about a quarter of a list page's time."""
    widget = bound_field.field.widget
    value = widget.format_value(bound_field.value())
    parts = []
    has_selected = False
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        choices = (
            option_label
            if isinstance(option_label, (list, tuple))
            else [(option_value, option_label)]
        )
        for subvalue, sublabel in choices:
            selected = (not has_selected or widget.allow_multiple_selected) and str(
                subvalue
            ) in value
            has_selected |= selected
            parts.append(
                f'<option value="{escape(str(subvalue))}"{" selected" if selected else ""}>'
                f"{conditional_escape(sublabel)}</option>"
            )
    return mark_safe("".join(parts))


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


@register.filter
def change_history(entries):
    """Change log entries as people read them, grouped per save (core.changelog)."""
    from openveiligheid.core.changelog import readable_history

    return readable_history(entries)
