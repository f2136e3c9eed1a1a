"""Uploads of figures are read outside the request (imports.jobs; inline in the tests), once:
the preview is stored, the page polls the progress, a reading that stopped or failed ends in a
Dutch message, and no temporary file stays behind."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from openveiligheid.demo import loader
from openveiligheid.imports import jobs, services, uploads
from openveiligheid.imports.models import Upload
from tests.imports.test_measurement_import_views import FILE_NAME, RewindingFile, statline
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

CBS_FILE = (
    Path(loader.__file__).parent / "open_data" / "cbs_83648NED_misdrijven_gemeente_2010_2020.csv"
)


def _start(world, content: bytes, name: str = FILE_NAME) -> Upload:
    return services.start_measurement_import(
        file=SimpleUploadedFile(name, content),
        organisation=world.municipality_a,
        actor=world.users["programme_manager"],
    )


def test_the_cbs_preview_is_parsed_once_and_then_served_from_the_stored_preview(
    client, world, monkeypatch, django_assert_max_num_queries
):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("imports:measurement-upload"),
        {"file": RewindingFile(CBS_FILE.read_bytes(), CBS_FILE.name), "source": "auto"},
    )
    upload = Upload.objects.get()
    assert response.url == reverse("imports:measurement-preview", args=[upload.pk])
    assert upload.status == Upload.Status.PREVIEWED and upload.parsed_preview["counts"]

    def no_second_reading(self):
        raise AssertionError("the preview page read the file again")

    monkeypatch.setattr(Upload, "read_content", no_second_reading)
    url = reverse("imports:measurement-preview", args=[upload.pk])
    # How fast that is, bench/hostile_uploads.py measures (a wall-clock limit here would fail
    # on a busy machine, not on slow code).
    for _attempt in range(3):
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200


def test_the_reading_page_polls_and_moves_on_when_done(client, world):
    upload = _start(world, statline())
    assert upload.status == Upload.Status.PREVIEWED
    progress_url = reverse("imports:measurement-progress", args=[upload.pk])
    login(client, world.users["programme_manager"])
    response = client.get(progress_url)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("imports:measurement-preview", args=[upload.pk])
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.UPLOADED, read_progress=40, reading_started_at=timezone.now()
    )
    response = client.get(progress_url)
    assert response.status_code == 200
    assert 'value="40"' in response.content.decode()
    assert 'hx-trigger="every 1s"' in response.content.decode()
    page = client.get(reverse("imports:measurement-preview", args=[upload.pk])).content.decode()
    assert "Bestand wordt gelezen" in page and "<progress" in page


def test_progress_permissions(client, world):
    upload = _start(world, statline())
    url = reverse("imports:measurement-progress", args=[upload.pk])
    assert_matrix(
        client,
        world,
        "GET",
        url,
        expect(
            404,
            anonymous=302,
            administrator=204,
            programme_manager=204,
            safety_adviser=403,
            action_lead=403,
        ),
    )


def test_a_stalled_reading_is_failed_with_a_message(client, world):
    upload = _start(world, statline())
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.UPLOADED,
        reading_started_at=timezone.now() - timedelta(hours=1),
    )
    login(client, world.users["programme_manager"])
    page = client.get(reverse("imports:measurement-preview", args=[upload.pk])).content.decode()
    assert "is afgebroken" in page
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.FAILED


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (MemoryError, "OPENVEILIGHEID_IMPORT_MEMORY_BYTES"),
        (KeyError, "een fout in Open Veiligheid"),
    ],
)
def test_a_reader_that_breaks_ends_in_a_failed_upload(world, monkeypatch, error, message):
    def broken(upload, progress=None):
        raise error

    kind = uploads.kind_of(Upload.Kind.MEASUREMENTS)
    monkeypatch.setitem(
        uploads._KINDS, kind.name, kind.__class__(**{**kind.__dict__, "read": broken})
    )
    upload = _start(world, statline())
    assert upload.status == Upload.Status.FAILED
    assert message in upload.summary["error"]


def test_an_upload_is_read_once(world):
    upload = _start(world, statline())
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.UPLOADED)
    jobs.read_upload(upload.pk)  # already claimed: nothing happens
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.UPLOADED


@override_settings(OPENVEILIGHEID_IMPORT_JOBS="process")
def test_the_reading_process_starts_after_the_commit(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    started = []

    class FakeProcess:
        def __init__(self, command, **options):
            started.append((command, options))

        def wait(self):
            return 0

    monkeypatch.setattr(jobs.subprocess, "Popen", FakeProcess)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload = _start(world, statline())
    assert not started and upload.status == Upload.Status.UPLOADED
    for callback in callbacks:
        callback()
    command, options = started[0]
    assert command[-2:] == ["read-upload", str(upload.pk)]
    assert options["start_new_session"] is True


def test_no_temporary_file_stays_behind(client, world, tmp_path, settings):
    # Uploads are held in memory (at most the request limit), never in a temporary file that a
    # stopped worker would leave behind.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    login(client, world.users["programme_manager"])
    hostile = b"RegioS;Perioden;Aantal\n" + b"GM0001;2022;1\n" * 300_000  # 4 MB
    with override_settings(OPENVEILIGHEID_MAX_ROWS=1000):
        response = client.post(
            reverse("imports:measurement-upload"),
            {"file": RewindingFile(hostile, "veel.csv"), "source": "auto"},
            follow=True,
        )
    assert "OPENVEILIGHEID_MAX_ROWS" in response.content.decode()
    assert list(tmp_path.iterdir()) == []
