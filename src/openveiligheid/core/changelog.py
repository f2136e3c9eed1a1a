"""Recording changes: services call these inside their transaction, never views.

Every entry is also logged, one line per change (one per batch for bulk writes), so the
application log shows each write with the request or command that made it."""

import logging
from decimal import Decimal
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.fields.files import FieldFile

from openveiligheid.core.log import log_event
from openveiligheid.core.models import ChangeLogEntry

logger = logging.getLogger(__name__)

# How many foreign keys a model without scoping may be away from a scoped one (a budget amount:
# its line, the programme).
_OWNER_HOPS = 3


def _json_value(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def user_or_none(actor):
    """The user to store as author: None for scripts (no actor) and anonymous users."""
    return actor if actor is not None and actor.is_authenticated else None


# Left out of the change log, which many people may read: secrets (password and key hashes), and
# the version counter of optimistic concurrency (core.concurrency), which every save changes.
# Secrets, version counters, and work in progress that is no change of data (an upload's stored
# preview and reading progress, imports.models.Upload).
UNLOGGED_FIELDS = frozenset(
    {"password", "key_hash", "version", "parsed_preview", "read_progress", "reading_started_at"}
)


def snapshot(instance: models.Model, many_to_many: dict[str, list] | None = None) -> dict:
    """The concrete field values of an instance, as JSON-safe values (foreign keys as ids).

    Many-to-many fields are read from the database unless ``many_to_many`` gives their ids
    (record_changes_bulk reads them for many instances in one query)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.attname not in UNLOGGED_FIELDS:
            data[field.attname] = _json_value(getattr(instance, field.attname))
    for field in instance._meta.many_to_many:
        if many_to_many is not None and field.name in many_to_many:
            data[field.name] = sorted(many_to_many[field.name])
        elif instance.pk:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


@cache
def organisation_path(model: type[models.Model], hops: int = _OWNER_HOPS) -> tuple[str, ...] | None:
    """The attribute path from an instance of ``model`` to the id of the organisation that owns
    it: the model's own scoping path (organisation_lookup of its ScopedQuerySet, read by name so
    that core needs no domain import), or that of the first scoped model its foreign keys lead
    to. None when no owner can be named."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    lookup = getattr(queryset_class, "organisation_lookup", None)
    if lookup:
        *steps, last = lookup.split("__")
        return (*steps, f"{last}_id")
    if hops == 0:
        return None
    for field in model._meta.concrete_fields:
        if (field.many_to_one or field.one_to_one) and field.related_model is not model:
            rest = organisation_path(field.related_model, hops - 1)
            if rest is not None:
                return (field.name, *rest)
    return None


def owning_organisation_id(instance: models.Model) -> int | None:
    """The organisation whose data ``instance`` is (see organisation_path); None when it has
    none. Reads the related objects the instance does not hold yet."""
    path = organisation_path(type(instance))
    if path is None:
        return None
    value = instance
    for name in path:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _owning_organisation_ids(instances: list[models.Model]) -> list[int | None]:
    """owning_organisation_id for many instances of one model, following each distinct parent
    once (the instances of a batch share a few parents)."""
    path = organisation_path(type(instances[0]))
    if path is None:
        return [None] * len(instances)
    first_hop = type(instances[0])._meta.get_field(path[0]).attname
    by_parent: dict = {}
    result = []
    for instance in instances:
        parent_id = getattr(instance, first_hop)
        if parent_id not in by_parent:
            by_parent[parent_id] = owning_organisation_id(instance)
        result.append(by_parent[parent_id])
    return result


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
    entry = ChangeLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        operation=operation,
        actor=user_or_none(actor),
        before=before,
        after=after,
        owner_organisation=owning_organisation_id(instance),
    )
    changed = ""
    if operation == ChangeLogEntry.Operation.UPDATE:
        changed = ",".join(sorted(key for key in after if after.get(key) != before.get(key)))
    log_event(
        logger,
        f"object_{operation}d",
        model=instance._meta.label_lower,
        id=instance.pk,
        organisation=entry.owner_organisation,
        changed=changed,
    )
    return entry


# Ids per IN (...) query: well below SQLite's limit on parameters in one statement.
_CHUNK = 900


def _many_to_many_ids(instances: list[models.Model]) -> list[dict[str, list]]:
    """Per instance the ids of each many-to-many field, with one query per field and chunk."""
    result: list[dict[str, list]] = [{} for _ in instances]
    if not instances:
        return result
    position = {instance.pk: index for index, instance in enumerate(instances)}
    for field in instances[0]._meta.many_to_many:
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        for entry in result:
            entry[field.name] = []
        pks = list(position)
        for start in range(0, len(pks), _CHUNK):
            rows = through._default_manager.filter(
                **{f"{source}__in": pks[start : start + _CHUNK]}
            ).values_list(source, target)
            for owner, related in rows:
                result[position[owner]][field.name].append(related)
    return result


def record_changes_bulk(
    instances,
    actor,
    operation: str,
    befores: list[dict] | None = None,
) -> list[ChangeLogEntry]:
    """record_change for many saved instances of one model, in one bulk insert.

    The entries are the ones record_change writes one by one (an update that changed nothing
    gets none); ``befores`` holds the snapshots before an update, in the order of
    ``instances``."""
    instances = list(instances)
    if not instances:
        return []
    if befores is not None and len(befores) != len(instances):
        raise ValueError("befores must hold one snapshot per instance")
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=True)
    author = user_or_none(actor)
    deleted = operation == ChangeLogEntry.Operation.DELETE
    related = [{} for _ in instances] if deleted else _many_to_many_ids(instances)
    organisation_ids = _owning_organisation_ids(instances)
    entries = []
    for index, instance in enumerate(instances):
        after = {} if deleted else snapshot(instance, related[index])
        before = (befores[index] if befores is not None else None) or {}
        if operation == ChangeLogEntry.Operation.UPDATE and before == after:
            continue
        entries.append(
            ChangeLogEntry(
                content_type=content_type,
                object_id=str(instance.pk),
                object_repr=str(instance)[:300],
                operation=operation,
                actor=author,
                before=before,
                after=after,
                owner_organisation=organisation_ids[index],
            )
        )
    created = ChangeLogEntry.objects.bulk_create(entries, batch_size=500)
    log_event(
        logger,
        f"objects_{operation}d",
        model=instances[0]._meta.label_lower,
        count=len(created),
        organisations=",".join(sorted({str(entry.owner_organisation) for entry in created})),
    )
    return created


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


VERSION_WINDOW = 1000


def data_version_sql(owner_sql: str) -> tuple[str, list]:
    """SQL for the data version of the organisation whose id ``owner_sql`` gives: per kind (its
    own entries, entries of nobody in particular) the highest change log id and the number of
    entries among the last VERSION_WINDOW ids, on the index on (owner_organisation, id).

    The count catches a transaction that took its id before another one but committed after it:
    the highest id stays the same then, the count of the ids just below it does not.
    """
    log = connection.ops.quote_name(ChangeLogEntry._meta.db_table)
    column = connection.ops.quote_name(ChangeLogEntry._meta.get_field("owner_organisation").column)
    parts = []
    for condition in (f"{column} = {owner_sql}", f"{column} IS NULL"):
        highest = f"(SELECT COALESCE(MAX(id), 0) FROM {log} WHERE {condition})"
        recent = f"(SELECT COUNT(*) FROM {log} WHERE {condition} AND id > {highest} - %s)"
        parts += [highest, recent]
    return " || '.' || ".join(f"CAST({part} AS TEXT)" for part in parts), [VERSION_WINDOW] * 2
