"""Every write logged: edits of organisations, units, roles and memberships through the real admin
(/beheer/, as a superuser) leave change log entries; a default role an administrator removed is
not created again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from openveiligheid.core.changelog import changes_for
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.models import Membership, Organisation, Role, Unit
from openveiligheid.organisations.services import grant_membership, role_by_slug
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CREATE, UPDATE, DELETE = (
    ChangeLogEntry.Operation.CREATE,
    ChangeLogEntry.Operation.UPDATE,
    ChangeLogEntry.Operation.DELETE,
)


def _entries(model, pk):
    return list(
        ChangeLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).order_by("id")
    )


def _organisation_form(**changes) -> dict:
    data = {
        "kind": Organisation.Kind.PARTNER,
        "name": "Halt Oost",
        "slug": "halt-oost",
        "cbs_code": "",
        "partner_type": Organisation.PartnerType.OTHER,
        "brand_colour": "#154273",
        "aliases": "[]",
    }
    return data | changes


def test_organisation_add_change_and_delete_are_logged(admin_client, admin_user):
    member = OrganisationFactory()
    response = admin_client.post(
        reverse("admin:organisations_organisation_add"), _organisation_form()
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(slug="halt-oost")
    [created] = _entries(Organisation, organisation.pk)
    assert (created.operation, created.actor) == (CREATE, admin_user)
    assert created.after["name"] == "Halt Oost"

    response = admin_client.post(
        reverse("admin:organisations_organisation_change", args=[organisation.pk]),
        _organisation_form(name="Halt Oost-Nederland", members=[member.pk]),
    )
    assert response.status_code == 302
    updated = _entries(Organisation, organisation.pk)[-1]
    assert (updated.operation, updated.actor) == (UPDATE, admin_user)
    assert updated.before["name"] == "Halt Oost"
    assert updated.after["name"] == "Halt Oost-Nederland"
    # The many-to-many field is saved after the object; the entry holds it.
    assert (updated.before["members"], updated.after["members"]) == ([], [member.pk])

    unit = UnitFactory(organisation=organisation)
    membership = MembershipFactory(organisation=organisation)
    response = admin_client.post(
        reverse("admin:organisations_organisation_delete", args=[organisation.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert _entries(Organisation, organisation.pk)[-1].operation == DELETE
    # What the delete took with it is logged too.
    assert [e.operation for e in _entries(Unit, unit.pk)] == [DELETE]
    assert [e.operation for e in _entries(Membership, membership.pk)] == [DELETE]


def test_unit_and_membership_edits_are_logged(admin_client, admin_user):
    organisation = OrganisationFactory()
    response = admin_client.post(
        reverse("admin:organisations_unit_add"),
        {"organisation": organisation.pk, "name": "Veiligheid en Regie", "abbreviation": "V&R"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Veiligheid en Regie")
    assert [e.operation for e in _entries(Unit, unit.pk)] == [CREATE]

    user = UserFactory()
    role = role_by_slug(organisation, "action_lead")
    response = admin_client.post(
        reverse("admin:organisations_membership_add"),
        {"user": user.pk, "organisation": organisation.pk, "role": role.pk, "unit": unit.pk},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    [created] = _entries(Membership, membership.pk)
    assert (created.operation, created.actor, created.after["role_id"]) == (
        CREATE,
        admin_user,
        role.pk,
    )

    # Deleting from the list (the "delete selected" action) is logged as well.
    response = admin_client.post(
        reverse("admin:organisations_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deleted = _entries(Membership, membership.pk)[-1]
    assert (deleted.operation, deleted.actor, deleted.before["user_id"]) == (
        DELETE,
        admin_user,
        user.pk,
    )


def test_role_permissions_edit_is_logged(admin_client, admin_user):
    role = role_by_slug(OrganisationFactory(), "council_member")
    response = admin_client.post(
        reverse("admin:organisations_role_change", args=[role.pk]),
        {
            "organisation": role.organisation_id,
            "slug": role.slug,
            "name": role.name,
            "permissions": '["view_unpublished"]',
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = changes_for(role).order_by("id").last()
    assert (entry.operation, entry.actor) == (UPDATE, admin_user)
    assert (entry.before["permissions"], entry.after["permissions"]) == ([], ["view_unpublished"])


def test_a_removed_default_role_is_not_created_again(admin_client, monkeypatch):
    organisation = OrganisationFactory(name="Gemeente Z")
    role = role_by_slug(organisation, "partner_contact")
    response = admin_client.post(
        reverse("admin:organisations_role_delete", args=[role.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _entries(Role, role.pk)[-1].operation == DELETE
    message = (
        "De rol 'partner_contact' bestaat niet (meer) bij Gemeente Z. Kies een andere rol; een "
        "superuser kan hem onder /beheer/ opnieuw aanmaken."
    )

    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        grant_membership(user=user, organisation=organisation, role_slug="partner_contact")
    assert error.value.message_dict == {"role": [message]}
    assert not Role.objects.filter(organisation=organisation, slug="partner_contact").exists()

    # load-demo grants the demo accounts their roles through grant_membership: it stops with
    # that message instead of bringing the role back.
    import importlib

    command = importlib.import_module("openveiligheid.demo.management.commands.load-demo")

    def load_accounts_only(reset=False):
        grant_membership(user=user, organisation=organisation, role_slug="partner_contact")

    monkeypatch.setattr(command, "load_demo", load_accounts_only)
    with pytest.raises(CommandError) as error:
        call_command("load-demo")
    assert str(error.value) == message
    assert not Role.objects.filter(organisation=organisation, slug="partner_contact").exists()
