"""Optimistic concurrency: an edit made on an older version of an object is refused instead of
silently undoing someone else's change (a lost update).

A model that takes part has a `version` field (VersionedModel) that goes up with every save. An
edit form carries the version it was shown with; an API client sends it back as `If-Match` (the
ETag of its GET). The service compares that version with the row it locked for the write and
raises EditConflict when they differ.

A write that creates or updates the one object for a key (a measurement or a duiding for a
period) states ABSENT when its form or client saw no object yet (a form's empty version, an API
client's `If-None-Match: *`): an object found at save time is then a conflict too, shown with
its values, and saving again on that version replaces it deliberately."""

from __future__ import annotations

import re

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openveiligheid.core.changelog import changes_for


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


# The version of an object that did not exist when the form was shown (versions start at 1).
ABSENT = 0


def version_field() -> forms.IntegerField:
    """The hidden field of an edit form that carries the version the form was shown with (with
    ABSENT as its initial value on a create-or-update form)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=ABSENT)


class EditConflict(Exception):
    """The object changed since the version the user (or client) started from."""

    def __init__(self, current: VersionedModel, expected: int | None = None):
        self.current = current
        self.expected = expected
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.expected == ABSENT:
            return _(
                "Hiervoor is al iets vastgelegd. Uw invoer is niet opgeslagen: bekijk wat er "
                "staat en sla opnieuw op als u het wilt vervangen."
            )
        return _(
            "Iemand anders heeft dit intussen gewijzigd. Uw wijzigingen zijn niet opgeslagen: "
            "bekijk de nieuwe versie en breng ze zo nodig opnieuw aan."
        )


def check_version(locked: VersionedModel | None, expected: int | None) -> None:
    """Raise EditConflict when `expected` (None: not given) is not the locked row's version.
    No row (`locked` None) conflicts with nothing: the write creates it."""
    if locked is not None and expected is not None and locked.version != expected:
        raise EditConflict(locked, expected)


def conflict_changes(conflict: EditConflict) -> list:
    """The change log entry of the change the user did not see (the object's latest), for
    core/includes/edit_conflict.html."""
    return list(changes_for(conflict.current)[:1])


def conflict_form_data(data, conflict: EditConflict, field: str = "version"):
    """The submitted form data on the current version: the user's input shown again beside the
    other change, so that saving it once more is a deliberate choice, not an accident."""
    data = data.copy()
    data[field] = str(conflict.current.version)
    return data


def etag(instance: VersionedModel) -> str:
    return f'"{instance.version}"'


_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,9})"\s*$')


def version_from_headers(if_match: str | None, if_none_match: str | None) -> int | None:
    """The version an API write was made on: If-Match (the ETag of a GET), or ABSENT for
    `If-None-Match: *` (create only); None when neither is sent. ValueError for a header that
    names no version of ours."""
    if if_none_match is not None and if_none_match.strip() == "*":
        if if_match is not None and if_match.strip():
            raise ValueError(if_match)
        return ABSENT
    if if_none_match is not None and if_none_match.strip():
        raise ValueError(if_none_match)
    return version_from_if_match(if_match)


def version_from_if_match(header: str | None) -> int | None:
    """The version in an If-Match header (as etag() writes it); None when absent or "*".
    Raises ValueError for a header that names no version of ours."""
    if header is None or header.strip() in ("", "*"):
        return None
    match = _ETAG.match(header)
    if match is None:
        raise ValueError(header)
    return int(match[1])
