"""Administration of an organisation's members through organisations.services: invitations,
roles, deactivation, with the guard rails and the change log."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from openveiligheid.core.changelog import changes_for
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations import services
from openveiligheid.organisations.models import ApiToken, Invitation, Membership, Role
from openveiligheid.organisations.selectors import MemberStatus, member_status
from openveiligheid.organisations.tokens import TokenState, invitation_tokens
from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://ov.example.org/"
STRONG_PASSWORD = "Zeer-sterk-wachtwoord-2026"


@pytest.fixture
def admin(world):
    return world.users["administrator"]


def _role(slug, organisation=None):
    return Role.objects.get(slug=slug, organisation__slug=organisation or "gemeente-a")


def _invite(world, admin, email="nieuw@example.org", role="action_lead"):
    return services.invite_user(
        organisation=world.municipality_a,
        email=email,
        first_name="Nieuwe",
        last_name="Collega",
        role=_role(role),
        actor=admin,
        base_url=BASE_URL,
    )


def _log_in(client, username, password="geheim-wachtwoord-123"):
    return client.post(reverse("login"), {"username": username, "password": password})


def _token_from_mail(message) -> tuple[str, str]:
    line = next(line for line in message.body.splitlines() if "/uitnodiging/" in line)
    uidb64, token = line.strip().rstrip("/").split("/")[-2:]
    return uidb64, token


def test_an_invitation_makes_an_inactive_user_with_a_role_and_sends_a_link(world, admin):
    user = _invite(world, admin, email=" Nieuw@Example.org ")
    assert (user.username, user.email, user.is_active) == (
        "nieuw@example.org",
        "nieuw@example.org",
        False,
    )
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("role__slug", flat=True)) == [
        "action_lead"
    ]
    assert member_status(user) == MemberStatus.INVITED
    [message] = mail.outbox
    assert message.to == ["nieuw@example.org"]
    assert message.subject == "Uitnodiging voor Open Veiligheid (Gemeente A)"
    uidb64, token = _token_from_mail(message)
    assert f"{BASE_URL}uitnodiging/{uidb64}/{token}/" in message.body
    assert services.invitation_state(services.invited_user(uidb64), token) is TokenState.VALID
    # Every step is in the change log, by the administrator.
    logged = {
        entry.content_type.model
        for entry in ChangeLogEntry.objects.filter(actor=admin, operation="create")
    }
    assert {"user", "membership", "invitation"} <= logged


def test_accepting_sets_the_password_once_and_activates(world, admin):
    user = _invite(world, admin)
    _uidb64, token = _token_from_mail(mail.outbox[0])
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(user=user, token=token, password="kort")
    assert any("minstens 12 tekens" in message for message in error.value.messages)

    services.accept_invitation(user=user, token=token, password=STRONG_PASSWORD)
    user.refresh_from_db()
    assert user.is_active and user.check_password(STRONG_PASSWORD)
    assert user.invitation.accepted_at is not None
    assert member_status(user) == MemberStatus.ACTIVE
    # The link worked once.
    assert services.invitation_state(user, token) is TokenState.INVALID
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(user=user, token=token, password=STRONG_PASSWORD + "x")
    assert "niet (meer) geldig" in error.value.messages[0]


def test_an_expired_link_is_refused_with_its_own_message(world, admin, settings, monkeypatch):
    user = _invite(world, admin)
    _uidb64, token = _token_from_mail(mail.outbox[0])
    later = invitation_tokens._num_seconds(invitation_tokens._now()) + 73 * 3600
    monkeypatch.setattr(invitation_tokens, "_num_seconds", lambda _now: later)
    assert services.invitation_state(user, token) is TokenState.EXPIRED
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(user=user, token=token, password=STRONG_PASSWORD)
    assert error.value.messages == [
        "Deze uitnodiging is verlopen. Vraag de beheerder van uw organisatie om een nieuwe "
        "uitnodiging."
    ]
    Invitation.objects.filter(user=user).update(sent_at=timezone.now() - timezone.timedelta(days=4))
    user.refresh_from_db()
    assert member_status(user) == MemberStatus.INVITATION_EXPIRED


def test_a_new_invitation_replaces_the_old_link(world, admin):
    user = _invite(world, admin)
    _uidb64, old_token = _token_from_mail(mail.outbox[0])
    services.resend_invitation(
        organisation=world.municipality_a, user=user, actor=admin, base_url=BASE_URL
    )
    assert len(mail.outbox) == 2
    _uidb64, new_token = _token_from_mail(mail.outbox[1])
    user.refresh_from_db()
    assert services.invitation_state(user, old_token) is TokenState.INVALID
    assert services.invitation_state(user, new_token) is TokenState.VALID
    services.accept_invitation(user=user, token=new_token, password=STRONG_PASSWORD)
    with pytest.raises(ValidationError, match="al een wachtwoord"):
        services.resend_invitation(
            organisation=world.municipality_a, user=user, actor=admin, base_url=BASE_URL
        )


def test_an_address_that_has_an_account_is_not_invited_again(world, admin):
    existing = world.users["action_lead"]
    with pytest.raises(ValidationError) as error:
        _invite(world, admin, email=existing.email.upper())
    assert "al een account met dit e-mailadres" in error.value.message_dict["email"][0]
    assert mail.outbox == []


def test_only_those_who_manage_members_invite(world):
    for role in ("programme_manager", "council_member", "partner_contact", "other_municipality"):
        with pytest.raises(PermissionDenied):
            _invite(world, world.users[role], email=f"{role}@example.org")
    assert not get_user_model().objects.filter(email__endswith="@example.org", is_active=False)


def test_roles_are_assigned_and_removed_with_the_change_log(world, admin):
    lead = world.users["action_lead"]
    membership = services.assign_role(
        organisation=world.municipality_a, user=lead, role=_role("safety_adviser"), actor=admin
    )
    with pytest.raises(ValidationError, match="heeft de rol 'Adviseur veiligheid' al"):
        services.assign_role(
            organisation=world.municipality_a,
            user=lead,
            role=_role("safety_adviser"),
            actor=admin,
        )
    services.remove_role(membership=membership, actor=admin)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    operations = [(entry.operation, entry.actor) for entry in changes_for(membership)]
    assert sorted(operations) == [("create", admin), ("delete", admin)]
    # The entries belong to the organisation (its data version and history).
    assert {entry.owner_organisation for entry in changes_for(membership)} == {
        world.municipality_a.pk
    }


def test_a_users_last_role_is_not_removed(world, admin):
    lead = world.users["action_lead"]
    [membership] = lead.memberships.all()
    with pytest.raises(ValidationError, match="laatste rol van deze gebruiker"):
        services.remove_role(membership=membership, actor=admin)


def test_an_administrator_keeps_their_own_last_manage_members(world, admin):
    [own] = admin.memberships.all()
    services.assign_role(
        organisation=world.municipality_a, user=admin, role=_role("programme_manager"), actor=admin
    )
    with pytest.raises(ValidationError, match="eigen laatste rol met het recht"):
        services.remove_role(membership=own, actor=admin)
    assert Membership.objects.filter(pk=own.pk).exists()
    # With a second role that manages members, the first may go.
    second = Role.objects.create(
        organisation=world.municipality_a,
        slug="tweede-beheer",
        name="Tweede beheer",
        permissions=["manage_members"],
    )
    services.assign_role(organisation=world.municipality_a, user=admin, role=second, actor=admin)
    services.remove_role(membership=own, actor=admin)


def test_an_administrator_cannot_deactivate_themselves(world, admin):
    with pytest.raises(ValidationError, match="eigen account niet deactiveren"):
        services.deactivate_user(organisation=world.municipality_a, user=admin, actor=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_users_of_another_organisation_are_out_of_reach(world, admin):
    other = world.users["other_municipality"]  # municipality B
    with pytest.raises(PermissionDenied):
        services.deactivate_user(organisation=world.municipality_a, user=other, actor=admin)
    with pytest.raises(PermissionDenied):
        services.assign_role(
            organisation=world.municipality_a, user=other, role=_role("council_member"), actor=admin
        )
    # Naming their own organisation does not help: the administrator does not manage B.
    with pytest.raises(PermissionDenied):
        services.deactivate_user(organisation=world.municipality_b, user=other, actor=admin)
    [membership_b] = other.memberships.all()
    with pytest.raises(PermissionDenied):
        services.remove_role(membership=membership_b, actor=admin)
    other.refresh_from_db()
    assert other.is_active


def test_a_user_with_roles_elsewhere_is_not_deactivated_from_one_organisation(world, admin):
    lead = world.users["action_lead"]
    services.grant_membership(user=lead, organisation=world.municipality_b, role_slug="action_lead")
    with pytest.raises(ValidationError, match="niet beheert"):
        services.deactivate_user(organisation=world.municipality_a, user=lead, actor=admin)
    # Their role here can be taken away instead (they keep the one in B).
    [here] = lead.memberships.filter(organisation=world.municipality_a)
    services.remove_role(membership=here, actor=admin)


def test_deactivation_ends_login_sessions_and_api_keys(client, world, admin):
    lead = world.users["action_lead"]
    token, key = services.create_api_token(user=lead, name="Koppeling", scope="read", days=30)
    client.force_login(lead)
    services.deactivate_user(organisation=world.municipality_a, user=lead, actor=admin)
    lead.refresh_from_db()
    assert not lead.is_active
    assert member_status(lead) == MemberStatus.DEACTIVATED
    assert lead.memberships.exists()  # nothing deleted
    # The open session ends at the next request; a new login is refused.
    assert client.get(reverse("actions:list")).status_code == 302
    assert _log_in(client, "action_lead").status_code == 200  # the form again, not signed in
    # The API key is revoked, and refused.
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get(reverse("plan-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    entries = ChangeLogEntry.objects.filter(actor=admin, operation="update")
    assert {entry.content_type.model for entry in entries} >= {"user", "apitoken"}

    services.reactivate_user(organisation=world.municipality_a, user=lead, actor=admin)
    assert _log_in(client, "action_lead").status_code == 302
    assert not ApiToken.objects.usable(timezone.now()).filter(user=lead).exists()


def test_deactivating_an_invitee_withdraws_the_invitation(world, admin):
    user = _invite(world, admin)
    _uidb64, token = _token_from_mail(mail.outbox[0])
    services.deactivate_user(organisation=world.municipality_a, user=user, actor=admin)
    user.refresh_from_db()
    assert member_status(user) == MemberStatus.DEACTIVATED
    assert services.invitation_state(user, token) is TokenState.INVALID
    with pytest.raises(ValidationError, match="nog nooit een wachtwoord"):
        services.reactivate_user(organisation=world.municipality_a, user=user, actor=admin)
    # A new invitation opens it again.
    services.resend_invitation(
        organisation=world.municipality_a, user=user, actor=admin, base_url=BASE_URL
    )
    user.refresh_from_db()
    assert member_status(user) == MemberStatus.INVITED


def test_a_superuser_manages_any_organisation(world):
    superuser = UserFactory(username="super", is_superuser=True, is_staff=True)
    lead = world.users["action_lead"]
    services.deactivate_user(organisation=world.municipality_a, user=lead, actor=superuser)
    lead.refresh_from_db()
    assert not lead.is_active


def test_roles_belong_to_their_organisation(world, admin):
    role_a = _role("council_member")
    role_b = _role("programme_manager", organisation="gemeente-b")
    assert role_a.organisation == world.municipality_a
    with pytest.raises(ValidationError, match="Kies een rol van Gemeente A"):
        services.assign_role(
            organisation=world.municipality_a,
            user=world.users["action_lead"],
            role=role_b,
            actor=admin,
        )
    with pytest.raises(ValidationError, match="Kies een rol van Gemeente A"):
        services.invite_user(
            organisation=world.municipality_a,
            email="x@example.org",
            first_name="",
            last_name="X",
            role=role_b,
            actor=admin,
            base_url=BASE_URL,
        )
    # Changing a role of A leaves B's role of the same name alone.
    services.change_role_permissions(role=role_a, permissions=["view_unpublished"], actor=admin)
    role_a.refresh_from_db()
    assert role_a.permissions == ["view_unpublished"]
    assert _role("council_member", organisation="gemeente-b").permissions == []
    [entry] = [e for e in changes_for(role_a) if e.operation == "update"]
    assert (entry.actor, entry.before["permissions"], entry.owner_organisation) == (
        admin,
        [],
        world.municipality_a.pk,
    )
    with pytest.raises(PermissionDenied):
        services.change_role_permissions(role=role_b, permissions=[], actor=admin)
    with pytest.raises(ValidationError, match="Onbekende rechten: alles"):
        services.change_role_permissions(role=role_a, permissions=["alles"], actor=admin)


def test_an_administrator_keeps_manage_members_in_their_own_role(world, admin):
    administrator = _role("administrator")
    with pytest.raises(ValidationError, match="eigen laatste rol die het geeft"):
        services.change_role_permissions(
            role=administrator, permissions=["view_unpublished"], actor=admin
        )
    administrator.refresh_from_db()
    assert "manage_members" in administrator.permissions
    # Another role may lose it, and this one too once another of their roles grants it.
    services.change_role_permissions(
        role=_role("programme_manager"), permissions=["manage_members"], actor=admin
    )
    services.assign_role(
        organisation=world.municipality_a, user=admin, role=_role("programme_manager"), actor=admin
    )
    services.change_role_permissions(
        role=administrator, permissions=["view_unpublished"], actor=admin
    )


def test_a_new_organisation_gets_the_default_roles_once(world):
    organisation = world.partner
    assert set(organisation.roles.values_list("slug", flat=True)) == {
        "administrator",
        "programme_manager",
        "safety_adviser",
        "action_lead",
        "partner_contact",
        "council_member",
        "privacy_officer",
    }
    organisation.roles.get(slug="council_member").delete()
    with pytest.raises(ValidationError, match="bestaat niet \\(meer\\)"):
        services.grant_membership(
            user=UserFactory(), organisation=organisation, role_slug="council_member"
        )


def test_a_refused_mail_saves_nothing(world, admin, monkeypatch):
    def refuse(message, fail_silently=False):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ValidationError, match="kon niet worden verstuurd"):
        _invite(world, admin)
    assert not get_user_model().objects.filter(email="nieuw@example.org").exists()
