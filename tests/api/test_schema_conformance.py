"""schemathesis over the whole /api/v1/ of the committed schema, as two roles: no answer is a
server error and every answer is what src/openveiligheid/api/schema.yaml says.

The programme manager of municipality A may write (measurements, interpretations, actions); the
partner contact of the police may only report on the actions given to its organisation. Both use
a write-scoped API key, so every write is tried for both; the endpoints of person-level data, which
refuse a key (the schema offers them to the session only), are called with a session that passed
the two-factor login, with its CSRF token. Requests go in-process to Django's WSGI handler within
the test's transaction, so the suite runs the same on SQLite and PostgreSQL.

Generation is derandomized (a fixed seed) and bounded per operation: the run is the same every
time and takes seconds, not minutes. Values that once broke the service (issue 9) are mixed into
the generated requests and, for the programme manager, swept through every query parameter and
body field on their own. A failure names the operation, a curl command and the server's
traceback."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import openveiligheid
from openveiligheid.actions import services as action_services
from openveiligheid.actions.models import Action, ActionPlan, ActionStatus
from openveiligheid.indicators import services as indicator_services
from openveiligheid.indicators.models import Indicator, Interpretation, Measurement, Source
from openveiligheid.organisations.models import ApiToken, Organisation
from openveiligheid.organisations.services import create_api_token
from openveiligheid.plans.models import Goal, Plan, Theme, Topic
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.programme import services as programme_services
from openveiligheid.programme.models import Programme
from openveiligheid.reports import services as report_services
from openveiligheid.reports.models import Report
from openveiligheid.signals.models import Category as SignalCategory
from openveiligheid.signals.models import Report as SignalReport
from tests.indicators.factories import MeasurementFactory, TargetFactory
from tests.permissions import login
from tests.plans.factories import GoalFactory, TopicFactory
from tests.programme.factories import AssignmentFactory, RiskFactory
from tests.signals.factories import ReportFactory, contact_token

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(openveiligheid.__file__).parent / "api" / "schema.yaml"
SCHEMA = schemathesis.openapi.from_path(SCHEMA_PATH)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
# Per operation and role. A deeper run: OV_API_EXAMPLES=200 pytest tests/api/<this file>
EXAMPLES_PER_OPERATION = int(os.environ.get("OV_API_EXAMPLES", "12"))


@pytest.fixture
def wsgi_app(monkeypatch):
    """Django's WSGI handler, without closing the database connection at the end of a request
    (as django.test.Client does): the test's transaction has to stay open. No throttling: the
    run sends far more requests a minute than a client may."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    unlimited = {"anon": "100000/minute", "user": "100000/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", unlimited)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", unlimited)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors():
    """The tracebacks of the server errors, for the failure report (the 500 page shows none)."""
    tracebacks = []

    def record(sender, **kwargs):
        tracebacks.append(traceback.format_exc(limit=-4))

    got_request_exception.connect(record)
    yield tracebacks
    got_request_exception.disconnect(record)


def add_realistic_data(world) -> None:
    """Beyond the permission world: targets, several periods of figures, an interpretation,
    goals and topics, a status history with progress, and a full programme."""
    manager = world.users["programme_manager"]
    for key in ("a", "draft_a", "b"):
        objects = world.objects[key]
        indicator, theme = objects["indicator"], objects["theme"]
        TargetFactory(indicator=indicator, value=100, year=2026)
        for year, value in ((2023, 110), (2024, "97.5")):
            MeasurementFactory(
                indicator=indicator, area=indicator.area, period_start=f"{year}-01-01", value=value
            )
        topic = TopicFactory(theme=theme)
        GoalFactory(theme=theme, topic=topic)
        indicator_services.write_interpretation(
            indicator=indicator, period="2024", text="Daling door preventie.", actor=manager
        )
        action = objects["action"]
        action_services.change_status(action, ActionStatus.IN_PROGRESS, note="Gestart")
        action_services.add_progress_update(action, text="Eerste overleg gehouden.", progress=20)
        programme = objects["programme"]
        pillar = programme.pillars.first()
        AssignmentFactory(pillar=pillar)
        RiskFactory(programme=programme)
        programme_services.add_role(programme, name="Programmamanager", holder="Gemeente")
        programme_services.add_participant(
            programme, name="Politie", organisation=world.partner, role="Partner"
        )
        programme_services.add_budget_line(
            programme, item="Preventie", amounts={2024: "12500.00", 2025: "13000.50"}
        )
        # A draft and a published report per plan, for the report endpoints.
        plan = indicator.plan
        report_services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
        published = report_services.create_report(
            plan=plan, report_type="jaarrapportage", period="2023"
        )
        for step in ("in_review", "approved", "published"):
            published = report_services.change_status(published, step)
    # Reports at the meldpunt of both municipalities, one with contact details, two at one address.
    for municipality in (world.municipality_a, world.municipality_b):
        ReportFactory(organisation=municipality, postcode="1234AB", house_number="1")
        ReportFactory(organisation=municipality, postcode="1234AB", house_number="1")
        ReportFactory(organisation=municipality, encrypted_contact=contact_token())


def real_values(world) -> dict[str, list]:
    """Existing keys to put in path, query and body instead of random numbers, so requests reach
    real objects: of the role's own organisation, of another and of a draft."""
    ids = {
        name: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for name, model in (
            ("action", Action),
            ("action_plan", ActionPlan),
            ("indicator", Indicator),
            ("measurement", Measurement),
            ("interpretation", Interpretation),
            ("theme", Theme),
            ("topic", Topic),
            ("goal", Goal),
            ("organisation", Organisation),
            ("source", Source),
            ("report", Report),
        )
    }
    plan_slugs = list(Plan.objects.order_by("pk").values_list("slug", flat=True))
    references = list(SignalReport.objects.order_by("pk").values_list("reference", flat=True))
    users = [user.pk for user in world.users.values() if user is not None]
    return ids | {
        "plan": plan_slugs,
        "slug": plan_slugs,
        "programme": list(Programme.objects.order_by("pk").values_list("pk", flat=True)),
        "lead_organisation": ids["organisation"],
        "partner": ids["organisation"],
        "partners": ids["organisation"],
        "lead_person": users,
        "area": ["GM9101", "GM9102"],
        "owner": ["gemeente-a", "gemeente-b"],
        "audit_entry": list(
            AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)
        )
        or [1],
        "reference": references,
        "other": references,
        "category": list(SignalCategory.objects.order_by("pk").values_list("pk", flat=True)),
    }


# Which real keys an {id} in a path stands for, by the path's collection.
PATH_KEYS = {
    "actions": "action",
    "action-plans": "action_plan",
    "indicators": "indicator",
    "measurements": "measurement",
    "interpretations": "interpretation",
    "themes": "theme",
    "goals": "goal",
    "organisations": "organisation",
    "programmes": "programme",
    "plans": "plan",
    "audit-entries": "audit_entry",
    "reports": "report",
    "signal-reports": "reference",
}


def path_values(operation, values) -> dict | None:
    collection = operation.path.removeprefix("/api/v1/").split("/")[0]
    names = [parameter.name for parameter in operation.path_parameters]
    if not names:
        return None
    key = "plan" if names == ["slug"] or names == ["plan"] else PATH_KEYS[collection]
    return {names[0]: values[key]}


# Values that broke the service before (issue 9: numbers beyond a database integer, "²", an
# infinite value), tried in any field and path, whatever the schema says the field holds.
HOSTILE_VALUES = [2**63, -(2**63) - 1, 10**30, "²", "1e999999", "NaN", "0x10", " 7 "]
SWEEP_VALUES = [2**63, "²", "1e999999", -1]


def realistic(data, container: dict, values: dict) -> None:
    """Replace most generated values: by existing keys (where there are any), by hostile values
    (now and then), or leave them as generated."""
    for name in list(container):
        pick = data.draw(st.integers(0, 5))
        if pick == 0:
            container[name] = data.draw(st.sampled_from(HOSTILE_VALUES))
        elif name in values and pick > 2:
            choice = data.draw(st.sampled_from(values[name]))
            container[name] = [choice] if name == "partners" else choice


def exercise(operation, app, signed_in, values: dict) -> None:
    path = path_values(operation, values)
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if path:
        name, choices = next(iter(path.items()))
        strategies += [
            operation.as_strategy(mode, path_parameters={name: choice})
            for mode in GenerationMode
            for choice in [*choices, *HOSTILE_VALUES]
        ]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies), data=st.data())
    def check(case, data):
        if isinstance(case.body, dict):
            realistic(data, case.body, values)
        if case.query:
            realistic(data, case.query, values)
        response = signed_in.call(case, app)
        case.validate_response(response, checks=CHECKS)

    check()


def json_properties(operation) -> list[str]:
    for body in operation.body:
        if body.media_type == "application/json":
            return list(body.definition["schema"].get("properties", {}))
    return []


def sweep(operation, app, signed_in, values: dict) -> None:
    """Each hostile value in each query parameter and each field of the body on its own, on a
    real object: the generated requests meet them only by chance."""
    path = {name: choices[0] for name, choices in (path_values(operation, values) or {}).items()}
    cases = [
        operation.Case(path_parameters=path, query={name: value})
        for name in (parameter.name for parameter in operation.query)
        for value in SWEEP_VALUES
    ]
    cases += [
        operation.Case(path_parameters=path, body={name: value}, media_type="application/json")
        for name in json_properties(operation)
        for value in SWEEP_VALUES
    ]
    for case in cases:
        response = signed_in.call(case, app)
        case.validate_response(response, checks=CHECKS)


def api_key(user) -> str:
    _token, key = create_api_token(
        user=user, name="schemathesis", scope=ApiToken.Scope.WRITE, days=1
    )
    return key


@dataclass(frozen=True)
class SignedIn:
    """How a request signs in: headers, and cookies that replace the ones schemathesis makes up
    for the session's security scheme."""

    headers: dict
    cookies: dict | None = None

    def call(self, case, app):
        if self.cookies is not None:
            case.cookies = dict(self.cookies)
        return case.call(app=app, headers=self.headers)


def credentials(user) -> dict[str, SignedIn]:
    """Per way of signing in: the API key, and a browser's session that passed the two-factor
    login (where the user's roles require it) with its CSRF cookie and header."""
    client = Client()
    login(client, user)
    csrf_token = _get_new_csrf_string()
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "apiKey": SignedIn({"Authorization": f"Bearer {api_key(user)}"}),
        "cookieAuth": SignedIn(
            {"X-CSRFToken": csrf_token},
            cookies={
                django_settings.SESSION_COOKIE_NAME: session,
                django_settings.CSRF_COOKIE_NAME: csrf_token,
            },
        ),
    }


def signed_in_for(operation, credentials: dict[str, SignedIn]) -> SignedIn:
    """The key where the operation takes one, else the session."""
    requirements = operation.definition.raw.get("security", [])
    if any("apiKey" in requirement for requirement in requirements):
        return credentials["apiKey"]
    return credentials["cookieAuth"]


def failures_of_every_operation(run, wsgi_app, credentials, values, server_errors) -> list[str]:
    """`run` on every operation of the schema; what each one that failed reported, with the
    server's traceback where there was one."""
    failures = []
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        try:
            run(operation, wsgi_app, signed_in_for(operation, credentials), values)
        except (Exception, BaseExceptionGroup) as error:  # every operation's failures are reported
            found = "".join(server_errors[-1:])
            failures.append(f"{operation.label}: {error}\n{found}")
        server_errors.clear()
    return failures


@pytest.mark.parametrize("role", ["programme_manager", "partner_contact"])
def test_every_operation_answers_as_the_schema_says(world, wsgi_app, server_errors, role):
    add_realistic_data(world)
    values = real_values(world)
    signed_in = credentials(world.users[role])
    failures = failures_of_every_operation(exercise, wsgi_app, signed_in, values, server_errors)
    assert not failures, "\n\n".join(failures)


def test_hostile_values_in_every_parameter(world, wsgi_app, server_errors):
    add_realistic_data(world)
    values = real_values(world)
    signed_in = credentials(world.users["programme_manager"])
    failures = failures_of_every_operation(sweep, wsgi_app, signed_in, values, server_errors)
    assert not failures, "\n\n".join(failures)
