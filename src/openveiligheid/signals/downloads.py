"""The one way an attachment of a report leaves the private storage, for the triage page and the
triage API alike: always as a download (never shown inline, never sniffed, never cached), and
every read in the audit trail."""

from django.http import FileResponse, Http404

from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import audited
from openveiligheid.signals.models import Attachment, Report


def attachment_response(request, report: Report, attachment_id: int) -> FileResponse:
    """The attachment `attachment_id` of `report`, which the caller has already read through the
    user's scope (the page's and the API's own refusals stay theirs); Http404 when the report
    has no such attachment or its file is gone."""
    attachment = Attachment.objects.filter(pk=attachment_id, report=report).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        audited(request, AuditEntry.Action.READ, obj=attachment, result=AuditEntry.Result.ERROR)
        raise Http404 from None
    audited(request, AuditEntry.Action.READ, obj=attachment)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
