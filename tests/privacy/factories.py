from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import UserFactory


def privacy_officer(organisation, username="privacy_officer"):
    user = UserFactory(username=username)
    grant_membership(user=user, organisation=organisation, role_slug="privacy_officer")
    return user


def audit_entries_of_two_municipalities(world, *, first_repr="MLD-AAAAAAAA"):
    """A read in municipality A (with a purpose) and a change in B: what scoping tests filter."""
    from openveiligheid.privacy.models import AuditEntry
    from openveiligheid.privacy.services import record

    a = record(
        action=AuditEntry.Action.READ,
        actor=world.users["programme_manager"],
        object_type="signals.report",
        object_id="7",
        object_repr=first_repr,
        organisation=world.municipality_a,
        purpose="Triage",
    )
    b = record(
        action=AuditEntry.Action.CHANGE,
        actor=world.users["other_municipality"],
        object_type="signals.report",
        object_id="8",
        object_repr="MLD-BBBBBBBB",
        organisation=world.municipality_b,
    )
    return a, b
