"""Pages of a list: for the API `limit` and `offset` within bounds, so no client can ask for
everything at once or send a number the database cannot hold; for a page `?pagina=N` with links
that keep the list's other query parameters (core/includes/pagination.html)."""

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# Far beyond any real list, far below a 64-bit integer.
MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = MAX_LIMIT

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw and raw.isascii() and raw.strip().isdigit() and int(raw) > MAX_OFFSET:
            raise ValidationError(
                {
                    self.offset_query_param: [
                        _("offset mag hoogstens %(max)d zijn.") % {"max": MAX_OFFSET}
                    ]
                }
            )
        return super().get_offset(request)


PAGE_PARAMETER = "pagina"


def page_with_query(request, items, per_page: int) -> tuple[Page, str]:
    """The page of `items` the request asks for (the last one for a number beyond it), and the
    request's other query parameters, urlencoded, for the links to the pages around it."""
    page = Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return page, query.urlencode()
