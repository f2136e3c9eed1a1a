"""`limit` is capped and a huge `offset` is a clear 400, never a server error."""

import pytest
from django.urls import reverse

from openveiligheid.core.pagination import MAX_LIMIT
from tests.permissions import login

pytestmark = pytest.mark.django_db


def test_limit_is_capped(client, world):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("organisation-list"), {"limit": 10**12})
    assert response.status_code == 200
    assert f"limit={MAX_LIMIT}" in (response.json()["next"] or f"limit={MAX_LIMIT}")


@pytest.mark.parametrize("offset", ["99999999999999999999999999", str(10**10)])
def test_huge_offset_is_refused_in_dutch(client, world, offset):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("plan-list"), {"offset": offset})
    assert response.status_code == 400
    assert "offset mag hoogstens" in response.json()["offset"][0]


@pytest.mark.parametrize("value", ["abc", "-5", "²"])
def test_nonsense_limit_and_offset_fall_back_to_the_defaults(client, world, value):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("plan-list"), {"limit": value, "offset": value})
    assert response.status_code == 200


@pytest.mark.parametrize("owner", ["²", "9" * 30, "-1"])
def test_odd_owner_filters_find_nothing_instead_of_failing(client, world, owner):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("plan-list"), {"owner": owner})
    assert response.status_code == 200
    assert response.json()["results"] == []
