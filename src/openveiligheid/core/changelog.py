"""Recording changes: services call these inside their transaction, never views."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from openveiligheid.core.models import ChangeLogEntry


def _json_value(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def user_or_none(actor):
    """The user to store as author: None for scripts (no actor) and anonymous users."""
    return actor if actor is not None and actor.is_authenticated else None


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of an instance, as JSON-safe values (foreign keys as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        data[field.attname] = _json_value(getattr(instance, field.attname))
    for field in instance._meta.many_to_many:
        if instance.pk:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def record_change(
    instance: models.Model,
    actor,
    operation: str,
    before: dict | None = None,
) -> ChangeLogEntry | None:
    after = {} if operation == ChangeLogEntry.Operation.DELETE else snapshot(instance)
    before = before or {}
    if operation == ChangeLogEntry.Operation.UPDATE and before == after:
        return None
    return ChangeLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        operation=operation,
        actor=user_or_none(actor),
        before=before,
        after=after,
    )


def save_new(instance: models.Model, actor):
    """Validate and save a new instance, and log its creation."""
    instance.full_clean()
    instance.save()
    record_change(instance, actor, ChangeLogEntry.Operation.CREATE)
    return instance


def save_changes(instance: models.Model, actor, **fields):
    """Set fields on a saved instance, validate and save it, and log what changed."""
    before = snapshot(instance)
    for key, value in fields.items():
        setattr(instance, key, value)
    instance.full_clean()
    instance.save()
    record_change(instance, actor, ChangeLogEntry.Operation.UPDATE, before)
    return instance


def changes_for(*instances: models.Model):
    """The change log of one or more objects (e.g. a programme with its pillars and risks)."""
    ids_by_type: dict[int, list[str]] = {}
    for instance in instances:
        content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
        ids_by_type.setdefault(content_type.pk, []).append(str(instance.pk))
    condition = models.Q(pk__in=[])
    for content_type_id, object_ids in ids_by_type.items():
        condition |= models.Q(content_type_id=content_type_id, object_id__in=object_ids)
    return ChangeLogEntry.objects.filter(condition).select_related("actor")
