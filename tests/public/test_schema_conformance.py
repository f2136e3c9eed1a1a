"""schemathesis over /api/public/ as the schema served at /api/public/schema/ describes it,
without login: no answer is a server error and every answer is what the schema says.

As tests/api/test_schema_conformance.py does for /api/v1/: in-process through Django's WSGI
handler within the test's transaction, derandomized and bounded per operation
(OV_API_EXAMPLES for a deeper run). Path parameters name real objects (a municipality, its
adopted plan, an indicator), unknown ones or hostile values; the body mixes in real category
slugs, real file contents (JPEG, PDF, a zip and HTML disguised by their names) and values that
once broke services."""

from __future__ import annotations

import io
import zipfile

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from openveiligheid.public.api.throttling import PublicRateThrottle
from openveiligheid.signals import services
from openveiligheid.signals.models import Attachment, Report
from tests.api.test_schema_conformance import CHECKS, EXAMPLES_PER_OPERATION

pytestmark = pytest.mark.django_db


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bom.txt", b"\x00" * 1_000_000)
    return buffer.getvalue()


FILES = [
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
    b"%PDF-1.7\n%%EOF\n",
    b"<html><script>alert(1)</script></html>",
    _zip(),
    b"",
]
# Per path parameter: real keys most often (the permission world's municipality A, its adopted
# plan and an indicator of it), so that most requests reach the views; then unknown and hostile.
HOSTILE_KEYS = ["onbekend", "²", "..", "a" * 300]
PATH_VALUES = {
    "municipality": ["gemeente-a"] * 5 + HOSTILE_KEYS,
    "organisation": ["gemeente-a"] * 5 + HOSTILE_KEYS,
    "plan": ["plan-a"] * 5 + HOSTILE_KEYS,
    "indicator": ["inbraken-a"] * 5 + HOSTILE_KEYS,
}
HOSTILE_VALUES = [
    2**63,
    "²",
    "1e999999",
    "<script>alert(1)</script>",
    "\x00",
    "x" * 100_000,
    "../../etc/passwd",
    None,
    [],
    {},
]


@pytest.fixture
def unthrottled(monkeypatch, settings):
    monkeypatch.setattr(
        PublicRateThrottle,
        "THROTTLE_RATES",
        {"public": "100000/minute", "public_report": "100000/minute"},
    )
    settings.OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR = 100_000


@pytest.fixture
def public_schema(client):
    response = client.get(reverse("public-api-schema"), {"format": "json"})
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(response.json())


# A report the service accepts: half of the requests start from it and keep one generated
# field, so that the accepted path is exercised as much as the refusals.
VALID = {
    "category": "drugs",
    "description": "Er wordt elke avond gedeald bij het speelveld.",
    "postcode": "1234 AB",
    "house_number": "12",
}


def realistic(data, body: dict, media_type: str) -> None:
    way = data.draw(st.integers(0, 2))
    if way < 2:
        generated = dict(body)
        body.clear()
        body.update(VALID)
        if media_type.startswith("multipart/"):
            body["attachments"] = data.draw(st.lists(st.sampled_from(FILES[:2]), max_size=2))
        if way == 1 and generated:
            name = data.draw(st.sampled_from(sorted(generated)))
            body[name] = generated[name]
        return
    for name in list(body):
        pick = data.draw(st.integers(0, 5))
        if pick == 0:
            body[name] = data.draw(st.sampled_from(HOSTILE_VALUES))
        elif name == "category" and pick > 2:
            body[name] = data.draw(st.sampled_from(["drugs", "overlast", "elders"]))
        elif name == "attachments" and pick > 1:
            body[name] = data.draw(st.lists(st.sampled_from(FILES), max_size=4))


def exercise(operation, app) -> None:
    names = [parameter.name for parameter in operation.path_parameters]
    strategies = [
        operation.as_strategy(
            mode, path_parameters={name: PATH_VALUES[name][index] for name in names}
        )
        for mode in GenerationMode
        for index in range(len(HOSTILE_KEYS) + 5)
    ]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION * 4,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies), data=st.data())
    def check(case, data):
        if isinstance(case.body, dict):
            realistic(data, case.body, case.media_type)
        response = case.call(app=app)
        case.validate_response(response, checks=CHECKS)

    check()


def test_every_public_operation_answers_as_its_schema_says(
    world, public_schema, wsgi_app, server_errors, unthrottled
):
    services.ensure_default_categories(world.municipality_a)
    services.ensure_default_categories(world.municipality_b)
    failures, operations = [], 0
    for result in public_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            exercise(operation, wsgi_app)
        except (Exception, BaseExceptionGroup) as error:  # every operation's failures reported
            failures.append(f"{operation.label}: {error}\n{''.join(server_errors[-1:])}")
        server_errors.clear()
    assert operations >= 2
    assert not failures, "\n\n".join(failures)
    # What was accepted is a report with only sniffed files; nothing else was kept.
    assert Report.objects.exists()
    assert set(Attachment.objects.values_list("content_type", flat=True)) <= {
        "image/jpeg",
        "image/png",
        "application/pdf",
    }
