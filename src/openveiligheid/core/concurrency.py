"""Optimistic concurrency: an edit made on an older version of an object is refused instead of
silently undoing someone else's change (a lost update).

A model that takes part has a `version` field (VersionedModel) that goes up with every save. An
edit form carries the version it was shown with; an API client sends it back as `If-Match` (the
ETag of its GET). The service compares that version with the row it locked for the write and
raises EditConflict when they differ."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("versie"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class EditConflict(Exception):
    """The object changed since the version the user (or client) started from."""

    def __init__(self, current: VersionedModel):
        super().__init__(self.message)
        self.current = current

    @property
    def message(self) -> str:
        return _(
            "Iemand anders heeft dit intussen gewijzigd. Uw wijzigingen zijn niet opgeslagen: "
            "bekijk de nieuwe versie en breng ze zo nodig opnieuw aan."
        )


def check_version(locked: VersionedModel, expected: int | None) -> None:
    """Raise EditConflict when `expected` (None: not given) is not the locked row's version."""
    if expected is not None and locked.version != expected:
        raise EditConflict(locked)


def etag(instance: VersionedModel) -> str:
    return f'"{instance.version}"'


_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,9})"\s*$')


def version_from_if_match(header: str | None) -> int | None:
    """The version in an If-Match header (as etag() writes it); None when absent or "*".
    Raises ValueError for a header that names no version of ours."""
    if header is None or header.strip() in ("", "*"):
        return None
    match = _ETAG.match(header)
    if match is None:
        raise ValueError(header)
    return int(match[1])
