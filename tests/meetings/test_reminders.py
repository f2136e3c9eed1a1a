from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from openveiligheid.meetings import services
from openveiligheid.meetings.models import ReminderLog
from openveiligheid.meetings.reminders import send_reminders
from openveiligheid.organisations.services import grant_membership
from tests.actions.factories import ActionFactory
from tests.meetings.fixtures import build_calendar
from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = "2023-03-27"  # the 13 April meeting (documents due 30 March) is within three weeks


@pytest.fixture
def known():
    known = build_calendar()
    plan = known.actions["a1"].action_plan
    lead = UserFactory(username="trekker", email="trekker@example.org")
    known.actions["person"] = ActionFactory(
        action_plan=plan,
        subject="Met actiehouder",
        due_text="",
        due_end=date(2023, 3, 20),
        lead_person=lead,
        lead_organisation=known.municipality,
    )
    police_contact = UserFactory(username="politie-contact", email="contact@politie.example")
    grant_membership(user=police_contact, organisation=known.police, role_slug="partner_contact")
    police_lead = UserFactory(username="politie-lead", email="lead@politie.example")
    grant_membership(user=police_lead, organisation=known.police, role_slug="action_lead")
    return known


def run(*args):
    output = StringIO()
    call_command("send-reminders", "--today", TODAY, *args, stdout=output)
    return output.getvalue()


def test_reminders_to_leads_and_digest_once(known):
    output = run()
    recipients = sorted((message.to[0], message.subject[:5]) for message in mail.outbox)
    # The person leading an action; for the others the lead organisation's members who may
    # update actions (not the police's partner contact, who may not); the municipality's
    # programme manager also gets the digest. Text leads without an address: digest only.
    assert recipients == [
        ("lead@politie.example", "Herin"),
        ("mstad-action_lead@example.org", "Herin"),
        ("mstad-programme_manager@example.org", "Herin"),
        ("mstad-programme_manager@example.org", "Overz"),
        ("trekker@example.org", "Herin"),
    ]
    by_recipient = {
        message.to[0]: message
        for message in mail.outbox
        if not message.subject.startswith("Overzicht")
    }
    digest = next(message for message in mail.outbox if message.subject.startswith("Overzicht"))
    personal = by_recipient["trekker@example.org"]
    assert personal.subject == "Herinnering: stukken voor Driehoek Mstad van 13 april 2023"
    assert "Met actiehouder" in personal.body
    assert "Stukken aanleveren uiterlijk: donderdag 30 maart 2023" in personal.body
    police = by_recipient["lead@politie.example"].body
    assert "a3" in police and "a6" in police and "Met actiehouder" not in police
    assert "Jongerenwerk" in digest.body and "Met actiehouder" in digest.body
    assert "5 e-mail(s) verstuurd" in output

    mail.outbox.clear()
    count = ReminderLog.objects.count()
    assert "0 e-mail(s) verstuurd" in run()
    assert mail.outbox == []
    assert ReminderLog.objects.count() == count


def test_a_newly_due_action_gets_its_own_reminder_on_the_next_run(known):
    run()
    mail.outbox.clear()
    services.schedule_action(known.meetings[1], known.actions["a7"])
    run()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lead@politie.example",
        "mstad-programme_manager@example.org",
    ]  # a7 is led by the police: a reminder there, and a line in the digest
    assert all("a7" in message.body and "a3" not in message.body for message in mail.outbox)


def test_the_lead_units_members_are_preferred(known):
    vr = known.actions["a1"].lead_unit
    unit_member = UserFactory(username="vr-medewerker", email="vr@mstad.example")
    membership = grant_membership(
        user=unit_member, organisation=known.municipality, role_slug="action_lead"
    )
    membership.unit = vr
    membership.save()
    run()
    municipal = [
        message.to[0]
        for message in mail.outbox
        if "a1" in message.body and message.subject.startswith("Herinnering")
    ]
    assert municipal == ["vr@mstad.example"]


def test_reported_actions_get_no_reminder(known):
    for item in known.meetings[1].items.all():
        services.mark_reported(item)
    known.actions["person"].delete()
    run()
    assert mail.outbox == []


def test_dry_run_sends_and_records_nothing(known):
    output = run("--dry-run")
    assert "Zou versturen: trekker@example.org" in output
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_no_meetings_within_the_horizon():
    report = send_reminders(today=date(2030, 1, 1))
    assert (report.meetings, report.sent) == (0, 0)


def test_bad_date_is_refused(known):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="geen datum"):
        call_command("send-reminders", "--today", "27-3-2023", stdout=StringIO())


def test_every_reminder_sent_is_in_the_change_log(known):
    from django.contrib.contenttypes.models import ContentType

    from openveiligheid.core.models import ChangeLogEntry

    run()
    logged = set(ReminderLog.objects.values_list("pk", flat=True))
    assert logged
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ReminderLog)
    )
    assert {int(entry.object_id) for entry in entries} == logged
    assert {entry.operation for entry in entries} == {ChangeLogEntry.Operation.CREATE}
    # Owned by the plan's organisation, like the action the reminder is about.
    assert {entry.owner_organisation for entry in entries} == {known.municipality.pk}
