"""Requests of data subjects (AVG art. 15 access, 16 rectification, 17 erasure), handled by the
privacy officer (VIEW_IDENTITIES) of the organisation that received them.

privacy cannot read the apps above it, so each app holding person-level data registers a
PersonDataProvider from its AppConfig.ready(): it finds the records that match a person's name,
e-mail address or phone number (decrypting in memory, within one organisation), rectifies their
contact details and erases them where the law allows, or says in Dutch why not. The identities
of privacy itself are one such provider.

Every step is a service call here: it checks the permission and the request's status
(SUBJECT_REQUEST_TRANSITIONS), appends a step to the request's history and writes an audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.text import normalise_name
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.privacy.identities import IdentityData, decrypt, encrypt
from openveiligheid.privacy.models import (
    AuditEntry,
    DeletionRecord,
    Identity,
    SubjectRequest,
    SubjectRequestEvent,
)
from openveiligheid.privacy.retention import months_before

Status = SubjectRequest.Status
Step = SubjectRequestEvent.Step

# Which status may follow which; completed and refused requests are final.
SUBJECT_REQUEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.IN_PROGRESS, Status.REFUSED),
    Status.IN_PROGRESS: (Status.COMPLETED, Status.REFUSED),
    Status.COMPLETED: (),
    Status.REFUSED: (),
}

_NOT_DIGITS = re.compile(r"\D")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{7,18}$")


def normalise_phone(value: str) -> str:
    """Digits only, with a Dutch +31 or 0031 prefix written as the leading 0."""
    digits = _NOT_DIGITS.sub("", value or "")
    for prefix in ("0031", "31"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            return "0" + digits[len(prefix) :]
    return digits


@dataclass(frozen=True)
class SearchTerms:
    """What a person gave to be found by; a record matches on any one of them."""

    name: str = ""
    email: str = ""
    phone: str = ""

    def matches(self, data: IdentityData | None) -> bool:
        if data is None:
            return False
        if self.name and data.name and normalise_name(self.name) == normalise_name(data.name):
            return True
        if self.email and data.email and self.email.lower() == data.email.strip().lower():
            return True
        return bool(
            self.phone and data.phone and normalise_phone(self.phone) == normalise_phone(data.phone)
        )


@dataclass
class PersonRecord:
    """One record held on the person, as a provider describes it. `fields` are (key, label,
    value): the key for the machine-readable export, the label for the PDF and the page."""

    provider: str
    object_type: str
    object_id: str
    reference: str
    title: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    can_rectify: bool = False
    # What erasing does ("De contactgegevens worden verwijderd"), or why it is not allowed.
    erasure_effect: str = ""
    erasure_refusal: str = ""


@dataclass(frozen=True)
class Erased:
    """What a provider deleted: the object as a DeletionRecord names it."""

    object_type: str
    reference: str
    what: str


class ErasureRefused(Exception):
    """The law does not allow erasing this record; the message says why, in Dutch."""


class PersonDataProvider(Protocol):
    """`rectify` and `erase` are told the request and the officer, for a record that keeps a
    history of its own (a meldpunt report's triage steps) to say on whose request it changed."""

    key: str

    def find(self, organisation, terms: SearchTerms) -> list[PersonRecord]: ...

    def rectify(
        self, organisation, object_id: str, contact: IdentityData, *, subject_request, actor
    ) -> str: ...

    def erase(self, organisation, object_id: str, *, subject_request, actor) -> Erased: ...


_PROVIDERS: dict[str, PersonDataProvider] = {}


def register_person_data_provider(provider: PersonDataProvider) -> None:
    _PROVIDERS[provider.key] = provider


def person_data_providers() -> list[PersonDataProvider]:
    return list(_PROVIDERS.values())


def _provider(key: str) -> PersonDataProvider:
    provider = _PROVIDERS.get(key)
    if provider is None:
        raise ValidationError(_("Onbekende bron van gegevens."))
    return provider


class IdentityPersonData:
    """The identities behind pseudonyms (privacy.Identity)."""

    key = "privacy.identity"

    def _matching(
        self, organisation, terms: SearchTerms
    ) -> Iterable[tuple[Identity, IdentityData]]:
        for identity in Identity.objects.filter(organisation=organisation).order_by("pk"):
            data = decrypt(identity.encrypted_data)
            if terms.matches(data):
                yield identity, data

    def find(self, organisation, terms: SearchTerms) -> list[PersonRecord]:
        return [
            PersonRecord(
                provider=self.key,
                object_type="privacy.identity",
                object_id=str(identity.pk),
                reference=identity.short_pseudonym,
                title=_("Identiteit achter pseudoniem %(pseudonym)s")
                % {"pseudonym": identity.short_pseudonym},
                fields=[
                    ("name", _("Naam"), data.name),
                    ("bsn", _("Burgerservicenummer"), data.bsn),
                    ("date_of_birth", _("Geboortedatum"), data.date_of_birth),
                    ("email", _("E-mailadres"), data.email),
                    ("phone", _("Telefoonnummer"), data.phone),
                    ("address", _("Adres"), data.address),
                    ("created_at", _("Vastgelegd op"), _moment(identity.created_at)),
                ],
                can_rectify=True,
                erasure_effect=_(
                    "De identiteit wordt verwijderd; het pseudoniem verwijst dan naar niemand meer."
                ),
            )
            for identity, data in self._matching(organisation, terms)
        ]

    def _identity(self, organisation, object_id: str) -> Identity:
        identity = (
            Identity.objects.select_for_update()
            .filter(organisation=organisation, pk=_id(object_id))
            .first()
        )
        if identity is None:
            raise ValidationError(_("Deze gegevens bestaan niet (meer)."))
        return identity

    def rectify(
        self, organisation, object_id: str, contact: IdentityData, *, subject_request, actor
    ) -> str:
        identity = self._identity(organisation, object_id)
        known = decrypt(identity.encrypted_data)
        identity.encrypted_data = encrypt(
            IdentityData(
                name=contact.name or known.name,
                bsn=known.bsn,
                date_of_birth=known.date_of_birth,
                email=contact.email,
                phone=contact.phone,
                address=known.address,
            )
        )
        identity.save(update_fields=["encrypted_data", "updated_at"])
        return identity.short_pseudonym

    def erase(self, organisation, object_id: str, *, subject_request, actor) -> Erased:
        identity = self._identity(organisation, object_id)
        reference = f"identiteit-{identity.pk}"
        identity.delete()
        return Erased("privacy.identity", reference, _("identiteit"))


def _id(object_id: str) -> int:
    if not str(object_id).isdigit() or len(str(object_id)) > 18:
        raise ValidationError(_("Deze gegevens bestaan niet (meer)."))
    return int(object_id)


def _moment(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


register_person_data_provider(IdentityPersonData())


# --- services -----------------------------------------------------------------------------


def one_month_after(day: date) -> date:
    """The deadline of AVG art. 12(3): one month after receipt."""
    moment = months_before(datetime.combine(day, time()), -1)
    return moment.date()


def _require_officer(actor, organisation) -> None:
    access = access_for(actor)
    if access is None or not access.has(Permission.VIEW_IDENTITIES, organisation.pk):
        raise PermissionDenied


def clean_contact(*, name: str = "", email: str = "", phone: str = "") -> IdentityData:
    """A person's name, e-mail address and phone number, checked; a ValidationError in Dutch."""
    name = " ".join((name or "").split())
    email = (email or "").strip()
    phone = (phone or "").strip()
    errors = {}
    if len(name) > 200:
        errors["name"] = _("Een naam is hoogstens 200 tekens.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Vul een geldig e-mailadres in.")
    if phone and not _PHONE.match(phone):
        errors["phone"] = _("Vul een telefoonnummer in van 8 tot 20 cijfers.")
    if errors:
        raise ValidationError(errors)
    return IdentityData(name=name, email=email[:254], phone=phone)


def terms_of(subject_request: SubjectRequest) -> SearchTerms:
    data = decrypt(subject_request.encrypted_terms)
    return SearchTerms(name=data.name, email=data.email, phone=data.phone)


def _append(subject_request, actor, step, note="", from_status="", to_status=""):
    return SubjectRequestEvent.objects.create(
        request=subject_request,
        at=timezone.now(),
        actor=actor,
        step=step,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _audit(action, actor, subject_request, request=None, **fields):
    from openveiligheid.privacy.services import record

    fields.setdefault("obj", subject_request)
    return record(
        action=action,
        actor=actor,
        organisation=subject_request.organisation_id,
        request=request,
        **fields,
    )


def register_subject_request(
    *,
    actor,
    organisation,
    kind: str,
    received_on: date,
    name: str = "",
    email: str = "",
    phone: str = "",
    request=None,
) -> SubjectRequest:
    _require_officer(actor, organisation)
    errors = {}
    try:
        terms = clean_contact(name=name, email=email, phone=phone)
    except ValidationError as error:
        errors.update(error.message_dict)
        terms = None
    if terms is not None and not (terms.name or terms.email or terms.phone):
        errors["name"] = _("Vul de naam, het e-mailadres of het telefoonnummer van de persoon in.")
    if kind not in SubjectRequest.Kind.values:
        errors["kind"] = _("Kies de soort verzoek.")
    today = timezone.localdate()
    if received_on is None or received_on > today:
        errors["received_on"] = _("De datum van ontvangst kan niet in de toekomst liggen.")
    elif received_on < date(today.year - 1, 1, 1):
        errors["received_on"] = _("Vul een datum van ontvangst in van dit of vorig jaar.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        subject_request = SubjectRequest.objects.create(
            organisation=organisation,
            kind=kind,
            encrypted_terms=encrypt(terms),
            received_on=received_on,
            deadline=one_month_after(received_on),
            created_by=actor,
        )
        _append(subject_request, actor, Step.REGISTERED, to_status=Status.RECEIVED)
        _audit(AuditEntry.Action.CREATE, actor, subject_request, request)
    return subject_request


def _locked(subject_request: SubjectRequest) -> SubjectRequest:
    return SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)


def _move(subject_request, actor, to_status, note="", request=None) -> None:
    from_status = subject_request.status
    if to_status not in SUBJECT_REQUEST_TRANSITIONS[from_status]:
        raise ValidationError(
            {
                "status": _("Een verzoek met status '%(from)s' kan niet naar '%(to)s'.")
                % {"from": Status(from_status).label, "to": Status(to_status).label}
            }
        )
    subject_request.status = to_status
    subject_request.save(update_fields=["status"])
    _append(subject_request, actor, Step.STATUS, note, from_status, to_status)
    _audit(
        AuditEntry.Action.CHANGE,
        actor,
        subject_request,
        request,
        purpose=_("Status: %(status)s") % {"status": Status(to_status).label},
    )


def change_status(*, actor, subject_request, to_status: str, note: str = "", request=None):
    _require_officer(actor, subject_request.organisation)
    note = " ".join((note or "").split())
    if to_status == Status.REFUSED and not note:
        raise ValidationError({"note": _("Geef aan waarom het verzoek wordt afgewezen.")})
    if to_status not in Status.values:
        raise ValidationError({"status": _("Kies een status.")})
    with transaction.atomic():
        locked = _locked(subject_request)
        _move(locked, actor, to_status, note, request)
    subject_request.refresh_from_db()
    return subject_request


def _start(locked, actor, request) -> None:
    """A step on a received request puts it in progress; on a closed one it is refused."""
    if not locked.is_open:
        raise ValidationError(
            _("Dit verzoek is %(status)s; er kan niets meer aan worden gedaan.")
            % {"status": locked.get_status_display()}
        )
    if locked.status == Status.RECEIVED:
        _move(locked, actor, Status.IN_PROGRESS, request=request)


def find_person_data(*, actor, subject_request, request=None) -> list[PersonRecord]:
    """Everything held on the person in the request's organisation; each record found is an
    audit entry (a read of person-level data for this request)."""
    _require_officer(actor, subject_request.organisation)
    terms = terms_of(subject_request)
    records = []
    for provider in person_data_providers():
        records.extend(provider.find(subject_request.organisation, terms))
    purpose = str(subject_request)
    for found in records:
        _audit(
            AuditEntry.Action.READ,
            actor,
            subject_request,
            request,
            obj=None,
            object_type=found.object_type,
            object_id=found.object_id,
            object_repr=found.reference,
            purpose=purpose,
        )
    if not records:
        _audit(AuditEntry.Action.READ, actor, subject_request, request, purpose=_("Niets gevonden"))
    return records


def export_person_data(
    *,
    actor,
    subject_request,
    file_format: str,
    render: Callable[[list[PersonRecord]], bytes],
    request=None,
) -> bytes:
    """An art. 15 export: the records found, made into a file by `render`. Only a file that
    was made is in the history and the trail as an export."""
    _require_officer(actor, subject_request.organisation)
    records = find_person_data(actor=actor, subject_request=subject_request, request=request)
    content = render(records)
    with transaction.atomic():
        locked = _locked(subject_request)
        _append(
            locked,
            actor,
            Step.EXPORTED,
            _("%(format)s met %(count)d gegevens") % {"format": file_format, "count": len(records)},
        )
        _audit(
            AuditEntry.Action.EXPORT,
            actor,
            locked,
            request,
            purpose=_("Export (%(format)s) voor %(request)s")
            % {"format": file_format, "request": locked},
        )
    return content


def export_document(subject_request, records: list[PersonRecord]) -> dict:
    """The machine-readable export (AVG art. 15(3) and 20): plain keys, ISO dates."""
    terms = terms_of(subject_request)
    return {
        "request": {
            "number": subject_request.pk,
            "organisation": subject_request.organisation.name,
            "kind": subject_request.kind,
            "received_on": subject_request.received_on.isoformat(),
            "deadline": subject_request.deadline.isoformat(),
            "search_terms": {"name": terms.name, "email": terms.email, "phone": terms.phone},
        },
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "records": [
            {
                "type": found.object_type,
                "reference": found.reference,
                "title": str(found.title),
                "data": {key: value for key, _label, value in found.fields},
            }
            for found in records
        ],
    }


def rectify_person_data(
    *,
    actor,
    subject_request,
    provider_key: str,
    object_id: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    request=None,
) -> str:
    _require_officer(actor, subject_request.organisation)
    if subject_request.kind != SubjectRequest.Kind.RECTIFICATION:
        raise ValidationError(
            _("Alleen bij een verzoek om rectificatie worden gegevens gewijzigd.")
        )
    contact = clean_contact(name=name, email=email, phone=phone)
    if not (contact.name or contact.email or contact.phone):
        raise ValidationError(
            _(
                "Vul ten minste één gegeven in; om alles te verwijderen is een verzoek om "
                "verwijdering nodig."
            )
        )
    provider = _provider(provider_key)
    with transaction.atomic():
        locked = _locked(subject_request)
        _start(locked, actor, request)
        reference = provider.rectify(
            locked.organisation, object_id, contact, subject_request=locked, actor=actor
        )
        _append(
            locked,
            actor,
            Step.RECTIFIED,
            _("%(reference)s: contactgegevens gewijzigd") % {"reference": reference},
        )
        _audit(
            AuditEntry.Action.CHANGE,
            actor,
            locked,
            request,
            obj=None,
            object_type=provider_key,
            object_id=str(object_id),
            object_repr=reference,
            purpose=_("Rectificatie voor %(request)s") % {"request": locked},
        )
    subject_request.refresh_from_db()
    return reference


def erase_person_data(
    *, actor, subject_request, provider_key: str, object_id: str, request=None
) -> Erased:
    """Erase one record where the law allows; a refusal is kept in the history and the trail
    and raised as a ValidationError with the provider's reason."""
    _require_officer(actor, subject_request.organisation)
    if subject_request.kind != SubjectRequest.Kind.ERASURE:
        raise ValidationError(_("Alleen bij een verzoek om verwijdering worden gegevens gewist."))
    provider = _provider(provider_key)
    try:
        with transaction.atomic():
            locked = _locked(subject_request)
            _start(locked, actor, request)
            erased = provider.erase(
                locked.organisation, object_id, subject_request=locked, actor=actor
            )
            DeletionRecord.objects.create(
                object_type=erased.object_type,
                reference=erased.reference,
                what=erased.what,
                organisation_id=locked.organisation_id,
                reason=DeletionRecord.Reason.ERASURE,
                subject_request=locked,
                deleted_at=timezone.now(),
                deleted_by_name=actor.get_username(),
            )
            _append(
                locked,
                actor,
                Step.ERASED,
                _("%(reference)s: %(what)s verwijderd")
                % {"reference": erased.reference, "what": erased.what},
            )
            _audit(
                AuditEntry.Action.DELETE,
                actor,
                locked,
                request,
                obj=None,
                object_type=erased.object_type,
                object_id=str(object_id),
                object_repr=erased.reference,
                purpose=_("Verwijdering voor %(request)s") % {"request": locked},
            )
    except ErasureRefused as refusal:
        reason = str(refusal)
        with transaction.atomic():
            locked = _locked(subject_request)
            _append(locked, actor, Step.ERASURE_REFUSED, reason)
            _audit(
                AuditEntry.Action.DELETE,
                actor,
                locked,
                request,
                obj=None,
                object_type=provider_key,
                object_id=str(object_id),
                result=AuditEntry.Result.REFUSED,
                purpose=reason,
            )
        subject_request.refresh_from_db()
        raise ValidationError(reason) from refusal
    subject_request.refresh_from_db()
    return erased
