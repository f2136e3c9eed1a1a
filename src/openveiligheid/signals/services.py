"""Writes of the meldpunt: a municipality's default categories, a resident's report and every
triage step staff take on it.

Every rule a report or a step must meet is checked here, so the pages, the public and the triage
API refuse the same things in the same words."""

from __future__ import annotations

import base64
import logging
import re
import secrets
import smtplib
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import user_or_none
from openveiligheid.core.log import log_event
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.privacy.identities import IdentityData, decrypt, encrypt
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import check_purpose, record
from openveiligheid.signals.models import (
    STEP_TARGETS,
    TRIAGE_STEPS,
    TRIAGE_TRANSITIONS,
    Attachment,
    Category,
    Report,
    ReportEvent,
    ReportLink,
    TriageStep,
)

logger = logging.getLogger(__name__)

# Stored as the municipality's own data, in Dutch whatever the language of the request that
# creates them (a visitor reading English must not name a municipality's categories).
DEFAULT_CATEGORIES = (
    ("drugs", "Drugs"),
    ("uitbuiting", "Uitbuiting"),
    ("fraude", "Fraude"),
    ("overlast", "Overlast"),
    ("anders", "Anders"),
)

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 5000
LOCATION_MAX = 300
CONTACT_NAME_MAX = 200
EMAIL_MAX = 254

_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_HOUSE_NUMBER = re.compile(r"^[1-9][0-9]{0,4}(?:[ -]?[A-Z0-9]{1,4})?$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{7,18}$")
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")
# Control characters (tab and line breaks aside) and the replacement character, which stands
# where a browser or client sent bytes that are no UTF-8: no resident types them.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")

# The first bytes of the only file types a report may carry; the name and the browser's
# stated type are not trusted.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
ATTACHMENT_CONTENT_TYPES = tuple(content_type for _head, content_type, _ext in _SIGNATURES)


def ensure_default_categories(organisation) -> list[Category]:
    """The municipality's categories in use. The default set is created once, the first time
    the municipality has no categories at all; every later call (each meldpunt request makes
    one) is a single read and writes nothing."""
    categories = list(Category.objects.filter(organisation=organisation, is_active=True))
    if categories:
        return categories
    with transaction.atomic():
        if not Category.objects.filter(organisation=organisation).exists():
            # Two first requests at once may both get here: the second's rows are the same
            # and are left out rather than refused.
            Category.objects.bulk_create(
                (
                    Category(organisation=organisation, slug=slug, name=name, position=index)
                    for index, (slug, name) in enumerate(DEFAULT_CATEGORIES)
                ),
                ignore_conflicts=True,
            )
    return list(Category.objects.filter(organisation=organisation, is_active=True))


def new_reference() -> str:
    """MLD- and 8 base32 characters (40 random bits): not to be guessed or counted up."""
    return "MLD-" + base64.b32encode(secrets.token_bytes(5)).decode("ascii")


def normalise_postcode(value: str) -> str:
    return "".join((value or "").split()).upper()


def safe_file_name(name: str) -> str:
    """The file's own name without any folder part, reduced to letters, digits, . - _ and
    spaces: shown to staff, never used as a path."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    return name[-100:] or "bijlage"


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


@dataclass(frozen=True)
class ReportInput:
    category: Category | None
    description: str
    postcode: str = ""
    house_number: str = ""
    location_description: str = ""
    occurred_on: date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def _check_place(data: ReportInput, errors: dict) -> tuple[str, str, str]:
    postcode = normalise_postcode(data.postcode)
    house_number = " ".join((data.house_number or "").split()).upper()
    location = " ".join((data.location_description or "").split())
    if postcode and not _POSTCODE.match(postcode):
        errors["postcode"] = _("Vul een postcode in als 1234 AB.")
    if house_number and not _HOUSE_NUMBER.match(house_number):
        errors["house_number"] = _(
            "Vul een huisnummer in, eventueel met toevoeging, zoals 12 of 12a."
        )
    if bool(postcode) != bool(house_number) and "postcode" not in errors:
        errors.setdefault(
            "house_number" if postcode else "postcode",
            _("Vul zowel de postcode als het huisnummer in."),
        )
    if not postcode and not house_number and not location:
        errors["location_description"] = _(
            "Vul een postcode en huisnummer in, of beschrijf de plek."
        )
    if len(location) > LOCATION_MAX:
        errors["location_description"] = _("Beschrijf de plek in hoogstens %(count)d tekens.") % {
            "count": LOCATION_MAX
        }
    return postcode, house_number, location


def _check_contact(data: ReportInput, errors: dict) -> IdentityData | None:
    name = " ".join((data.contact_name or "").split())
    phone = (data.contact_phone or "").strip()
    email = (data.contact_email or "").strip()
    if len(name) > CONTACT_NAME_MAX:
        errors["contact_name"] = _("Een naam is hoogstens 200 tekens.")
    if phone and not _PHONE.match(phone):
        errors["contact_phone"] = _("Vul een telefoonnummer in van 8 tot 20 cijfers.")
    if email:
        try:
            validate_email(email)
            valid = len(email) <= EMAIL_MAX
        except ValidationError:
            valid = False
        if not valid:
            errors["contact_email"] = _("Vul een geldig e-mailadres in.")
    if not (name or phone or email):
        return None
    return IdentityData(name=name, email=email, phone=phone)


def _check_readable(data: ReportInput, errors: dict) -> None:
    for field in (
        "description",
        "postcode",
        "house_number",
        "location_description",
        "contact_name",
        "contact_phone",
        "contact_email",
    ):
        if _UNREADABLE.search(getattr(data, field) or ""):
            errors[field] = _(
                "Deze tekst bevat tekens die niet te lezen zijn (stuurtekens of een verkeerde "
                "tekencodering). Verwijder ze en verstuur de melding opnieuw."
            )


def check_attachments(files) -> list[tuple[object, str, str, str]]:
    """Each file with its safe name, sniffed type and extension; a ValidationError in Dutch for
    too many, too large or any type but JPEG, PNG and PDF."""
    files = list(files or [])
    limit = settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS
    max_bytes = settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES
    if len(files) > limit:
        raise ValidationError(
            {"attachments": _("Voeg hoogstens %(count)d bestanden toe.") % {"count": limit}}
        )
    checked = []
    for upload in files:
        name = safe_file_name(upload.name)
        if upload.size > max_bytes:
            raise ValidationError(
                {
                    "attachments": _("%(name)s is groter dan %(size)d MB.")
                    % {"name": name, "size": max_bytes // (1024 * 1024)}
                }
            )
        upload.seek(0)
        sniffed = sniff_type(upload.read(8))
        upload.seek(0)
        if sniffed is None:
            raise ValidationError(
                {
                    "attachments": _(
                        "%(name)s is geen foto (JPEG of PNG) of PDF-bestand. Alleen die soorten "
                        "bestanden kunt u meesturen."
                    )
                    % {"name": name}
                }
            )
        checked.append((upload, name, *sniffed))
    return checked


def submit_report(*, organisation, data: ReportInput, attachments=(), request=None) -> Report:
    """Check and save a resident's report with its attachments in one transaction; when this
    returns, the report is in the database."""
    errors: dict = {}
    if data.category is None or data.category.organisation_id != organisation.pk:
        errors["category"] = _("Kies waar uw melding over gaat.")
    description = (data.description or "").strip()
    if len(description) < DESCRIPTION_MIN:
        errors["description"] = _(
            "Beschrijf wat er aan de hand is in ten minste %(count)d tekens."
        ) % {"count": DESCRIPTION_MIN}
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _(
            "Beschrijf wat er aan de hand is in hoogstens %(count)d tekens."
        ) % {"count": DESCRIPTION_MAX}
    if data.occurred_on and data.occurred_on > timezone.localdate():
        errors["occurred_on"] = _("De datum kan niet in de toekomst liggen.")
    postcode, house_number, location = _check_place(data, errors)
    contact = _check_contact(data, errors)
    _check_readable(data, errors)
    try:
        files = check_attachments(attachments)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    stored: list[Attachment] = []
    try:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        organisation=organisation,
                        reference=new_reference(),
                        category=data.category,
                        postcode=postcode,
                        house_number=house_number,
                        location_description=location,
                        occurred_on=data.occurred_on,
                        description=description,
                        encrypted_contact=encrypt(contact) if contact else "",
                    )
                    for upload, name, content_type, extension in files:
                        attachment = Attachment(
                            report=report,
                            original_name=name,
                            content_type=content_type,
                            size=upload.size,
                        )
                        attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
                        stored.append(attachment)
                        attachment.save()
                    record(
                        action=AuditEntry.Action.CREATE,
                        obj=report,
                        organisation=organisation,
                        request=request,
                    )
                return report
            except IntegrityError:
                # A reference drawn twice (1 in 2^40): draw again.
                continue
        raise RuntimeError("no free report reference")
    except BaseException:
        # The report was not saved: its files must not stay behind on the storage.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


# --- Triage -------------------------------------------------------------------------------------
#
# Every step staff take on a report: one transaction that locks the report, checks the step
# against the transition table (models.TRIAGE_STEPS), appends a ReportEvent and writes an audit
# entry. The report's content is person-level data, so a step leaves its trace in the audit
# trail and the report's own history, not in the general change log that many people read.

NOTE_MAX = 2000
QUESTION_MIN = 10
MELD_MISDAAD_ANONIEM = "Meld Misdaad Anoniem"


def _refuse(actor, report: Report, step: str, request) -> None:
    record(
        action=AuditEntry.Action.CHANGE,
        actor=actor,
        obj=report,
        result=AuditEntry.Result.REFUSED,
        purpose=str(TriageStep(step).label),
        request=request,
    )
    raise PermissionDenied(
        _(
            "U kunt deze melding lezen, maar niet behandelen: dat doet wie de meldingen van "
            "%(municipality)s behandelt."
        )
        % {"municipality": report.organisation.name}
    )


def may_triage(actor, report: Report) -> bool:
    """Whether the actor holds TRIAGE_SIGNALS in the report's municipality (a membership; being
    a superuser is not enough, as for reading)."""
    access = access_for(actor)
    return access is not None and Permission.TRIAGE_SIGNALS in access.permissions.get(
        report.organisation_id, frozenset()
    )


def require_triager(actor, report: Report, step: str, request=None) -> None:
    """Refuse (PermissionDenied, in the audit trail) an actor who may not triage the report,
    such as the staff of the partner it was forwarded to. Called outside the step's
    transaction, so that the refusal stays in the audit trail; the API calls it before it reads
    a step's input, so that a reader is refused before being told what is wrong with it."""
    if not may_triage(actor, report):
        _refuse(actor, report, step, request)


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("category").get(pk=report.pk)


def _check_step(report: Report, step: str) -> None:
    if step not in TRIAGE_STEPS[report.status]:
        raise ValidationError(
            _("De stap '%(step)s' is niet mogelijk bij een melding met status '%(status)s'.")
            % {
                "step": TriageStep(step).label,
                "status": Report.Status(report.status).label,
            }
        )


def _clean_note(note: str, *, required: bool = False, field: str = "note") -> str:
    note = (note or "").strip()
    if required and len(note) < QUESTION_MIN:
        raise ValidationError(
            {
                field: _("Vul een toelichting in van ten minste %(count)d tekens.")
                % {"count": QUESTION_MIN}
            }
        )
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {field: _("Een toelichting is hoogstens %(count)d tekens.") % {"count": NOTE_MAX}}
        )
    return note


def _append(
    report: Report,
    step: str,
    *,
    actor,
    note: str = "",
    summary: str = "",
    request=None,
    fields: tuple[str, ...] = (),
    audit: bool = True,
) -> ReportEvent:
    """Move the report to the step's status (if it has one), save the changed fields, append the
    event and write the audit entry (unless the caller's own service writes it: `audit`)."""
    from_status = report.status
    to_status = STEP_TARGETS.get(step, "")
    if to_status:
        if to_status not in TRIAGE_TRANSITIONS[from_status]:  # guarded by TRIAGE_STEPS too
            raise ValidationError(
                _("Een melding met status '%(current)s' kan niet naar '%(wanted)s'.")
                % {
                    "current": Report.Status(from_status).label,
                    "wanted": Report.Status(to_status).label,
                }
            )
        report.status = to_status
        fields = (*fields, "status")
    if fields:
        report.save(update_fields=list(dict.fromkeys(fields)))
    actor = user_or_none(actor)
    event = ReportEvent.objects.create(
        report=report,
        step=step,
        from_status=from_status if to_status else "",
        to_status=to_status,
        summary=summary[:300],
        note=note,
        actor=actor,
        actor_name=actor.get_username() if actor else "",
    )
    if audit:
        record(
            action=AuditEntry.Action.CHANGE,
            actor=actor,
            obj=report,
            purpose=str(TriageStep(step).label),
            request=request,
        )
    return event


def take_into_triage(report: Report, *, actor, note: str = "", request=None) -> Report:
    """A new report, or one whose reporter answered, is (again) being dealt with."""
    require_triager(actor, report, TriageStep.TAKE, request)
    with transaction.atomic():
        report = _locked(report)
        _check_step(report, TriageStep.TAKE)
        note = _clean_note(note)
        _append(report, TriageStep.TAKE, actor=actor, note=note, request=request)
    return report


def classify(report: Report, *, category: Category | None, actor, note: str = "", request=None):
    """Put the report under another of its municipality's categories."""
    require_triager(actor, report, TriageStep.CLASSIFY, request)
    with transaction.atomic():
        report = _locked(report)
        _check_step(report, TriageStep.CLASSIFY)
        if category is None or category.organisation_id != report.organisation_id:
            raise ValidationError({"category": _("Kies een categorie van deze gemeente.")})
        if not category.is_active:
            raise ValidationError({"category": _("Deze categorie is niet meer in gebruik.")})
        if category.pk == report.category_id:
            raise ValidationError({"category": _("De melding heeft deze categorie al.")})
        note = _clean_note(note)
        summary = f"{report.category.name} → {category.name}"
        report.category = category
        _append(
            report,
            TriageStep.CLASSIFY,
            actor=actor,
            note=note,
            summary=summary,
            request=request,
            fields=("category",),
        )
    return report


def prioritise(report: Report, *, priority: str, actor, note: str = "", request=None) -> Report:
    require_triager(actor, report, TriageStep.PRIORITISE, request)
    with transaction.atomic():
        report = _locked(report)
        _check_step(report, TriageStep.PRIORITISE)
        if priority not in Report.Priority.values:
            raise ValidationError(
                {"priority": _("Kies een prioriteit: laag, normaal, hoog of spoed.")}
            )
        if priority == report.priority:
            raise ValidationError({"priority": _("De melding heeft deze prioriteit al.")})
        note = _clean_note(note)
        summary = f"{report.get_priority_display()} → {Report.Priority(priority).label}"
        report.priority = priority
        _append(
            report,
            TriageStep.PRIORITISE,
            actor=actor,
            note=note,
            summary=summary,
            request=request,
            fields=("priority",),
        )
    return report


def forward(
    report: Report,
    *,
    actor,
    note: str,
    partner: Organisation | None = None,
    to_meld_misdaad_anoniem: bool = False,
    request=None,
) -> Report:
    """Record that the report was passed to a partner organisation (police, RIEC, ...) or that
    the reporter was pointed to Meld Misdaad Anoniem: to whom, and what was passed on how."""
    require_triager(actor, report, TriageStep.FORWARD, request)
    with transaction.atomic():
        report = _locked(report)
        _check_step(report, TriageStep.FORWARD)
        if partner is not None and to_meld_misdaad_anoniem:
            raise ValidationError(
                {"partner": _("Kies een partner of Meld Misdaad Anoniem, niet allebei.")}
            )
        if partner is None and not to_meld_misdaad_anoniem:
            raise ValidationError({"partner": _("Kies de partner waaraan u de melding doorzet.")})
        if partner is not None and partner.kind != Organisation.Kind.PARTNER:
            raise ValidationError(
                {"partner": _("U kunt een melding alleen doorzetten aan een ketenpartner.")}
            )
        note = _clean_note(note, required=True)
        report.forwarded_to = partner
        report.forwarded_to_name = partner.name if partner else MELD_MISDAAD_ANONIEM
        report.forwarded_at = timezone.now()
        _append(
            report,
            TriageStep.FORWARD,
            actor=actor,
            note=note,
            summary=report.forwarded_to_name,
            request=request,
            fields=("forwarded_to", "forwarded_to_name", "forwarded_at"),
        )
    return report


def _question_mail(report: Report, question: str, address: str) -> EmailMessage:
    context = {"report": report, "question": question, "organisation": report.organisation}
    subject = render_to_string("signals/email/question_subject.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("signals/email/question_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


def ask_reporter(report: Report, *, question: str, actor, request=None) -> Report:
    """E-mail the reporter a question (only when they left an e-mail address) and wait for the
    answer. The address is decrypted for this mail alone, which the audit trail records as a
    reveal with its purpose."""
    require_triager(actor, report, TriageStep.ASK_REPORTER, request)
    with transaction.atomic():
        report = _locked(report)
        _check_step(report, TriageStep.ASK_REPORTER)
        if report.is_anonymous:
            raise ValidationError(
                _(
                    "Deze melding is anoniem gedaan: er zijn geen contactgegevens om de melder "
                    "iets te vragen."
                )
            )
        question = (question or "").strip()
        if len(question) < QUESTION_MIN:
            raise ValidationError(
                {
                    "question": _("Schrijf uw vraag in ten minste %(count)d tekens.")
                    % {"count": QUESTION_MIN}
                }
            )
        if len(question) > NOTE_MAX:
            raise ValidationError(
                {"question": _("Een vraag is hoogstens %(count)d tekens.") % {"count": NOTE_MAX}}
            )
        contact = decrypt(report.encrypted_contact)
        if not contact.email:
            raise ValidationError(
                _(
                    "De melder heeft geen e-mailadres opgegeven. Bekijk de contactgegevens om de "
                    "melder te bellen."
                )
            )
        record(
            action=AuditEntry.Action.REVEAL,
            actor=actor,
            obj=report,
            purpose=str(_("E-mail met een vraag aan de melder")),
            request=request,
        )
        _append(report, TriageStep.ASK_REPORTER, actor=actor, note=question, request=request)
        # Last, inside the transaction: a mail that cannot be sent leaves the report as it was.
        try:
            _question_mail(report, question, contact.email).send()
        except (smtplib.SMTPException, OSError) as error:
            log_event(
                logger, "reporter_question_not_sent", report=report.pk, error=type(error).__name__
            )
            raise ValidationError(
                _(
                    "De e-mail aan de melder kon niet worden verstuurd: de mailserver is niet "
                    "bereikbaar of weigert het bericht. Er is niets opgeslagen; probeer het later "
                    "opnieuw."
                )
            ) from error
    log_event(logger, "reporter_asked", report=report.pk)
    return report


def link(
    report: Report,
    other: Report | None,
    *,
    reason: str,
    actor,
    note: str = "",
    request=None,
) -> ReportLink:
    """Link two reports of one municipality about the same address or subject; both histories
    show it."""
    require_triager(actor, report, TriageStep.LINK, request)
    with transaction.atomic():
        if other is None:
            raise ValidationError({"other": _("Kies de melding die u wilt koppelen.")})
        if other.pk == report.pk:
            raise ValidationError(
                {"other": _("Een melding kan niet aan zichzelf worden gekoppeld.")}
            )
        if other.organisation_id != report.organisation_id:
            raise ValidationError(
                {"other": _("U kunt alleen meldingen van dezelfde gemeente koppelen.")}
            )
        # Both rows locked, in id order, so two staff linking the same pair cannot deadlock.
        locked = {
            row.pk: row
            for row in Report.objects.select_for_update()
            .filter(pk__in=[report.pk, other.pk])
            .order_by("pk")
        }
        report, other = locked[report.pk], locked[other.pk]
        _check_step(report, TriageStep.LINK)
        if reason not in ReportLink.Reason.values:
            raise ValidationError({"reason": _("Kies waarom de meldingen bij elkaar horen.")})
        first, second = sorted((report, other), key=lambda row: row.pk)
        if ReportLink.objects.filter(first=first, second=second).exists():
            raise ValidationError({"other": _("Deze meldingen zijn al gekoppeld.")})
        note = _clean_note(note)
        created = ReportLink.objects.create(
            first=first, second=second, reason=reason, created_by=user_or_none(actor)
        )
        label = ReportLink.Reason(reason).label
        _append(
            report,
            TriageStep.LINK,
            actor=actor,
            note=note,
            summary=f"{other.reference} ({label})",
            request=request,
        )
        # The other report's history shows the link too, whatever its own status.
        ReportEvent.objects.create(
            report=other,
            step=TriageStep.LINK,
            summary=f"{report.reference} ({label})",
            note=note,
            actor=user_or_none(actor),
            actor_name=actor.get_username() if user_or_none(actor) else "",
        )
        record(
            action=AuditEntry.Action.CHANGE,
            actor=actor,
            obj=other,
            purpose=str(TriageStep.LINK.label),
            request=request,
        )
    return created


def close(report: Report, *, reason: str, actor, note: str = "", request=None) -> Report:
    """Close the report with a reason; a duplicate only once it is linked to the report it
    duplicates."""
    require_triager(actor, report, TriageStep.CLOSE, request)
    with transaction.atomic():
        report = _locked(report)
        _check_step(report, TriageStep.CLOSE)
        if reason not in Report.CloseReason.values:
            raise ValidationError({"reason": _("Kies de reden van afsluiten.")})
        if reason == Report.CloseReason.DUPLICATE and not links_of(report).exists():
            raise ValidationError(
                {
                    "reason": _(
                        "Koppel een dubbele melding eerst aan de melding waarvan zij een dubbel "
                        "is; daarna kunt u haar afsluiten."
                    )
                }
            )
        note = _clean_note(note)
        report.close_reason = reason
        report.closed_at = timezone.now()
        _append(
            report,
            TriageStep.CLOSE,
            actor=actor,
            note=note,
            summary=str(Report.CloseReason(reason).label),
            request=request,
            fields=("close_reason", "closed_at"),
        )
    return report


# --- Data subject requests -----------------------------------------------------------------------
#
# The privacy officer rectifies or erases the reporter's contact details for a data subject
# request (privacy.subject_requests, which checks the officer's permission and writes the audit
# entry, through signals.person_data). The report's history names the request and none of the
# data, so triagers see why the contact details changed or are gone.


def _on_grounds_of(subject_request) -> str:
    return _("op grond van %(request)s") % {"request": subject_request}


def _subject_request_change(report: Report, step: str, *, subject_request, actor, contact):
    with transaction.atomic():
        report = _locked(report)
        if report.is_anonymous:
            raise ValidationError(
                _("Deze melding is anoniem gedaan: er zijn geen contactgegevens.")
            )
        report.encrypted_contact = encrypt(contact) if contact else ""
        _append(
            report,
            step,
            actor=actor,
            summary=_on_grounds_of(subject_request),
            fields=("encrypted_contact",),
            audit=False,
        )
    return report


def rectify_contact(report: Report, contact: IdentityData, *, subject_request, actor) -> Report:
    """The reporter's contact details as the data subject request corrects them (AVG art. 16)."""
    return _subject_request_change(
        report,
        TriageStep.RECTIFY_CONTACT,
        subject_request=subject_request,
        actor=actor,
        contact=contact,
    )


def erase_contact(report: Report, *, subject_request, actor) -> Report:
    """The reporter's contact details erased for a data subject request (AVG art. 17); the report
    itself stays."""
    return _subject_request_change(
        report,
        TriageStep.ERASE_CONTACT,
        subject_request=subject_request,
        actor=actor,
        contact=None,
    )


def links_of(report: Report):
    return ReportLink.objects.filter(models.Q(first=report) | models.Q(second=report))


def contact_refusal(report: Report) -> str:
    """Why someone who reads the report (a colleague without TRIAGE_SIGNALS, the staff of the
    partner it was forwarded to) does not see the reporter's contact details."""
    return _(
        "De contactgegevens van de melder ziet alleen wie de meldingen van %(municipality)s "
        "behandelt. Heeft u contact met de melder nodig, vraag het dan aan de gemeente."
    ) % {"municipality": report.organisation.name}


def reveal_contact(report: Report, *, actor, purpose: str, request=None) -> IdentityData:
    """The reporter's contact details, for staff who triage the report in its municipality and
    state why they need them (as privacy.services.reveal_identity); never for a partner the
    report was forwarded to. Every reveal and refused attempt is in the audit trail with its
    purpose."""
    purpose = " ".join((purpose or "").split())
    if not may_triage(actor, report):
        record(
            action=AuditEntry.Action.REVEAL,
            actor=actor,
            obj=report,
            result=AuditEntry.Result.REFUSED,
            purpose=purpose,
            request=request,
        )
        raise PermissionDenied(contact_refusal(report))
    if report.is_anonymous:
        raise ValidationError(_("Deze melding is anoniem gedaan: er zijn geen contactgegevens."))
    check_purpose(purpose, max_length=NOTE_MAX)
    contact = decrypt(report.encrypted_contact)
    record(
        action=AuditEntry.Action.REVEAL, actor=actor, obj=report, purpose=purpose, request=request
    )
    return contact
