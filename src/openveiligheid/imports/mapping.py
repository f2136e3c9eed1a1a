"""Which indicator a measure of an imported table feeds: the mapping rules as data.

See `MeasureMapping` for the two kinds of rows (rules and bindings). `MappingResolver` loads the
rows once per import (two queries) and answers per observation; `ensure_default_mappings()`
creates the defaults for the known police and CBS tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from openveiligheid.core.changelog import record_change, record_changes_bulk, snapshot
from openveiligheid.core.concurrency import check_version
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.core.text import normalise_name
from openveiligheid.imports.models import MeasureMapping
from openveiligheid.indicators.models import Indicator

AREA_LEVEL_ORDER = ("country", "municipality", "district", "neighbourhood", "postcode")

# (table id, measure, key, area level). An empty table id matches any table (incident lists have
# no table id). Measures are compared in normalised form, so "TotaalGeregistreerdeMisdrijven_1"
# (CBS OData) and "Totaal geregistreerde misdrijven" (StatLine CSV) are the same measure.
DEFAULT_RULES = (
    ("47013NED", "Geregistreerde misdrijven", "misdrijven-politie", "municipality"),
    ("47013NED", "Totaal misdrijven", "misdrijven-politie", "municipality"),
    ("83648NED", "Totaal geregistreerde misdrijven", "misdrijven-cbs", "municipality"),
    ("83648NED", "Geregistreerde misdrijven", "misdrijven-cbs", "municipality"),
    ("83648NED", "Geregistreerde misdrijven per 1000 inw", "misdrijven-per-1000-cbs", ""),
    ("83648NED", "Misdrijven per 1000 inw", "misdrijven-per-1000-cbs", ""),
    ("47024NED", "Totaal registraties overlast", "overlast-totaal", ""),
    ("47024NED", "Melding overlast jeugd", "overlast-jeugd", ""),
    ("47024NED", "Overlast door verward persoon", "overlast-verward-persoon", ""),
    ("", "Woninginbraak", "woninginbraak", "municipality"),
    ("", "Poging tot woninginbraak", "poging-tot-woninginbraak", "municipality"),
)

_TABLE_ID = re.compile(r"(\d{5}[A-Z]{3})", re.IGNORECASE)


def normalise_measure(text: str) -> str:
    """ "TotaalGeregistreerdeMisdrijven_1" and "Totaal geregistreerde misdrijven" compare equal:
    the CBS key's column number and camel case go, the rest is compared as a name."""
    text = re.sub(r"_\d+$", "", (text or "").strip())
    return normalise_name(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text))


def normalise_table(text: str) -> str:
    return (text or "").strip().upper()


def table_id_from(name: str, table_id: str = "") -> str:
    """The table's id as the reader found it, else from the file name (politie_47013NED_...)."""
    if table_id:
        return normalise_table(table_id)
    match = _TABLE_ID.search(name or "")
    return match.group(1).upper() if match else ""


@transaction.atomic
def ensure_default_mappings() -> int:
    """Create the default rules that are missing; returns how many were created."""
    created = []
    for table_id, measure, key, level in DEFAULT_RULES:
        mapping, was_created = MeasureMapping.objects.get_or_create(
            organisation=None,
            table_id=table_id,
            measure=measure,
            defaults={"key": key, "area_level": level},
        )
        if was_created:
            created.append(mapping)
    record_changes_bulk(created, None, ChangeLogEntry.Operation.CREATE)
    return len(created)


@transaction.atomic
def bind_indicator(
    *, organisation, key: str, indicator: Indicator, extra_areas=(), actor=None
) -> MeasureMapping:
    """Tie a series key to an organisation's indicator (used by the demo loader and the UI)."""
    lookup = {"organisation": organisation, "table_id": "", "measure": "", "key": key}
    existing = MeasureMapping.objects.filter(**lookup).first()
    before = snapshot(existing) if existing is not None else None
    binding, _ = MeasureMapping.objects.update_or_create(
        **lookup,
        defaults={"indicator": indicator, "extra_areas": list(extra_areas), "active": True},
    )
    operation = ChangeLogEntry.Operation.UPDATE if before else ChangeLogEntry.Operation.CREATE
    record_change(binding, actor, operation, before)
    return binding


@dataclass
class Rule:
    """A mapping rule in memory (a database row or an override from a --mapping file)."""

    table_id: str
    measure: str
    key: str = ""
    indicator: Indicator | None = None
    area_level: str = ""
    extra_areas: list = field(default_factory=list)
    organisation_id: int | None = None
    ignore: bool = False  # an override that says: leave this measure out

    @property
    def specificity(self) -> int:
        return (2 if self.table_id else 0) + (1 if self.measure else 0)

    def matches(self, table_id: str, measure: str) -> bool:
        return (not self.table_id or self.table_id == table_id) and (
            not self.measure or self.measure == measure
        )


@dataclass
class Resolution:
    indicator: Indicator | None
    rule: Rule | None
    reason: str = ""


def _rule_from_row(row: MeasureMapping) -> Rule:
    return Rule(
        table_id=normalise_table(row.table_id),
        measure=normalise_measure(row.measure),
        key=row.key,
        indicator=row.indicator,
        area_level=row.area_level,
        extra_areas=list(row.extra_areas or []),
        organisation_id=row.organisation_id,
    )


def parse_overrides(data) -> list[Rule]:
    """Overrides from a --mapping file: {"measure": indicator} or a list of rule objects.

    An indicator is named by its id or as "plan-slug/indicator-slug"; null leaves the measure
    out. Raises ValueError with a Dutch message for what it cannot use."""
    if not data:
        return []
    if isinstance(data, dict):
        items = [{"measure": measure, "indicator": target} for measure, target in data.items()]
    elif isinstance(data, list):
        items = data
    else:
        raise ValueError(_("Het koppelbestand moet een JSON-object of een lijst zijn."))
    rules = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(_("Elke koppeling in het koppelbestand moet een JSON-object zijn."))
        target = item.get("indicator")
        indicator = None if target in (None, "") else _find_indicator(target)
        rules.append(
            Rule(
                table_id=normalise_table(item.get("table_id", "")),
                measure=normalise_measure(item.get("measure", "")),
                key=item.get("key", ""),
                indicator=indicator,
                area_level=item.get("area_level", ""),
                extra_areas=list(item.get("extra_areas", [])),
                ignore=indicator is None and not item.get("key"),
            )
        )
    return rules


def _find_indicator(reference) -> Indicator:
    queryset = Indicator.objects.select_related("plan", "plan__owner")
    try:
        if isinstance(reference, int) or str(reference).isdecimal():
            return queryset.get(pk=int(reference))
        plan_slug, _sep, slug = str(reference).partition("/")
        return queryset.get(plan__slug=plan_slug, slug=slug)
    except Indicator.DoesNotExist as error:
        raise ValueError(
            _("Indicator '%(ref)s' uit het koppelbestand bestaat niet.") % {"ref": reference}
        ) from error


class MappingResolver:
    """Answers 'which indicator does this measure feed for this organisation?' for one import."""

    def __init__(self, table_id: str, overrides: list[Rule] | None = None):
        self.table_id = normalise_table(table_id)
        self.overrides = overrides or []
        if not MeasureMapping.objects.filter(organisation=None).exists():
            # A fresh (or flushed) database: the defaults come back; deactivate them to opt out.
            ensure_default_mappings()
        rows = MeasureMapping.objects.filter(active=True).select_related(
            "indicator", "indicator__plan"
        )
        self.rules: list[Rule] = []
        self.bindings: dict[tuple[int, str], Rule] = {}
        self.organisations_with_rows: set[int] = set()
        for row in rows:
            rule = _rule_from_row(row)
            if row.organisation_id:
                self.organisations_with_rows.add(row.organisation_id)
            if row.is_binding:
                if row.indicator_id and row.key and row.organisation_id:
                    self.bindings[(row.organisation_id, row.key)] = rule
            else:
                self.rules.append(rule)
        self.rules.sort(key=lambda rule: (rule.organisation_id is None, -rule.specificity))
        self._cache: dict[tuple, Resolution] = {}

    def rule_for(self, measure: str, organisation=None) -> Rule | None:
        """The most specific rule for a measure: overrides, the organisation's own, defaults."""
        normalised = normalise_measure(measure)
        for rule in sorted(self.overrides, key=lambda rule: -rule.specificity):
            if rule.matches(self.table_id, normalised):
                return rule
        org_id = organisation.pk if organisation is not None else None
        for rule in self.rules:
            if rule.organisation_id not in (None, org_id):
                continue
            if rule.matches(self.table_id, normalised):
                return rule
        return None

    def resolve(self, measure: str, organisation) -> Resolution:
        cache_key = (measure, organisation.pk if organisation is not None else None)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(measure, organisation)
        return self._cache[cache_key]

    def _resolve(self, measure: str, organisation) -> Resolution:
        rule = self.rule_for(measure, organisation)
        names = {"measure": measure, "organisation": organisation}
        if rule is None:
            return Resolution(
                None,
                None,
                _("Onderwerp '%(measure)s' is niet aan een indicator gekoppeld.") % names,
            )
        if rule.ignore:
            return Resolution(None, rule, _("Onderwerp '%(measure)s' wordt overgeslagen.") % names)
        indicator = rule.indicator
        if indicator is None and rule.key and organisation is not None:
            binding = self.bindings.get((organisation.pk, rule.key))
            if binding is not None:
                indicator = binding.indicator
                rule = Rule(
                    table_id=rule.table_id,
                    measure=rule.measure,
                    key=rule.key,
                    indicator=indicator,
                    area_level=rule.area_level or binding.area_level,
                    extra_areas=binding.extra_areas or rule.extra_areas,
                    organisation_id=rule.organisation_id,
                )
        if indicator is None:
            if organisation is None:
                return Resolution(None, rule, _("Geen gemeente om de indicator bij te zoeken."))
            return Resolution(
                None,
                rule,
                _(
                    "Onderwerp '%(measure)s' hoort bij reeks '%(key)s', maar %(organisation)s "
                    "heeft daar geen indicator aan gekoppeld."
                )
                % {**names, "key": rule.key},
            )
        return Resolution(indicator, rule)


@transaction.atomic
def save_mapping(
    mapping: MeasureMapping, actor=None, *, expected_version: int | None = None
) -> MeasureMapping:
    """Validate and save a mapping row edited in the UI, with its change log entry.
    `expected_version` is the version the edit form was shown with (core.concurrency)."""
    before = None
    if mapping.pk:
        stored = MeasureMapping.objects.order_by().select_for_update().get(pk=mapping.pk)
        check_version(stored, expected_version)
        before = snapshot(stored)
        mapping.version = stored.version
    mapping.full_clean()
    mapping.save()
    operation = ChangeLogEntry.Operation.UPDATE if before else ChangeLogEntry.Operation.CREATE
    record_change(mapping, actor, operation, before)
    return mapping
