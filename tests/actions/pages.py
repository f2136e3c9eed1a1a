"""Reading the action list page as a user sees it."""

import html
import re

_ROW_SUBJECT = re.compile(
    r'<th scope="row" class="utrecht-table__cell ov-row-header">\s*<a [^>]*>([^<]*)</a>'
)


def listed_subjects(response) -> list[str]:
    """The subjects of the rows on an action list page, in their order."""
    return [html.unescape(text) for text in _ROW_SUBJECT.findall(response.content.decode())]
