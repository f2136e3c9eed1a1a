"""The public pages and endpoints answer every role alike, logged in or not: what is public is
public to all, and a draft, a concept plan or another municipality's report to nobody."""

import pytest
from django.urls import reverse

from tests.permissions import assert_matrix, expect
from tests.public.helpers import publish
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

EVERYONE = expect(200)
NOBODY = expect(404)


def test_public_reads_are_the_same_for_every_role(client, world):
    report = publish(world.plan_a)
    for url in (
        reverse("public:organisation", args=["gemeente-a"]),
        reverse("public:report", args=["gemeente-a", report.pk]),
        reverse("public:report-download", args=["gemeente-a", report.pk, "docx"]),
        reverse("public:subscribe", args=["gemeente-a"]),
        reverse("public-api:report-list", args=["gemeente-a"]),
        reverse("public-api:plan-list", args=["gemeente-a"]),
        reverse("public-api:indicator-list", args=["gemeente-a", "plan-a"]),
        reverse("public-api:indicator-csv", args=["gemeente-a", "plan-a", "inbraken-a"]),
        reverse("public-api:indicator-json", args=["gemeente-a", "plan-a", "inbraken-a"]),
    ):
        assert_matrix(client, world, "GET", url, EVERYONE)


def test_what_is_not_public_is_hidden_from_every_role(client, world):
    """Even the municipality's own staff: the public address never shows more than the public."""
    draft = ReportFactory(plan=world.plan_a)
    other = publish(world.plan_b)
    for url in (
        reverse("public:report", args=["gemeente-a", draft.pk]),
        reverse("public:report", args=["gemeente-a", other.pk]),
        reverse("public:report-download", args=["gemeente-a", draft.pk, "pdf"]),
        reverse("public-api:indicator-list", args=["gemeente-a", "concept-a"]),
        reverse("public-api:indicator-json", args=["gemeente-a", "concept-a", "inbraken-draft_a"]),
        reverse("public:organisation", args=[world.partner.slug]),
    ):
        assert_matrix(client, world, "GET", url, NOBODY)
