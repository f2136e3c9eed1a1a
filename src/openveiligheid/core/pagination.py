"""API pages: `limit` and `offset` within bounds, so no client can ask for everything at once or
send a number the database cannot hold."""

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
