"""Reading an upload for its preview, outside the web request.

An upload is stored (status "uploaded") and the page that polls it answers at once; its file is
read by ``read_upload`` in a process of its own (``openveiligheid read-upload ID``), started
after the upload is committed. The upload row is the job: ``reading_started_at`` claims it (one
reader, however many workers), ``read_progress`` says how far it is, and the result is the
preview status with the preview stored (``parsed_preview``) or the failed status with a Dutch
message. No queue, no broker: it works the same under gunicorn with any number of workers and
under runserver.

The process is bounded beside the limits of core.limits: at most OPENVEILIGHEID_IMPORT_MEMORY_BYTES
of memory (a MemoryError becomes a refusal) and a hard stop at twice the parse time. Whatever
happens to it, a web worker keeps its memory, and an upload whose reading stopped without a
result is marked failed when it is looked at (``fail_if_stalled``).

``OPENVEILIGHEID_IMPORT_JOBS=inline`` reads in the request instead (the tests)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.limits import ParseLimitExceeded, parse_time_limit
from openveiligheid.imports import uploads
from openveiligheid.imports.models import Upload

logger = logging.getLogger(__name__)

__all__ = ["fail_if_stalled", "limit_resources", "read_upload", "start_reading"]


def start_reading(upload: Upload) -> None:
    """Have ``upload`` read for its preview: in a process of its own once the upload is
    committed, or at once with OPENVEILIGHEID_IMPORT_JOBS=inline."""
    if settings.OPENVEILIGHEID_IMPORT_JOBS == "inline":
        read_upload(upload.pk)
        upload.refresh_from_db()
        return
    transaction.on_commit(lambda: _spawn(upload.pk))


def _spawn(pk: int) -> None:
    command = [sys.executable, "-m", "openveiligheid", "read-upload", str(pk)]
    try:
        process = subprocess.Popen(  # noqa: S603 - our own command, the id is an int
            command,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "openveiligheid.config.settings"},
            # Its own session: a worker that restarts does not take the reading with it.
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        logger.exception("upload_reader_not_started", extra={"upload": pk})
        uploads.mark_failed(
            Upload.objects.get(pk=pk),
            _(
                "Het bestand kon niet worden gelezen (de verwerking startte niet); probeer het "
                "opnieuw."
            ),
        )
        return
    # Reaps the process when it ends, so that no finished reader stays behind as a zombie.
    threading.Thread(target=process.wait, name=f"upload-reader-{pk}", daemon=True).start()


def limit_resources() -> None:
    """The bounds of a reading process: memory (RLIMIT_DATA, so that allocation beyond it is a
    MemoryError) and processor time (a reader stuck in C code is stopped)."""
    import resource

    memory = settings.OPENVEILIGHEID_IMPORT_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    seconds = int(settings.OPENVEILIGHEID_MAX_PARSE_SECONDS * 2) + 10
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


class _Progress:
    """Saves the progress of the readers (``progress(done, total)`` or ``(stage, done,
    total)``) now and then: at most twice a second, only when the percentage changed."""

    def __init__(self, pk: int):
        self.pk, self.shown, self.saved_at = pk, 0, 0.0

    def __call__(self, *args):
        done, total = args[-2], args[-1]
        if not total:
            return
        percent = min(99, int(done * 100 / total))
        now = time.monotonic()
        if percent > self.shown and now - self.saved_at >= 0.5:
            self.shown, self.saved_at = percent, now
            Upload.objects.filter(pk=self.pk).update(read_progress=percent)


def _claim(pk: int) -> bool:
    """Only one reader per upload: the first to set reading_started_at."""
    return bool(
        Upload.objects.filter(
            pk=pk, status=Upload.Status.UPLOADED, reading_started_at__isnull=True
        ).update(reading_started_at=timezone.now(), read_progress=1)
    )


def read_upload(pk: int) -> None:
    """Read the file of upload ``pk`` once (its kind's ``read``) and keep the preview, or mark
    the upload failed with a Dutch message. Never raises for what the file holds."""
    if not _claim(pk):
        return
    upload = Upload.objects.select_related("organisation").get(pk=pk)
    kind = uploads.kind_of(upload.kind)
    started = time.monotonic()
    try:
        with parse_time_limit():
            summary, parsed_preview = kind.read(upload, _Progress(pk))
    except (ParseLimitExceeded, *kind.failures) as error:
        uploads.mark_failed(upload, str(error))
    except MemoryError:
        uploads.mark_failed(
            upload,
            _(
                "Dit bestand vraagt bij het lezen meer dan %(max)s MB geheugen (de grens "
                "OPENVEILIGHEID_IMPORT_MEMORY_BYTES). Splits het bestand in kleinere delen."
            )
            % {"max": settings.OPENVEILIGHEID_IMPORT_MEMORY_BYTES // (1024 * 1024)},
        )
    except Exception:  # a reader's bug must end in a message, never in an upload read forever
        logger.exception("upload_read_error", extra={"upload": pk})
        uploads.mark_failed(
            upload, _("Dit bestand kon niet worden gelezen door een fout in Open Veiligheid.")
        )
    else:
        uploads.record_preview(upload, summary, parsed_preview=parsed_preview)
    logger.info(
        "upload_read",
        extra={"upload": pk, "seconds": round(time.monotonic() - started, 2)},
    )


def _stall_after() -> timedelta:
    # The hard stop of a reading process (limit_resources) plus the start of that process.
    return timedelta(seconds=settings.OPENVEILIGHEID_MAX_PARSE_SECONDS * 2 + 60)


def fail_if_stalled(upload: Upload) -> Upload:
    """An upload still waiting for its reading long after it could have ended (its process was
    stopped, the server restarted) is marked failed, so that the page does not wait forever."""
    if upload.status != Upload.Status.UPLOADED:
        return upload
    since = upload.reading_started_at or upload.uploaded_at
    if timezone.now() - since > _stall_after():
        uploads.mark_failed(
            upload,
            _(
                "Het lezen van dit bestand is afgebroken (het duurde te lang of vroeg te veel "
                "geheugen). Splits het bestand in kleinere delen en upload het opnieuw."
            ),
        )
    return upload
