"""The audit trail as CSV for the privacy officer: formula-safe (core.spreadsheets), and the
export itself is an entry in the trail."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.spreadsheets import csv_row
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import audited


def columns() -> list[str]:
    return [
        _("Volgnummer"),
        _("Tijdstip"),
        _("Gebruiker"),
        _("Handeling"),
        _("Resultaat"),
        _("Soort object"),
        _("Object-id"),
        _("Object"),
        _("Doel"),
        _("IP-adres"),
        _("Browser"),
        _("Verzoek-id"),
        _("Hash"),
    ]


def audit_csv_response(request, entries, organisation_id=None) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns())
    count = 0
    for entry in entries.iterator(chunk_size=2000):
        count += 1
        moment = timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M:%S")
        writer.writerow(
            [
                entry.sequence,
                moment,
                *csv_row(
                    [
                        entry.actor_name,
                        entry.get_action_display(),
                        entry.get_result_display(),
                        entry.object_type,
                        entry.object_id,
                        entry.object_repr,
                        entry.purpose,
                        entry.ip_address or "",
                        entry.user_agent,
                        entry.request_id,
                    ]
                ),
                entry.entry_hash,
            ]
        )
    audited(
        request,
        AuditEntry.Action.EXPORT,
        object_type="privacy.auditentry",
        object_repr=_("Audittrail-export, %(count)d regels (%(query)s)")
        % {"count": count, "query": request.GET.urlencode()[:200] or "-"},
        organisation=organisation_id,
    )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    filename = f"audittrail-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
