"""The login backend reads the user with their access in one query, with the same result as
organisations.scoping.access_for on its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openveiligheid.organisations.backends import MembershipModelBackend
from openveiligheid.organisations.scoping import access_for
from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh_access(user):
    user.__dict__.pop("_openveiligheid_access", None)
    return access_for(user)


def test_user_and_access_in_one_query_equal_to_access_for(world):
    user = world.users["programme_manager"]
    # A second membership in another municipality; municipality A is in region R.
    grant_membership(user=user, organisation=world.municipality_b, role_slug="council_member")
    with CaptureQueriesContext(connection) as context:
        loaded = MembershipModelBackend().get_user(str(user.pk))
        access = access_for(loaded)
    assert len(context.captured_queries) == 1
    assert loaded == user and loaded.get_username() == "programme_manager"
    expected = fresh_access(user)
    assert access.permissions == expected.permissions
    assert access.regions_of == expected.regions_of == {world.municipality_a.pk: {world.region.pk}}
    assert access.primary_organisation.name == "Gemeente A"
    assert access.view_scope_key == expected.view_scope_key


def test_user_without_memberships_has_empty_access():
    user = UserFactory()
    access = access_for(MembershipModelBackend().get_user(user.pk))
    assert access.permissions == {} and access.primary_organisation is None


def test_inactive_unknown_and_malformed_users_are_not_signed_in():
    inactive = UserFactory(is_active=False)
    backend = MembershipModelBackend()
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("geen-nummer") is None
