"""Pages for importing figures and editing the mapping: permissions, flow, query counts."""

import io

import pytest
from django.urls import reverse

from openveiligheid.imports.mapping import bind_indicator
from openveiligheid.imports.models import MeasureMapping, Upload
from openveiligheid.imports.services import preview_measurement_import
from openveiligheid.indicators.models import Measurement
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

FILE_NAME = "politie_47013NED_misdrijven_test.csv"


def statline(region="Gemeente A", years=(2022, 2023), start=120):
    lines = [
        '"Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente"',
        '"Soort misdrijf: Totaal misdrijven"',
        '""',
        '"Onderwerp";' + ";".join('"Geregistreerde misdrijven"' for _ in years),
        '"Perioden";' + ";".join(f'"{year}"' for year in years),
        '"Regio\'s";' + ";".join('"aantal"' for _ in years),
        f'"{region}";' + ";".join(f'"{start + 10 * index}"' for index in range(len(years))),
    ]
    return ("\n".join(lines) + "\n").encode()


class RewindingFile(io.BytesIO):
    """An upload the test client can send once per role (it reads the file each time)."""

    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


@pytest.fixture
def bound(world):
    indicator = world.objects["a"]["indicator"]
    bind_indicator(organisation=world.municipality_a, key="misdrijven-politie", indicator=indicator)
    return indicator


def _upload(world, content=None):
    return preview_measurement_import(
        name=FILE_NAME,
        content=content or statline(),
        organisation=world.municipality_a,
        actor=world.users["programme_manager"],
    ).upload


def test_upload_page_permissions(client, world, bound):
    url = reverse("imports:measurement-upload")
    importers = {"administrator": 200, "programme_manager": 200, "other_municipality": 200}
    assert_matrix(client, world, "GET", url, expect(403, anonymous=302, **importers))
    data = {
        "file": RewindingFile(statline(), FILE_NAME),
        "source": "auto",
        "organisation": world.municipality_a.pk,
    }
    # Municipality B's manager may import, but not for A: the form refuses the choice.
    assert_matrix(
        client,
        world,
        "POST",
        url,
        expect(
            403, anonymous=302, administrator=302, programme_manager=302, other_municipality=200
        ),
        data=data,
    )
    assert Upload.objects.filter(organisation=world.municipality_a).count() == 2


def test_preview_and_confirm_permissions(client, world, bound):
    upload = _upload(world)
    preview_url = reverse("imports:measurement-preview", args=[upload.pk])
    readers = expect(
        404,
        anonymous=302,
        administrator=200,
        programme_manager=200,
        safety_adviser=403,
        action_lead=403,
    )
    assert_matrix(client, world, "GET", preview_url, readers)
    confirm_url = reverse("imports:measurement-confirm", args=[upload.pk])
    writers = readers | {"administrator": 302, "programme_manager": 302}
    assert_matrix(client, world, "POST", confirm_url, writers)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CONFIRMED


def test_upload_preview_confirm_flow(client, world, bound):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("imports:measurement-upload"),
        {"file": RewindingFile(statline(), FILE_NAME), "source": "auto"},
    )
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:measurement-preview", args=[upload.pk])

    page = client.get(response.url).content.decode()
    assert "Nieuw (1)" in page  # 2023 is new
    assert "Ongewijzigd (1)" in page  # 2022 was 120 already
    assert "Bevestigen en opslaan" in page

    response = client.post(reverse("imports:measurement-confirm", args=[upload.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Ingelezen" in page
    indicator_url = reverse("indicators:detail", args=["plan-a", bound.slug])
    assert indicator_url in page
    assert Measurement.objects.get(indicator=bound, period_start="2023-01-01").value == 130


def test_changed_value_is_shown_old_to_new(client, world, bound):
    login(client, world.users["programme_manager"])
    upload = _upload(world, statline(start=125))
    page = client.get(reverse("imports:measurement-preview", args=[upload.pk])).content.decode()
    assert "Gewijzigd (1)" in page
    assert "120" in page and "125" in page


def test_unreadable_upload_is_read_once_and_says_why(client, world, bound):
    # Files are read outside the request (imports.jobs; inline in the tests): the refusal is
    # shown on the upload's page, and the upload is failed.
    login(client, world.users["administrator"])
    response = client.post(
        reverse("imports:measurement-upload"),
        {"file": RewindingFile(b"\x00\x01kapot", "kapot.xlsx"), "source": "auto"},
        follow=True,
    )
    assert response.status_code == 200
    assert "binaire gegevens" in response.content.decode()
    assert Upload.objects.get().status == Upload.Status.FAILED


def test_stale_confirmation_is_refused_with_a_message(client, world, bound):
    upload = _upload(world, statline(start=125))
    Measurement.objects.filter(indicator=bound).update(value=119)
    login(client, world.users["programme_manager"])
    response = client.post(reverse("imports:measurement-confirm", args=[upload.pk]), follow=True)
    assert "veranderd sinds het voorbeeld" in response.content.decode()
    assert Measurement.objects.get(indicator=bound).value == 119


def test_preview_query_count_does_not_grow_with_rows(
    client, world, bound, django_assert_max_num_queries
):
    login(client, world.users["programme_manager"])
    small = _upload(world, statline(years=(2022, 2023)))
    # Forty past years (2022 is the stored start value); a year not yet begun is refused.
    large = _upload(world, statline(years=tuple(range(1983, 2023))))
    with django_assert_max_num_queries(14):
        client.get(reverse("imports:measurement-preview", args=[small.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("imports:measurement-preview", args=[large.pk]))
    assert "Nieuw (39)" in response.content.decode()


def test_mapping_pages_permissions(client, world, bound):
    managers = {"administrator": 200, "programme_manager": 200, "other_municipality": 200}
    for name in ("imports:mapping-list", "imports:mapping-create"):
        assert_matrix(client, world, "GET", reverse(name), expect(403, anonymous=302, **managers))
    indicator = world.objects["a"]["indicator"]
    data = {
        "organisation": world.municipality_a.pk,
        "table_id": "47024NED",
        "measure": "Melding overlast jeugd",
        "indicator": indicator.pk,
        "area_level": "municipality",
        "extra_areas": "GM9102",
        "active": "on",
    }
    assert_matrix(
        client,
        world,
        "POST",
        reverse("imports:mapping-create"),
        expect(
            403, anonymous=302, administrator=302, programme_manager=302, other_municipality=200
        ),
        data=data,
    )
    created = MeasureMapping.objects.filter(table_id="47024NED", organisation__isnull=False)
    assert created.count() == 2
    assert created.first().extra_areas == ["GM9102"]

    binding = MeasureMapping.objects.get(
        key="misdrijven-politie", organisation=world.municipality_a
    )
    url = reverse("imports:mapping-edit", args=[binding.pk])
    editors = expect(
        404,
        anonymous=302,
        administrator=200,
        programme_manager=200,
        safety_adviser=403,
        action_lead=403,
    )
    assert_matrix(client, world, "GET", url, editors)
    post = {
        "organisation": world.municipality_a.pk,
        "key": "misdrijven-politie",
        "indicator": indicator.pk,
        "active": "",
    }
    assert_matrix(
        client,
        world,
        "POST",
        url,
        editors | {"administrator": 302, "programme_manager": 302},
        data=post,
    )
    binding.refresh_from_db()
    assert binding.active is False


def test_mapping_form_errors_are_dutch_and_keep_input(client, world, bound):
    login(client, world.users["programme_manager"])
    other_indicator = world.objects["b"]["indicator"]
    response = client.post(
        reverse("imports:mapping-create"),
        {
            "organisation": world.municipality_a.pk,
            "measure": "Woninginbraak",
            "indicator": other_indicator.pk,
            "extra_areas": "Apeldoorn",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "GM0200" in form.errors["extra_areas"][0]
    assert form.errors["indicator"]
    assert 'value="Woninginbraak"' in response.content.decode()


def test_nothing_to_save_says_what_was_compared(client, world, bound):
    login(client, world.users["programme_manager"])
    upload = _upload(world, statline(years=(2022,)))  # 2022 is stored as 120 already
    page = client.get(reverse("imports:measurement-preview", args=[upload.pk])).content.decode()
    assert (
        f"Vergeleken met de opgeslagen metingen van {bound.name} (1 gebieden, 2022 tot en met "
        "2022): 1 waarde, geen verschillen. Er is niets op te slaan."
    ) in page


def test_nothing_to_save_without_any_indicator_says_nothing_was_compared(client, world):
    login(client, world.users["programme_manager"])
    upload = _upload(world)
    page = client.get(reverse("imports:measurement-preview", args=[upload.pk])).content.decode()
    assert "dus er is niets vergeleken" in page


def cbsodata_export(code="GM9101"):
    """A cbsodata long-format export of a table that no mapping covers."""
    return (
        "ID,SoortMisdrijf,SoortMisdrijf_label,WijkenEnBuurten,WijkenEnBuurten_label,Perioden,"
        "GeregistreerdeMisdrijven_1\n"
        f'0,"1.4.5 ",Winkeldiefstal,"{code}    ",Gemeente A,2023JJ00,41\n'
    ).encode()


def test_unmapped_measure_is_proposed_and_mapped_to_a_chosen_indicator(client, world, bound):
    upload = _upload(world, cbsodata_export())
    login(client, world.users["programme_manager"])
    preview_url = reverse("imports:measurement-preview", args=[upload.pk])

    page = client.get(preview_url).content.decode()

    assert "Voorgestelde indicator (1)" in page
    assert "Geregistreerde misdrijven; Winkeldiefstal" in page
    assert f'<option value="{bound.pk}"' in page
    other = world.objects["b"]["indicator"]
    assert f'<option value="{other.pk}"' not in page  # another municipality's indicator

    response = client.post(
        reverse("imports:measurement-confirm", args=[upload.pk]), {"proposal-0": str(bound.pk)}
    )

    assert response.status_code == 302
    assert Measurement.objects.get(indicator=bound, period_start="2023-01-01").value == 41
    assert MeasureMapping.objects.filter(
        organisation=world.municipality_a,
        table_id="47013NED",
        measure="GeregistreerdeMisdrijven_1; Winkeldiefstal",
        indicator=bound,
    ).exists()


def test_mapping_a_proposal_to_another_municipalitys_indicator_is_refused(client, world, bound):
    upload = _upload(world, cbsodata_export())
    login(client, world.users["programme_manager"])
    other = world.objects["b"]["indicator"]

    response = client.post(
        reverse("imports:measurement-confirm", args=[upload.pk]),
        {"proposal-0": str(other.pk)},
        follow=True,
    )

    assert "Kies een indicator van uw eigen plan" in response.content.decode()
    assert not Measurement.objects.filter(indicator=other, provenance__has_key="upload_id").exists()
    upload.refresh_from_db()
    assert upload.status != Upload.Status.CONFIRMED
