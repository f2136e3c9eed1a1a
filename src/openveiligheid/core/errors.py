"""Error handlers (config/urls.py handler400/handler500) that tell a database that is away from a
fault: while it restarts or fails over, every request answers 503 with Retry-After and a page that
says to try again shortly, instead of "something went wrong"."""

import sys

from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the error, or one it was raised from, is a lost or refused database connection."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable() -> HttpResponse:
    # Rendered without the request: no context processor may need the database.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, template_name="500.html"):
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    return defaults.server_error(request, template_name)


def bad_request(request, exception, template_name="400.html"):
    # Django reports a session it could not save as "interrupted" (400), also when the
    # database went away at that moment.
    if isinstance(exception, SessionInterrupted) and database_unavailable(exception):
        return service_unavailable()
    return defaults.bad_request(request, exception, template_name)
