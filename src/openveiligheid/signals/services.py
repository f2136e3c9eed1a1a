"""Writes of the meldpunt: a municipality's default categories and a resident's report.

Every rule a report must meet is checked here, so the public form and (later) the public API
refuse the same things in the same words."""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openveiligheid.privacy.identities import IdentityData, encrypt
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import record
from openveiligheid.signals.models import Attachment, Category, Report

DEFAULT_CATEGORIES = (
    ("drugs", gettext_lazy("Drugs")),
    ("uitbuiting", gettext_lazy("Uitbuiting")),
    ("fraude", gettext_lazy("Fraude")),
    ("overlast", gettext_lazy("Overlast")),
    ("anders", gettext_lazy("Anders")),
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


def ensure_default_categories(organisation) -> list[Category]:
    """The municipality's categories, created from the default set when it has none yet."""
    with transaction.atomic():
        if not Category.objects.filter(organisation=organisation).exists():
            Category.objects.bulk_create(
                Category(organisation=organisation, slug=slug, name=str(name), position=index)
                for index, (slug, name) in enumerate(DEFAULT_CATEGORIES)
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
