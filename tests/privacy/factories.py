from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import UserFactory


def privacy_officer(organisation, username="privacy_officer"):
    user = UserFactory(username=username)
    grant_membership(user=user, organisation=organisation, role_slug="privacy_officer")
    return user
