"""Keeping an uploaded file between its preview and its confirmation: the one way to store one."""

from openveiligheid.core.changelog import user_or_none
from openveiligheid.imports.models import Upload


def store_upload(
    *,
    kind: str,
    organisation,
    file_name: str,
    content: bytes,
    options: dict | None = None,
    summary: dict | None = None,
    actor=None,
) -> Upload:
    return Upload.objects.create(
        kind=kind,
        organisation=organisation,
        file_name=file_name[:255],
        sha256=Upload.hash_of(content),
        content=content,
        options=options or {},
        summary=summary or {},
        uploaded_by=user_or_none(actor),
    )
