"""The member administration pages: who may use them (every demo role, and another
organisation's administrator), the user list's queries, the invitation from e-mail to login,
and Django's admin for superusers only."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from openveiligheid.core.navigation import menu_for
from openveiligheid.organisations.models import Membership, Role
from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import UserFactory
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Zeer-sterk-wachtwoord-2026"
# Municipality A's member pages: its administrator; A's other roles see A but do not manage
# it (403); the partner and municipality B do not see A at all (404).
MANAGE_A = expect(
    403, anonymous=302, administrator=200, partner_contact=404, other_municipality=404
)
POST_A = MANAGE_A | {"administrator": 302}


@pytest.fixture
def other_admin(world):
    """The administrator of municipality B."""
    user = UserFactory(username="beheerder_b")
    grant_membership(user=user, organisation=world.municipality_b, role_slug="administrator")
    return user


def _check_other_admin(client, other_admin, method, url, data=None):
    login(client, other_admin)
    response = getattr(client, method)(url, data or {})
    client.logout()
    assert response.status_code == 404, f"B's administrator: {method} {url}"


def _role(slug):
    return Role.objects.get(organisation__slug="gemeente-a", slug=slug)


def _member_url(world, name, role="action_lead"):
    return reverse(name, args=[world.municipality_a.slug, world.users[role].pk])


def test_home_sends_administrators_to_their_organisation(client, world, other_admin):
    url = reverse("organisations:home")
    assert_matrix(client, world, "GET", url, expect(403, anonymous=302, administrator=302))
    login(client, world.users["administrator"])
    assert client.get(url)["Location"] == reverse("organisations:users", args=["gemeente-a"])
    login(client, other_admin)
    assert client.get(url)["Location"] == reverse("organisations:users", args=["gemeente-b"])


@pytest.mark.parametrize(
    "name", ["organisations:users", "organisations:invite"], ids=["users", "invite"]
)
def test_organisation_pages_matrix(client, world, other_admin, name):
    url = reverse(name, args=[world.municipality_a.slug])
    assert_matrix(client, world, "GET", url, MANAGE_A)
    _check_other_admin(client, other_admin, "get", url)


def test_member_page_matrix(client, world, other_admin):
    url = _member_url(world, "organisations:member")
    assert_matrix(client, world, "GET", url, MANAGE_A)
    _check_other_admin(client, other_admin, "get", url)
    # A user of B through A's pages: not found, also for A's administrator.
    login(client, world.users["administrator"])
    foreign = reverse(
        "organisations:member",
        args=[world.municipality_a.slug, world.users["other_municipality"].pk],
    )
    assert client.get(foreign).status_code == 404


def test_write_pages_matrix(client, world, other_admin):
    # The target is nobody in the matrix: a deactivated role could not take its own turn.
    target = UserFactory(username="medewerker")
    grant_membership(user=target, organisation=world.municipality_a, role_slug="action_lead")
    world.users["medewerker"] = target
    invite = reverse("organisations:invite", args=[world.municipality_a.slug])
    data = {
        "email": "x@example.org",
        "last_name": "X",
        "role": _role("council_member").pk,
    }
    assert_matrix(client, world, "POST", invite, POST_A, data=data)
    _check_other_admin(client, other_admin, "post", invite, data | {"email": "y@example.org"})

    adviser = _role("safety_adviser")
    assign = _member_url(world, "organisations:assign-role", role="medewerker")
    assert_matrix(client, world, "POST", assign, POST_A, data={"role": adviser.pk})
    _check_other_admin(client, other_admin, "post", assign, {"role": adviser.pk})
    membership = Membership.objects.get(user=target, role=adviser)
    remove = reverse(
        "organisations:remove-role", args=[world.municipality_a.slug, target.pk, membership.pk]
    )
    _check_other_admin(client, other_admin, "post", remove)
    assert_matrix(client, world, "POST", remove, POST_A)
    assert not Membership.objects.filter(pk=membership.pk).exists()

    for name in ("organisations:deactivate", "organisations:reactivate"):
        url = _member_url(world, name, role="medewerker")
        _check_other_admin(client, other_admin, "post", url)
        assert_matrix(client, world, "POST", url, POST_A)
    target.refresh_from_db()
    assert target.is_active

    invited = Membership.objects.get(user__email="x@example.org").user
    resend = reverse(
        "organisations:resend-invitation", args=[world.municipality_a.slug, invited.pk]
    )
    _check_other_admin(client, other_admin, "post", resend)
    assert_matrix(client, world, "POST", resend, POST_A)


def test_the_user_list_shows_roles_and_status_in_few_queries(
    client, world, django_assert_max_num_queries
):
    admin = world.users["administrator"]
    login(client, admin)
    url = reverse("organisations:users", args=[world.municipality_a.slug])
    client.post(
        reverse("organisations:invite", args=[world.municipality_a.slug]),
        {
            "email": "nieuw@example.org",
            "last_name": "Collega",
            "role": _role("action_lead").pk,
        },
    )
    client.post(_member_url(world, "organisations:deactivate", role="council_member"))
    for number in range(10):
        grant_membership(
            user=UserFactory(username=f"extra{number}"),
            organisation=world.municipality_a,
            role_slug="council_member",
        )
    # session, user with access, memberships and users with their invitation, and the menu
    with django_assert_max_num_queries(6):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "16 gebruikers" in html
    assert "Uitgenodigd" in html and "Gedeactiveerd" in html and "Actief" in html
    assert "Programmamanager" in html and "Raadslid" in html
    # Only municipality A's users.
    assert "other_municipality" not in html and "partner_contact" not in html


def test_invitation_from_e_mail_to_login(client, world):
    admin = world.users["administrator"]
    login(client, admin)
    response = client.post(
        reverse("organisations:invite", args=[world.municipality_a.slug]),
        {
            "email": "nieuwe.collega@example.org",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "role": _role("safety_adviser").pk,
        },
        follow=True,
    )
    assert "De uitnodiging is verstuurd naar nieuwe.collega@example.org." in (
        response.content.decode()
    )
    client.logout()
    [message] = mail.outbox
    link = re.search(r"http://testserver(/uitnodiging/\S+/)", message.body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    assert "Wachtwoord instellen" in page.content.decode()
    refused = client.post(link, {"password": "kort", "password_again": "kort"})
    assert "Dit wachtwoord is te kort" in refused.content.decode()
    mismatch = client.post(link, {"password": STRONG_PASSWORD, "password_again": "anders"})
    assert "De twee wachtwoorden zijn niet gelijk." in mismatch.content.decode()

    done = client.post(
        link, {"password": STRONG_PASSWORD, "password_again": STRONG_PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Uw wachtwoord is ingesteld." in done.content.decode()
    # The link worked once.
    used = client.get(link)
    assert used.status_code == 400
    assert "niet (meer) geldig" in used.content.decode()

    response = client.post(
        reverse("login"),
        {"username": "nieuwe.collega@example.org", "password": STRONG_PASSWORD},
    )
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.wsgi_request.user.username == "nieuwe.collega@example.org"
    assert client.get(reverse("organisations:home")).status_code == 403


def test_an_expired_link_says_so(client, world, settings):
    login(client, world.users["administrator"])
    client.post(
        reverse("organisations:invite", args=[world.municipality_a.slug]),
        {
            "email": "laat@example.org",
            "last_name": "Laat",
            "role": _role("action_lead").pk,
        },
    )
    client.logout()
    link = re.search(r"http://testserver(/uitnodiging/\S+/)", mail.outbox[0].body).group(1)
    settings.OPENVEILIGHEID_INVITATION_HOURS = 0
    time.sleep(1.1)  # the token's clock counts whole seconds
    response = client.get(link)
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen." in response.content.decode()
    assert client.get("/uitnodiging/xx/1-abc/").status_code == 400


def test_guard_rails_reach_the_page_as_messages(client, world):
    admin = world.users["administrator"]
    login(client, admin)
    own = reverse("organisations:deactivate", args=[world.municipality_a.slug, admin.pk])
    response = client.post(own, follow=True)
    assert "U kunt uw eigen account niet deactiveren." in response.content.decode()
    [membership] = admin.memberships.all()
    remove = reverse(
        "organisations:remove-role", args=[world.municipality_a.slug, admin.pk, membership.pk]
    )
    response = client.post(remove, follow=True)
    assert "laatste rol" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_menu_entry_only_for_those_who_manage_members(rf, world, other_admin):
    label = "Gebruikers en rollen"
    for role, shown in (
        ("administrator", True),
        ("programme_manager", False),
        ("safety_adviser", False),
        ("action_lead", False),
        ("partner_contact", False),
        ("council_member", False),
        ("other_municipality", False),
    ):
        request = rf.get("/")
        request.user = world.users[role]
        labels = [str(entry.label) for entry in menu_for(request)]
        assert (label in labels) is shown, role
    request = rf.get("/")
    request.user = other_admin
    assert label in [str(entry.label) for entry in menu_for(request)]


def test_django_admin_is_for_superusers_only(client, world):
    url = reverse("admin:index")
    administrator = world.users["administrator"]
    login(client, administrator)
    assert client.get(url).status_code == 302  # the admin's own login: not for them
    administrator.is_staff = True
    administrator.save()
    login(client, administrator)
    assert client.get(url).status_code == 302
    superuser = UserFactory(username="super", is_staff=True, is_superuser=True)
    login(client, superuser)
    assert client.get(url).status_code == 200


def test_role_pages_matrix(client, world, other_admin, django_assert_max_num_queries):
    roles = reverse("organisations:roles", args=[world.municipality_a.slug])
    assert_matrix(client, world, "GET", roles, MANAGE_A)
    _check_other_admin(client, other_admin, "get", roles)
    council = _role("council_member")
    edit = reverse("organisations:role-edit", args=[world.municipality_a.slug, council.pk])
    assert_matrix(client, world, "GET", edit, MANAGE_A)
    _check_other_admin(client, other_admin, "get", edit)
    data = {"permissions": ["view_unpublished"]}
    _check_other_admin(client, other_admin, "post", edit, data)
    assert_matrix(client, world, "POST", edit, POST_A, data=data)
    council.refresh_from_db()
    assert council.permissions == ["view_unpublished"]
    # B's administrator cannot reach A's role through B's pages either.
    login(client, other_admin)
    through_b = reverse("organisations:role-edit", args=[world.municipality_b.slug, council.pk])
    assert client.get(through_b).status_code == 404

    login(client, world.users["administrator"])
    with django_assert_max_num_queries(5):
        response = client.get(roles)
    html = response.content.decode()
    assert "Gebruikers en rollen beheren" in html and "Raadslid" in html


def test_the_administrator_cannot_take_away_their_own_right_on_the_page(client, world):
    login(client, world.users["administrator"])
    administrator = _role("administrator")
    url = reverse("organisations:role-edit", args=[world.municipality_a.slug, administrator.pk])
    response = client.post(url, {"permissions": ["view_unpublished"]})
    assert response.status_code == 200
    assert "eigen laatste rol die het geeft" in response.content.decode()
    administrator.refresh_from_db()
    assert "manage_members" in administrator.permissions
