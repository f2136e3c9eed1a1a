"""E-mail subscription to new reports: double opt-in, one-click unsubscription, a mail to the
confirmed subscribers only when a report is published, and as little person data as possible."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openveiligheid.privacy.models import AuditEntry
from openveiligheid.public import services
from openveiligheid.public.models import Subscription
from openveiligheid.reports import services as report_services
from openveiligheid.reports.models import ReportStatus
from tests.public.helpers import publish

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/openbaar/gemeente-a/abonneren/"


def _link(message) -> str:
    """The path of the first link in a mail to this site."""
    return re.search(r"http://testserver(/\S+)", message.body)[1]


def _subscribe(client, email="lezer@example.nl"):
    return client.post(SUBSCRIBE, {"email": email})


def _confirmed(client, world, email="lezer@example.nl") -> Subscription:
    _subscribe(client, email)
    client.post(_link(mail.outbox[-1]))
    return Subscription.objects.get(email=email)


def test_subscribing_sends_a_confirmation_link_and_nothing_is_confirmed_yet(client, world):
    response = _subscribe(client, "  Lezer@Example.NL ")

    assert response.status_code == 302
    assert response["Location"] == "/openbaar/gemeente-a/abonneren/verstuurd/"
    subscription = Subscription.objects.get()
    assert subscription.email == "lezer@example.nl"
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.organisation == world.municipality_a
    (message,) = mail.outbox
    assert message.to == ["lezer@example.nl"]
    assert "Bevestig uw aanmelding" in message.subject and "Gemeente A" in message.subject
    link = _link(message)
    assert link.startswith("/openbaar/gemeente-a/abonnement/bevestigen/")
    # Only the hash of the link's token is stored.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert subscription.confirmation_hash and subscription.confirmation_hash not in token
    assert len(subscription.confirmation_hash) == 64


def test_the_confirmation_link_asks_for_one_click_and_then_confirms(client, world):
    _subscribe(client)
    link = _link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "Aanmelding bevestigen" in page.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING

    done = client.post(link)
    assert done.status_code == 200
    assert "Aanmelding bevestigd" in done.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.confirmation_hash == "" and subscription.confirmed_at is not None
    # Confirming twice is harmless.
    assert client.post(link).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + "xx/",
        lambda link: link.replace("gemeente-a", "gemeente-b"),
    ],
)
def test_a_tampered_or_foreign_link_confirms_nothing(client, world, tamper):
    _subscribe(client)
    response = client.post(tamper(_link(mail.outbox[0])))
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "ongeldig of verlopen" in response.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_an_older_link_stops_working_when_a_new_one_is_sent(client, world):
    _subscribe(client)
    _subscribe(client)
    old, new = _link(mail.outbox[0]), _link(mail.outbox[1])
    assert client.post(old).status_code == 400
    assert client.post(new).status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_an_expired_link_confirms_nothing_and_the_address_is_deleted(client, world, settings):
    settings.OPENVEILIGHEID_PUBLIC_CONFIRMATION_HOURS = 1
    _subscribe(client)
    link = _link(mail.outbox[0])
    Subscription.objects.update(created_at=timezone.now() - timedelta(hours=2))
    from unittest import mock

    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert client.post(link).status_code == 400
    assert services.purge_unconfirmed() == 1
    assert not Subscription.objects.exists()


def test_an_already_confirmed_address_gets_the_same_answer_and_no_mail(client, world):
    _confirmed(client, world)
    mail.outbox.clear()
    response = _subscribe(client)
    assert response.status_code == 302
    assert mail.outbox == []
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul uw e-mailadres in."),
        ("geen-adres", "Vul een geldig e-mailadres in"),
        ("a@b", "Vul een geldig e-mailadres in"),
        ("x" * 250 + "@example.nl", "hoogstens 254 tekens"),
    ],
)
def test_bad_addresses_are_refused_with_a_dutch_message(client, world, email, message):
    response = _subscribe(client, email)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_an_empty_post_says_what_is_missing(client, world):
    response = client.post(SUBSCRIBE)
    assert response.status_code == 400
    assert "Vul uw e-mailadres in." in response.content.decode()


def test_subscribing_is_rate_limited_per_client(client, world, settings):
    settings.OPENVEILIGHEID_PUBLIC_SUBSCRIBE_PER_HOUR = 2
    assert _subscribe(client, "een@example.nl").status_code == 302
    assert _subscribe(client, "twee@example.nl").status_code == 302
    response = _subscribe(client, "drie@example.nl")
    assert response.status_code == 429
    assert "Te veel aanmeldingen" in response.content.decode()
    assert not Subscription.objects.filter(email="drie@example.nl").exists()
    assert len(mail.outbox) == 2


def test_publishing_mails_the_confirmed_subscribers_only(
    client, world, django_capture_on_commit_callbacks
):
    _confirmed(client, world, "bevestigd@example.nl")
    _subscribe(client, "wacht@example.nl")
    # A confirmed subscriber of another municipality.
    client.post("/openbaar/gemeente-b/abonneren/", {"email": "elders@example.nl"})
    client.post(_link(mail.outbox[-1]))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = publish(world.plan_a)

    (message,) = mail.outbox
    assert message.to == ["bevestigd@example.nl"]
    assert str(report) in message.subject and "Gemeente A" in message.subject
    assert f"http://localhost:8000/openbaar/gemeente-a/rapportages/{report.pk}/" in message.body
    unsubscribe = re.search(
        r"(http://localhost:8000/openbaar/gemeente-a/abonnement/afmelden/\S+)", message.body
    )[1]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_mail_before_the_publication(client, world, django_capture_on_commit_callbacks):
    _confirmed(client, world)
    mail.outbox.clear()
    report = report_services.create_report(
        plan=world.plan_a, report_type="veiligheidsbrief", period="2024-H1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_services.change_status(report, ReportStatus.IN_REVIEW)
        report_services.change_status(report, ReportStatus.APPROVED)
    assert mail.outbox == []


def test_one_click_unsubscription_deletes_the_address(world, django_capture_on_commit_callbacks):
    browser = Client()
    _confirmed(browser, world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.plan_a)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = header.replace("http://localhost:8000", "")

    # The link shows one button; only the POST unsubscribes.
    assert browser.get(path).status_code == 200
    assert Subscription.objects.exists()
    # A mail program's one-click POST (RFC 8058): no CSRF token, no cookie.
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "U bent afgemeld" in response.content.decode()
    assert not Subscription.objects.exists()
    # Again: the same answer, nothing left to delete.
    assert mail_program.post(path).status_code == 200


def test_a_forged_unsubscription_link_deletes_nothing(client, world):
    _confirmed(client, world)
    response = client.post("/openbaar/gemeente-a/abonnement/afmelden/1:nep:handtekening/")
    assert response.status_code == 400
    assert "ongeldig" in response.content.decode()
    assert Subscription.objects.exists()


def test_an_unsubscription_link_does_not_work_for_a_later_address(client, world):
    subscription = _confirmed(client, world, "eerste@example.nl")
    link = services.unsubscribe_link(subscription, "")
    subscription.email = "ander@example.nl"
    subscription.save()
    client.post(link)
    assert Subscription.objects.filter(email="ander@example.nl").exists()


def test_every_change_is_audited_without_the_address(client, world):
    _confirmed(client, world)
    subscription = Subscription.objects.get()
    client.post(services.unsubscribe_link(subscription, ""))
    entries = AuditEntry.objects.filter(object_type="public.subscription").order_by("sequence")
    assert [entry.action for entry in entries] == ["create", "change", "delete"]
    assert all("example.nl" not in entry.object_repr for entry in entries)
    assert {entry.organisation_id for entry in entries} == {world.municipality_a.pk}


def test_only_the_address_status_and_language_are_stored():
    fields = {field.name for field in Subscription._meta.concrete_fields}
    assert fields == {
        "id",
        "organisation",
        "email",
        "status",
        "language",
        "confirmation_hash",
        "created_at",
        "confirmed_at",
    }


def test_subscribe_page_without_login(client, world):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    assert 'autocomplete="email"' in response.content.decode()
    page = client.get(reverse("public:organisation", args=["gemeente-a"])).content.decode()
    assert f'action="{SUBSCRIBE}"' in page


def test_without_a_base_url_no_report_mail_is_sent(
    client, world, settings, django_capture_on_commit_callbacks
):
    _confirmed(client, world)
    mail.outbox.clear()
    settings.OPENVEILIGHEID_PUBLIC_BASE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.plan_a)
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_undo_the_publication(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    _confirmed(client, world)

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        report = publish(world.plan_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED


def test_purge_command_deletes_expired_unconfirmed_addresses(client, world):
    from io import StringIO

    from django.core.management import call_command

    _subscribe(client, "oud@example.nl")
    _confirmed(client, world, "bevestigd@example.nl")
    Subscription.objects.update(created_at=timezone.now() - timedelta(days=30))
    out = StringIO()
    call_command("purge-subscriptions", stdout=out)
    assert "Verwijderd: 1" in out.getvalue()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["bevestigd@example.nl"]


@pytest.mark.parametrize(
    ("url", "warned"),
    [("", True), ("http://veiligheid.example.nl", True), ("https://veiligheid.example.nl", False)],
)
def test_deploy_check_asks_for_the_base_url(settings, url, warned):
    from openveiligheid.public.checks import public_base_url

    settings.OPENVEILIGHEID_PUBLIC_BASE_URL = url
    assert bool(public_base_url(None)) is warned


def test_mails_are_written_in_the_language_of_the_subscription(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import translation

    from openveiligheid.public import services as public_services

    client.post(SUBSCRIBE, {"email": "reader@example.com"}, HTTP_ACCEPT_LANGUAGE="en")
    subscription = Subscription.objects.get()
    assert subscription.language == "en"
    client.post(_link(mail.outbox[-1]))
    languages = []
    real = public_services.render_to_string

    def render(template, context):
        languages.append((template, translation.get_language()))
        return real(template, context)

    monkeypatch.setattr(public_services, "render_to_string", render)
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.plan_a)
    assert languages == [
        ("public/email/report_subject.txt", "en"),
        ("public/email/report_body.txt", "en"),
    ]
