"""The meldpunt's person-data provider (privacy.subject_requests): the reports whose reporter's
contact details match a person, their rectification and their erasure where the law allows.

Contact details are decrypted in memory, one organisation at a time; nothing decrypted is stored.
Erasure:
- a report taken up in a case is needed for that case (AVG art. 17(3)(b) and (e)): refused;
- a report still open or forwarded to a partner: the contact details go, the report stays;
- a closed report: deleted with its attachments.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.privacy.identities import IdentityData, decrypt
from openveiligheid.privacy.retention import RetentionPolicy
from openveiligheid.privacy.subject_requests import (
    Erased,
    ErasureRefused,
    PersonRecord,
    SearchTerms,
)
from openveiligheid.signals import services
from openveiligheid.signals.models import Report
from openveiligheid.signals.retention import delete_report, retention_kind_of


def _place(report: Report) -> str:
    parts = [f"{report.postcode} {report.house_number}".strip(), report.location_description]
    return ", ".join(part for part in parts if part)


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def erasure_refusal(report: Report) -> str:
    if report.close_reason == Report.CloseReason.CASE:
        return _(
            "Deze melding is opgenomen in een casus. De gegevens zijn nodig voor de uitvoering "
            "van een wettelijke taak (AVG artikel 17, lid 3, onder b en e) en worden bewaard tot "
            "het einde van de bewaartermijn."
        )
    return ""


def _keeps_report(report: Report) -> bool:
    return report.status != Report.Status.CLOSED


class ReportPersonData:
    key = "signals.report"

    def find(self, organisation, terms: SearchTerms) -> list[PersonRecord]:
        reports = (
            Report.objects.filter(organisation=organisation)
            .exclude(encrypted_contact="")
            .select_related("category")
            .prefetch_related("attachments", "events")
            .order_by("created_at", "pk")
        )
        policy = RetentionPolicy()
        found = []
        for report in reports:
            contact = decrypt(report.encrypted_contact)
            if terms.matches(contact):
                found.append(self._record(report, contact, policy))
        return found

    def _retention(self, report: Report, policy: RetentionPolicy) -> str:
        kind = retention_kind_of(report)
        if kind is None:
            return _("Nog niet bepaald: de melding is in behandeling.")
        months = policy.months(report.organisation_id, kind)
        if report.status == Report.Status.FORWARDED:
            return _("%(months)d maanden na het doorzetten") % {"months": months}
        return _("%(months)d maanden na het afsluiten") % {"months": months}

    def _history(self, report: Report) -> str:
        return "\n".join(
            f"{_date(event.at)} {event.get_step_display()}"
            + (f": {event.summary}" if event.summary else "")
            for event in report.events.all()
        )

    def _record(self, report: Report, contact: IdentityData, policy) -> PersonRecord:
        refusal = erasure_refusal(report)
        attachments = ", ".join(
            f"{attachment.original_name} ({attachment.content_type})"
            for attachment in report.attachments.all()
        )
        return PersonRecord(
            provider=self.key,
            object_type="signals.report",
            object_id=str(report.pk),
            reference=report.reference,
            title=_("Melding %(reference)s") % {"reference": report.reference},
            fields=[
                ("reference", _("Kenmerk"), report.reference),
                ("received_at", _("Ontvangen op"), _date(report.created_at)),
                ("category", _("Categorie"), report.category.name),
                ("place", _("Plek"), _place(report)),
                ("occurred_on", _("Datum"), _date(report.occurred_on)),
                ("description", _("Omschrijving"), report.description),
                ("status", _("Status"), str(report.get_status_display())),
                # AVG art. 15(1)(c) and (d): to whom it was given, and how long it is kept.
                ("forwarded_to", _("Doorgezet naar"), report.forwarded_to_name),
                ("retention", _("Bewaartermijn"), self._retention(report, policy)),
                ("history", _("Behandeling"), self._history(report)),
                ("contact_name", _("Naam melder"), contact.name),
                ("contact_email", _("E-mailadres melder"), contact.email),
                ("contact_phone", _("Telefoonnummer melder"), contact.phone),
                ("attachments", _("Bijlagen"), attachments),
            ],
            can_rectify=True,
            erasure_effect=""
            if refusal
            else (
                _("De contactgegevens van de melder worden verwijderd; de melding blijft.")
                if _keeps_report(report)
                else _("De melding wordt met haar bijlagen verwijderd.")
            ),
            erasure_refusal=refusal,
        )

    def _report(self, organisation, object_id: str) -> Report:
        report = None
        if str(object_id).isdigit() and len(str(object_id)) <= 18:
            report = (
                Report.objects.select_for_update()
                .filter(organisation=organisation, pk=int(object_id))
                .exclude(encrypted_contact="")
                .first()
            )
        if report is None:
            raise ValidationError(_("Deze gegevens bestaan niet (meer)."))
        return report

    def rectify(
        self, organisation, object_id: str, contact: IdentityData, *, subject_request, actor
    ) -> str:
        report = self._report(organisation, object_id)
        services.rectify_contact(report, contact, subject_request=subject_request, actor=actor)
        return report.reference

    def erase(self, organisation, object_id: str, *, subject_request, actor) -> Erased:
        report = self._report(organisation, object_id)
        refusal = erasure_refusal(report)
        if refusal:
            raise ErasureRefused(refusal)
        if _keeps_report(report):
            services.erase_contact(report, subject_request=subject_request, actor=actor)
            return Erased("signals.report", report.reference, _("contactgegevens van de melder"))
        reference = report.reference
        delete_report(report)
        return Erased("signals.report", reference, _("melding met bijlagen"))
