"""The API answers 429 to clients that send too many requests."""

import pytest
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tests.permissions import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(
        AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )
    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )


def test_rates_are_set_for_anonymous_and_signed_in_clients():
    # Anonymous clients get 401 before any throttle on today's endpoints (authentication comes
    # first in DRF); the anonymous rate is for the public endpoints.
    rates = api_settings.DEFAULT_THROTTLE_RATES
    assert rates["anon"] == "30/minute" and rates["user"] == "240/minute"


def test_signed_in_clients_are_throttled(client, world, low_rates):
    login(client, world.users["council_member"])
    statuses = [client.get(reverse("plan-list")).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert "Retry-After" in client.get(reverse("plan-list")).headers
