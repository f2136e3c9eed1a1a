"""Writes of the privacy app: audit entries (the one way to write one), access review sign-offs,
identities behind pseudonyms and their reveal for a stated purpose.

`record()` appends one entry to the audit trail. Apps holding person-level data call it, or
`audited(request, ...)` from a view, for every read, change and export of that data, also when
it was refused. Writers lock the chain's head row, so concurrent writers queue and form one
unbroken chain on PostgreSQL (row lock) and SQLite (the UPDATE takes the database's write lock).
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import owning_organisation_id, record_change, user_or_none
from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.privacy.chain import entry_hash
from openveiligheid.privacy.identities import (
    IdentityData,
    clean_identity,
    decrypt,
    encrypt,
    pseudonym_for,
    rotate,
)
from openveiligheid.privacy.models import AccessReview, AuditChainHead, AuditEntry, Identity
from openveiligheid.privacy.selectors import access_overview

logger = logging.getLogger(__name__)

HEAD_ID = 1


@dataclass(frozen=True)
class Origin:
    """Where a request came from, as the audit trail keeps it."""

    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


def origin_of(request) -> Origin:
    if request is None:
        return Origin()
    from axes.helpers import get_client_ip_address  # the address the lock-out uses too

    address = get_client_ip_address(request)
    try:
        address = str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        address = None
    return Origin(
        ip_address=address,
        user_agent=request.headers.get("User-Agent", "")[:300],
        request_id=getattr(request, "request_id", "") or "",
    )


def _object_fields(obj) -> dict:
    if obj is None:
        return {}
    return {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:300],
    }


def _lock_head() -> AuditChainHead:
    # The UPDATE comes first: on SQLite it takes the write lock before anything is read (a
    # SELECT first would let two writers read the same head), on PostgreSQL it locks the row.
    if not AuditChainHead.objects.filter(pk=HEAD_ID).update(last_sequence=F("last_sequence")):
        AuditChainHead.objects.get_or_create(pk=HEAD_ID)
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)


def record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    result: str = AuditEntry.Result.ALLOWED,
    organisation=None,
    purpose: str = "",
    request=None,
) -> AuditEntry:
    """Append one entry. `obj` names the object (its type, id and text) unless the object_*
    arguments do; the organisation is the object's owner unless given."""
    actor = user_or_none(actor)
    if organisation is None and obj is not None:
        organisation_id = owning_organisation_id(obj)
    else:
        organisation_id = getattr(organisation, "pk", organisation)
    origin = origin_of(request)
    fields = {
        "object_type": object_type,
        "object_id": str(object_id),
        "object_repr": object_repr[:300],
    } | _object_fields(obj)
    with transaction.atomic():
        head = _lock_head()
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            previous_hash=head.last_hash,
            at=timezone.now().astimezone(UTC),
            action=action,
            result=result,
            actor_id=actor.pk if actor else None,
            actor_name=actor.get_username() if actor else "",
            organisation_id=organisation_id,
            ip_address=origin.ip_address,
            user_agent=origin.user_agent,
            request_id=origin.request_id,
            purpose=purpose,
            **fields,
        )
        entry.entry_hash = entry_hash(entry)
        entry.save()
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    # The application log holds every entry's hash as well: a copy outside the database to
    # compare the chain's end with.
    log_event(
        logger,
        "audit_recorded",
        sequence=entry.sequence,
        action=action,
        result=result,
        object=f"{entry.object_type}:{entry.object_id}",
        organisation=organisation_id,
        hash=entry.entry_hash,
    )
    return entry


def audited(request, action: str, obj=None, **fields) -> AuditEntry:
    """record() for a view: the signed-in user and the request's origin."""
    return record(action=action, actor=request.user, obj=obj, request=request, **fields)


def sign_off_access_review(
    *, actor, organisation, year: int, note: str = "", request=None
) -> AccessReview:
    """The privacy officer signs that the access in `organisation` for `year` was reviewed; what
    was reviewed (every member's roles and permissions) is stored with the sign-off."""
    access = access_for(actor)
    if access is None or not access.has(Permission.VIEW_AUDIT, organisation.pk):
        raise PermissionDenied
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year:
        raise ValidationError(
            {"year": _("Kies een jaar tussen 2000 en %(year)d.") % {"year": this_year}}
        )
    if AccessReview.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(
            {"year": _("De toegang over %(year)d is al afgetekend.") % {"year": year}}
        )
    snapshot = [
        {
            "user": row.username,
            "name": row.full_name,
            "active": row.is_active,
            "roles": row.roles,
            "permissions": row.permission_codes,
        }
        for row in access_overview(organisation)
    ]
    with transaction.atomic():
        review = AccessReview.objects.create(
            organisation=organisation,
            year=year,
            signed_by=actor,
            signed_at=timezone.now(),
            note=note.strip(),
            snapshot=snapshot,
        )
        record_change(review, actor, ChangeLogEntry.Operation.CREATE)
        record(
            action=AuditEntry.Action.SIGN_OFF,
            actor=actor,
            obj=review,
            organisation=organisation,
            purpose=review.note,
            request=request,
        )
    return review


# A purpose must say something ("inzage" alone does not): at least this many characters.
MIN_PURPOSE_LENGTH = 10


def store_identity(*, organisation, actor=None, request=None, **fields) -> Identity:
    """Keep a person's identifying data (name, bsn, date_of_birth, email, phone, address)
    encrypted and return their identity, whose pseudonym the caller stores instead of the person.

    The same person (same BSN, or same name and date of birth) within the organisation gets the
    same identity; details given again are added to it. No permission is checked here: the
    calling service decides who may record a person (a resident filing a report may). The
    change is in the audit trail, not in the change log, which many people can read and which
    must not keep (even encrypted) personal data after the identity is erased."""
    data = clean_identity(**fields)
    pseudonym = pseudonym_for(organisation.pk, data)
    with transaction.atomic():
        identity = Identity.objects.select_for_update().filter(pseudonym=pseudonym).first()
        if identity is None:
            identity = Identity.objects.create(
                organisation=organisation, pseudonym=pseudonym, encrypted_data=encrypt(data)
            )
            action = AuditEntry.Action.CREATE
        else:
            known = decrypt(identity.encrypted_data)
            merged = IdentityData(
                **{
                    name: getattr(data, name) or getattr(known, name)
                    for name in IdentityData.__dataclass_fields__
                }
            )
            if merged == known:
                return identity
            identity.encrypted_data = encrypt(merged)
            identity.save(update_fields=["encrypted_data", "updated_at"])
            action = AuditEntry.Action.CHANGE
        record(action=action, actor=actor, obj=identity, organisation=organisation, request=request)
    return identity


def check_purpose(purpose: str, *, max_length: int | None = None) -> None:
    """The rule for the purpose a person states before seeing who is behind person-level data
    (an identity, a reporter's contact details): long enough to mean something."""
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationError(
            {
                "purpose": _(
                    "Geef aan waarvoor u deze gegevens inziet (ten minste %(count)d tekens)."
                )
                % {"count": MIN_PURPOSE_LENGTH}
            }
        )
    if max_length is not None and len(purpose) > max_length:
        raise ValidationError(
            {"purpose": _("Een doel is hoogstens %(count)d tekens.") % {"count": max_length}}
        )


def reveal_identity(*, actor, pseudonym: str, purpose: str, request=None) -> IdentityData:
    """The person behind a pseudonym, for a user who holds VIEW_IDENTITIES in the organisation
    that holds the identity and who states why. Every reveal and every refused attempt is in the
    audit trail with its purpose."""
    identity = Identity.objects.filter(pseudonym=pseudonym).first()
    if identity is None:
        raise Identity.DoesNotExist(pseudonym)
    purpose = " ".join((purpose or "").split())
    access = access_for(actor)
    if access is None or not access.has(Permission.VIEW_IDENTITIES, identity.organisation_id):
        record(
            action=AuditEntry.Action.REVEAL,
            actor=actor,
            obj=identity,
            result=AuditEntry.Result.REFUSED,
            purpose=purpose,
            request=request,
        )
        raise PermissionDenied
    check_purpose(purpose)
    data = decrypt(identity.encrypted_data)
    record(
        action=AuditEntry.Action.REVEAL,
        actor=actor,
        obj=identity,
        purpose=purpose,
        request=request,
    )
    return data


# Other apps' fields holding a token under the identity keys (e.g. a report's contact details),
# as (model, field name): rotate_identity_keys encrypts them again too. Registered in the apps'
# ready(), since privacy may not import the apps above it.
ENCRYPTED_FIELDS: list[tuple[type[models.Model], str]] = []


def register_encrypted_field(model: type[models.Model], field_name: str) -> None:
    if (model, field_name) not in ENCRYPTED_FIELDS:
        ENCRYPTED_FIELDS.append((model, field_name))


def _rotate_field(model: type[models.Model], field_name: str, batch_size: int) -> int:
    count = 0
    ids = list(
        model._default_manager.exclude(**{field_name: ""})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            rows = (
                model._default_manager.select_for_update()
                .filter(pk__in=ids[start : start + batch_size])
                .values_list("pk", field_name)
            )
            for pk, token in rows:
                model._default_manager.filter(pk=pk).update(**{field_name: rotate(token)})
                count += 1
    return count


def rotate_identity_keys(batch_size: int = 500) -> int:
    """Encrypt every identity (and every registered encrypted field) again under the first key
    of OPENVEILIGHEID_IDENTITY_KEYS, after which older keys can be removed from the list. Safe
    to run twice."""
    count = 0
    ids = list(Identity.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for identity in Identity.objects.select_for_update().filter(
                pk__in=ids[start : start + batch_size]
            ):
                Identity.objects.filter(pk=identity.pk).update(
                    encrypted_data=rotate(identity.encrypted_data)
                )
                count += 1
    for model, field_name in ENCRYPTED_FIELDS:
        count += _rotate_field(model, field_name, batch_size)
    log_event(logger, "identity_keys_rotated", identities=count)
    return count
