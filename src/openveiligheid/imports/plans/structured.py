"""Import a plan from structured data: the JSON plan exchange format.

A plan that another system already holds as data (or that a developer tool extracted from a
document, as the demo's fixtures are) comes in here without a document reader: one call,
``import_structured_plan(data, owner=...)``, checks the whole structure first and refuses it with
Dutch messages that name the place of each error ("themes[2].indicators[0].unit: ..."), and only
then writes the plan through the services of plans, indicators, actions and programme, in one
transaction, each write with its change log entry. The import states nothing that the data does
not hold: no example figures, no default timings.

Format (version 1; every key not marked *required* may be left out or be null):

``plan``
    ``title`` *required* (text); ``slug`` (default: from the title; the ``slug`` argument wins);
    ``kind``: ``integral_plan`` (default) or ``execution_plan``; ``period_start`` and
    ``period_end`` *required* (years, start <= end); ``status``: ``adopted`` (default) or
    ``draft``; ``adopted_on`` (``YYYY-MM-DD``); ``summary``; ``source_document`` (file name);
    ``owner``: ``{"cbs_code": "GM0200", ...}``, only checked against the ``owner`` argument;
    ``partners``: the partner organisations the plan names (``[{"name", "kind"}]``), for
    information only: actions are linked to organisations that already exist;
    ``reporting_cycle``: list of *report*; ``headline_indicators``: list of *indicator* (the
    plan's central figures, shown first); ``themes`` *required*: list of *theme*;
    ``programme``: *programme*.

*report* (the plan's reporting cycle)
    ``report_type`` *required*: ``veiligheidsbrief``, ``jaarrapportage``,
    ``tussentijdse_evaluatie``, ``eindevaluatie``, ``veiligheidsanalyse`` or, for a regional
    plan, ``driehoek_halfjaar`` or ``driehoek_eind``; ``interval_months`` (null: once);
    ``first_due`` *required* (``YYYY-MM-DD``); ``source_text`` (the sentence of the plan).

*theme*
    ``name`` *required*; ``kind``: ``priority`` (default) or ``strategic``; ``description``;
    ``situation``; ``topics``: ``[{"name"}]``; ``goals``: ``[{"text" (required), "topic" (a
    topic name of this theme), "target_text"}]``; ``indicators``: list of *indicator*;
    ``actions``: list of *action*.

*indicator*
    ``name`` *required*; ``unit``: ``count`` (default), ``percentage``, ``euro``, ``grade``,
    ``rate``; ``direction``: ``up``, ``down``, ``none`` (default); ``frequency``: ``year``
    (default), ``half_year``, ``quarter``, ``month``, ``two_years``; ``source``: name of the
    source (default ``Gemeente``); ``definition``; ``start_year``; ``start_value`` (number,
    recorded as the measurement of the start period); ``start_period`` (``2022``, ``2022-H1``,
    ``2022-Q2`` or ``2022-05``; default: ``start_year``); ``target``: ``{"comparison" (required:
    gte, lte, not_above_start, not_below_start, ...), "value", "text"}``; ``remarks``:
    ``[{"period", "text"}]``, a remark the plan writes for a period instead of or beside a figure
    ("Vanwege corona geen voorlichting"), kept as the interpretation of that period.

*action*
    ``description`` *required*; ``subject``; ``topic`` (a topic name of the theme); ``lead``
    (text; matched to an existing partner organisation by name or alias, or the owner when
    empty); ``partners`` (names); ``due_text`` (as the plan writes it; empty when the plan gives
    no timing).

*programme*
    ``title`` *required*; ``description``; ``pillars``: ``[{"name" (required), "description",
    "assignments": [{"title" (required), "number", "what", "goal", "result", "who", "how",
    "when", "approach": project | analysis | process_direction | case_direction}]}]``;
    ``roles``: ``[{"name" (required), "description", "holder"}]``; ``participants``:
    ``[{"name" (required), "role"}]``; ``risks``: ``[{"description" (required), "likelihood",
    "impact" (low | medium | high), "mitigation", "owner"}]``; ``budget_lines``: ``[{"item"
    (required), "amounts": {"2023": 100000, ...}, "funding_source", "structural", "mpb_claim",
    "section" (the table the line is printed in)}]``; ``budget_totals``: the totals per year that
    the document prints for its first table (``{"2023": 1270000}``); ``table_totals``: the grand
    total the document prints per table (``{"Claims MPB (IVP)": 6934800}``);
    ``funding_overview``: ``{"rows": [{"source", "amount"}], "printed_total"}``.

Printed totals are kept beside the sums of the lines, so that a difference stays visible.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openveiligheid.actions import services as action_services
from openveiligheid.areas.models import Area
from openveiligheid.core.limits import ParseLimitExceeded, load_json
from openveiligheid.core.periods import parse_period
from openveiligheid.indicators import services as indicator_services
from openveiligheid.indicators.models import FREQUENCY_CHOICES, Indicator, Source, Target
from openveiligheid.organisations.matching import normalise_name
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans import services as plan_services
from openveiligheid.plans.models import Plan, PlannedReport, Theme
from openveiligheid.programme import services as programme_services
from openveiligheid.programme.models import Assignment, Level

FREQUENCIES = [value for value, _label in FREQUENCY_CHOICES]
SOURCE_KINDS = {
    "politie": Source.Kind.POLICE,
    "bewonerspanel": Source.Kind.SURVEY,
    "veiligheidsmonitor": Source.Kind.SURVEY,
}
START_NOTE = "Startwaarde uit het plan"


# --- reading -----------------------------------------------------------------------------------


def load_plan_file(content: bytes | str):
    """The data of a JSON plan file, within the JSON limits of core.limits (size, number of
    values, nesting). Raises ValidationError with a Dutch message."""
    try:
        return load_json(content)
    except ParseLimitExceeded as error:
        raise ValidationError(str(error)) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("Dit is geen leesbaar JSON-bestand (%(error)s).") % {"error": error}
        ) from error


# --- checking ----------------------------------------------------------------------------------


class _Checker:
    """Collects every error of the data with its place, so that one answer names them all."""

    def __init__(self):
        self.errors: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def mapping(self, value, path: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, _("verwacht een object met velden."))
            return {}
        return value

    def items(self, value, path: str) -> list[tuple[str, dict]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, _("verwacht een lijst."))
            return []
        return [
            (f"{path}[{index}]", self.mapping(item, f"{path}[{index}]"))
            for index, item in enumerate(value)
        ]

    def text(self, data: dict, key: str, path: str, *, required: bool = False) -> None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{path}.{key}", _("is verplicht."))
        elif not isinstance(value, str):
            self.add(f"{path}.{key}", _("verwacht tekst."))

    def choice(self, data: dict, key: str, path: str, choices, *, required=False) -> None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                self.add(f"{path}.{key}", _("is verplicht."))
        elif value not in choices:
            self.add(
                f"{path}.{key}",
                _("onbekende waarde '%(value)s'; kies uit %(choices)s.")
                % {"value": value, "choices": ", ".join(choices)},
            )

    def number(self, data: dict, key: str, path: str, *, required: bool = False) -> None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", _("is verplicht."))
            return
        try:
            ok = not isinstance(value, bool) and Decimal(str(value)).is_finite()
        except InvalidOperation:
            ok = False
        if not ok:
            self.add(f"{path}.{key}", _("'%(value)s' is geen getal.") % {"value": value})

    def year(self, data: dict, key: str, path: str, *, required: bool = False) -> None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", _("is verplicht."))
        elif isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            self.add(f"{path}.{key}", _("'%(value)s' is geen jaartal.") % {"value": value})

    def day(self, data: dict, key: str, path: str, *, required: bool = False) -> None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", _("is verplicht."))
            return
        try:
            date.fromisoformat(str(value))
        except ValueError:
            self.add(
                f"{path}.{key}",
                _("'%(value)s' is geen datum; schrijf JJJJ-MM-DD.") % {"value": value},
            )

    def period(self, value, path: str) -> None:
        try:
            parse_period(str(value))
        except ValueError as error:
            self.add(path, str(error))


def _check_indicator(check: _Checker, data: dict, path: str) -> None:
    check.text(data, "name", path, required=True)
    check.choice(data, "unit", path, Indicator.Unit.values)
    check.choice(data, "direction", path, Indicator.Direction.values)
    check.choice(data, "frequency", path, FREQUENCIES)
    check.text(data, "source", path)
    check.year(data, "start_year", path)
    check.number(data, "start_value", path)
    if data.get("start_value") is not None and not (
        data.get("start_year") or data.get("start_period")
    ):
        check.add(
            f"{path}.start_value", _("een startwaarde heeft een startjaar of -periode nodig.")
        )
    if data.get("start_period") is not None:
        check.period(data["start_period"], f"{path}.start_period")
    target = check.mapping(data.get("target"), f"{path}.target")
    if target:
        check.choice(
            target, "comparison", f"{path}.target", Target.Comparison.values, required=True
        )
        check.number(target, "value", f"{path}.target")
    for item_path, remark in check.items(data.get("remarks"), f"{path}.remarks"):
        check.text(remark, "text", item_path, required=True)
        if remark.get("period") is None:
            check.add(f"{item_path}.period", _("is verplicht."))
        else:
            check.period(remark["period"], f"{item_path}.period")


def _check_theme(check: _Checker, data: dict, path: str) -> None:
    check.text(data, "name", path, required=True)
    check.choice(data, "kind", path, Theme.Kind.values)
    topics = set()
    for item_path, topic in check.items(data.get("topics"), f"{path}.topics"):
        check.text(topic, "name", item_path, required=True)
        topics.add(topic.get("name"))
    for key in ("goals", "actions"):
        for item_path, item in check.items(data.get(key), f"{path}.{key}"):
            check.text(item, "text" if key == "goals" else "description", item_path, required=True)
            if item.get("topic") and item["topic"] not in topics:
                check.add(
                    f"{item_path}.topic",
                    _("'%(topic)s' is geen subthema van dit thema.") % {"topic": item["topic"]},
                )
    for item_path, indicator in check.items(data.get("indicators"), f"{path}.indicators"):
        _check_indicator(check, indicator, item_path)


def _check_programme(check: _Checker, data: dict, path: str) -> None:
    check.text(data, "title", path, required=True)
    for pillar_path, pillar in check.items(data.get("pillars"), f"{path}.pillars"):
        check.text(pillar, "name", pillar_path, required=True)
        for item_path, item in check.items(pillar.get("assignments"), f"{pillar_path}.assignments"):
            check.text(item, "title", item_path, required=True)
            check.choice(item, "approach", item_path, Assignment.Approach.values)
    for key, required in (("roles", "name"), ("participants", "name"), ("risks", "description")):
        for item_path, item in check.items(data.get(key), f"{path}.{key}"):
            check.text(item, required, item_path, required=True)
            if key == "risks":
                check.choice(item, "likelihood", item_path, Level.values)
                check.choice(item, "impact", item_path, Level.values)
    _check_budget(check, data, path)


def _check_budget(check: _Checker, data: dict, path: str) -> None:
    for item_path, line in check.items(data.get("budget_lines"), f"{path}.budget_lines"):
        check.text(line, "item", item_path, required=True)
        amounts = check.mapping(line.get("amounts"), f"{item_path}.amounts")
        for year in amounts:
            if not (str(year).isdecimal() and len(str(year)) == 4):
                check.add(f"{item_path}.amounts", _("'%(year)s' is geen jaartal.") % {"year": year})
            check.number(amounts, year, f"{item_path}.amounts")
    for key in ("budget_totals", "table_totals"):
        totals = check.mapping(data.get(key), f"{path}.{key}")
        for name in totals:
            check.number(totals, name, f"{path}.{key}")
    overview = check.mapping(data.get("funding_overview"), f"{path}.funding_overview")
    for item_path, row in check.items(overview.get("rows"), f"{path}.funding_overview.rows"):
        check.text(row, "source", item_path, required=True)
        check.number(row, "amount", item_path, required=True)
    check.number(overview, "printed_total", f"{path}.funding_overview")


def check_structured_plan(data, *, owner: Organisation | None = None) -> list[str]:
    """Every error of the data, each with its place; empty when the data can be imported."""
    check = _Checker()
    plan = check.mapping(data, "plan")
    if not plan:
        return check.errors or [_("plan: de gegevens zijn leeg.")]
    check.text(plan, "title", "plan", required=True)
    check.text(plan, "slug", "plan")
    check.choice(plan, "kind", "plan", Plan.Kind.values)
    check.choice(plan, "status", "plan", Plan.Status.values)
    check.year(plan, "period_start", "plan", required=True)
    check.year(plan, "period_end", "plan", required=True)
    start, end = plan.get("period_start"), plan.get("period_end")
    if isinstance(start, int) and isinstance(end, int) and start > end:
        check.add("plan.period_end", _("het eindjaar ligt voor het beginjaar."))
    check.day(plan, "adopted_on", "plan")
    stated_owner = check.mapping(plan.get("owner"), "plan.owner")
    if owner is not None and stated_owner.get("cbs_code") not in (None, owner.cbs_code):
        check.add(
            "plan.owner.cbs_code",
            _("de gegevens horen bij %(code)s, niet bij %(owner)s.")
            % {"code": stated_owner["cbs_code"], "owner": owner.name},
        )
    for path, report in check.items(plan.get("reporting_cycle"), "plan.reporting_cycle"):
        check.choice(report, "report_type", path, PlannedReport.ReportType.values, required=True)
        check.day(report, "first_due", path, required=True)
        interval = report.get("interval_months")
        if interval is not None and (not isinstance(interval, int) or interval < 1):
            check.add(f"{path}.interval_months", _("verwacht een aantal maanden (1 of meer)."))
    for path, indicator in check.items(plan.get("headline_indicators"), "plan.headline_indicators"):
        _check_indicator(check, indicator, path)
    if not plan.get("themes"):
        check.add("plan.themes", _("is verplicht: een plan heeft minstens één thema."))
    for path, theme in check.items(plan.get("themes"), "plan.themes"):
        _check_theme(check, theme, path)
    programme = check.mapping(plan.get("programme"), "plan.programme")
    if programme:
        _check_programme(check, programme, "plan.programme")
    return check.errors


# --- writing -----------------------------------------------------------------------------------


class _Writer:
    """Writes checked data; holds what the parts share (owner, area, sources, partners)."""

    def __init__(self, plan: Plan, actor):
        self.plan, self.actor = plan, actor
        self.owner = plan.owner
        self.area = Area.objects.filter(code=self.owner.cbs_code or None).first()
        self.sources: dict[str, Source] = {}
        self.partners: dict[str, Organisation] = {}
        for partner in Organisation.objects.filter(kind=Organisation.Kind.PARTNER):
            for name in (partner.name, *(partner.aliases or [])):
                self.partners.setdefault(normalise_name(name), partner)
        self.action_plan = None

    def source(self, name: str | None) -> Source:
        name = name or "Gemeente"
        if name not in self.sources:
            kind = SOURCE_KINDS.get(name.lower(), Source.Kind.MUNICIPALITY)
            self.sources[name] = indicator_services.get_or_create_source(name, kind)
        return self.sources[name]

    def partner(self, name: str | None) -> Organisation | None:
        return self.partners.get(normalise_name(name)) if name else None

    def indicator(self, data: dict, *, theme, order: int, headline: bool = False) -> Indicator:
        source = self.source(data.get("source"))
        target = data.get("target")
        indicator = indicator_services.create_indicator(
            plan=self.plan,
            theme=theme,
            name=data["name"][:300],
            unit=data.get("unit") or Indicator.Unit.COUNT,
            direction=data.get("direction") or Indicator.Direction.NONE,
            frequency=data.get("frequency") or "year",
            definition=data.get("definition") or "",
            area=self.area,
            source=source,
            start_year=data.get("start_year"),
            is_headline=headline,
            order=order,
            target=(
                {
                    "comparison": target["comparison"],
                    "value": target.get("value"),
                    "text": target.get("text") or "",
                }
                if target
                else None
            ),
            actor=self.actor,
        )
        if data.get("start_value") is not None:
            indicator_services.record_measurement(
                indicator=indicator,
                period=str(data.get("start_period") or data["start_year"]),
                value=data["start_value"],
                source=source,
                note=START_NOTE,
                actor=self.actor,
            )
        for remark in data.get("remarks") or []:
            indicator_services.write_interpretation(
                indicator=indicator,
                period=str(remark["period"]),
                text=remark["text"],
                actor=self.actor,
            )
        return indicator

    def actions(self, theme: Theme, topics: dict, actions: list[dict]) -> None:
        if not actions:
            return
        if self.action_plan is None:
            self.action_plan = action_services.create_action_plan(
                plan=self.plan,
                title=f"Wat gaan we doen – {self.plan.title}",
                year_start=self.plan.period_start,
                year_end=self.plan.period_end,
                actor=self.actor,
            )
        specs = []
        for action in actions:
            lead_text = action.get("lead") or ""
            partner_names = action.get("partners") or []
            specs.append(
                {
                    "theme": theme,
                    "topic": topics.get(action.get("topic")),
                    "subject": (action.get("subject") or "")[:300],
                    "description": action["description"],
                    "lead_text": lead_text,
                    # No lead named: the plan's owner does it.
                    "lead_organisation": self.partner(lead_text) if lead_text else self.owner,
                    "partner_text": ", ".join(partner_names),
                    "partners": [p for p in map(self.partner, partner_names) if p],
                    "due_text": action.get("due_text") or "",
                }
            )
        action_services.create_actions(action_plan=self.action_plan, specs=specs, actor=self.actor)

    def theme(self, data: dict) -> None:
        theme = plan_services.add_theme(
            self.plan,
            name=data["name"],
            kind=data.get("kind") or Theme.Kind.PRIORITY,
            description=data.get("description") or "",
            situation=data.get("situation") or "",
            actor=self.actor,
        )
        topics = {
            topic["name"]: plan_services.add_topic(theme, name=topic["name"], actor=self.actor)
            for topic in data.get("topics") or []
        }
        for goal in data.get("goals") or []:
            plan_services.add_goal(
                theme,
                text=goal["text"],
                topic=topics.get(goal.get("topic")),
                target_text=goal.get("target_text") or "",
                actor=self.actor,
            )
        for order, indicator in enumerate(data.get("indicators") or []):
            self.indicator(indicator, theme=theme, order=order)
        self.actions(theme, topics, data.get("actions") or [])

    def programme(self, data: dict) -> None:
        programme = programme_services.create_programme(
            plan=self.plan,
            title=data["title"],
            description=data.get("description") or "",
            stated_budget_totals={
                str(year): total
                for year, total in (data.get("budget_totals") or {}).items()
                if total is not None
            },
            stated_table_totals={
                name: total
                for name, total in (data.get("table_totals") or {}).items()
                if total is not None
            },
            funding_overview=data.get("funding_overview") or {},
            actor=self.actor,
        )
        for pillar_data in data.get("pillars") or []:
            pillar = programme_services.add_pillar(
                programme,
                name=pillar_data["name"],
                description=pillar_data.get("description") or "",
                actor=self.actor,
            )
            for assignment in pillar_data.get("assignments") or []:
                fields = ("number", "title", "what", "goal", "result", "who", "how", "when")
                programme_services.add_assignment(
                    pillar,
                    **{key: assignment.get(key) or "" for key in fields},
                    approach=assignment.get("approach") or Assignment.Approach.PROJECT,
                    actor=self.actor,
                )
        for role in data.get("roles") or []:
            programme_services.add_role(
                programme,
                name=role["name"],
                description=role.get("description") or "",
                holder=role.get("holder") or "",
                actor=self.actor,
            )
        for participant in data.get("participants") or []:
            programme_services.add_participant(
                programme,
                name=participant["name"],
                role=participant.get("role") or "",
                actor=self.actor,
            )
        for risk in data.get("risks") or []:
            programme_services.add_risk(
                programme,
                description=risk["description"],
                **{key: risk.get(key) or "" for key in ("likelihood", "impact", "mitigation")},
                owner=risk.get("owner") or "",
                actor=self.actor,
            )
        for line in data.get("budget_lines") or []:
            programme_services.add_budget_line(
                programme,
                item=line["item"],
                amounts=line.get("amounts") or {},
                funding_source=line.get("funding_source") or "",
                is_structural=bool(line.get("structural")),
                is_mpb_claim=bool(line.get("mpb_claim")),
                section=line.get("section") or "",
                actor=self.actor,
            )


@transaction.atomic
def import_structured_plan(
    data: dict, *, owner: Organisation, actor=None, slug: str | None = None
) -> Plan:
    """Create the plan that ``data`` describes (see the module docstring) for ``owner``.

    Raises ValidationError with every error of the data, in Dutch, before anything is written;
    a slug that is taken is refused too."""
    errors = check_structured_plan(data, owner=owner)
    if errors:
        raise ValidationError(errors)
    slug = slug or data.get("slug") or slugify(data["title"])[:100]
    if Plan.objects.filter(slug=slug).exists():
        errors.append(_("plan.slug: er bestaat al een plan '%(slug)s'.") % {"slug": slug})
    has_indicators = bool(data.get("headline_indicators")) or any(
        theme.get("indicators") for theme in data["themes"]
    )
    if has_indicators and not Area.objects.filter(code=owner.cbs_code or None).exists():
        # An indicator is followed for an area: the owner's municipality.
        errors.append(
            _("plan.owner: %(owner)s heeft geen CBS-gebied (laad eerst de gebieden).")
            % {"owner": owner.name}
        )
    if errors:
        raise ValidationError(errors)
    plan = plan_services.create_plan(
        slug=slug,
        title=data["title"],
        kind=data.get("kind") or Plan.Kind.INTEGRAL_PLAN,
        period_start=data["period_start"],
        period_end=data["period_end"],
        owner=owner,
        status=data.get("status") or Plan.Status.ADOPTED,
        adopted_on=data.get("adopted_on"),
        summary=data.get("summary") or "",
        source_document=data.get("source_document") or "",
        actor=actor,
    )
    for report in data.get("reporting_cycle") or []:
        plan_services.set_planned_report(
            plan,
            report_type=report["report_type"],
            interval_months=report.get("interval_months"),
            first_due=report["first_due"],
            source_text=report.get("source_text") or "",
            actor=actor,
        )
    writer = _Writer(plan, actor)
    for order, indicator in enumerate(data.get("headline_indicators") or []):
        writer.indicator(indicator, theme=None, order=order, headline=True)
    for theme in data["themes"]:
        writer.theme(theme)
    if data.get("programme"):
        writer.programme(data["programme"])
    return plan
