"""The meldpunt of /api/public/: categories and reports without login, the page's rules and
words, the page's hourly limit and the API's own throttles, and a schema of its own."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

import openveiligheid
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.public.api.throttling import PublicRateThrottle
from openveiligheid.signals import services
from openveiligheid.signals.models import Attachment, Category, Report
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"\x00" * 100
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def api():
    # As a browser would be held to it: a missing CSRF token must not matter here.
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")


@pytest.fixture
def reports_url(municipality):
    return reverse("public-meldpunt-reports", kwargs={"municipality": municipality.slug})


def page_data(municipality, **overrides):
    services.ensure_default_categories(municipality)
    category = Category.objects.get(organisation=municipality, slug="drugs")
    return {
        "category": category.pk,
        "description": "Er wordt elke avond gedeald bij het speelveld.",
        "postcode": "1234 ab",
        "house_number": "12a",
        "location_description": "",
        "occurred_on": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "website": "",
    } | overrides


def api_data(**overrides):
    return {
        "category": "drugs",
        "description": "Er wordt elke avond gedeald bij het speelveld.",
        "postcode": "1234 ab",
        "house_number": "12a",
    } | overrides


def test_categories_of_a_municipality_without_login(api, municipality):
    response = api.get(
        reverse("public-meldpunt-categories", kwargs={"municipality": municipality.slug})
    )
    assert response.status_code == 200
    assert [category["slug"] for category in response.json()] == [
        "drugs",
        "uitbuiting",
        "fraude",
        "overlast",
        "anders",
    ]
    assert response.json()[0] == {"slug": "drugs", "name": "Drugs"}


def test_inactive_categories_are_not_offered_nor_accepted(api, municipality, reports_url):
    services.ensure_default_categories(municipality)
    Category.objects.filter(organisation=municipality, slug="fraude").update(is_active=False)
    response = api.get(
        reverse("public-meldpunt-categories", kwargs={"municipality": municipality.slug})
    )
    assert "fraude" not in [category["slug"] for category in response.json()]
    response = api.post(reports_url, api_data(category="fraude"), format="json")
    assert response.status_code == 400
    assert response.json() == {"category": ["Kies waar uw melding over gaat."]}


@pytest.mark.parametrize("slug", ["onbekend", "politie"])
def test_no_meldpunt_for_a_partner_or_an_unknown_municipality(api, slug):
    PartnerFactory(slug="politie")
    for url in (
        reverse("public-meldpunt-categories", kwargs={"municipality": slug}),
        reverse("public-meldpunt-reports", kwargs={"municipality": slug}),
    ):
        response = api.get(url) if url.endswith("categories/") else api.post(url, api_data())
        assert response.status_code == 404
        assert response.json() == {"detail": "Niet gevonden, of u heeft er geen toegang toe."}
    assert not Report.objects.exists()


def test_a_json_report_is_saved_and_answered_with_its_reference_only(
    api, municipality, reports_url
):
    response = api.post(reports_url, api_data(occurred_on="2024-05-01"), format="json")
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {"reference": report.reference}
    assert (report.organisation, report.category.slug) == (municipality, "drugs")
    assert (report.postcode, report.house_number) == ("1234AB", "12A")
    assert str(report.occurred_on) == "2024-05-01"
    assert report.is_anonymous
    created = AuditEntry.objects.get(object_type="signals.report")
    assert created.action == AuditEntry.Action.CREATE and created.actor_id is None


def test_a_multipart_report_carries_its_attachments(api, municipality, reports_url):
    files = [
        SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg"),
        SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf"),
    ]
    response = api.post(reports_url, api_data(attachments=files), format="multipart")
    assert response.status_code == 201
    report = Report.objects.get()
    assert sorted(report.attachments.values_list("original_name", "content_type")) == [
        ("brief.pdf", "application/pdf"),
        ("foto.jpg", "image/jpeg"),
    ]


def test_contact_details_are_stored_encrypted(api, reports_url):
    from openveiligheid.privacy.identities import decrypt

    data = api_data(contact_name="Jan Testpersoon", contact_email="jan@example.org")
    assert api.post(reports_url, data, format="json").status_code == 201
    report = Report.objects.get()
    assert "jan@example.org" not in report.encrypted_contact
    assert decrypt(report.encrypted_contact).email == "jan@example.org"


def test_an_api_key_or_a_session_plays_no_part(api, world, reports_url):
    from tests.permissions import login

    api.credentials(HTTP_AUTHORIZATION="Bearer ov_not-a-key")
    assert api.post(reports_url, api_data(), format="json").status_code == 201
    login(api, world.users["programme_manager"])
    assert api.post(reports_url, api_data(), format="json").status_code == 201
    assert not AuditEntry.objects.filter(object_type="signals.report", actor__isnull=False).exists()


def test_other_content_types_are_refused(api, reports_url):
    response = api.post(reports_url, "category=drugs", content_type="text/plain")
    assert response.status_code == 415
    assert not Report.objects.exists()


# Each: what the page is sent, what the API is sent (None: the same), and the field refused.
REFUSED = [
    ({"category": ""}, {"category": ""}, "category"),
    ({"category": "999999"}, {"category": "bestaat-niet"}, "category"),
    ({"description": ""}, None, "description"),
    ({"description": "   "}, None, "description"),
    ({"description": "kort"}, None, "description"),
    ({"description": "x" * 5001}, None, "description"),
    ({"description": "x" * 200_000}, None, "description"),
    ({"postcode": "12345", "house_number": "1"}, None, "postcode"),
    ({"postcode": "1234 AB", "house_number": ""}, None, "house_number"),
    ({"house_number": "abc"}, None, "house_number"),
    (
        {"postcode": "", "house_number": "", "location_description": ""},
        None,
        "location_description",
    ),
    (
        {"postcode": "", "house_number": "", "location_description": "p" * 301},
        None,
        "location_description",
    ),
    ({"contact_name": "n" * 201}, None, "contact_name"),
    ({"contact_phone": "bel me"}, None, "contact_phone"),
    ({"contact_email": "geen-adres"}, None, "contact_email"),
    ({"contact_email": "a" * 250 + "@example.org"}, None, "contact_email"),
    ({"occurred_on": "2999-01-01"}, None, "occurred_on"),
    ({"occurred_on": "2024-13-45"}, None, "occurred_on"),
    ({"description": "Een nul-byte \x00 in de tekst"}, None, "description"),
    ({"description": "Een stuurteken \x1b[31m in de tekst"}, None, "description"),
]


@pytest.mark.parametrize(("page_overrides", "api_overrides", "field"), REFUSED)
def test_the_api_refuses_what_the_page_refuses_in_the_same_words(
    client, api, municipality, reports_url, page_overrides, api_overrides, field
):
    page = client.post(
        reverse("signals:report", kwargs={"slug": municipality.slug}),
        page_data(municipality, **page_overrides),
    )
    assert page.status_code == 200
    page_messages = [str(message) for message in page.context["form"].errors[field]]
    api_answer = api.post(reports_url, api_data(**(api_overrides or page_overrides)), format="json")
    assert api_answer.status_code == 400
    assert api_answer.json()[field] == page_messages
    assert page_messages and all(re.search(r"[a-z]", message) for message in page_messages)
    assert not Report.objects.exists()


def test_messages_are_in_english_when_asked(api, reports_url):
    response = api.post(
        reports_url, api_data(description="kort"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {
        "description": ["Describe what is going on in at least 10 characters."]
    }


def test_the_hourly_limit_is_shared_with_the_page(client, api, municipality, reports_url, settings):
    settings.OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR = 2
    page_url = reverse("signals:report", kwargs={"slug": municipality.slug})
    assert client.post(page_url, page_data(municipality)).status_code == 302
    assert api.post(reports_url, api_data(), format="json").status_code == 201
    response = api.post(reports_url, api_data(), format="json")
    assert response.status_code == 429
    assert response.json() == {
        "detail": "U heeft in korte tijd te veel meldingen verstuurd. Probeer het over een uur "
        "opnieuw. Is er nu gevaar? Bel 112."
    }
    assert response.headers["Retry-After"] == "3600"
    assert client.post(page_url, page_data(municipality)).status_code == 429
    assert Report.objects.count() == 2
    # Another client is not held back; a made-up X-Forwarded-For is no other client.
    other = api.post(reports_url, api_data(), format="json", REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 201
    spoofed = api.post(reports_url, api_data(), format="json", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert spoofed.status_code == 429


def test_scoped_throttles_per_client(api, municipality, reports_url, monkeypatch):
    monkeypatch.setattr(
        PublicRateThrottle, "THROTTLE_RATES", {"public": "2/minute", "public_report": "1/minute"}
    )
    url = reverse("public-meldpunt-categories", kwargs={"municipality": municipality.slug})
    statuses = [api.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert api.get(url, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
    assert api.get(url, REMOTE_ADDR="192.0.2.77").status_code == 200
    assert api.post(reports_url, api_data(), format="json").status_code == 201
    response = api.post(reports_url, api_data(), format="json")
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert response.json()["detail"].startswith("Te veel verzoeken.")
    assert Report.objects.count() == 1


def _readme_setting(name: str) -> str:
    section = README.read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        if line.startswith(f"| `{name}` |"):
            return line.split("|")[2].strip().strip("`")
    raise AssertionError(f"{name} is not in the README's configuration table")


def test_public_throttle_rates_are_in_the_readme_with_their_defaults(monkeypatch):
    rates = api_settings.DEFAULT_THROTTLE_RATES
    for variable, scope in (
        ("API_THROTTLE_PUBLIC", "public"),
        ("API_THROTTLE_PUBLIC_REPORT", "public_report"),
    ):
        monkeypatch.delenv(variable, raising=False)
        assert _readme_setting(variable) == rates[scope]


def test_public_throttle_rates_come_from_the_environment():
    """Read by the settings module as a fresh process reads it (as on a server)."""
    import os
    import subprocess
    import sys

    code = (
        "from openveiligheid.config import settings; "
        "rates = settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']; "
        "print(rates['public'], rates['public_report'])"
    )
    env = os.environ | {"API_THROTTLE_PUBLIC": "7/hour", "API_THROTTLE_PUBLIC_REPORT": "1/day"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["7/hour", "1/day"], result.stderr


def test_an_anonymous_upload_over_64_kb_reaches_the_api(api, reports_url, settings):
    settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES = 1024 * 1024
    big = SimpleUploadedFile("groot.jpg", JPEG + b"\x00" * (200 * 1024), "image/jpeg")
    response = api.post(reports_url, api_data(attachments=[big]), format="multipart")
    assert response.status_code == 201
    assert Attachment.objects.get().size == len(JPEG) + 200 * 1024


PUBLIC_PATHS = {
    "/api/public/v1/meldpunt/{municipality}/categories/",
    "/api/public/v1/meldpunt/{municipality}/reports/",
}


def test_the_public_api_has_a_schema_of_its_own(api):
    response = api.get(reverse("public-api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) >= PUBLIC_PATHS
    assert all(path.startswith("/api/public/") for path in schema["paths"])
    post = schema["paths"]["/api/public/v1/meldpunt/{municipality}/reports/"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"201", "400", "404", "415", "429"} <= set(post["responses"])
    assert "401" not in post["responses"] and "403" not in post["responses"]


def test_the_committed_public_schema_is_the_one_served(api):
    """Websites and apps of municipalities build on the committed copy; `make test` checks it is
    current with the code, this that the page serves the same."""
    committed = Path(openveiligheid.__file__).parent / "public" / "api" / "schema.yaml"
    served = yaml.safe_load(api.get(reverse("public-api-schema")).content)
    assert served == yaml.safe_load(committed.read_text())


def test_the_v1_schema_leaves_the_public_api_out(api):
    api.force_authenticate(UserFactory())  # the v1 schema needs a login
    schema = yaml.safe_load(api.get(reverse("api-schema")).content)
    assert not any(path.startswith("/api/public/") for path in schema["paths"])


def test_the_page_asks_for_a_category_together_with_every_other_message(client, municipality):
    url = reverse("signals:report", kwargs={"slug": municipality.slug})
    legend = re.search(
        r"<legend[^>]*>Waar gaat uw melding over\?(.*?)</legend>", client.get(url).content.decode()
    )
    assert legend and "niet verplicht" not in legend.group(1)
    response = client.post(url, page_data(municipality, category="", description="kort"))
    errors = response.context["form"].errors
    assert errors["category"] == ["Kies waar uw melding over gaat."]
    assert "ten minste 10 tekens" in errors["description"][0]


def test_permission_matrix_everyone_may_use_the_meldpunt_api(client, world, settings, monkeypatch):
    from tests.permissions import assert_matrix, expect

    settings.OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR = 1000
    monkeypatch.setattr(
        PublicRateThrottle,
        "THROTTLE_RATES",
        {"public": "1000/minute", "public_report": "1000/minute"},
    )
    slug = world.municipality_a.slug
    assert_matrix(
        client,
        world,
        "GET",
        reverse("public-meldpunt-categories", kwargs={"municipality": slug}),
        expect(200),
    )
    assert_matrix(
        client,
        world,
        "POST",
        reverse("public-meldpunt-reports", kwargs={"municipality": slug}),
        expect(201),
        data=api_data(),
        content_type="application/json",
    )
    # A session plays no part: every report is filed without an actor, as by a resident.
    assert Report.objects.filter(organisation=world.municipality_a).count() == len(expect(201))
    assert not AuditEntry.objects.filter(
        object_type="signals.report", action=AuditEntry.Action.CREATE, actor__isnull=False
    ).exists()
    assert_matrix(
        client,
        world,
        "GET",
        reverse("public-meldpunt-categories", kwargs={"municipality": world.partner.slug}),
        expect(404),
    )


def test_categories_are_read_in_a_fixed_number_of_queries(
    api, municipality, django_assert_max_num_queries
):
    url = reverse("public-meldpunt-categories", kwargs={"municipality": municipality.slug})
    api.get(url)  # the default categories are made on the first visit
    for index in range(20):
        Category.objects.create(organisation=municipality, slug=f"extra-{index}", name="Extra")
    # The municipality and its categories: no check for the defaults, no write.
    with django_assert_max_num_queries(2):
        response = api.get(url)
    assert len(response.json()) == 25
