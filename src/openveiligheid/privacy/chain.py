"""The hash chain of the audit trail: what each entry's HMAC covers, and its key.

The HMAC key (OPENVEILIGHEID_AUDIT_KEY) lives outside the database, so someone who can only
write to the database cannot compute a valid hash for a changed or inserted entry.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

# Every field of an entry that carries meaning, in a fixed order; the hash over these and the
# previous entry's hash is the entry's hash.
HASHED_FIELDS = (
    "sequence",
    "at",
    "action",
    "result",
    "object_type",
    "object_id",
    "object_repr",
    "actor_id",
    "actor_name",
    "organisation_id",
    "ip_address",
    "user_agent",
    "request_id",
    "purpose",
    "previous_hash",
)


def audit_key() -> bytes:
    key = settings.OPENVEILIGHEID_AUDIT_KEY
    if not key:
        raise ImproperlyConfigured(
            "OPENVEILIGHEID_AUDIT_KEY ontbreekt: zet een lange willekeurige waarde in de omgeving."
        )
    return key.encode()


def _canonical(value):
    if value is None:
        return None
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def content_of(entry) -> bytes:
    values = {name: _canonical(getattr(entry, name)) for name in HASHED_FIELDS}
    return json.dumps(values, sort_keys=True, ensure_ascii=False).encode()


def entry_hash(entry) -> str:
    return hmac.new(audit_key(), content_of(entry), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    # The sequence number of the first entry that is changed, missing or out of place.
    broken_sequence: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_sequence is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute the chain from its first entry: every sequence number present, every entry
    pointing at the previous one's hash, every hash matching the entry's content, and the last
    entry the one the head row names."""
    from openveiligheid.privacy.models import AuditChainHead, AuditEntry

    previous_hash = ""
    expected = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if entry.sequence != expected:
            return ChainReport(
                checked,
                expected,
                _("regel %(sequence)d ontbreekt (verwijderd)") % {"sequence": expected},
            )
        if entry.previous_hash != previous_hash:
            return ChainReport(
                checked, entry.sequence, _("verwijst niet naar de vorige regel (ingevoegd)")
            )
        if not hmac.compare_digest(entry.entry_hash, entry_hash(entry)):
            return ChainReport(checked, entry.sequence, _("inhoud gewijzigd"))
        previous_hash = entry.entry_hash
        expected += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last_sequence, last_hash = (head.last_sequence, head.last_hash) if head else (0, "")
    if (last_sequence, last_hash) != (expected - 1, previous_hash):
        return ChainReport(
            checked,
            expected,
            _("de laatste regel is %(last)d, maar de trail eindigde bij %(head)d (verwijderd)")
            % {"last": expected - 1, "head": last_sequence},
        )
    return ChainReport(checked)
