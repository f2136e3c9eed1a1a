"""Recording changes: services call these inside their transaction, never views.

Every entry is also logged, one line per change (one per batch for bulk writes), so the
application log shows each write with the request or command that made it."""

import dataclasses
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import formats as django_formats
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from openveiligheid.core import formats
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
UNLOGGED_FIELDS = frozenset({"password", "key_hash", "version"})


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


# ---------------------------------------------------------------- reading the log

# Bookkeeping that every save changes, and positions in a list, which nobody reads as numbers.
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "order"})
# Entries of one author this close together came from one save (a form with its parts, a
# service's batch, an import): they are shown as one change.
SAVE_GAP = timedelta(seconds=2)
# A save that touched many objects (an import) lists the first ones and counts the rest.
ITEMS_PER_SAVE = 10
SMALL_SAVE = 3
VALUE_LENGTH = 200


@dataclass(frozen=True)
class FieldChange:
    """A field's label with its value before and after an update (a created or deleted
    object's value in ``after``)."""

    label: str
    before: str
    after: str


@dataclass
class ChangedObject:
    """One entry as a reader sees it: what happened to which object, field by field."""

    operation: str
    is_update: bool
    subject: str
    fields: list[FieldChange]


@dataclass
class SavedChange:
    """The entries of one save: when (local time), by whom, and what changed."""

    timestamp: datetime
    author: str
    objects: list[ChangedObject] = dataclasses.field(default_factory=list)
    more: int = 0

    @property
    def count(self) -> int:
        return len(self.objects) + self.more


def author_name(user) -> str:
    if user is None:
        return _("systeem")
    return user.get_full_name() or user.get_username()


def _model_of(entry: ChangeLogEntry):
    # ContentType's own cache: no query per entry.
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        # Snapshots hold foreign keys by their column name (lead_unit_id).
        for candidate in model._meta.concrete_fields:
            if candidate.attname == name:
                return candidate
    return None


def _is_relation(model_field) -> bool:
    return model_field is not None and model_field.is_relation and model_field.related_model


def _related_names(entries: list[ChangeLogEntry]) -> dict[tuple, str]:
    """The names of every object the entries refer to by id, with one query per model."""
    wanted: dict[type[models.Model], set] = {}
    for entry in entries:
        model = _model_of(entry)
        for key in set(entry.before) | set(entry.after):
            model_field = _model_field(model, key)
            if not _is_relation(model_field):
                continue
            for value in (entry.before.get(key), entry.after.get(key)):
                values = value if isinstance(value, list) else [value]
                wanted.setdefault(model_field.related_model, set()).update(
                    item for item in values if item not in (None, "")
                )
    names = {}
    for model, ids in wanted.items():
        for pk, instance in model._base_manager.in_bulk(list(ids)).items():
            name = author_name(instance) if hasattr(instance, "get_username") else str(instance)
            names[(model, str(pk))] = name
    return names


def field_label(model_field) -> str:
    """The field's Dutch label; a relation without a label of its own is named after the model
    it points to (an action's "plan" field reads "Actieplan")."""
    label = str(model_field.verbose_name)
    if label == model_field.name.replace("_", " "):
        if _is_relation(model_field):
            label = str(model_field.related_model._meta.verbose_name)
        elif model_field.name == "slug":
            label = _("korte naam")
    return capfirst(label)


def _display(model_field, value, names: dict[tuple, str]) -> str:
    """A snapshot value as the pages show it: labels of choices, names of related objects,
    Dutch dates and numbers in local time."""
    if value is None or value == "" or value == []:
        return "–"
    if model_field is None:
        return Truncator(str(value)).chars(VALUE_LENGTH)
    if _is_relation(model_field):
        values = value if isinstance(value, list) else [value]
        return ", ".join(
            names.get(
                (model_field.related_model, str(item)), _("verwijderd (%(id)s)") % {"id": item}
            )
            for item in values
        )
    if model_field.choices:
        labels = {str(key): label for key, label in model_field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(model_field, models.BooleanField):
        return _("ja") if value else _("nee")
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return django_formats.date_format(timezone.localtime(moment), "j F Y H:i")
    elif isinstance(model_field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return django_formats.date_format(day, "j F Y")
    if isinstance(model_field, (models.DecimalField, models.FloatField)):
        return formats.format_number(value)
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return Truncator(str(value)).chars(VALUE_LENGTH)


def _in_field_order(model, keys: set[str]) -> list[str]:
    """The keys in the order the model declares its fields (as its forms show them)."""
    order = {}
    if model is not None:
        for position, model_field in enumerate(model._meta.get_fields()):
            order.setdefault(model_field.name, position)
            order.setdefault(getattr(model_field, "attname", model_field.name), position)
    return sorted(keys, key=lambda key: (order.get(key, len(order)), key))


def _changed_object(entry: ChangeLogEntry, names: dict[tuple, str]) -> ChangedObject:
    model = _model_of(entry)
    is_update = entry.operation == ChangeLogEntry.Operation.UPDATE
    fields = []
    for key in _in_field_order(model, set(entry.before) | set(entry.after)):
        before, after = entry.before.get(key), entry.after.get(key)
        if key in HIDDEN_FIELDS or (is_update and before == after):
            continue
        model_field = _model_field(model, key)
        if model_field is not None and (
            model_field.name in HIDDEN_FIELDS or isinstance(model_field, models.JSONField)
        ):
            continue  # JSON holds machine data (an import's provenance), not what people wrote
        shown_before, shown_after = (
            _display(model_field, before, names),
            _display(model_field, after, names),
        )
        if not is_update and shown_before == shown_after == "–":
            continue  # an empty field of a new or deleted object says nothing
        label = field_label(model_field) if model_field is not None else key
        if not is_update:
            # What a new object got, or what a deleted one had: one value.
            shown_before, shown_after = "", shown_after if after is not None else shown_before
        fields.append(FieldChange(label, shown_before, shown_after))
    kind = capfirst(str(model._meta.verbose_name)) if model is not None else _("Object")
    return ChangedObject(
        operation=capfirst(entry.get_operation_display()),
        is_update=is_update,
        subject=f"{kind} “{entry.object_repr}”",
        fields=fields,
    )


def readable_history(entries) -> list[SavedChange]:
    """Change log entries (newest first) as people read them: Dutch field labels, displayed
    values instead of stored codes and ids, local time, and the entries of one save together."""
    entries = list(entries)
    names = _related_names(entries)
    saves: list[SavedChange] = []
    previous = None
    for entry in entries:
        same_save = (
            previous is not None
            and entry.actor_id == previous.actor_id
            and previous.timestamp - entry.timestamp <= SAVE_GAP
        )
        if not same_save:
            saves.append(SavedChange(timezone.localtime(entry.timestamp), author_name(entry.actor)))
        save = saves[-1]
        if len(save.objects) < ITEMS_PER_SAVE:
            save.objects.append(_changed_object(entry, names))
        else:
            save.more += 1
        previous = entry
    for save in saves:
        if save.count > SMALL_SAVE:
            # A save that created many objects (an import) names them; their every field would
            # bury the history.
            for changed in save.objects:
                if not changed.is_update:
                    changed.fields = []
    return saves
