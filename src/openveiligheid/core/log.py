"""Application logging: one line per event as key=value pairs, naming its request or command.

    ts=2026-12-04T18:40:01.123Z level=INFO logger=openveiligheid.requests event=request
    request_id=5f0c... user_id=7 method=GET path=/acties/ status=200 duration_ms=38.2

Code logs an event name with its fields (`log_event(logger, "status_changed", action=5)`); the
request middleware and LoggedCommand put the request id and user, or the command name, into a
context variable that `ContextFilter` adds to every record, also to those of libraries.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.management.base import BaseCommand
from django.utils.functional import empty

_context: ContextVar[dict | None] = ContextVar("openveiligheid_log_context", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy sends is kept when it is a plain token, so that lines of the proxy and of the
# application can be joined; anything else (too long, spaces, quotes) is replaced.
_ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_PLAIN_VALUE = re.compile(r"[^\s\"=]+")

requests_logger = logging.getLogger("openveiligheid.requests")
commands_logger = logging.getLogger("openveiligheid.commands")


@contextmanager
def log_context(**values) -> Iterator[None]:
    """Add values (request, request_id, command) to every record logged inside the block."""
    token = _context.set({**(_context.get() or {}), **values})
    try:
        yield
    finally:
        _context.reset(token)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields) -> None:
    """One line for one event: the event name as message, its fields as key=value pairs."""
    if logger.isEnabledFor(level):
        logger.log(level, event, extra={"event_fields": fields})


def _loaded_user_id(request) -> int | None:
    """The signed-in user's id if the request has read its user already: logging never queries
    the database (request.user is a lazy object until a view or middleware touches it)."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


class ContextFilter(logging.Filter):
    """Adds the request id and user, or the command name, to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        request = context.get("request")
        record.request_id = context.get("request_id")
        record.user_id = _loaded_user_id(request) if request is not None else None
        record.command = context.get("command")
        return True


def _format_value(value) -> str:
    text = value if isinstance(value, str) else str(value)
    if _PLAIN_VALUE.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """ts, level, logger, event, the request or command, then the event's own fields."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        pairs = [
            ("ts", moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")),
            ("level", record.levelname),
            ("logger", record.name),
            ("event", record.getMessage()),
        ]
        for key in ("request_id", "user_id", "command"):
            value = getattr(record, key, None)
            if value is not None:
                pairs.append((key, value))
        pairs.extend(getattr(record, "event_fields", {}).items())
        if record.exc_info:
            # The traceback stays on the event's line (quoted, newlines escaped).
            pairs.append(("exception", self.formatException(record.exc_info)))
        return " ".join(
            f"{key}={_format_value(value)}" for key, value in pairs if value not in ("", None)
        )


# Refused requests get a line of their own besides the request line, for whoever watches for
# abuse: wrong or missing credentials, missing rights, too many requests.
REFUSALS = {401: "authentication_failed", 403: "permission_denied", 429: "rate_limited"}


class RequestLogMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when usable, else a new one), sends it
    back in the response, logs one line per request and one line for every refusal (401, 403 and
    429), whichever layer refused (a view's PermissionDenied, DRF, CSRF, the lock-out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _ACCEPTED_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        started = time.perf_counter()
        # A server started by a command (serve) handles requests: their lines name the request.
        with log_context(request=request, request_id=request_id, command=None):
            response = self.get_response(request)
            refusal = REFUSALS.get(response.status_code)
            if refusal:
                log_event(
                    requests_logger,
                    refusal,
                    logging.WARNING,
                    user=_loaded_user_id(request) or "anonymous",
                    method=request.method,
                    path=request.path,
                )
            log_event(
                requests_logger,
                "request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
        response[REQUEST_ID_HEADER] = request_id
        return response


class LoggedCommand(BaseCommand):
    """Base of the project's management commands: every line logged while one runs names it,
    and its start, end (with duration) or failure are logged."""

    @property
    def command_name(self) -> str:
        return type(self).__module__.rpartition(".")[2]

    def execute(self, *args, **options):
        started = time.perf_counter()
        with log_context(command=self.command_name):
            log_event(commands_logger, "command_started")
            try:
                result = super().execute(*args, **options)
            except BaseException as error:
                log_event(
                    commands_logger,
                    "command_failed",
                    logging.ERROR,
                    error=type(error).__name__,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )
                raise
            log_event(
                commands_logger,
                "command_finished",
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
        return result
