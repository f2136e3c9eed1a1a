"""Application log lines: one per event, key=value, with the request id and user or the command."""

import io
import logging
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from openveiligheid.core.log import KeyValueFormatter, log_context, log_event
from tests.permissions import login


@pytest.fixture
def log_lines():
    """The lines the configured console handler writes, as the settings format them."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, KeyValueFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


def fields(line: str) -> dict[str, str]:
    return {
        key: value.strip('"') for key, value in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line)
    }


def events(lines, name: str) -> list[dict[str, str]]:
    return [fields(line) for line in lines if f" event={name} " in f"{line} "]


@pytest.mark.django_db
def test_a_request_logs_a_line_with_its_request_id(client, world, log_lines):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("actions:list"), HTTP_X_REQUEST_ID="proxy-42")

    assert response["X-Request-ID"] == "proxy-42"
    (line,) = events(log_lines(), "request")
    assert line["request_id"] == "proxy-42"
    assert line["user_id"] == str(world.users["programme_manager"].pk)
    assert line["path"] == reverse("actions:list")
    assert line["status"] == "200"


@pytest.mark.django_db
def test_an_unusable_request_id_is_replaced(client, world, log_lines):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="two words")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    (line,) = events(log_lines(), "request")
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_refused_page_logs_permission_denied_with_user_and_path(client, world, log_lines):
    user = world.users["council_member"]
    login(client, user)
    url = reverse("imports:measurement-upload")
    assert client.get(url).status_code == 403

    (denied,) = events(log_lines(), "permission_denied")
    assert denied["level"] == "WARNING"
    assert denied["user"] == str(user.pk)
    assert denied["path"] == url
    assert denied["request_id"]


@pytest.mark.django_db
def test_an_unauthenticated_api_call_logs_authentication_failed(client, world, log_lines):
    assert client.get("/api/v1/plans/").status_code == 401

    (refused,) = events(log_lines(), "authentication_failed")
    assert refused["user"] == "anonymous"
    assert refused["path"] == "/api/v1/plans/"


@pytest.mark.django_db
def test_a_refused_api_write_logs_permission_denied(client, world, log_lines):
    user = world.users["council_member"]
    client.force_login(user)
    action = world.objects["a"]["action"]
    url = f"/api/v1/actions/{action.pk}/"
    response = client.patch(url, {"subject": "x"}, content_type="application/json")
    assert response.status_code == 403

    (denied,) = events(log_lines(), "permission_denied")
    assert denied["user"] == str(user.pk)
    assert denied["path"] == url


@pytest.mark.django_db
def test_a_command_logs_its_name_on_every_line(world, log_lines):
    call_command("send-reminders", "--today", "2026-01-05", "--dry-run", stdout=io.StringIO())

    lines = log_lines()
    assert [line["event"] for line in map(fields, lines)] == [
        "command_started",
        "command_finished",
    ]
    assert all(fields(line)["command"] == "send-reminders" for line in lines)


@pytest.mark.django_db
def test_a_write_logs_one_line_with_the_request_of_its_context(world, log_lines):
    from openveiligheid.actions.services import change_status

    action = world.objects["a"]["action"]
    with log_context(request_id="r-1"):
        change_status(action, "in_progress", actor=world.users["programme_manager"])

    (updated,) = events(log_lines(), "object_updated")
    assert updated["model"] == "actions.action"
    assert updated["id"] == str(action.pk)
    assert updated["request_id"] == "r-1"
    assert "status" in updated["changed"].split(",")
    (changed,) = events(log_lines(), "action_status_changed")
    assert changed["new"] == "in_progress"


def test_values_with_spaces_are_quoted_and_a_line_stays_one_line():
    formatter = KeyValueFormatter()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    record.event_fields = {"reason": 'two words and "quotes"\nand a new line'}
    line = formatter.format(record)

    assert "\n" not in line
    assert fields(line)["reason"] == r"two words and \"quotes\"\nand a new line"
    assert "event=failed" in line


def test_log_event_skips_disabled_levels(caplog):
    logger = logging.getLogger("openveiligheid.test")
    with caplog.at_level(logging.WARNING, logger="openveiligheid.test"):
        log_event(logger, "quiet")
        log_event(logger, "loud", logging.WARNING, n=1)
    assert [record.getMessage() for record in caplog.records] == ["loud"]
