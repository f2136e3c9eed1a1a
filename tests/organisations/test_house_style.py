"""The house style page: an organisation's administrator sets the colour and logo its reports
carry. Only PNG and JPEG are accepted, recognised by their content, within a size and pixel
limit, and stored redrawn as PNG; every refusal is in Dutch and stores nothing."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations import logos
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.selectors import logo_of
from openveiligheid.organisations.services import change_house_style
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

MANAGE_A = expect(
    403, anonymous=302, administrator=200, partner_contact=404, other_municipality=404
)


def image_bytes(image_format: str, size=(300, 120), colour=(21, 66, 115), **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def upload(data: bytes, name="logo.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _refusal(world, data: bytes, name="logo.png") -> str:
    organisation = world.municipality_a
    with pytest.raises(ValidationError) as refused:
        change_house_style(
            organisation=organisation,
            actor=world.users["administrator"],
            logo=upload(data, name),
        )
    organisation.refresh_from_db()
    assert not organisation.logo and not organisation.logo_sha256
    return refused.value.message_dict["logo"][0]


def test_a_png_is_stored_redrawn_and_within_the_masthead_box(world):
    big = image_bytes("PNG", size=(2000, 400))
    organisation = change_house_style(
        organisation=world.municipality_a,
        actor=world.users["administrator"],
        logo=upload(big),
    )
    stored = organisation.logo.open("rb").read()
    assert stored.startswith(logos.PNG_SIGNATURE)
    assert Image.open(BytesIO(stored)).size == (800, 160)
    assert organisation.logo_sha256 == logos.logo_sha256(stored)
    assert organisation.logo.name.startswith("logos/gemeente-a-")
    record = logo_of(organisation)
    assert (record["width"], record["height"], record["content_type"]) == (800, 160, "image/png")
    entry = ChangeLogEntry.objects.filter(object_id=str(organisation.pk)).latest("id")
    assert entry.actor == world.users["administrator"]


def test_a_jpeg_is_accepted_and_its_metadata_dropped(world):
    exif = Image.Exif()
    exif[0x010E] = "Stadhuis, 52.2112 N 5.9699 E"  # ImageDescription
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert b"Stadhuis" in data
    organisation = change_house_style(
        organisation=world.municipality_a, actor=world.users["administrator"], logo=upload(data)
    )
    stored = organisation.logo.open("rb").read()
    assert stored.startswith(logos.PNG_SIGNATURE) and b"Stadhuis" not in stored


def test_removing_the_logo_deletes_the_file_and_reports_show_the_name_only(
    world, django_capture_on_commit_callbacks
):
    administrator = world.users["administrator"]
    with django_capture_on_commit_callbacks(execute=True):
        organisation = change_house_style(
            organisation=world.municipality_a, actor=administrator, logo=upload(image_bytes("PNG"))
        )
    stored_name = organisation.logo.name
    storage = organisation.logo.storage
    assert storage.exists(stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        organisation = change_house_style(
            organisation=organisation, actor=administrator, remove_logo=True
        )
    assert not organisation.logo and not organisation.logo_sha256
    assert logo_of(organisation) is None
    assert not storage.exists(stored_name)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "geen PNG- of JPEG-afbeelding",
        ),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "logo.gif", "geen PNG- of JPEG-afbeelding"),
        (b"%PDF-1.7\n", "logo.png", "geen PNG- of JPEG-afbeelding"),
        (logos.PNG_SIGNATURE + b"\x00\x00\x00\rIHDR\x00", "logo.png", "beschadigd of onvolledig"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "logo.jpg", "beschadigd of onvolledig"),
    ],
)
def test_other_files_are_refused_in_dutch(world, data, name, message):
    assert message in _refusal(world, data, name)


def test_a_logo_over_the_size_limit_is_refused(world, settings):
    settings.OPENVEILIGHEID_LOGO_MAX_BYTES = 1000
    buffer = BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 1000
    assert "mag hoogstens 1000" in _refusal(world, buffer.getvalue())


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(world):
    buffer = BytesIO()
    Image.new("1", (6000, 5000)).save(buffer, format="PNG")
    assert "miljoen pixels" in _refusal(world, buffer.getvalue())


def test_only_the_organisations_administrator_changes_its_house_style(world):
    with pytest.raises(PermissionDenied):
        change_house_style(
            organisation=world.municipality_a,
            actor=world.users["programme_manager"],
            brand_colour="#000000",
        )
    with pytest.raises(PermissionDenied):
        change_house_style(
            organisation=world.municipality_a,
            actor=world.users["other_municipality"],
            brand_colour="#000000",
        )
    assert Organisation.objects.get(pk=world.municipality_a.pk).brand_colour != "#000000"


def test_house_style_page_matrix(client, world):
    url = reverse("organisations:house-style", args=[world.municipality_a.slug])
    assert_matrix(client, world, "GET", url, MANAGE_A)
    posted = MANAGE_A | {"administrator": 302}
    assert_matrix(client, world, "POST", url, posted, data={"brand_colour": "#00689e"})


def test_the_page_uploads_a_logo_and_shows_refusals_next_to_the_field(client, world):
    url = reverse("organisations:house-style", args=[world.municipality_a.slug])
    login(client, world.users["administrator"])
    response = client.post(
        url,
        {
            "brand_colour": "#00689e",
            "logo": upload(b"<svg onload='alert(1)'/>", "logo.svg", "image/svg+xml"),
        },
    )
    assert response.status_code == 400
    assert "Lever het logo aan als PNG of JPEG" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        url, {"brand_colour": "#00689e", "logo": upload(image_bytes("PNG"))}, follow=True
    )
    assert "De huisstijl is opgeslagen." in response.content.decode()
    organisation = Organisation.objects.get(pk=world.municipality_a.pk)
    assert organisation.brand_colour == "#00689e" and organisation.logo_sha256
    assert "data:image/png;base64," in response.content.decode()
    response = client.post(url, {"brand_colour": "rood"})
    assert response.status_code == 400
    assert "#RRGGBB" in response.content.decode()
