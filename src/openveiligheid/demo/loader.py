"""Loads the demo: the real Apeldoorn and Oude IJsselstreek plans, real open data, demo accounts.

Plans come from curated fixtures in data/ (regenerated from the documents by seeds/extract.py) and
from parsing the action tables of the 2017-2018 execution plan. Figures after 2022 that the
documents do not give are generated and flagged as voorbeelddata. Loading is idempotent: a plan
that exists is left alone (use reset=True to rebuild the demo plans).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.db import transaction

from openveiligheid.actions import services as action_services
from openveiligheid.actions.models import Action
from openveiligheid.areas import services as area_services
from openveiligheid.areas.models import Area
from openveiligheid.imports.mapping import bind_indicator
from openveiligheid.imports.open_data import normalise_name
from openveiligheid.imports.plans import services as plan_import
from openveiligheid.imports.services import confirm_measurement_import, preview_measurement_import
from openveiligheid.indicators import services as indicator_services
from openveiligheid.indicators.models import Indicator, Source
from openveiligheid.meetings.demo import load_demo_meetings
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import (
    ensure_user,
    grant_membership,
    upsert_organisation,
)
from openveiligheid.plans import services as plan_services
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.programme import services as programme_services

DEMO_DIR = Path(__file__).resolve().parent
DATA_DIR = DEMO_DIR / "data"
DOCUMENTS_DIR = DEMO_DIR / "documents"
OPEN_DATA_DIR = DEMO_DIR / "open_data"
DEMO_PASSWORD = "demo-Veilig-2026"  # printed by load-demo; demo accounts only, never production
EXAMPLE_YEARS = (2023, 2024, 2025)

APELDOORN = "GM0200"
OUDE_IJSSELSTREEK = "GM1509"
APELDOORN_NEIGHBOURS = ("GM0232", "GM0285", "GM0150", "GM0203", "GM0246", "GM0213")
ACHTERHOEK = (OUDE_IJSSELSTREEK, "GM1876", "GM0222", "GM1955")

PARTNERS = {
    # name: (partner type, spellings found in plans)
    "Politie": ("police", ["politie", "politie oost-nederland", "wijkagent", "wijkagenten"]),
    "Openbaar Ministerie": ("public_prosecutor", ["om", "openbaar ministerie"]),
    "RIEC Oost-Nederland": ("riec", ["riec", "riec oost-nederland"]),
    "Belastingdienst": ("tax", ["belastingdienst"]),
    "Zorg- en Veiligheidshuis": (
        "care_safety_house",
        ["veiligheidshuis", "zorg- en veiligheidshuis", "zorg en veiligheidshuis", "zvh"],
    ),
    "Brandweer": ("fire_brigade", ["brandweer", "vnog"]),
    "Woningcorporaties": (
        "housing",
        ["woningbouwcorporaties", "woningcorporaties", "corporaties", "woningcorporatie"],
    ),
    "Jongerenwerk": ("youth_work", ["jongerenwerk", "stimenz"]),
}

DEMO_ACCOUNTS = [
    # username, full name, organisation (CBS code or partner name), role
    ("beheerder", "Demo Beheerder", APELDOORN, "administrator"),
    ("programmamanager", "Demo Programmamanager", APELDOORN, "programme_manager"),
    ("adviseur", "Demo Adviseur Veiligheid", APELDOORN, "safety_adviser"),
    ("actiehouder", "Demo Actiehouder", APELDOORN, "action_lead"),
    ("raadslid", "Demo Raadslid", APELDOORN, "council_member"),
    ("politie", "Demo Contactpersoon Politie", "Politie", "partner_contact"),
    ("oij-programmamanager", "Demo Programmamanager OIJ", OUDE_IJSSELSTREEK, "programme_manager"),
]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)


# --- organisations and areas -------------------------------------------------------------------


def load_areas() -> dict[str, Area]:
    """The CBS areas (areas.services.load_areas); returns today's municipalities and NL01 by code.

    Only current municipalities: the demo matches open data on municipality names, and wijken,
    buurten or merged municipalities of the same name would get in the way.
    """
    area_services.load_areas()
    current = Area.objects.municipalities().current().exclude(code="GM0000")
    areas = {area.code: area for area in current}
    areas["NL01"] = Area.objects.get(code="NL01")
    return areas


def load_organisations(areas: dict[str, Area]) -> dict[str, Organisation]:
    organisations = {}
    for code in (APELDOORN, *APELDOORN_NEIGHBOURS, *ACHTERHOEK):
        organisations[code] = upsert_organisation(
            kind=Organisation.Kind.MUNICIPALITY, name=areas[code].name, cbs_code=code
        )
    organisations[APELDOORN].brand_colour = "#004f9f"
    organisations[APELDOORN].save(update_fields=["brand_colour"])
    region = upsert_organisation(
        kind=Organisation.Kind.REGION, name="Achterhoek (samenwerking IVB)", slug="achterhoek"
    )
    region.members.add(*(organisations[code] for code in ACHTERHOEK))
    organisations["achterhoek"] = region
    for name, (partner_type, aliases) in PARTNERS.items():
        organisations[name] = upsert_organisation(
            kind=Organisation.Kind.PARTNER, name=name, partner_type=partner_type, aliases=aliases
        )
    return organisations


def match_partner(text: str, organisations: dict[str, Organisation]) -> Organisation | None:
    key = normalise_name(text)
    for name, (_, aliases) in PARTNERS.items():
        if key == normalise_name(name) or key in aliases:
            return organisations[name]
    return None


# --- measurements ------------------------------------------------------------------------------


def _rounding(unit: str) -> Decimal:
    return Decimal("1") if unit in ("count", "euro") else Decimal("0.1")


def example_series(indicator: Indicator, start_value: Decimal) -> list[tuple[int, Decimal]]:
    """Plausible yearly values after the start year, deterministic per indicator."""
    seed = int(hashlib.sha256(indicator.slug.encode()).hexdigest()[:8], 16)
    rng = random.Random(seed)
    drift = rng.uniform(-0.06, 0.05)
    values, value = [], float(start_value)
    for year in EXAMPLE_YEARS:
        value = value * (1 + drift + rng.uniform(-0.03, 0.03))
        if indicator.unit == "percentage":
            value = min(max(value, 0.0), 100.0)
        elif indicator.unit == "grade":
            value = min(max(value, 1.0), 10.0)
        values.append((year, Decimal(str(value)).quantize(_rounding(indicator.unit))))
    return values


def _create_indicator(plan, data: dict, *, theme, area, sources, order, headline=False):
    source_name = data.get("source") or "Gemeente"
    source = sources.get(source_name)
    if source is None:
        kind = {
            "politie": Source.Kind.POLICE,
            "bewonerspanel": Source.Kind.SURVEY,
            "veiligheidsmonitor": Source.Kind.SURVEY,
        }.get(source_name.lower(), Source.Kind.MUNICIPALITY)
        source = indicator_services.get_or_create_source(source_name, kind)
        sources[source_name] = source
    target = data.get("target")
    indicator = indicator_services.create_indicator(
        plan=plan,
        theme=theme,
        name=data["name"][:300],
        unit=data.get("unit") or "count",
        direction=data.get("direction") or "none",
        frequency=data.get("frequency") or "year",
        definition=data.get("definition") or "",
        area=area,
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
    )
    start_value = data.get("start_value")
    if start_value is not None and data.get("start_year"):
        indicator_services.record_measurement(
            indicator=indicator,
            period=str(data["start_year"]),
            value=start_value,
            source=source,
            note="Startwaarde uit het plan",
        )
        for year, value in example_series(indicator, Decimal(str(start_value))):
            indicator_services.record_measurement(
                indicator=indicator,
                period=str(year),
                value=value,
                source=source,
                is_example=True,
                note="Voorbeelddata: gegenereerd, geen echte meting",
            )
    return indicator


def load_open_data_indicators(plan: Plan, area: Area, areas: dict[str, Area]) -> None:
    """Real police and CBS figures for the plan's municipality and its neighbours."""
    police = indicator_services.get_or_create_source(
        "Politie open data (47013NED)",
        Source.Kind.POLICE,
        url="https://data.politie.nl/",
        description="Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente",
    )
    cbs = indicator_services.get_or_create_source(
        "CBS StatLine (83648NED)", Source.Kind.STATISTICS, url="https://opendata.cbs.nl/"
    )
    population_source = indicator_services.get_or_create_source(
        "CBS bevolking (47018NED)", Source.Kind.STATISTICS
    )
    # The figures below are all yearly, for the plan's own municipality.
    yearly = partial(indicator_services.create_indicator, plan=plan, frequency="year", area=area)
    crimes = yearly(
        name="Geregistreerde misdrijven (politie, tabel 47013NED)",
        unit="count",
        direction="down",
        source=police,
        definition=(
            "Totaal geregistreerde misdrijven volgens data.politie.nl tabel 47013NED. Wijkt af van "
            "het IVP-cijfer, dat uit een andere registratie komt."
        ),
        start_year=2022,
        is_headline=True,
        order=90,
        target={"comparison": "not_above_start", "text": "niet hoger dan in 2022"},
    )
    cbs_crimes = yearly(
        name="Geregistreerde misdrijven (CBS, tabel 83648NED)",
        unit="count",
        direction="down",
        source=cbs,
        definition="Totaal geregistreerde misdrijven, CBS 83648NED (reeks 2010-2020).",
        order=91,
    )
    population = yearly(
        name="Inwoners",
        unit="count",
        direction="none",
        source=population_source,
        definition="Aantal inwoners volgens CBS.",
        order=92,
    )
    yearly(
        name="Geregistreerde misdrijven per 1.000 inwoners",
        unit="rate",
        direction="down",
        definition="Berekend: misdrijven (47013NED) gedeeld door inwoners, maal 1.000.",
        numerator=crimes,
        denominator=population,
        per=1000,
        is_headline=True,
        order=93,
    )
    wanted = {area.code, *APELDOORN_NEIGHBOURS, *ACHTERHOEK}
    # The open-data files go in through the import service like any export a municipality
    # uploads: the plan's indicators are bound to the default mapping's series keys, with the
    # neighbours as comparison areas.
    comparison = sorted(wanted - {area.code})
    for key, indicator in (("misdrijven-politie", crimes), ("misdrijven-cbs", cbs_crimes)):
        bind_indicator(
            organisation=plan.owner, key=key, indicator=indicator, extra_areas=comparison
        )
    for file in (
        "politie_47013NED_misdrijven_gemeente_2022_2023.csv",
        "cbs_83648NED_misdrijven_gemeente_2010_2020.csv",
    ):
        preview = preview_measurement_import(
            name=file, content=(OPEN_DATA_DIR / file).read_bytes(), organisation=plan.owner
        )
        confirm_measurement_import(preview.upload)
    for code in wanted:
        if areas[code].population:
            indicator_services.record_measurement(
                indicator=population,
                period="2023",
                value=areas[code].population,
                area=areas[code],
                source=population_source,
            )


# --- plans -------------------------------------------------------------------------------------


def load_plan_fixture(path: Path, organisations, areas, sources) -> Plan:
    data = json.loads(path.read_text(encoding="utf-8"))
    owner = organisations[data["owner"]["cbs_code"]]
    area = areas[data["owner"]["cbs_code"]]
    plan = plan_services.create_plan(
        slug=data["slug"],
        title=data["title"],
        kind=data.get("kind") or Plan.Kind.INTEGRAL_PLAN,
        period_start=data["period_start"],
        period_end=data["period_end"],
        owner=owner,
        status=data.get("status") or Plan.Status.ADOPTED,
        adopted_on=data.get("adopted_on"),
        summary=data.get("summary") or "",
        source_document=data.get("source_document") or "",
    )
    for order, indicator in enumerate(data.get("headline_indicators") or []):
        _create_indicator(
            plan, indicator, theme=None, area=area, sources=sources, order=order, headline=True
        )
    action_plan = None
    for theme_data in data["themes"]:
        theme = plan_services.add_theme(
            plan,
            name=theme_data["name"],
            kind=theme_data["kind"],
            description=theme_data.get("description") or "",
        )
        topics = {
            t["name"]: plan_services.add_topic(theme, name=t["name"])
            for t in theme_data.get("topics") or []
        }
        for goal in theme_data.get("goals") or []:
            plan_services.add_goal(
                theme,
                text=goal["text"],
                topic=topics.get(goal.get("topic")),
                target_text=goal.get("target_text") or "",
            )
        for order, indicator in enumerate(theme_data.get("indicators") or []):
            _create_indicator(plan, indicator, theme=theme, area=area, sources=sources, order=order)
        for action in theme_data.get("actions") or []:
            if action_plan is None:
                action_plan = action_services.create_action_plan(
                    plan=plan,
                    title=f"Wat gaan we doen – {plan.title}",
                    year_start=plan.period_start,
                    year_end=plan.period_end,
                )
            lead = match_partner(action.get("lead") or "", organisations)
            action_services.create_action(
                action_plan=action_plan,
                theme=theme,
                topic=topics.get(action.get("topic")),
                subject=(action.get("subject") or "")[:300],
                description=action["description"],
                lead_text=action.get("lead") or "",
                lead_organisation=lead or (owner if not action.get("lead") else None),
                partner_text=", ".join(action.get("partners") or []),
                partners=[
                    p
                    for p in (match_partner(n, organisations) for n in action.get("partners") or [])
                    if p
                ],
                due_text=action.get("due_text") or "Doorlopend",
            )
    if data.get("programme"):
        load_programme(plan, data["programme"])
    return plan


def load_programme(plan: Plan, data: dict) -> None:
    programme = programme_services.create_programme(
        plan=plan,
        title=data["title"],
        description=data.get("description") or "",
        stated_budget_totals={
            year: total
            for year, total in (data.get("budget_totals") or {}).items()
            if total is not None
        },
    )
    for pillar_data in data.get("pillars") or []:
        pillar = programme_services.add_pillar(
            programme, name=pillar_data["name"], description=pillar_data.get("description") or ""
        )
        for assignment in pillar_data.get("assignments") or []:
            programme_services.add_assignment(
                pillar,
                **{
                    key: assignment.get(key) or ""
                    for key in ("number", "title", "what", "goal", "result", "who", "how", "when")
                },
                approach=assignment.get("approach") or "project",
            )
    for role in data.get("roles") or []:
        programme_services.add_role(
            programme,
            name=role["name"],
            description=role.get("description") or "",
            holder=role.get("holder") or "",
        )
    for participant in data.get("participants") or []:
        programme_services.add_participant(
            programme, name=participant["name"], role=participant.get("role") or ""
        )
    for risk in data.get("risks") or []:
        programme_services.add_risk(
            programme,
            description=risk["description"],
            likelihood=risk.get("likelihood") or "",
            impact=risk.get("impact") or "",
            mitigation=risk.get("mitigation") or "",
            owner=risk.get("owner") or "",
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
        )


EXECUTION_PLAN_SLUG = "apeldoorn-uitvoeringsplan-2017-2018"
EXECUTION_PLAN_DOCUMENT = "001_6ad9f3ac64820703.txt"


def load_execution_plan(organisations) -> Plan:
    """The 2017-2018 execution plan, read by the plan importer users get (``import-plan``)."""
    document = DOCUMENTS_DIR / EXECUTION_PLAN_DOCUMENT
    owner = organisations[APELDOORN]
    extracted = plan_import.read_plan(document.read_bytes(), document.name, organisation=owner)
    first, last = extracted.period or (2017, 2018)
    plan = plan_services.create_plan(
        slug=EXECUTION_PLAN_SLUG,
        title=extracted.title or "Uitvoeringsplan Integrale Veiligheid 2017 en 2018",
        kind=Plan.Kind.EXECUTION_PLAN,
        period_start=first,
        period_end=last,
        owner=owner,
        status=Plan.Status.ADOPTED,
        summary="Uitvoeringsplan bij het Integraal Veiligheidsplan Apeldoorn 2015-2018.",
        source_document=document.name,
    )
    plan_import.import_plan(extracted, organisation=owner, plan=plan, file_name=document.name)
    return plan


def _plan_exists(slug: str, reset: bool) -> bool:
    existing = Plan.objects.filter(slug=slug).first()
    if existing and reset:
        existing.delete()
        return False
    return existing is not None


@transaction.atomic
def load_demo(reset: bool = False) -> LoadReport:
    report = LoadReport()
    areas = load_areas()
    organisations = load_organisations(areas)
    sources: dict[str, Source] = {}
    for path, extra in (
        (DATA_DIR / "apeldoorn-ivp-2023-2026.json", APELDOORN),
        (DATA_DIR / "oude-ijsselstreek-ivb-2023-2026.json", OUDE_IJSSELSTREEK),
    ):
        slug = json.loads(path.read_text(encoding="utf-8"))["slug"]
        if _plan_exists(slug, reset):
            report.skipped.append(slug)
            continue
        plan = load_plan_fixture(path, organisations, areas, sources)
        load_open_data_indicators(plan, areas[extra], areas)
        report.created.append(slug)
    if _plan_exists(EXECUTION_PLAN_SLUG, reset):
        report.skipped.append(EXECUTION_PLAN_SLUG)
    else:
        report.created.append(load_execution_plan(organisations).slug)
        load_demo_meetings()
    load_accounts(organisations, report)
    return report


def load_accounts(organisations, report: LoadReport) -> None:
    for username, full_name, organisation_key, role in DEMO_ACCOUNTS:
        user = ensure_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            email=f"{username}@demo.openveiligheid.nl",
        )
        grant_membership(user=user, organisation=organisations[organisation_key], role_slug=role)
        report.accounts.append((username, role))
    adviser = ensure_user(username="adviseur", password=DEMO_PASSWORD)
    lead = ensure_user(username="actiehouder", password=DEMO_PASSWORD)
    ivp = Plan.objects.filter(slug="apeldoorn-ivp-2023-2026").first()
    if ivp is not None:
        for theme in ivp.themes.filter(kind=Theme.Kind.PRIORITY)[:2]:
            theme.advisers.add(adviser)
    execution = Plan.objects.filter(slug="apeldoorn-uitvoeringsplan-2017-2018").first()
    if execution is not None:
        for action in Action.objects.filter(action_plan__plan=execution, lead_person=None)[:5]:
            action_services.update_action(action, lead_person=lead)


@transaction.atomic
def remove_demo() -> None:
    """Remove everything load_demo made (for tests and `load-demo --reset`-like clean-ups)."""
    from django.contrib.auth import get_user_model

    from openveiligheid.core.models import ChangeLogEntry

    Plan.objects.all().delete()
    Organisation.objects.all().delete()
    Area.objects.filter(level=Area.Level.MUNICIPALITY).delete()
    Area.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).delete()
    ChangeLogEntry.objects.all().delete()
