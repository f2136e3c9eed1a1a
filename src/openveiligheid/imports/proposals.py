"""Measures that no mapping covers, proposed as new indicators.

A CBS or police table holds many measures (per crime type, per area level); a municipality maps
only some of them. A measure without any mapping rule is still read: the preview lists its values
under a proposed indicator named after the table's measure and dimension labels. Confirming the
import then creates that indicator in the organisation's plan (through the indicators services),
or maps the measure to an existing indicator, or leaves it out, as decided per measure
(`decide_proposals`; the preview form offers "create" first). Without a decision (the scheduled
refresh, the command line) nothing is created. Either way a mapping rule for the organisation
is stored, so that the next import of the same table needs no decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openveiligheid.areas.models import Area
from openveiligheid.core.changelog import record_change, snapshot
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports import uploads
from openveiligheid.imports.models import MeasureMapping, Upload
from openveiligheid.indicators import services as indicator_services
from openveiligheid.indicators.models import Indicator, Source
from openveiligheid.organisations.scoping import CHANGE
from openveiligheid.plans.models import Plan

CREATE, MAP, SKIP = "create", "map", "skip"
DECISIONS = (CREATE, MAP, SKIP)

_FREQUENCY_OF_PERIOD = {"year": "year", "half_year": "half_year", "quarter": "quarter"}


def proposed_name(measure: str) -> str:
    """ "GeregistreerdeMisdrijven_1; Winkeldiefstal" -> "Geregistreerde misdrijven; Winkeldiefstal":
    a CBS topic key reads as words, dimension labels stay as they are."""
    head, sep, rest = measure.partition("; ")
    if re.fullmatch(r"[A-Za-z0-9]+_\d+", head.strip()):
        words = re.sub(r"(?<=[a-z])(?=[A-Z0-9])", " ", re.sub(r"_\d+$", "", head.strip()))
        head = words[:1].upper() + words[1:].lower()
    return f"{head}{sep}{rest}"[:300]


@dataclass
class Proposal:
    """One measure of the file without a mapping, with what its values add up to."""

    measure: str
    name: str
    unit: str
    frequency: str
    values: int
    total: Decimal
    decision: str = CREATE
    indicator_id: int | None = None


def proposals_of(preview) -> list[Proposal]:
    decisions = ((preview.upload.options or {}).get("proposals") or {}) if preview.upload else {}
    found: dict[str, Proposal] = {}
    for row in preview.rows:
        if not row.proposed:
            continue
        proposal = found.get(row.measure)
        if proposal is None:
            chosen = decisions.get(row.measure) or {}
            proposal = found[row.measure] = Proposal(
                measure=row.measure,
                name=row.indicator_name,
                unit=row.unit or Indicator.Unit.COUNT,
                frequency=_FREQUENCY_OF_PERIOD.get(row.period.type, "month"),
                values=0,
                total=Decimal(0),
                decision=chosen.get("decision", CREATE),
                indicator_id=chosen.get("indicator"),
            )
        proposal.values += 1
        proposal.total += row.value
    return sorted(found.values(), key=lambda proposal: proposal.name)


def plan_for_proposals(organisation) -> Plan | None:
    """The plan new indicators go into: the organisation's adopted plan that started last,
    else its latest draft."""
    if organisation is None:
        return None
    plans = Plan.objects.filter(owner=organisation).order_by("-period_start", "-pk")
    return plans.filter(status=Plan.Status.ADOPTED).first() or plans.first()


@transaction.atomic
def decide_proposals(upload: Upload, decisions: dict[str, dict], actor=None) -> Upload:
    """Store per proposed measure: {"decision": "create" | "map" | "skip", "indicator": id}.

    An indicator to map to must belong to a plan of the upload's organisation; only who may
    import the figures of that organisation decides."""
    if not uploads.may_upload(upload.kind, actor, upload.organisation, upload.options or {}):
        raise PermissionDenied
    cleaned = {}
    for measure, chosen in decisions.items():
        decision = chosen.get("decision", CREATE)
        if decision not in DECISIONS:
            raise ValidationError(_("Onbekende keuze voor '%(measure)s'.") % {"measure": measure})
        entry = {"decision": decision}
        if decision == MAP:
            indicator_id = chosen.get("indicator")
            if not Indicator.objects.filter(
                pk=indicator_id, plan__owner=upload.organisation
            ).exists():
                raise ValidationError(
                    _("Kies een indicator van uw eigen plan voor '%(measure)s'.")
                    % {"measure": measure}
                )
            entry["indicator"] = int(indicator_id)
        cleaned[measure] = entry
    before = snapshot(upload)
    upload.options = {**(upload.options or {}), "proposals": cleaned}
    upload.save(update_fields=["options"])
    record_change(upload, actor, ChangeLogEntry.Operation.UPDATE, before)
    return upload


def apply_proposals(preview, table_id: str, actor=None) -> int:
    """Create or map the indicators the preview proposes, per the upload's decisions; returns
    how many mapping rules were made. Runs inside the confirmation's transaction."""
    organisation = preview.organisation
    # Only what a person decided (the preview form sends a choice for every proposal): an
    # unattended import (the scheduled refresh, the command line) creates no indicators.
    decided = (preview.upload.options or {}).get("proposals") or {} if preview.upload else {}
    proposals = [p for p in proposals_of(preview) if p.measure in decided and p.decision != SKIP]
    if organisation is None or not proposals:
        return 0
    plan = plan_for_proposals(organisation)
    area = Area.objects.filter(code=organisation.cbs_code).first()
    source = indicator_services.get_or_create_source(
        f"CBS {table_id}" if table_id else preview.title or "CBS", Source.Kind.STATISTICS
    )
    made = 0
    for proposal in proposals:
        if proposal.decision == MAP:
            indicator = Indicator.objects.get(pk=proposal.indicator_id, plan__owner=organisation)
        else:
            if plan is None or area is None:
                raise ValidationError(
                    _("%(organisation)s heeft geen plan om de nieuwe indicator in te maken.")
                    % {"organisation": organisation}
                )
            indicator = indicator_services.create_indicator(
                plan=plan,
                name=proposal.name,
                unit=proposal.unit,
                direction=Indicator.Direction.NONE,
                frequency=proposal.frequency,
                area=area,
                source=source,
                definition=_("Uit tabel %(table)s, onderwerp '%(measure)s'.")
                % {"table": table_id or preview.title, "measure": proposal.measure},
                actor=actor,
            )
        rule = MeasureMapping(
            organisation=organisation,
            table_id=table_id,
            measure=proposal.measure,
            indicator=indicator,
        )
        rule.full_clean()
        rule.save()
        record_change(rule, actor, ChangeLogEntry.Operation.CREATE)
        made += 1
    return made


def indicators_to_map_to(upload: Upload, user):
    """The indicators a proposed measure may be mapped to: those of the upload's organisation
    that the user may change (the one scoping method)."""
    return (
        Indicator.objects.restrict(user, CHANGE)
        .filter(plan__owner=upload.organisation, numerator__isnull=True)
        .select_related("plan")
        .order_by("plan__slug", "name")
    )


def decisions_from_form(data, proposals: list[Proposal]) -> dict[str, dict]:
    """The preview form's choice per proposal ("proposal-<n>": "create", "skip" or an indicator
    id), keyed by measure; proposals without a choice in the form keep theirs."""
    decisions = {}
    for index, proposal in enumerate(proposals):
        chosen = (data.get(f"proposal-{index}") or "").strip()
        if chosen in (CREATE, SKIP):
            decisions[proposal.measure] = {"decision": chosen}
        elif chosen.isdecimal():
            decisions[proposal.measure] = {"decision": MAP, "indicator": int(chosen)}
    return decisions
