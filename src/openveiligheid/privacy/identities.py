"""Encryption of identities and keyed pseudonyms.

Identities (name, BSN, date of birth, contact details) are stored only as a Fernet token
(AES-128-CBC with HMAC-SHA256) under OPENVEILIGHEID_IDENTITY_KEYS; the first key encrypts and
every listed key decrypts (MultiFernet), so keys can be rotated. A pseudonym is an HMAC-SHA256
under a separate key (OPENVEILIGHEID_PSEUDONYM_KEY) of the organisation and the person's
normalised identifying data: the same person gets the same pseudonym within one organisation, and
nobody without the key can compute it from a name or BSN, nor join two organisations' pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from openveiligheid.core.text import normalise_name

_NOT_DIGITS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class IdentityData:
    """What the identity store holds of one person; decrypted only in memory."""

    name: str
    bsn: str = ""
    date_of_birth: str = ""  # ISO date, or empty
    email: str = ""
    phone: str = ""
    address: str = ""


def normalise_bsn(value: str) -> str:
    return _NOT_DIGITS.sub("", value or "")


def validate_bsn(value: str) -> str:
    """The BSN as nine digits if it passes the elfproef; otherwise a ValidationError in Dutch.

    Elfproef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11 (and not 0)."""
    digits = normalise_bsn(value)
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits  # an old BSN written without its leading zero
    if len(digits) != 9 or not digits.isdigit():
        raise ValidationError(
            _("Een burgerservicenummer bestaat uit 9 cijfers."), code="bsn_length"
        )
    weights = range(9, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits[:8], weights, strict=True))
    total -= int(digits[8])
    if total == 0 or total % 11:
        raise ValidationError(
            _("Dit is geen geldig burgerservicenummer: het voldoet niet aan de elfproef."),
            code="bsn_elfproef",
        )
    return digits


def _required(name: str, value):
    if not value:
        raise ImproperlyConfigured(
            f"{name} ontbreekt: zet de sleutel in de omgeving (README, Privacy keys)."
        )
    return value


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def identity_cipher() -> MultiFernet:
    keys = _required("OPENVEILIGHEID_IDENTITY_KEYS", settings.OPENVEILIGHEID_IDENTITY_KEYS)
    return _fernet(tuple(keys))


def encrypt(data: IdentityData) -> str:
    plain = json.dumps(asdict(data), ensure_ascii=False, sort_keys=True).encode()
    return identity_cipher().encrypt(plain).decode("ascii")


def decrypt(token: str) -> IdentityData:
    try:
        plain = identity_cipher().decrypt(token.encode("ascii"))
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Identiteit niet te ontsleutelen: de sleutel waarmee zij is versleuteld staat niet "
            "in OPENVEILIGHEID_IDENTITY_KEYS."
        ) from error
    return IdentityData(**json.loads(plain))


def rotate(token: str) -> str:
    """The token encrypted again under the first (newest) key."""
    return identity_cipher().rotate(token.encode("ascii")).decode("ascii")


def identifying_basis(data: IdentityData) -> str:
    """What makes two records the same person: the BSN when known, otherwise the normalised
    name with the date of birth (or, lacking that, the e-mail address)."""
    if data.bsn:
        return f"bsn:{data.bsn}"
    name = normalise_name(data.name)
    if data.date_of_birth:
        return f"name:{name}|born:{data.date_of_birth}"
    return f"name:{name}|email:{data.email.strip().lower()}"


def pseudonym_for(organisation_id: int, data: IdentityData) -> str:
    key = _required("OPENVEILIGHEID_PSEUDONYM_KEY", settings.OPENVEILIGHEID_PSEUDONYM_KEY)
    message = f"{organisation_id}|{identifying_basis(data)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def clean_identity(
    *,
    name: str,
    bsn: str = "",
    date_of_birth: date | str | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
) -> IdentityData:
    """The identity as stored, validated: a name or BSN, a valid BSN (elfproef)."""
    errors = {}
    name = " ".join((name or "").split())
    if bsn:
        try:
            bsn = validate_bsn(bsn)
        except ValidationError as error:
            errors["bsn"] = error.messages
    if not name and not bsn:
        errors["name"] = [_("Vul de naam of het burgerservicenummer in.")]
    if len(name) > 200:
        errors["name"] = [_("Een naam is hoogstens 200 tekens.")]
    if errors:
        raise ValidationError(errors)
    if isinstance(date_of_birth, date):
        date_of_birth = date_of_birth.isoformat()
    return IdentityData(
        name=name,
        bsn=bsn,
        date_of_birth=date_of_birth or "",
        email=(email or "").strip()[:254],
        phone=(phone or "").strip()[:40],
        address=(address or "").strip()[:300],
    )
