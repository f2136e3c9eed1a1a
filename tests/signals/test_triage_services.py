"""The triage services: every step, its rules and messages, the history it appends and the
audit entry it writes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openveiligheid.core.models import AppendOnlyError
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.signals import selectors, services
from openveiligheid.signals.models import (
    STEP_TARGETS,
    SUBJECT_REQUEST_STEPS,
    TRIAGE_STEPS,
    TRIAGE_TRANSITIONS,
    Report,
    ReportEvent,
    ReportLink,
    TriageStep,
)
from tests.signals.factories import CategoryFactory, ReportFactory, contact_token

Status = Report.Status


@pytest.fixture
def manager(world):
    return world.users["programme_manager"]


@pytest.fixture
def report(world):
    return ReportFactory(organisation=world.municipality_a, postcode="1234AB", house_number="12")


@pytest.fixture
def in_triage(report, manager):
    return services.take_into_triage(report, actor=manager)


def messages(error: ValidationError) -> list[str]:
    return error.messages


def changes_of(report) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(object_type="signals.report", object_id=str(report.pk))
        .order_by("sequence")
        .values_list("action", "result")
    )


def test_the_transition_table_and_the_steps_agree():
    for status, steps in TRIAGE_STEPS.items():
        for step in steps:
            target = STEP_TARGETS.get(step)
            assert target is None or target in TRIAGE_TRANSITIONS[status], (status, step)
    assert TRIAGE_STEPS[Status.CLOSED] == frozenset()
    assert TRIAGE_TRANSITIONS[Status.CLOSED] == frozenset()


def test_take_into_triage_appends_history_and_audits(report, manager):
    services.take_into_triage(report, actor=manager, note="Ik pak hem op")
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE
    event = report.events.get()
    assert (event.step, event.from_status, event.to_status, event.note, event.actor_name) == (
        TriageStep.TAKE,
        Status.NEW,
        Status.IN_TRIAGE,
        "Ik pak hem op",
        manager.username,
    )
    entry = AuditEntry.objects.get(object_type="signals.report", object_id=str(report.pk))
    assert (entry.action, entry.actor_id, entry.purpose) == (
        AuditEntry.Action.CHANGE,
        manager.pk,
        "in behandeling nemen",
    )


def test_a_step_not_in_the_table_is_refused_in_dutch(report, manager):
    with pytest.raises(ValidationError) as error:
        services.prioritise(report, priority="high", actor=manager)
    assert messages(error.value) == [
        "De stap 'prioriteit bepalen' is niet mogelijk bij een melding met status 'nieuw'."
    ]
    assert not report.events.exists()


def test_classify_changes_the_category(in_triage, manager, world):
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    services.classify(in_triage, category=drugs, actor=manager, note="Het gaat om handel")
    in_triage.refresh_from_db()
    assert in_triage.category == drugs
    event = in_triage.events.last()
    assert (event.step, event.summary, event.to_status) == (
        TriageStep.CLASSIFY,
        "Overlast → Drugs",
        "",
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_municipality", "Kies een categorie van deze gemeente."),
        ("inactive", "Deze categorie is niet meer in gebruik."),
        ("same", "De melding heeft deze categorie al."),
        ("none", "Kies een categorie van deze gemeente."),
    ],
)
def test_classify_rules(in_triage, manager, world, case, message):
    category = {
        "other_municipality": lambda: CategoryFactory(organisation=world.municipality_b),
        "inactive": lambda: CategoryFactory(
            organisation=world.municipality_a, slug="oud", is_active=False
        ),
        "same": lambda: in_triage.category,
        "none": lambda: None,
    }[case]()
    with pytest.raises(ValidationError) as error:
        services.classify(in_triage, category=category, actor=manager)
    assert error.value.message_dict == {"category": [message]}


def test_prioritise(in_triage, manager):
    services.prioritise(in_triage, priority=Report.Priority.URGENT, actor=manager)
    in_triage.refresh_from_db()
    assert in_triage.priority == Report.Priority.URGENT
    assert in_triage.events.last().summary == "normaal → spoed"
    with pytest.raises(ValidationError) as error:
        services.prioritise(in_triage, priority="urgent", actor=manager)
    assert error.value.message_dict == {"priority": ["De melding heeft deze prioriteit al."]}
    with pytest.raises(ValidationError) as error:
        services.prioritise(in_triage, priority="meteen", actor=manager)
    assert error.value.message_dict == {
        "priority": ["Kies een prioriteit: laag, normaal, hoog of spoed."]
    }


def test_forward_to_a_partner(in_triage, manager, world):
    services.forward(
        in_triage, partner=world.partner, note="Per beveiligde mail aan de wijkagent", actor=manager
    )
    in_triage.refresh_from_db()
    assert in_triage.status == Status.FORWARDED
    assert in_triage.forwarded_to == world.partner
    assert in_triage.forwarded_to_name == "Politie Oost"
    assert in_triage.forwarded_at is not None
    event = in_triage.events.last()
    assert (event.summary, event.note) == ("Politie Oost", "Per beveiligde mail aan de wijkagent")


def test_forward_to_meld_misdaad_anoniem(in_triage, manager):
    services.forward(
        in_triage, to_meld_misdaad_anoniem=True, note="Melder gewezen op MMA", actor=manager
    )
    in_triage.refresh_from_db()
    assert (in_triage.forwarded_to, in_triage.forwarded_to_name) == (None, "Meld Misdaad Anoniem")


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        (
            {"note": "Doorgegeven aan de politie"},
            {"partner": ["Kies de partner waaraan u de melding doorzet."]},
        ),
        (
            {"partner": "partner", "to_meld_misdaad_anoniem": True, "note": "Doorgegeven"},
            {"partner": ["Kies een partner of Meld Misdaad Anoniem, niet allebei."]},
        ),
        (
            {"partner": "municipality_b", "note": "Doorgegeven aan B"},
            {"partner": ["U kunt een melding alleen doorzetten aan een ketenpartner."]},
        ),
        (
            {"partner": "partner", "note": "kort"},
            {"note": ["Vul een toelichting in van ten minste 10 tekens."]},
        ),
        (
            {"partner": "partner", "note": "x" * 2001},
            {"note": ["Een toelichting is hoogstens 2000 tekens."]},
        ),
    ],
)
def test_forward_rules(in_triage, manager, world, kwargs, errors):
    if "partner" in kwargs:
        kwargs["partner"] = getattr(world, kwargs["partner"])
    with pytest.raises(ValidationError) as error:
        services.forward(in_triage, actor=manager, **kwargs)
    assert error.value.message_dict == errors
    in_triage.refresh_from_db()
    assert in_triage.status == Status.IN_TRIAGE
    assert in_triage.forwarded_at is None


def test_ask_reporter_sends_a_mail_and_waits(world, manager):
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    services.take_into_triage(report, actor=manager)
    services.ask_reporter(report, question="Welke auto stond er geparkeerd?", actor=manager)
    report.refresh_from_db()
    assert report.status == Status.WAITING_FOR_REPORTER
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jan@example.nl"]
    assert message.subject == f"Vraag over uw melding {report.reference}"
    assert "Welke auto stond er geparkeerd?" in message.body
    assert report.events.last().note == "Welke auto stond er geparkeerd?"
    reveal = AuditEntry.objects.get(
        action=AuditEntry.Action.REVEAL, object_id=str(report.pk), actor_id=manager.pk
    )
    assert reveal.purpose == "E-mail met een vraag aan de melder"
    # The answer came: back into triage.
    services.take_into_triage(report, actor=manager, note="Melder antwoordde")
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE


def test_ask_reporter_needs_contact_details_with_an_e_mail_address(world, in_triage, manager):
    with pytest.raises(ValidationError) as error:
        services.ask_reporter(in_triage, question="Welke auto stond er?", actor=manager)
    assert messages(error.value) == [
        "Deze melding is anoniem gedaan: er zijn geen contactgegevens om de melder iets te vragen."
    ]
    phone_only = ReportFactory(
        organisation=world.municipality_a,
        encrypted_contact=contact_token(email="", phone="0612345678"),
    )
    services.take_into_triage(phone_only, actor=manager)
    with pytest.raises(ValidationError) as error:
        services.ask_reporter(phone_only, question="Welke auto stond er?", actor=manager)
    assert messages(error.value) == [
        "De melder heeft geen e-mailadres opgegeven. Bekijk de contactgegevens om de melder "
        "te bellen."
    ]
    with pytest.raises(ValidationError) as error:
        services.ask_reporter(phone_only, question="Wat?", actor=manager)
    assert error.value.message_dict == {"question": ["Schrijf uw vraag in ten minste 10 tekens."]}
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()


def test_a_mail_that_cannot_be_sent_changes_nothing(world, manager, settings):
    settings.EMAIL_BACKEND = "tests.signals.test_triage_services.FailingBackend"
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    services.take_into_triage(report, actor=manager)
    with pytest.raises(ValidationError) as error:
        services.ask_reporter(report, question="Welke auto stond er?", actor=manager)
    assert "kon niet worden verstuurd" in messages(error.value)[0]
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE
    assert report.events.count() == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("no mail server")


def test_link_two_reports_shows_in_both_histories(in_triage, manager, world):
    other = ReportFactory(organisation=world.municipality_a)
    created = services.link(in_triage, other, reason=ReportLink.Reason.SAME_SUBJECT, actor=manager)
    assert (created.first, created.second) == tuple(sorted((in_triage, other), key=lambda r: r.pk))
    assert in_triage.events.last().summary == f"{other.reference} (zelfde onderwerp)"
    assert other.events.get().summary == f"{in_triage.reference} (zelfde onderwerp)"
    assert [r for r, _link in selectors.linked_reports(other, manager)] == [in_triage]
    assert (AuditEntry.Action.CHANGE, AuditEntry.Result.ALLOWED) in changes_of(other)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "Een melding kan niet aan zichzelf worden gekoppeld."),
        ("other_municipality", "U kunt alleen meldingen van dezelfde gemeente koppelen."),
        ("twice", "Deze meldingen zijn al gekoppeld."),
        ("none", "Kies de melding die u wilt koppelen."),
    ],
)
def test_link_rules(in_triage, manager, world, case, message):
    other = {
        "self": lambda: in_triage,
        "other_municipality": lambda: ReportFactory(organisation=world.municipality_b),
        "twice": lambda: ReportFactory(organisation=world.municipality_a),
        "none": lambda: None,
    }[case]()
    if case == "twice":
        services.link(other, in_triage, reason="same_address", actor=manager)
    with pytest.raises(ValidationError) as error:
        services.link(in_triage, other, reason="same_address", actor=manager)
    assert error.value.message_dict == {"other": [message]}


def test_link_needs_a_reason(in_triage, manager, world):
    other = ReportFactory(organisation=world.municipality_a)
    with pytest.raises(ValidationError) as error:
        services.link(in_triage, other, reason="zomaar", actor=manager)
    assert error.value.message_dict == {"reason": ["Kies waarom de meldingen bij elkaar horen."]}


def test_close_with_a_reason_is_final(in_triage, manager):
    services.close(in_triage, reason=Report.CloseReason.HANDLED, actor=manager, note="Klaar")
    in_triage.refresh_from_db()
    assert (in_triage.status, in_triage.close_reason) == (Status.CLOSED, "handled")
    assert in_triage.closed_at is not None
    assert in_triage.events.last().summary == "afgehandeld"
    with pytest.raises(ValidationError) as error:
        services.take_into_triage(in_triage, actor=manager)
    assert messages(error.value) == [
        "De stap 'in behandeling nemen' is niet mogelijk bij een melding met status 'afgesloten'."
    ]


def test_a_new_report_can_be_closed_at_once(report, manager):
    services.close(report, reason=Report.CloseReason.DISMISSED, actor=manager)
    report.refresh_from_db()
    assert report.status == Status.CLOSED


def test_close_needs_a_known_reason(in_triage, manager):
    with pytest.raises(ValidationError) as error:
        services.close(in_triage, reason="", actor=manager)
    assert error.value.message_dict == {"reason": ["Kies de reden van afsluiten."]}


def test_a_duplicate_is_closed_only_once_linked(report, manager, world):
    with pytest.raises(ValidationError) as error:
        services.close(report, reason=Report.CloseReason.DUPLICATE, actor=manager)
    assert error.value.message_dict == {
        "reason": [
            "Koppel een dubbele melding eerst aan de melding waarvan zij een dubbel is; daarna "
            "kunt u haar afsluiten."
        ]
    }
    original = ReportFactory(organisation=world.municipality_a)
    services.link(report, original, reason=ReportLink.Reason.DUPLICATE, actor=manager)
    services.close(report, reason=Report.CloseReason.DUPLICATE, actor=manager)
    report.refresh_from_db()
    assert report.close_reason == Report.CloseReason.DUPLICATE


@pytest.mark.parametrize("role", ["administrator", "safety_adviser", "partner_contact"])
def test_only_triagers_take_steps_and_refusals_are_audited(report, world, role):
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.take_into_triage(report, actor=user)
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert changes_of(report) == [(AuditEntry.Action.CHANGE, AuditEntry.Result.REFUSED)]


def test_staff_of_another_municipality_cannot_triage(report, world):
    with pytest.raises(PermissionDenied):
        services.close(report, reason="handled", actor=world.users["other_municipality"])


def test_history_is_never_changed(in_triage):
    event = in_triage.events.get()
    event.note = "achteraf anders"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        ReportEvent.objects.filter(pk=event.pk).update(note="anders")


def test_reveal_contact_needs_a_purpose_and_is_audited(world, manager):
    report = ReportFactory(organisation=world.municipality_a, encrypted_contact=contact_token())
    with pytest.raises(ValidationError) as error:
        services.reveal_contact(report, actor=manager, purpose="bellen")
    assert error.value.message_dict == {
        "purpose": ["Geef aan waarvoor u deze gegevens inziet (ten minste 10 tekens)."]
    }
    contact = services.reveal_contact(
        report, actor=manager, purpose="Melder terugbellen over de locatie"
    )
    assert (contact.name, contact.email) == ("Jan Jansen", "jan@example.nl")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert (entry.purpose, entry.result) == (
        "Melder terugbellen over de locatie",
        AuditEntry.Result.ALLOWED,
    )


def test_reveal_contact_refused_and_anonymous(world, manager, report):
    with pytest.raises(ValidationError) as error:
        services.reveal_contact(report, actor=manager, purpose="Melder terugbellen")
    assert messages(error.value) == [
        "Deze melding is anoniem gedaan: er zijn geen contactgegevens."
    ]
    # Administrators manage the product; they do not see who reported what.
    with pytest.raises(PermissionDenied):
        services.reveal_contact(
            report, actor=world.users["administrator"], purpose="Nieuwsgierig naar de melder"
        )
    refused = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert (refused.result, refused.purpose) == (
        AuditEntry.Result.REFUSED,
        "Nieuwsgierig naar de melder",
    )


def test_link_suggestions_same_address_and_same_subject(world, report):
    same_address = ReportFactory(
        organisation=world.municipality_a, postcode="1234AB", house_number="12"
    )
    same_subject = ReportFactory(
        organisation=world.municipality_a,
        postcode="1234ZZ",
        house_number="3",
        category=report.category,
    )
    old = ReportFactory(
        organisation=world.municipality_a,
        postcode="1234ZZ",
        house_number="4",
        category=report.category,
    )
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    other_area = ReportFactory(
        organisation=world.municipality_a,
        postcode="9999AB",
        house_number="12",
        category=report.category,
    )
    other_municipality = ReportFactory(
        organisation=world.municipality_b, postcode="1234AB", house_number="12"
    )
    suggestions = selectors.link_suggestions(report)
    assert [(s.report, s.reason) for s in suggestions] == [
        (same_address, ReportLink.Reason.SAME_ADDRESS),
        (same_subject, ReportLink.Reason.SAME_SUBJECT),
    ]
    assert old not in [s.report for s in suggestions]
    assert other_area not in [s.report for s in suggestions]
    assert other_municipality not in [s.report for s in suggestions]
    # A linked report is no longer suggested.
    ReportLink.objects.create(
        first=min(report, same_address, key=lambda r: r.pk),
        second=max(report, same_address, key=lambda r: r.pk),
        reason="same_address",
    )
    assert [s.report for s in selectors.link_suggestions(report)] == [same_subject]


def test_category_counts_per_period(world):
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    ReportFactory(organisation=world.municipality_a, category=drugs)
    old = ReportFactory(organisation=world.municipality_a, category=drugs, status=Status.CLOSED)
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    ReportFactory(
        organisation=world.municipality_b,
        category=CategoryFactory(organisation=world.municipality_b, slug="drugs", name="Drugs"),
    )
    counts = selectors.category_counts([world.municipality_a])
    assert [(c.category, c.counts, c.open) for c in counts] == [
        ("Drugs", {"week": 1, "month": 1, "year": 2}, 1)
    ]


def test_a_superuser_without_membership_does_not_triage(report):
    from tests.organisations.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        services.take_into_triage(report, actor=root)
    assert selectors.signal_organisations(root) == []


def test_history_keeps_the_name_of_a_deleted_user(in_triage, manager):
    manager.delete()
    event = in_triage.events.get()
    assert (event.actor_id, event.actor_name) == (None, "programme_manager")


def test_a_subject_request_step_names_the_request_and_moves_no_status(world):
    """The privacy officer's changes (signals.person_data) are in the history of any report,
    also a closed one; an anonymous report has no contact details to change."""
    from openveiligheid.privacy.identities import IdentityData, decrypt
    from openveiligheid.privacy.models import SubjectRequest
    from openveiligheid.privacy.subject_requests import register_subject_request
    from tests.privacy.factories import privacy_officer

    officer = privacy_officer(world.municipality_a)
    subject_request = register_subject_request(
        actor=officer,
        organisation=world.municipality_a,
        kind=SubjectRequest.Kind.RECTIFICATION,
        received_on=timezone.localdate(),
        name="Jan Jansen",
    )
    closed = ReportFactory(
        organisation=world.municipality_a,
        status=Status.CLOSED,
        encrypted_contact=contact_token(),
    )
    services.rectify_contact(
        closed, IdentityData(name="Jan Jansen"), subject_request=subject_request, actor=officer
    )
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED
    assert decrypt(closed.encrypted_contact) == IdentityData(name="Jan Jansen")
    event = closed.events.get()
    assert (event.step, event.summary) == (
        TriageStep.RECTIFY_CONTACT,
        f"op grond van AVG-verzoek {subject_request.pk}",
    )
    assert "jan@example.nl" not in event.summary + event.note
    assert all(not steps & SUBJECT_REQUEST_STEPS for steps in TRIAGE_STEPS.values())

    anonymous = ReportFactory(organisation=world.municipality_a)
    with pytest.raises(ValidationError) as error:
        services.erase_contact(anonymous, subject_request=subject_request, actor=officer)
    assert messages(error.value) == [
        "Deze melding is anoniem gedaan: er zijn geen contactgegevens."
    ]
    assert not anonymous.events.exists()
