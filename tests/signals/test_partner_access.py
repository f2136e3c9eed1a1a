"""Need-to-know access for the partner a report is forwarded to: its staff who hold VIEW_SIGNALS
there read that report (queue, page, attachments, history; the triage API) and nothing else of
the meldpunt, never the reporter's contact details, and take no triage steps. Every read is in
the audit trail, as for the municipality's staff."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from openveiligheid.organisations.models import Role
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.services import change_role_permissions, grant_membership
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.two_factor import requires_two_factor
from openveiligheid.signals import services
from openveiligheid.signals.models import Report, TriageStep
from tests.organisations.factories import PartnerFactory, UserFactory
from tests.permissions import assert_matrix, expect, login
from tests.signals.factories import ReportFactory, report_with_photo

LIST = reverse("signals:staff-list")
API_LIST = reverse("signal-report-list")

PURPOSE = {"purpose": "Melder terugbellen over de plek"}

# The world's rows: programme managers of A triage; B's staff find nothing of A; the partner's
# contact without VIEW_SIGNALS and A's other roles are refused. The extra rows: a reader at the
# partner the report went to (Politie Oost, the world's partner) and one at another partner.
PAGE_A = expect(403, anonymous=302, programme_manager=200, other_municipality=404)
API_A = expect(403, anonymous=401, programme_manager=200, other_municipality=404)
FORWARDED_TO_POLICE = {"police_reader": 200, "riec_reader": 404}
NOT_FORWARDED_TO_THEM = {"police_reader": 404, "riec_reader": 404}


def _reader_at(partner, username):
    """A partner's contact whose role also grants VIEW_SIGNALS (as the partner's administrators
    can set it)."""
    Role.objects.get_or_create(
        organisation=partner,
        slug="meldingen-lezer",
        defaults={
            "name": "Contactpersoon meldingen",
            "permissions": [Permission.UPDATE_PARTNER_ACTIONS, Permission.VIEW_SIGNALS],
        },
    )
    user = UserFactory(username=username)
    grant_membership(user=user, organisation=partner, role_slug="meldingen-lezer")
    return user


@pytest.fixture
def riec():
    return PartnerFactory(name="RIEC Oost", slug="riec-oost", partner_type="riec")


@pytest.fixture
def readers(world, riec):
    return {
        "police_reader": _reader_at(world.partner, "politie-lezer"),
        "riec_reader": _reader_at(riec, "riec-lezer"),
    }


@pytest.fixture
def manager(world):
    return world.users["programme_manager"]


def _forwarded(world, manager, *, partner=None, to_meld_misdaad_anoniem=False, **fields):
    report = ReportFactory(**{"organisation": world.municipality_a, **fields})
    services.take_into_triage(report, actor=manager)
    return services.forward(
        report,
        actor=manager,
        partner=partner,
        to_meld_misdaad_anoniem=to_meld_misdaad_anoniem,
        note="Doorgegeven aan de wijkagent",
    )


@pytest.fixture
def to_police(world, manager):
    """A report of A with the reporter's contact details and a photo, forwarded to the police."""
    report = report_with_photo(world.municipality_a)
    services.take_into_triage(report, actor=manager)
    return services.forward(
        report, actor=manager, partner=world.partner, note="Doorgegeven aan de wijkagent"
    )


@pytest.fixture
def others(world, manager, riec):
    """Reports of A that did not go to the police: to the RIEC, to Meld Misdaad Anoniem, none."""
    return {
        "riec": _forwarded(world, manager, partner=riec),
        "mma": _forwarded(world, manager, to_meld_misdaad_anoniem=True),
        "none": ReportFactory(organisation=world.municipality_a),
        "b": ReportFactory(organisation=world.municipality_b),
    }


def detail_url(report):
    return reverse("signals:staff-detail", kwargs={"reference": report.reference})


def attachment_url(report):
    attachment = report.attachments.get()
    return reverse(
        "signals:attachment", kwargs={"reference": report.reference, "attachment_id": attachment.pk}
    )


def api_detail(report):
    return reverse("signal-report-detail", args=[report.reference])


# --- Permission matrices ------------------------------------------------------------------------


def test_matrix_of_the_queue(client, world, readers, to_police):
    assert_matrix(
        client,
        world,
        "GET",
        LIST,
        expect(403, anonymous=302, programme_manager=200, other_municipality=200)
        | {"police_reader": 200, "riec_reader": 200},
        extra_users=readers,
    )


def test_matrix_of_a_forwarded_report_and_its_attachment(client, world, readers, to_police):
    for url in (detail_url(to_police), attachment_url(to_police)):
        assert_matrix(client, world, "GET", url, PAGE_A | FORWARDED_TO_POLICE, extra_users=readers)


def test_reports_not_forwarded_to_a_partner_stay_out_of_its_sight(client, world, readers, others):
    for key in ("mma", "none"):
        assert_matrix(
            client,
            world,
            "GET",
            detail_url(others[key]),
            PAGE_A | NOT_FORWARDED_TO_THEM,
            extra_users=readers,
        )
    assert_matrix(
        client,
        world,
        "GET",
        detail_url(others["riec"]),
        PAGE_A | {"police_reader": 404, "riec_reader": 200},
        extra_users=readers,
    )


def test_matrix_of_the_contact_details(client, world, readers, to_police):
    url = reverse("signals:reveal-contact", kwargs={"reference": to_police.reference})
    # The partner reads the report but never its reporter: refused (403), not hidden (404).
    matrix = PAGE_A | {"police_reader": 403, "riec_reader": 404}
    assert_matrix(client, world, "GET", url, matrix, extra_users=readers)
    assert_matrix(client, world, "POST", url, matrix, data=PURPOSE, extra_users=readers)


def test_matrix_of_a_triage_step_on_the_page(client, world, readers, to_police):
    assert_matrix(
        client,
        world,
        "POST",
        reverse(
            "signals:triage-step",
            kwargs={"reference": to_police.reference, "step": TriageStep.CLOSE},
        ),
        PAGE_A | {"programme_manager": 302, "police_reader": 403, "riec_reader": 404},
        data={"close-reason": "handled", "close-note": ""},
        extra_users=readers,
    )
    to_police.refresh_from_db()
    assert to_police.status == Report.Status.CLOSED
    assert [event.actor_name for event in to_police.events.filter(step="close")] == [
        "programme_manager"
    ]


def test_matrix_of_the_api_reads(client, world, readers, to_police):
    assert_matrix(
        client,
        world,
        "GET",
        API_LIST,
        expect(403, anonymous=401, programme_manager=200, other_municipality=200)
        | {"police_reader": 200, "riec_reader": 200},
        extra_users=readers,
    )
    assert_matrix(
        client,
        world,
        "GET",
        api_detail(to_police),
        API_A | FORWARDED_TO_POLICE,
        extra_users=readers,
    )


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("close", {"reason": "handled"}),
        ("link", {"other": "MLD-AAAAAAAA", "reason": "same_address"}),
        ("classify", {"category": 1}),
    ],
)
def test_matrix_of_the_api_steps(client, world, readers, to_police, name, body):
    # The manager's close may succeed (200) or be refused with the reason (400): what matters
    # here is that the partner is refused (403) before its input is read, the RIEC finds nothing.
    assert_matrix(
        client,
        world,
        "POST",
        reverse(f"signal-report-{name}", args=[to_police.reference]),
        API_A | {"programme_manager": {200, 400}, "police_reader": 403, "riec_reader": 404},
        data=body,
        content_type="application/json",
        extra_users=readers,
    )


# --- What the partner sees ----------------------------------------------------------------------


def test_the_queue_lists_only_what_was_forwarded_to_the_partner(
    client, world, readers, to_police, others
):
    login(client, readers["police_reader"])
    for params in ({}, {"status": "alle"}):
        response = client.get(LIST, params)
        content = response.content.decode()
        assert to_police.reference in content
        for report in others.values():
            assert report.reference not in content
    assert response.context["counts"] == []  # no counts of A's whole meldpunt
    assert "Aantallen per categorie" not in content
    assert "Gemeente A" in content  # which municipality sent it
    assert "aan Politie Oost heeft doorgezet" in content
    login(client, readers["riec_reader"])
    content = client.get(LIST).content.decode()
    assert others["riec"].reference in content and to_police.reference not in content


def test_the_report_page_shows_report_attachments_and_history_without_contact_or_steps(
    client, world, readers, to_police
):
    login(client, readers["police_reader"])
    response = client.get(detail_url(to_police))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Foto van de auto bij de loods." in content
    assert attachment_url(to_police) in content
    assert "Doorgegeven aan de wijkagent" in content  # the history with the forwarding note
    assert response.context["forms"] == {}
    assert response.context["suggestions"] == []
    assert "Behandelen" not in content
    assert "melder@example.nl" not in content
    assert reverse("signals:reveal-contact", args=[to_police.reference]) not in content
    assert "alleen in te zien voor wie de melding bij de gemeente behandelt" in content


def test_links_to_reports_the_partner_does_not_read_are_left_out(
    client, world, manager, readers, to_police, others
):
    services.link(to_police, others["none"], reason="same_address", actor=manager)
    login(client, manager)
    assert client.get(detail_url(to_police)).context["links"] != []
    other_reference = others["none"].reference
    assert other_reference in client.get(detail_url(to_police)).content.decode()
    login(client, readers["police_reader"])
    page = client.get(detail_url(to_police))
    assert page.context["links"] == []
    # The history says that it was linked, not to which report.
    assert "– koppelen" in page.content.decode()
    assert other_reference not in page.content.decode()
    data = client.get(api_detail(to_police)).json()
    assert data["links"] == []
    assert "link" in [row["step"] for row in data["history"]]
    assert other_reference not in str(data)


def test_the_contact_details_are_refused_with_a_dutch_reason(client, world, readers, to_police):
    login(client, readers["police_reader"])
    url = reverse("signals:reveal-contact", kwargs={"reference": to_police.reference})
    response = client.post(url, PURPOSE)
    content = response.content.decode()
    assert response.status_code == 403
    assert "melder@example.nl" not in content
    assert "De contactgegevens van de melder ziet alleen wie de meldingen van Gemeente A" in content
    refused = AuditEntry.objects.get(
        actor_id=readers["police_reader"].pk, action=AuditEntry.Action.REVEAL
    )
    assert (refused.result, refused.purpose) == (AuditEntry.Result.REFUSED, PURPOSE["purpose"])
    # The service refuses the same way, whatever path calls it.
    with pytest.raises(PermissionDenied, match="vraag het dan aan de gemeente"):
        services.reveal_contact(
            to_police, actor=readers["police_reader"], purpose=PURPOSE["purpose"]
        )


def test_the_api_shows_the_report_read_only(client, world, readers, to_police, others):
    login(client, readers["police_reader"])
    listed = client.get(API_LIST, {"status": "all"}).json()
    assert [row["reference"] for row in listed["results"]] == [to_police.reference]
    data = client.get(api_detail(to_police)).json()
    assert data["description"] == "Foto van de auto bij de loods."
    assert data["allowed_steps"] == []  # the manager's page offers close and link
    assert [row["step"] for row in data["history"]] == ["take", "forward"]
    assert "melder@example.nl" not in str(data)
    response = client.post(
        reverse("signal-report-close", args=[to_police.reference]),
        {"reason": "handled"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "niet behandelen" in response.json()["detail"]
    to_police.refresh_from_db()
    assert to_police.status == Report.Status.FORWARDED


def test_every_read_by_the_partner_is_audited(client, world, readers, to_police):
    reader = readers["police_reader"]
    login(client, reader)
    client.get(LIST)
    client.get(detail_url(to_police))
    assert client.get(attachment_url(to_police)).status_code == 200
    client.get(API_LIST)
    client.get(api_detail(to_police))
    entries = list(
        AuditEntry.objects.filter(actor_id=reader.pk)
        .order_by("sequence")
        .values_list("action", "result", "object_type", "object_id", "organisation_id")
    )
    attachment = to_police.attachments.get()
    read, allowed = AuditEntry.Action.READ, AuditEntry.Result.ALLOWED
    police, municipality_a = world.partner.pk, world.municipality_a.pk
    assert entries == [
        (read, allowed, "signals.report", "", police),
        (read, allowed, "signals.report", str(to_police.pk), municipality_a),
        (read, allowed, "signals.attachment", str(attachment.pk), municipality_a),
        (read, allowed, "signals.report", "", police),
        (read, allowed, "signals.report", str(to_police.pk), municipality_a),
    ]


def test_the_partners_queue_query_count_does_not_grow(
    client, world, manager, readers, django_assert_max_num_queries
):
    # From two municipalities: the queue names the municipality and offers it as a filter.
    triagers = {
        world.municipality_a: manager,
        world.municipality_b: world.users["other_municipality"],
    }
    for index in range(20):
        municipality = world.municipality_a if index % 2 else world.municipality_b
        _forwarded(world, triagers[municipality], partner=world.partner, organisation=municipality)
    login(client, readers["police_reader"])
    # The municipal queue's 14 (tests/signals/test_staff_pages.py), and one for the
    # municipalities that forwarded reports: a fixed number, whatever the number of reports.
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 20
    assert [org.name for org in response.context["municipalities"]] == ["Gemeente A", "Gemeente B"]


# --- The permission, its second factor and the way to the queue --------------------------------


def test_a_partners_administrator_can_grant_view_signals_and_it_needs_a_second_factor(
    client, world, to_police
):
    contact = world.users["partner_contact"]
    assert not requires_two_factor(contact)
    administrator = UserFactory(username="politie-beheerder")
    grant_membership(user=administrator, organisation=world.partner, role_slug="administrator")
    role = Role.objects.get(organisation=world.partner, slug="partner_contact")
    change_role_permissions(
        role=role,
        permissions=[Permission.UPDATE_PARTNER_ACTIONS, Permission.VIEW_SIGNALS],
        actor=administrator,
    )
    contact = type(contact).objects.get(pk=contact.pk)  # access is remembered per user object
    assert requires_two_factor(contact)
    client.force_login(contact)  # no second factor given yet
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:setup"))
    login(client, contact)
    assert to_police.reference in client.get(LIST).content.decode()


def test_the_menu_leads_a_partners_reader_to_the_queue(client, world, readers, to_police):
    login(client, readers["police_reader"])
    start = client.get(reverse("home"))
    assert start.status_code == 200
    assert f'href="{LIST}"' in start.content.decode()
    assert to_police.reference in client.get(LIST).content.decode()
    login(client, world.users["partner_contact"])
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


def test_a_superuser_reads_reports_only_through_a_membership(client, world, to_police, others):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    grant_membership(user=root, organisation=world.municipality_b, role_slug="programme_manager")
    login(client, root)
    listed = client.get(API_LIST, {"status": "all"}).json()
    assert [row["reference"] for row in listed["results"]] == [others["b"].reference]
    assert client.get(api_detail(to_police)).status_code == 404
    assert client.get(detail_url(to_police)).status_code == 404
