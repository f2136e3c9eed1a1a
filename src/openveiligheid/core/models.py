"""Domain-free building blocks: timestamps and the one change log of every write."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """An attempt to change a row of a history that is appended, never changed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} rows are appended, never changed")


class AppendOnlyModel(models.Model):
    """A row of a history (audit trail, triage steps, a request's steps): written once, never
    changed. Whether it may be deleted (with what it belongs to) is up to the model."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are appended, never changed")
        super().save(*args, **kwargs)


class ChangeLogEntry(models.Model):
    """Append-only: who changed what and when, with the fields before and after."""

    class Operation(models.TextChoices):
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        DELETE = "delete", _("verwijderd")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300)
    operation = models.CharField(max_length=10, choices=Operation.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # The id of the organisation whose data changed (see changelog.owning_organisation_id), kept
    # as a plain number so that the log stays free of the domain and outlives the organisation;
    # empty when the change concerns everybody (an organisation, a role). Caches of an
    # organisation's pages follow its entries and the empty ones.
    owner_organisation = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["owner_organisation", "id"], name="core_changelog_owner_id"),
        ]
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingslog")

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        keys = sorted(set(self.before) | set(self.after))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]
