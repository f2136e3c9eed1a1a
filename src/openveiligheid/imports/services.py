"""From an exported table to measurements: preview what an import would change, then confirm it.

`preview_measurement_import` reads a file (police / CBS exports, OData JSON, GeoJSON, incident
lists, surveys: the readers in `imports.measurements.readers`), matches every region to a CBS area
and every measure to an indicator through the mapping (`imports.mapping`), and compares with the
measurements already stored. Nothing is written except the `Upload` that keeps the file until it
is confirmed (and not even that with ``dry_run``).

`confirm_measurement_import` recomputes the preview from the stored file, refuses when it differs
from what was shown (someone changed a figure in between), and then writes every new and changed
value through `indicators.services.record_measurement` in one transaction: all or nothing. Every
measurement keeps its provenance (file, hash, table, time, who, upload)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openveiligheid.areas.matching import AreaMatcher
from openveiligheid.areas.models import Area
from openveiligheid.areas.services import ensure_postcode_areas
from openveiligheid.core.changelog import user_or_none
from openveiligheid.core.periods import Period, parse_period
from openveiligheid.imports import proposals, uploads
from openveiligheid.imports.mapping import (
    AREA_LEVEL_ORDER,
    MappingResolver,
    parse_overrides,
    table_id_from,
)
from openveiligheid.imports.measurements.readers import UnreadableFile, read_table
from openveiligheid.imports.models import Upload
from openveiligheid.imports.uploads import ImportRefused
from openveiligheid.indicators import services as indicator_services
from openveiligheid.indicators.models import Indicator, Measurement
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for

__all__ = [
    "ImportRefused",
    "MeasurementImportPreview",
    "UnreadableFile",
    "confirm_measurement_import",
    "may_import_figures",
    "parsed_preview_of",
    "preview_measurement_import",
    "start_measurement_import",
    "stored_preview",
]

# Whoever may record figures (or manage the plan) of a municipality may import its figures.
FIGURE_PERMISSIONS = (Permission.RECORD_MEASUREMENTS, Permission.MANAGE_PLAN)

NEW, CHANGED, UNCHANGED, NOT_WRITTEN = "new", "changed", "unchanged", "not_written"
# A measure no mapping covers, listed under the indicator that confirming creates (proposals.py).
PROPOSED = "proposed"

# What readers call the kind of region, in the areas app's level names.
_LEVEL_ALIASES = {
    "gemeente": "municipality",
    "gemeenten": "municipality",
    "municipality": "municipality",
    "wijk": "district",
    "district": "district",
    "buurt": "neighbourhood",
    "neighbourhood": "neighbourhood",
    "postcode": "postcode",
    "pc4": "postcode",
    "land": "country",
    "country": "country",
}


@dataclass
class PreviewRow:
    indicator: Indicator | None
    indicator_name: str
    area_id: int
    area_code: str
    area_name: str
    period: Period
    value: Decimal
    measure: str
    positions: list = field(default_factory=list)
    status: str = NEW
    old_value: Decimal | None = None
    rolled_up: bool = False
    # A neighbouring municipality that the mapping lists for comparison (extra_areas).
    comparison_area: bool = False
    # For a measure without mapping: the proposed indicator's unit (its name is indicator_name).
    proposed: bool = False
    unit: str = ""

    @property
    def writable(self) -> bool:
        return self.indicator is not None

    def as_json(self) -> dict:
        return {
            "indicator": self.indicator_name,
            "area": self.area_code,
            "area_name": self.area_name,
            "period": self.period.code,
            "value": _json_number(self.value),
        }


@dataclass
class UnmatchedRow:
    position: object
    text: str
    reason: str

    def as_json(self) -> dict:
        return {"position": self.position, "text": self.text, "reason": self.reason}


@dataclass
class MeasurementImportPreview:
    file_name: str
    sha256: str
    source: str
    table_id: str
    title: str
    organisation: Organisation | None
    rows: list[PreviewRow]
    unmatched: list[UnmatchedRow]
    rows_read: int = 0
    outside: int = 0  # observations for areas outside the organisation the import is for
    upload: Upload | None = None

    def _with(self, status: str) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def new(self) -> list[PreviewRow]:
        return self._with(NEW)

    @property
    def changes(self) -> list[PreviewRow]:
        return self._with(CHANGED)

    @property
    def unchanged(self) -> list[PreviewRow]:
        return self._with(UNCHANGED)

    @property
    def not_written(self) -> list[PreviewRow]:
        return self._with(NOT_WRITTEN)

    @property
    def proposed(self) -> list[PreviewRow]:
        return self._with(PROPOSED)

    @property
    def proposals(self):
        return proposals.proposals_of(self)

    @property
    def to_write(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.status in (NEW, CHANGED)]

    @property
    def counts(self) -> dict:
        return {
            "new": len(self.new),
            "changed": len(self.changes),
            "unchanged": len(self.unchanged),
            "not_written": len(self.not_written),
            "proposed": len(self.proposed),
            "unmatched": len(self.unmatched),
            "outside": self.outside,
            "rows_read": self.rows_read,
        }

    @property
    def comparison(self) -> dict:
        """What the file was compared with, for a preview with nothing to save: the stored
        measurements of these indicators, areas and periods."""
        compared = [row for row in self.rows if row.writable]
        periods = sorted({row.period for row in compared}, key=lambda period: period.start)
        return {
            "values": len(compared),
            "indicators": sorted({row.indicator.name for row in compared}),
            "areas": len({row.area_id for row in compared}),
            "first_period": periods[0].label if periods else "",
            "last_period": periods[-1].label if periods else "",
        }

    @property
    def digest(self) -> str:
        """Fingerprint of what a confirmation would write, to detect a stale preview."""
        items = sorted(
            (
                row.indicator.pk,
                row.area_id,
                row.period.code,
                row.status,
                str(row.old_value),
                str(row.value),
            )
            for row in self.rows
            if row.writable
        )
        return hashlib.sha256(json.dumps(items).encode()).hexdigest()

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "measurements": [row.as_json() for row in self.rows],
            "changes": [
                {**row.as_json(), "old_value": _json_number(row.old_value)} for row in self.changes
            ],
            "unmatched": [row.as_json() for row in self.unmatched],
        }


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    unmatched: int
    indicator_ids: list[int]

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmatched": self.unmatched,
            "indicators": self.indicator_ids,
        }


def _json_number(value: Decimal | None):
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class _AreaIndex:
    """The area hierarchy as plain tuples (one query), for roll-ups and municipality lookups."""

    def __init__(self, matcher=None):
        known = getattr(matcher, "by_id", None)
        if known:  # the matcher already holds every area in memory
            self.by_id = {
                pk: (area.code, area.name, area.level, area.parent_id) for pk, area in known.items()
            }
        else:
            self.by_id = {
                pk: (code, name, level, parent_id)
                for pk, code, name, level, parent_id in Area.objects.values_list(
                    "id", "code", "name", "level", "parent_id"
                )
            }
        self.id_by_code = {code: pk for pk, (code, *_rest) in self.by_id.items()}

    def ancestor_at(self, area_id: int, level: str) -> int | None:
        seen = 0
        while area_id is not None and seen < 10:
            code, _name, area_level, parent_id = self.by_id[area_id]
            if area_level == level:
                return area_id
            area_id, seen = parent_id, seen + 1
        return None

    def municipality_code(self, area_id: int) -> str | None:
        found = self.ancestor_at(area_id, "municipality")
        return self.by_id[found][0] if found is not None else None


def _finer(level: str, than: str) -> bool:
    order = {name: index for index, name in enumerate(AREA_LEVEL_ORDER)}
    return order.get(level, 0) > order.get(than, 0)


def preview_measurement_import(
    *,
    name: str,
    content: bytes,
    organisation: Organisation | None = None,
    source: str = "auto",
    mapping_overrides=None,
    actor=None,
    dry_run: bool = False,
    progress=None,
) -> MeasurementImportPreview:
    """What importing this file would do. Raises UnreadableFile or ValueError (Dutch messages),
    ValidationError for a file above the upload limit, PermissionDenied for a user who may not
    import figures for ``organisation``.

    Unless ``dry_run``, the file is kept as an `Upload` (``preview.upload``) for confirmation."""
    options = {"source": source, "mapping_overrides": mapping_overrides}
    if not dry_run and not uploads.may_upload(Upload.Kind.MEASUREMENTS, actor, organisation):
        raise PermissionDenied
    uploads.check_size(len(content))
    overrides = parse_overrides(mapping_overrides)
    with transaction.atomic():
        preview = _compute_preview(
            name=name,
            content=content,
            organisation=organisation,
            source=source,
            overrides=overrides,
            progress=progress,
        )
        if dry_run:
            # A dry run writes nothing, not even the postcode areas the preview needed.
            transaction.set_rollback(True)
    if dry_run:
        AreaMatcher.clear_cache()
    else:
        upload = uploads.store_upload(
            Upload.Kind.MEASUREMENTS, content, organisation, actor, name=name, options=options
        )
        preview.upload = uploads.record_preview(
            upload, _summary_of(preview), actor, parsed_preview=stored_preview(preview)
        )
    return preview


def start_measurement_import(
    *, file, organisation: Organisation | None, source: str = "auto", actor=None
) -> Upload:
    """Keep an uploaded file of figures and have it read outside the request (imports.jobs);
    the preview page follows its progress. Raises ValidationError for an empty file or one above
    the upload limit, PermissionDenied for a user who may not import figures for
    ``organisation``."""
    upload = uploads.store_upload(
        Upload.Kind.MEASUREMENTS,
        file,
        organisation,
        actor,
        options={"source": source, "mapping_overrides": None},
    )
    from openveiligheid.imports import jobs

    jobs.start_reading(upload)
    return upload


# The preview page shows this many rows per table; the counts always cover everything.
PREVIEW_ROWS = 500


def _stored_rows(rows: list[PreviewRow]) -> list[dict]:
    return [
        {
            "indicator_name": row.indicator_name,
            "area_name": row.area_name,
            "area_code": row.area_code,
            "period": {"code": row.period.code, "label": str(row.period.label)},
            "value": str(row.value),
            "old_value": None if row.old_value is None else str(row.old_value),
        }
        for row in rows[:PREVIEW_ROWS]
    ]


def stored_preview(preview: MeasurementImportPreview) -> dict:
    """What the preview page shows, as JSON, kept with the upload (``Upload.parsed_preview``): the
    page then reads no file. The confirmation still reads the file and compares its digest."""
    return {
        "source": preview.source,
        "table_id": preview.table_id,
        "title": preview.title,
        "counts": {**preview.counts, "to_write": len(preview.to_write)},
        "comparison": preview.comparison,
        "changes": _stored_rows(preview.changes),
        "new": _stored_rows(preview.new),
        "unchanged": _stored_rows(preview.unchanged),
        "not_written": _stored_rows(preview.not_written),
        # Measures no mapping covers, with the indicator confirming would create (proposals.py).
        "proposed": _stored_rows(preview.proposed),
        "proposals": [
            {
                "measure": proposal.measure,
                "name": proposal.name,
                "values": proposal.values,
                "total": str(proposal.total),
                "decision": proposal.decision,
                "indicator_id": proposal.indicator_id,
            }
            for proposal in preview.proposals
        ],
        "unmatched": [
            {"position": str(row.position), "text": row.text, "reason": str(row.reason)}
            for row in preview.unmatched[:PREVIEW_ROWS]
        ],
    }


def read_for_preview(upload: Upload, progress=None) -> tuple[dict, dict]:
    """The figures kind's reading (imports.jobs): the summary and the stored preview."""
    preview = preview_for_upload(upload, progress=progress)
    return _summary_of(preview), stored_preview(preview)


def parsed_preview_of(upload: Upload) -> dict:
    """The stored preview of a previewed upload; one kept before previews were stored (or made
    on the command line without one) is read once and stored now. Raises UnreadableFile."""
    if not upload.parsed_preview:
        _summary, parsed = read_for_preview(upload)
        Upload.objects.filter(pk=upload.pk).update(parsed_preview=parsed)
        upload.parsed_preview = parsed
    return upload.parsed_preview


def _summary_of(preview: MeasurementImportPreview) -> dict:
    return {
        "counts": preview.counts,
        "digest": preview.digest,
        "table_id": preview.table_id,
        "format": preview.source,
        "title": preview.title,
    }


def preview_for_upload(upload: Upload, progress=None) -> MeasurementImportPreview:
    """Recompute the preview of a stored upload (the preview page, and before confirming)."""
    options = upload.options or {}
    preview = _compute_preview(
        name=upload.file_name,
        content=upload.read_content(),
        organisation=upload.organisation,
        source=options.get("source", "auto"),
        overrides=parse_overrides(options.get("mapping_overrides")),
        progress=progress,
    )
    preview.upload = upload
    return preview


def _compute_preview(
    *, name, content, organisation, source, overrides, progress
) -> MeasurementImportPreview:
    table = read_table(name, content, source=source, progress=progress)
    _ensure_postcode_areas_of(table)
    table_id = table_id_from(name, table.table_id or "")
    builder = _PreviewBuilder(MappingResolver(table_id, overrides), organisation)
    builder.unmatched.extend(
        UnmatchedRow(position, text, _("Regel niet gelezen.")) for position, text in table.unparsed
    )
    for observation in table.observations:
        builder.add(observation)
    result_rows = _validate_and_compare(list(builder.rows.values()), builder.unmatched)
    return MeasurementImportPreview(
        file_name=name,
        sha256=Upload.hash_of(content),
        source=table.format,
        table_id=table_id,
        title=table.title,
        organisation=organisation,
        rows=result_rows,
        unmatched=builder.unmatched,
        rows_read=table.rows_read,
        outside=builder.outside,
    )


def _ensure_postcode_areas_of(table) -> None:
    postcodes = {
        "".join(ch for ch in observation.region if ch.isdigit())[:4]
        for observation in table.observations
        if observation.region_kind == "postcode"
    }
    if postcodes:
        ensure_postcode_areas(postcodes)


class _Skipped(Exception):
    """An observation that becomes no preview row (reported as unmatched, or left out)."""


class _PreviewBuilder:
    """Turns observations into preview rows, one named step each: period, area, roll-up to the
    mapping's level, the organisation the figure belongs to, its indicator, the row."""

    def __init__(self, resolver: MappingResolver, organisation: Organisation | None):
        self.resolver, self.organisation = resolver, organisation
        self.matcher = AreaMatcher.for_current_data()
        self.areas = _AreaIndex(self.matcher)
        self.municipalities = {
            org.cbs_code: org
            for org in Organisation.objects.filter(
                kind=Organisation.Kind.MUNICIPALITY, cbs_code__isnull=False
            )
        }
        own_area_id = self.areas.id_by_code.get(organisation.cbs_code) if organisation else None
        self.within = Area.objects.filter(pk=own_area_id).first() if own_area_id else None
        self.rows: dict[tuple, PreviewRow] = {}
        self.unmatched: list[UnmatchedRow] = []
        self.match_cache: dict[tuple, tuple[int | None, str]] = {}
        self.outside = 0  # observations for areas outside the organisation the import is for

    def add(self, observation) -> None:
        label = f"{observation.region} {observation.period} {observation.measure}".strip()
        try:
            period = self._period(observation, label)
            rule = self.resolver.rule_for(observation.measure, self.organisation)
            area_id = self._area(observation, period, label)
            area_id, rolled_up = self._rolled_up(area_id, rule, observation, label)
            owner, resolution = self._resolution(observation, area_id, rule)
            indicator = self._indicator(resolution, owner, observation, label)
        except _Skipped:
            return
        self._place(observation, indicator, area_id, period, rolled_up, label)

    def _unmatched(self, observation, label: str, reason: str) -> _Skipped:
        self.unmatched.append(UnmatchedRow(observation.position, label, reason))
        return _Skipped()

    def _period(self, observation, label: str) -> Period:
        try:
            period = parse_period(observation.period)
        except ValueError as error:
            raise self._unmatched(observation, label, str(error)) from error
        if observation.value is None:
            raise self._unmatched(observation, label, _("Geen waarde."))
        return period

    def _area(self, observation, period: Period, label: str) -> int:
        level = _LEVEL_ALIASES.get((observation.region_kind or "").lower())
        region_text = observation.region_code or observation.region
        cache_key = (region_text, observation.region, level, period.start.year)
        if cache_key not in self.match_cache:
            sub_level = level in ("district", "neighbourhood")
            self.match_cache[cache_key] = _match_area(
                self.matcher,
                observation,
                level=level,
                within=self.within if sub_level else None,
                on=period.start,
            )
        area_id, reason = self.match_cache[cache_key]
        if area_id is None:
            raise self._unmatched(observation, label, reason)
        return area_id

    def _rolled_up(self, area_id: int, rule, observation, label: str) -> tuple[int, bool]:
        """The area at the mapping's level (values of smaller areas are added up)."""
        target_level = rule.area_level if rule is not None else ""
        if not target_level or not _finer(self.areas.by_id[area_id][2], target_level):
            return area_id, False
        parent_id = self.areas.ancestor_at(area_id, target_level)
        if parent_id is None and self.organisation is None:
            # Not placeable in a municipality yet (e.g. PC4 without a PC4-to-gemeente table):
            # shown at its own level, not written.
            return area_id, False
        if parent_id is None:
            raise self._unmatched(
                observation,
                label,
                _("%(area)s ligt niet in een bekend gebied van niveau %(level)s.")
                % {"area": self.areas.by_id[area_id][1], "level": target_level},
            )
        return parent_id, parent_id != area_id

    def _resolution(self, observation, area_id: int, rule) -> tuple[Organisation | None, object]:
        """The organisation the figure belongs to, and the mapping of its measure there."""
        municipality_code = self.areas.municipality_code(area_id)
        if self.organisation is None:
            owner = self.municipalities.get(municipality_code)
            if owner is not None and owner.pk not in self.resolver.organisations_with_rows:
                # A municipality that maps nothing: its figures are shown, not written.
                owner = None
            return owner, self.resolver.resolve(observation.measure, owner)
        resolution = self.resolver.resolve(observation.measure, self.organisation)
        extra = set(rule.extra_areas) if rule is not None else set()
        if resolution.rule is not None:
            extra |= set(resolution.rule.extra_areas)
        code = self.areas.by_id[area_id][0]
        if municipality_code != self.organisation.cbs_code and code not in extra:
            self.outside += 1
            raise _Skipped
        return self.organisation, resolution

    def _indicator(self, resolution, owner, observation, label: str) -> Indicator | None:
        if resolution.rule is not None and resolution.rule.ignore:
            raise _Skipped
        if resolution.rule is None and owner is not None and owner == self.organisation:
            return None  # no mapping at all: proposed as a new indicator (_place)
        if resolution.indicator is None and owner is not None:
            raise self._unmatched(observation, label, resolution.reason)
        return resolution.indicator

    def _place(self, observation, indicator, area_id, period, rolled_up, label) -> None:
        key = (indicator.pk if indicator else observation.measure, area_id, period)
        row = self.rows.get(key)
        if row is None:
            code, area_name, _level, _parent = self.areas.by_id[area_id]
            proposed = indicator is None and self.organisation is not None
            self.rows[key] = PreviewRow(
                indicator=indicator,
                indicator_name=indicator.name
                if indicator
                else proposals.proposed_name(observation.measure)
                if proposed
                else observation.measure,
                area_id=area_id,
                area_code=code,
                area_name=area_name,
                period=period,
                value=Decimal(observation.value),
                measure=observation.measure,
                positions=[observation.position],
                status=NEW if indicator else PROPOSED if proposed else NOT_WRITTEN,
                proposed=proposed,
                unit=observation.unit,
                rolled_up=rolled_up,
                # Figures of neighbours the mapping names (for comparison), written outside
                # the indicator's own area.
                comparison_area=self.organisation is not None
                and self.areas.municipality_code(area_id) != self.organisation.cbs_code,
            )
        elif rolled_up:
            row.value += Decimal(observation.value)
            row.positions.append(observation.position)
        else:
            self._unmatched(
                observation,
                label,
                _("Dubbele waarde voor %(area)s %(period)s; de eerste waarde telt.")
                % {"area": row.area_name, "period": period.label},
            )


def _match_area(matcher, observation, *, level, within, on) -> tuple[int | None, str]:
    if level == "postcode":
        # Four-digit postcodes (incident lists) are areas "PC1011" below their buurt or gemeente.
        digits = "".join(ch for ch in observation.region or observation.region_code if ch.isdigit())
        area = matcher.by_code.get(f"PC{digits[:4]}") if len(digits) >= 4 else None
        if area is not None:
            return area.pk, ""
        return None, _(
            "Postcodegebied %(postcode)s is niet bekend; laad de postcodegebieden (PC4) met de "
            "gemeente waarin ze liggen."
        ) % {"postcode": observation.region}
    attempts = [text for text in (observation.region_code, observation.region) if text]
    result = None
    for text in attempts:
        result = matcher.match_detail(text, level=level, within=within, on=on)
        if result.area is not None:
            return result.area.pk, ""
    reason = getattr(result, "reason_nl", "") if result is not None else ""
    return None, reason or _("Gebied '%(region)s' niet gevonden.") % {
        "region": observation.region or observation.region_code
    }


def _validate_and_compare(rows: list[PreviewRow], unmatched: list[UnmatchedRow]) -> list:
    """Check every value against its indicator's unit and compare with what is stored."""
    indicator_ids = {row.indicator.pk for row in rows if row.indicator}
    existing = {
        (indicator_id, area_id, period_type, period_start): (value, is_example)
        for indicator_id, area_id, period_type, period_start, value, is_example in (
            Measurement.objects.filter(indicator_id__in=indicator_ids)
            .order_by()
            .values_list(
                "indicator_id", "area_id", "period_type", "period_start", "value", "is_example"
            )
        )
    }
    kept = []
    for row in rows:
        if row.indicator is None:
            kept.append(row)
            continue
        label = f"{row.area_name} {row.period.label} {row.measure}"
        if row.indicator.is_derived:
            unmatched.append(
                UnmatchedRow(
                    row.positions[0],
                    label,
                    _("%(name)s wordt berekend uit andere reeksen en kan niet worden ingelezen.")
                    % {"name": row.indicator.name},
                )
            )
            continue
        try:
            row.value = indicator_services.validate_value(row.indicator, row.value)
        except ValidationError as error:
            messages = error.message_dict.get("value") if hasattr(error, "error_dict") else None
            reason = " ".join(messages or error.messages)
            unmatched.append(
                UnmatchedRow(
                    row.positions[0],
                    label,
                    _("Waarde %(value)s past niet bij %(name)s: %(reason)s")
                    % {"value": row.value, "name": row.indicator.name, "reason": reason},
                )
            )
            continue
        try:
            indicator_services.check_measurement(
                row.indicator,
                row.period,
                Area(pk=row.area_id, name=row.area_name),
                comparison_area=row.comparison_area,
            )
        except ValidationError as error:
            unmatched.append(UnmatchedRow(row.positions[0], label, " ".join(error.messages)))
            continue
        stored = existing.get((row.indicator.pk, row.area_id, row.period.type, row.period.start))
        if stored is None:
            row.status = NEW
        else:
            row.old_value = stored[0]
            row.status = UNCHANGED if stored[0] == row.value and not stored[1] else CHANGED
        kept.append(row)
    kept.sort(key=lambda row: (row.indicator_name, row.area_code, row.period))
    return kept


def confirm_measurement_import(upload: Upload, actor=None, progress=None) -> ImportResult:
    """Write what the preview of ``upload`` showed, in one transaction, or refuse (ImportRefused).

    Goes through the one upload flow (imports.uploads.confirm): confirming twice imports once.
    Importing the same file again writes nothing new; a value that changed since the preview was
    shown makes the confirmation stale: look at the preview again."""
    return uploads.confirm(upload, actor, progress=progress)


def _write_measurements(upload: Upload, actor=None, progress=None) -> ImportResult:
    """The figures kind's confirmation: runs inside the locked transaction of uploads.confirm."""
    preview = preview_for_upload(upload, progress=progress)
    if preview.digest != (upload.summary or {}).get("digest"):
        raise ImportRefused(
            _(
                "De cijfers zijn veranderd sinds het voorbeeld werd gemaakt. Bekijk het "
                "voorbeeld opnieuw voordat u bevestigt."
            ),
            code="stale",
        )
    if proposals.apply_proposals(preview, preview.table_id, actor):
        # The new mapping rules turn the proposed rows into rows of their indicators.
        preview = preview_for_upload(upload, progress=progress)
    user = user_or_none(actor)
    provenance = {
        "file": upload.file_name,
        "sha256": upload.sha256,
        "table_id": preview.table_id,
        "format": preview.source,
        "imported_at": timezone.now().isoformat(),
        "imported_by": user.get_username() if user else "opdrachtregel",
        "upload_id": upload.pk,
    }
    to_write = preview.to_write
    area_objects = Area.objects.in_bulk({row.area_id for row in to_write})
    created = updated = 0
    # In one batch: the indicators' stored states are renewed once, not per value.
    results = indicator_services.record_measurements(
        [
            {
                "indicator": row.indicator,
                "period": row.period,
                "value": row.value,
                "area": area_objects[row.area_id],
                "comparison_area": row.comparison_area,
                "provenance": provenance,
            }
            for row in to_write
        ],
        actor=actor,
    )
    for row, (_measurement, changed) in zip(to_write, results, strict=True):
        if changed:
            created += row.status == NEW
            updated += row.status == CHANGED
    return ImportResult(
        created=created,
        updated=updated,
        unchanged=len(preview.unchanged),
        unmatched=len(preview.unmatched),
        indicator_ids=sorted({row.indicator.pk for row in preview.rows if row.indicator}),
    )


def may_import_figures(user, organisation: Organisation | None, options=None) -> bool:
    access = access_for(user)
    if access is None:
        return False
    if access.is_superuser:
        return True
    if organisation is None or organisation.kind != Organisation.Kind.MUNICIPALITY:
        return False
    return any(access.has(code, organisation.pk) for code in FIGURE_PERMISSIONS)


uploads.register_kind(
    uploads.UploadKind(
        name=Upload.Kind.MEASUREMENTS,
        may_upload=may_import_figures,
        preview=preview_for_upload,
        confirm=_write_measurements,
        failures=(UnreadableFile,),
        read=read_for_preview,
    )
)


class TextProgress:
    """A simple textual progress bar for the commands (on stderr), fed by the readers.

    Accepts progress(done, total) and progress(stage, done, total)."""

    WIDTH = 30

    def __init__(self, stream, label: str):
        self.stream, self.label, self.shown = stream, label, -1

    def __call__(self, *args):
        if len(args) >= 3:
            done, total = args[1], args[2]
        elif len(args) == 2:
            done, total = args
        else:
            return
        if not total:
            return
        percent = min(100, int(done * 100 / total))
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}%", ending="")
        self.stream.flush()

    def finish(self):
        if self.shown >= 0:
            self.stream.write("", ending="\n")


# --- scheduled refresh from CBS OData ------------------------------------------------------------

CBS_ODATA_BASE = "https://opendata.cbs.nl/ODataApi/odata"


class CbsUnreachable(Exception):
    """CBS could not be reached (no internet access, CBS down); the message is Dutch."""


def fetch_cbs_table(table_id: str, odata_filter: str = "", timeout: float = 30) -> bytes:
    """The TypedDataSet of a CBS table (all pages) as one OData JSON document."""
    import urllib.error
    import urllib.parse
    import urllib.request

    params = {"$format": "json"}
    if odata_filter:
        params["$filter"] = odata_filter
    base = f"{CBS_ODATA_BASE}/{urllib.parse.quote(table_id)}/TypedDataSet"
    url = f"{base}?{urllib.parse.urlencode(params)}"
    rows: list = []
    pages = 0
    while url and pages < 1000:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (https)
                data = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise CbsUnreachable(
                _("Kon het CBS niet bereiken (opendata.cbs.nl) voor tabel %(table)s: %(reason)s")
                % {"table": table_id, "reason": reason}
            ) from error
        except ValueError as error:
            raise CbsUnreachable(
                _("Het CBS gaf geen leesbaar antwoord voor tabel %(table)s.") % {"table": table_id}
            ) from error
        rows.extend(data.get("value", []))
        url, pages = data.get("odata.nextLink"), pages + 1
    document = {
        "odata.metadata": f"{CBS_ODATA_BASE}/{table_id}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
        "value": rows,
    }
    return json.dumps(document).encode("utf-8")


@dataclass
class RefreshOutcome:
    table_id: str
    preview: MeasurementImportPreview | None = None
    result: ImportResult | None = None
    error: str = ""


def refresh_measurements(*, tables=None, dry_run: bool = False, actor=None) -> list[RefreshOutcome]:
    """Fetch every active configured CBS table and import it (each table on its own).

    A table that cannot be fetched or read is reported and the others still go ahead."""
    from openveiligheid.imports.models import RefreshTable

    configured = tables if tables is not None else RefreshTable.objects.filter(active=True)
    outcomes = []
    for table in configured.select_related("organisation"):
        outcome = RefreshOutcome(table.table_id)
        try:
            content = fetch_cbs_table(table.table_id, table.filter)
            outcome.preview = preview_measurement_import(
                name=f"cbs_{table.table_id}_odata.json",
                content=content,
                organisation=table.organisation,
                source="auto",
                actor=actor,
                dry_run=dry_run,
            )
            if not dry_run:
                outcome.result = confirm_measurement_import(outcome.preview.upload, actor)
        except (CbsUnreachable, UnreadableFile, ImportRefused, ValueError) as error:
            outcome.error = str(error)
        if not dry_run:
            table.last_run_at = timezone.now()
            table.last_result = (
                {"error": outcome.error} if outcome.error else outcome.result.as_dict()
            )
            table.save(update_fields=["last_run_at", "last_result"])
        outcomes.append(outcome)
    return outcomes
