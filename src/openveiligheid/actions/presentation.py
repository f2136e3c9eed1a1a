"""How the action list shows its rows: the table rows built in Python.

The list shows 50 rows of ten cells each; an included template per row was about a quarter of
the page's time. Same markup as the template it replaced, every text escaped; the test of the
list view checks the cells."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from openveiligheid.core.formats import format_percentage

EMPTY = "–"
DESCRIPTION_WORDS = 30


def _unplanned_badge(action) -> str:
    if not action.is_unplanned:
        return ""
    if action.unplanned_since:
        since = action.unplanned_since
        text = _("onvoorzien, sinds %(since)s") % {
            "since": escape(f"{since.day}-{since.month}-{since.year}")
        }
    else:
        text = _("onvoorzien")
    return f'<span class="utrecht-badge-status ov-label ov-label--unplanned">{text}</span>'


def render_rows(actions, *, show_plan: bool) -> SafeString:
    """The <tr> elements of the action list for actions prepared by selectors.decorate_page."""
    new_badge = (
        f'<span class="utrecht-badge-status ov-label ov-label--new">{escape(_("nieuw"))}</span>'
    )
    example_badge = (
        f'<span class="utrecht-badge-status ov-example-badge">{escape(_("voorbeelddata"))}</span>'
    )
    no_subject = escape(_("(geen onderwerp)"))
    no_due = escape(_("geen termijn in het plan"))
    concept_badge = (
        ' <span class="utrecht-badge-status ov-label ov-label--concept">'
        f"{escape(_('concept'))}</span>"
    )
    parts = []
    for action in actions:
        plan = action.action_plan.plan if show_plan else None
        plan_cell = (
            f'<td class="utrecht-table__cell">{escape(plan.title)}'
            f"{concept_badge if plan.is_concept else ''}</td>"
            if plan is not None
            else ""
        )
        theme = action.theme.name if action.theme_id else ""
        description = Truncator(action.description).words(DESCRIPTION_WORDS, truncate=" …")
        parts.append(
            f'\n    <tr class="utrecht-table__row{" ov-row--new" if action.is_new else ""}">\n'
            f"      {plan_cell}\n"
            f'      <td class="utrecht-table__cell">{escape(theme or EMPTY)}</td>\n'
            '      <th scope="row" class="utrecht-table__cell ov-row-header">\n'
            f'        <a class="utrecht-link" href="{escape(action.detail_url)}">'
            f"{escape(action.subject) if action.subject else no_subject}</a>\n"
            f"        {new_badge if action.is_new else ''}\n"
            f"        {_unplanned_badge(action)}\n"
            f"        {example_badge if action.is_example else ''}\n"
            "      </th>\n"
            f'      <td class="utrecht-table__cell">{escape(description)}</td>\n'
            f'      <td class="utrecht-table__cell">{escape(action.lead_label or EMPTY)}</td>\n'
            f'      <td class="utrecht-table__cell">{escape(action.partners_label or EMPTY)}</td>\n'
            f'      <td class="utrecht-table__cell">{escape(action.due_text) or no_due}</td>\n'
            '      <td class="utrecht-table__cell"><span class="utrecht-badge-status ov-status '
            f'ov-status--{escape(action.status)}">{escape(str(action.get_status_display()))}'
            "</span></td>\n"
            '      <td class="utrecht-table__cell ov-number">'
            f"{escape(format_percentage(action.progress))}</td>\n"
            "    </tr>\n    "
        )
    return mark_safe("".join(parts))
