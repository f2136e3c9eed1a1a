"""One upload flow for every import: store -> preview -> confirm (or fail, or expire).

A kind of upload (figures, plan, action sheet) registers who may upload it for which
organisation, how its preview is made and how a confirmation writes it (`register_kind`). The
pages and the commands of every kind go through the functions here, so that they share one size
limit, one private file storage, one status table (`imports.models.UPLOAD_TRANSITIONS`) checked
under a row lock, and a change log entry for every status change."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, snapshot, user_or_none
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports.models import UPLOAD_TRANSITIONS, Upload, upload_storage

logger = logging.getLogger(__name__)

Status = Upload.Status

__all__ = [
    "ImportRefused",
    "UploadKind",
    "check_size",
    "confirm",
    "kind_of",
    "mark_failed",
    "may_upload",
    "purge_uploads",
    "record_preview",
    "register_kind",
    "store_upload",
]


class ImportRefused(ValidationError):
    """A step of the upload flow that may not go ahead; the message is Dutch, for the user."""

    def __str__(self) -> str:
        return " ".join(self.messages)


@dataclass(frozen=True)
class UploadKind:
    """What differs between the kinds of upload. ``may_upload(user, organisation, options)``
    says who may upload (and confirm) for which organisation; ``preview(upload)`` reads the
    stored file without writing; ``confirm(upload, actor, **options)`` writes it (inside the
    locked transaction) and returns a result whose ``as_dict()`` is kept in the summary.
    ``failures`` are the errors that mean the stored file itself cannot be imported: the upload
    is then marked failed; any other error leaves it as it was. ``read(upload, progress)``,
    when given, reads the stored file once, outside the request (imports.jobs), and returns the
    summary and the preview to keep (``Upload.parsed_preview``), so that the page shows it
    without reading the file again."""

    name: str
    may_upload: Callable
    preview: Callable
    confirm: Callable
    failures: tuple[type[Exception], ...] = field(default=())
    read: Callable | None = None


_KINDS: dict[str, UploadKind] = {}


def register_kind(kind: UploadKind) -> UploadKind:
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> UploadKind:
    if not _KINDS:
        # The kinds register themselves when their module is imported (ImportsConfig.ready).
        from openveiligheid.imports.apps import load_upload_kinds

        load_upload_kinds()
    return _KINDS[name]


# --------------------------------------------------------------------------------------------
# Storing


def check_size(size: int) -> None:
    """Refuse an empty file or one above ``OPENVEILIGHEID_UPLOAD_MAX_BYTES`` (Dutch message)."""
    limit = settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES
    if size == 0:
        raise ImportRefused(_("Het bestand is leeg."), code="empty")
    if size > limit:
        raise ImportRefused(
            _("Het bestand is %(size)s groot; u kunt bestanden tot %(limit)s uploaden.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


class UploadLimitHandler(FileUploadHandler):
    """First of the upload handlers: passes a file's chunks on to the next handler (memory or
    temporary file) until the file passes the upload limit, then keeps counting but keeps
    nothing more. Such a file arrives as an empty file with its real size, which the form
    refuses through `check_size`: a large upload costs neither memory nor disk."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES:
            return None  # the following handlers get no more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.OPENVEILIGHEID_UPLOAD_MAX_BYTES:
            return None  # the next handler hands over the file
        logger.info("upload_too_large", extra={"bytes": self.received})
        return InMemoryUploadedFile(
            file=io.BytesIO(),
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def may_upload(kind: str, user, organisation, options: dict | None = None) -> bool:
    """Whether ``user`` may upload (and confirm) a file of ``kind`` for ``organisation``. The
    command line (no user) may do everything."""
    if user is None:
        return True
    return bool(kind_of(kind).may_upload(user, organisation, options or {}))


def _require_permission(kind: str, user, organisation, options: dict, step: str) -> None:
    if not may_upload(kind, user, organisation, options):
        logger.warning(
            "upload_permission_denied",
            extra={
                "kind": kind,
                "step": step,
                "user": getattr(user, "pk", None),
                "organisation": getattr(organisation, "pk", None),
            },
        )
        raise PermissionDenied


def _as_file(file, name: str | None) -> File:
    if isinstance(file, bytes | bytearray):
        return ContentFile(bytes(file), name=name or "upload")
    return file


def _hash_of(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def store_upload(
    kind: str,
    file,
    organisation,
    user,
    *,
    name: str | None = None,
    options: dict | None = None,
) -> Upload:
    """Keep ``file`` (an uploaded file, or bytes with ``name``) on the private upload storage.

    Refuses (PermissionDenied) a user who may not upload this kind for ``organisation`` and
    (ValidationError) a file that is empty or above the size limit."""
    options = options or {}
    _require_permission(kind, user, organisation, options, "store")
    file = _as_file(file, name)
    check_size(file.size)
    file_name = (name or file.name or "upload").rsplit("/", 1)[-1][:255]
    with transaction.atomic():
        upload = Upload(
            kind=kind,
            organisation=organisation,
            file_name=file_name,
            sha256=_hash_of(file),
            size=file.size,
            options=options,
            status=Status.UPLOADED,
            uploaded_by=user_or_none(user),
        )
        upload.file.save(file_name, file, save=False)
        upload.save()
        record_change(upload, user, ChangeLogEntry.Operation.CREATE)
    logger.info("upload_stored", extra={"upload": upload.pk, "kind": kind, "bytes": upload.size})
    return upload


# --------------------------------------------------------------------------------------------
# Status changes

_REFUSALS = {
    Status.UPLOADED: lambda: _("Bekijk eerst het voorbeeld van dit bestand."),
    Status.CONFIRMED: lambda: _("Dit bestand is al ingelezen."),
    Status.FAILED: lambda: _("Dit bestand kon niet worden ingelezen; upload het opnieuw."),
    Status.EXPIRED: lambda: _("Dit bestand is verlopen en verwijderd; upload het opnieuw."),
}


def _check_transition(upload: Upload, to: str) -> None:
    if to not in UPLOAD_TRANSITIONS[Status(upload.status)]:
        refusal = _REFUSALS.get(upload.status)
        raise ImportRefused(
            refusal() if refusal else _("Dit bestand kan niet meer worden verwerkt."),
            code=f"{upload.status}_to_{to}",
        )


def _change_status(upload: Upload, to: str, actor, **fields) -> None:
    """Move ``upload`` to status ``to`` (checked against the table) and log the change."""
    _check_transition(upload, to)
    before = snapshot(upload)
    upload.status = to
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.save(update_fields=["status", *fields])
    record_change(upload, actor, ChangeLogEntry.Operation.UPDATE, before)
    logger.info(f"upload_{to}", extra={"upload": upload.pk, "kind": upload.kind})


def record_preview(
    upload: Upload, summary: dict, actor=None, parsed_preview: dict | None = None
) -> Upload:
    """The preview of a stored upload was made: keep its summary (what a confirmation checks)
    and, when given, the preview itself for the page."""
    fields = {"summary": summary}
    if parsed_preview is not None:
        fields.update(parsed_preview=parsed_preview, read_progress=100)
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        _change_status(locked, Status.PREVIEWED, actor, **fields)
    upload.status, upload.summary = locked.status, locked.summary
    upload.parsed_preview, upload.read_progress = locked.parsed_preview, locked.read_progress
    return upload


def mark_failed(upload: Upload, message: str, actor=None) -> None:
    """Remember why an upload cannot be imported (outside the rolled-back confirmation)."""
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if Status.FAILED in UPLOAD_TRANSITIONS[Status(locked.status)]:
            summary = {**(locked.summary or {}), "error": message}
            _change_status(locked, Status.FAILED, actor, summary=summary)
    upload.refresh_from_db(fields=["status", "summary"])


def confirm(upload: Upload, actor=None, **options):
    """Import a previewed upload once, through its kind's confirm function.

    The status is read and set under a row lock in the same transaction as the import, so a
    double submit (or two workers) imports once; the second is refused (ImportRefused). An
    error of the kind's ``failures`` marks the upload failed; any other error leaves it
    previewed, with nothing written."""
    try:
        with transaction.atomic():
            locked = Upload.objects.select_for_update().get(pk=upload.pk)
            kind = kind_of(locked.kind)
            _require_permission(
                locked.kind, actor, locked.organisation, locked.options or {}, "confirm"
            )
            _check_transition(locked, Status.CONFIRMED)
            result = kind.confirm(locked, actor, **options)
            summary = {**(locked.summary or {}), "result": result.as_dict()}
            _change_status(
                locked, Status.CONFIRMED, actor, confirmed_at=timezone.now(), summary=summary
            )
    except tuple(kind_of(upload.kind).failures) as error:
        mark_failed(upload, str(error), actor)
        raise
    upload.refresh_from_db(fields=["status", "confirmed_at", "summary"])
    return result


# --------------------------------------------------------------------------------------------
# Retention


ORPHAN_GRACE = timedelta(days=1)


@dataclass
class PurgeReport:
    expired: list[Upload] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)


def _stored_names(storage, directory: str = ""):
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _stored_names(storage, f"{directory}/{sub}" if directory else sub)


def _orphan_files(storage, cutoff) -> list[str]:
    """Files on the upload storage that no upload refers to (left by a rolled-back store)."""
    if not storage.exists(""):
        return []
    known = set(Upload.objects.exclude(file="").values_list("file", flat=True))
    return [
        name
        for name in _stored_names(storage)
        if name not in known and storage.get_modified_time(name) < cutoff
    ]


def _expire(upload: Upload, storage, actor) -> bool:
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status == Status.EXPIRED:  # another purge was first
            return False
        name = locked.file.name
        # The stored preview goes with the file: it shows what the file holds.
        _change_status(locked, Status.EXPIRED, actor, file="", parsed_preview={})
    if name:
        # Once the status is saved: a failed delete leaves an orphan file for the next run, never an
        # upload that points at nothing.
        storage.delete(name)
    return True


def purge_uploads(*, older_than_days: int, dry_run: bool = False, actor=None) -> PurgeReport:
    """Expire every upload older than the period: its file is removed, the row stays (expired)
    as the provenance the imported data refers to. Safe to run twice."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    storage = upload_storage()
    report = PurgeReport()
    candidates = Upload.objects.filter(uploaded_at__lt=cutoff).exclude(status=Status.EXPIRED)
    for upload in candidates.order_by("pk"):
        if dry_run or _expire(upload, storage, actor):
            report.expired.append(upload)
    # A file may be on its way into an upload that is not committed yet: orphans wait a day.
    report.orphan_files = _orphan_files(storage, min(cutoff, timezone.now() - ORPHAN_GRACE))
    if not dry_run:
        for name in report.orphan_files:
            storage.delete(name)
    logger.info(
        "uploads_purged",
        extra={
            "expired": len(report.expired),
            "orphan_files": len(report.orphan_files),
            "dry_run": dry_run,
        },
    )
    return report
