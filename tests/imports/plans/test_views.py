"""Upload, preview and confirm pages of the plan import, with their permission matrices."""

import io

import pytest
from django.urls import reverse

from openveiligheid.actions.models import Action
from openveiligheid.imports.models import Upload
from openveiligheid.imports.plans.services import preview_upload
from tests.imports.plans import documents
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("plan_imports:upload")


class RereadableFile(io.BytesIO):
    """The test client reads a file once per request; assert_matrix sends it eight times."""

    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def make_upload(world, content=None, name="plan.xlsx"):
    upload, _extracted = preview_upload(
        content=content or documents.small_plan_xlsx(),
        file_name=name,
        organisation=world.municipality_a,
        user=world.users["programme_manager"],
    )
    return upload


# Only who may manage actions or the plan of an organisation may import for it; municipality
# B's programme manager may import for B, so sees the page.
MANAGERS = {"administrator": 200, "programme_manager": 200}


def test_upload_page_matrix(client, world):
    expected = expect(403, anonymous=302, other_municipality=200) | MANAGERS
    assert_matrix(client, world, "GET", UPLOAD_URL, expected)


def test_upload_post_matrix(client, world):
    data = {
        "file": RereadableFile(documents.small_plan_xlsx(), "plan.xlsx"),
        "organisation": world.municipality_a.pk,
    }
    # B's manager gets the form back: A is not among the organisations offered.
    expected = expect(
        403, anonymous=302, other_municipality=200, administrator=302, programme_manager=302
    )
    assert_matrix(client, world, "POST", UPLOAD_URL, expected, data=data)
    assert Upload.objects.filter(kind=Upload.Kind.PLAN).count() == 2


def test_preview_matrix(client, world):
    upload = make_upload(world)
    url = reverse("plan_imports:preview", args=[upload.pk])
    # Colleagues of A who see unpublished work but may not import get 403; others 404.
    expected = expect(404, anonymous=302, safety_adviser=403, action_lead=403) | MANAGERS
    assert_matrix(client, world, "GET", url, expected)


def test_confirm_matrix(client, world):
    upload = make_upload(world)
    url = reverse("plan_imports:confirm", args=[upload.pk])
    expected = expect(
        404,
        anonymous=302,
        safety_adviser=403,
        action_lead=403,
        administrator=302,
        programme_manager=302,
    )
    assert_matrix(client, world, "POST", url, expected)
    # Imported once: the second manager's confirmation is refused with a message.
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CONFIRMED
    assert Action.objects.filter(action_plan__plan__source_document="plan.xlsx").count() == 4
    assert_matrix(client, world, "GET", url, expect(405, anonymous=302))


def test_flow_upload_preview_confirm(client, world):
    login(client, world.users["programme_manager"])
    response = client.post(
        UPLOAD_URL,
        {
            "file": RereadableFile(documents.veluwe_noord_docx(), "programma.docx"),
            "organisation": world.municipality_a.pk,
            "year": "2021",
        },
    )
    upload = Upload.objects.get(kind=Upload.Kind.PLAN)
    assert response.status_code == 302
    assert response.url == reverse("plan_imports:preview", args=[upload.pk])
    assert upload.organisation == world.municipality_a
    assert upload.summary["actions"] == documents.VELUWE_NOORD_ACTIONS

    page = client.get(response.url).content.decode()
    assert "Bestuurlijke rapportage drugsafval opstellen" in page
    assert "herkend" in page
    assert "11 februari 2021" in page
    assert "Bevestigen en inlezen" in page

    response = client.post(reverse("plan_imports:confirm", args=[upload.pk]))
    upload.refresh_from_db()
    series_pk = upload.summary["result"]["series"][0]
    assert response.url == reverse("meetings:calendar", args=[series_pk])
    assert client.get(response.url).status_code == 200
    page = client.get(reverse("plan_imports:preview", args=[upload.pk])).content.decode()
    assert "Dit bestand is ingelezen" in page
    assert "Bevestigen en inlezen" not in page


def test_upload_errors_keep_the_form(client, world):
    login(client, world.users["programme_manager"])
    response = client.post(UPLOAD_URL, {"organisation": world.municipality_a.pk})
    assert "Kies een bestand." in response.content.decode()
    response = client.post(
        UPLOAD_URL,
        {"file": RereadableFile(b"x", "plan.odt"), "organisation": world.municipality_a.pk},
    )
    assert "Dit bestandstype wordt niet ondersteund" in response.content.decode()
    response = client.post(
        UPLOAD_URL,
        {
            "file": RereadableFile(b"PK\x03\x04 kapot", "plan.docx"),
            "organisation": world.municipality_a.pk,
        },
    )
    assert "kon niet als DOCX worden gelezen" in response.content.decode()
    response = client.post(
        UPLOAD_URL,
        {
            "file": RereadableFile(documents.small_plan_xlsx(), "plan.xlsx"),
            "organisation": world.municipality_a.pk,
            "plan": world.plan_b.pk,
        },
    )
    assert response.status_code == 200
    assert not Upload.objects.exists()


def test_import_into_an_existing_plan(client, world):
    login(client, world.users["administrator"])
    client.post(
        UPLOAD_URL,
        {
            "file": RereadableFile(documents.small_plan_xlsx(), "plan.xlsx"),
            "organisation": world.municipality_a.pk,
            "plan": world.draft_plan_a.pk,
        },
    )
    upload = Upload.objects.get()
    client.post(reverse("plan_imports:confirm", args=[upload.pk]))
    action_plan = world.draft_plan_a.action_plans.get(title=documents.SMALL_TITLE)
    assert action_plan.actions.count() == 4
