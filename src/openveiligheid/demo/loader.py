"""Loads the demo: the real Apeldoorn and Oude IJsselstreek plans, real open data, demo accounts.

Plans come from curated fixtures in data/ (built from the documents by the developer tool
scripts/demo_fixtures.py), loaded through the structured plan importer that users have too
(imports.plans.structured), and from parsing the action tables of the 2017-2018 execution plan.
Figures after the start values that the documents do not give are generated, in the
indicator's own frequency, and flagged as voorbeelddata. Loading is idempotent: a plan that
exists is left alone (use reset=True to rebuild the demo plans).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.db import transaction

from openveiligheid.actions import services as action_services
from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.areas import services as area_services
from openveiligheid.areas.models import Area
from openveiligheid.core.periods import Period
from openveiligheid.core.text import normalise_name
from openveiligheid.imports.mapping import bind_indicator
from openveiligheid.imports.plans import services as plan_import
from openveiligheid.imports.plans.structured import (
    START_NOTE,
    import_structured_plan,
    load_plan_file,
)
from openveiligheid.imports.services import confirm_measurement_import, preview_measurement_import
from openveiligheid.indicators import services as indicator_services
from openveiligheid.indicators.bbv_definitions import INHABITANTS
from openveiligheid.indicators.models import TWO_YEARS, Indicator, Measurement, Source
from openveiligheid.meetings.demo import load_demo_meetings
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import (
    ensure_user,
    grant_membership,
    upsert_organisation,
)
from openveiligheid.plans import services as plan_services
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.programme.models import Assignment
from openveiligheid.reports import services as report_services
from openveiligheid.reports.models import ReportStatus

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


def example_periods(indicator: Indicator, start: Period) -> list[Period]:
    """The periods after the start period up to the last example year, in the indicator's own
    frequency: half-years for a half-yearly indicator, every other year for a two-yearly one."""
    periods, period = [], start
    while True:
        period = Period(period.type, period.end + timedelta(days=1))
        if indicator.frequency == TWO_YEARS:
            period = Period(period.type, period.end + timedelta(days=1))
        if period.start.year > EXAMPLE_YEARS[-1]:
            return periods
        periods.append(period)


def example_series(indicator: Indicator, start: Period, start_value: Decimal) -> list:
    """Plausible values after the start period, deterministic per indicator: [(period, value)]."""
    seed = int(hashlib.sha256(indicator.slug.encode()).hexdigest()[:8], 16)
    rng = random.Random(seed)
    drift = rng.uniform(-0.06, 0.05)
    values, value = [], float(start_value)
    for period in example_periods(indicator, start):
        value = value * (1 + drift + rng.uniform(-0.03, 0.03))
        if indicator.unit == "percentage":
            value = min(max(value, 0.0), 100.0)
        elif indicator.unit == "grade":
            value = min(max(value, 1.0), 10.0)
        values.append((period, Decimal(str(value)).quantize(_rounding(indicator.unit))))
    return values


def add_example_measurements(plan: Plan) -> None:
    """Generated values after each start value of the plan, marked as voorbeelddata."""
    starts = Measurement.objects.filter(
        indicator__plan=plan, note=START_NOTE, is_example=False
    ).select_related("indicator", "source")
    for start in starts:
        indicator = start.indicator
        for period, value in example_series(indicator, start.period, start.value):
            indicator_services.record_measurement(
                indicator=indicator,
                period=period,
                value=value,
                source=start.source,
                is_example=True,
                note="Voorbeelddata: gegenereerd, geen echte meting",
            )


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
    )
    cbs_crimes = yearly(
        name="Geregistreerde misdrijven (CBS, tabel 83648NED)",
        unit="count",
        direction="down",
        source=cbs,
        definition="Totaal geregistreerde misdrijven, CBS 83648NED (reeks 2010-2020).",
        order=91,
    )
    # The population series every municipal plan has for its BBV rates (indicators.bbv): one
    # "Inwoners" for the plan, the denominator of those rates and of the crime rate below.
    population = Indicator.objects.filter(plan=plan, slug=INHABITANTS).first() or yearly(
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
    # The police table holds every municipality and the national total: all of them are kept
    # for the comparison page (its size class, region and ranking), not only the neighbours.
    everyone = sorted(set(areas) - {area.code})
    for key, indicator, extra in (
        ("misdrijven-politie", crimes, everyone),
        ("misdrijven-cbs", cbs_crimes, comparison),
    ):
        bind_indicator(organisation=plan.owner, key=key, indicator=indicator, extra_areas=extra)
    for file in (
        "politie_47013NED_misdrijven_gemeente_2022_2023.csv",
        "cbs_83648NED_misdrijven_gemeente_2010_2020.csv",
    ):
        preview = preview_measurement_import(
            name=file, content=(OPEN_DATA_DIR / file).read_bytes(), organisation=plan.owner
        )
        confirm_measurement_import(preview.upload)
    indicator_services.record_measurements(
        [
            {
                "indicator": population,
                "period": "2023",
                "value": areas[code].population,
                "area": areas[code],
                "source": population_source,
                "comparison_area": code != area.code,
            }
            for code in sorted(areas)
            if areas[code].population
        ]
    )


# --- plans -------------------------------------------------------------------------------------


def load_plan_fixture(path: Path, organisations) -> Plan:
    """A curated fixture, through the structured plan importer, plus generated example values."""
    data = load_plan_file(path.read_bytes())
    plan = import_structured_plan(data, owner=organisations[data["owner"]["cbs_code"]])
    add_example_measurements(plan)
    return plan


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


# --- the action plans of the current IVP --------------------------------------------------------

IVP_SLUG = "apeldoorn-ivp-2023-2026"
FIRST_ACTION_YEAR = 2023
EXAMPLE_STATUS_NOTE = "Voorbeelddata: verzonnen status, niet uit het Programmaplan."
# Invented statuses and progress per opgave number (the documents give none), so that the demo
# shows an action plan under way: the opgave the plan times for the second half of 2023 done,
# one delayed, the others in progress. Every action that gets one is marked is_example.
EXAMPLE_STATUSES = {
    "1": (ActionStatus.IN_PROGRESS, 30),
    "2": (ActionStatus.IN_PROGRESS, 40),
    "3": (ActionStatus.DELAYED, 20),
    "4": (ActionStatus.IN_PROGRESS, 60),
    "5": (ActionStatus.IN_PROGRESS, 50),
    "6": (ActionStatus.IN_PROGRESS, 70),
    "7": (ActionStatus.IN_PROGRESS, 40),
    "8": (ActionStatus.IN_PROGRESS, 50),
    "9": (ActionStatus.DONE, 100),
}


def _partners_in(text: str, organisations) -> list[Organisation]:
    """The partner organisations a "Wie" cell names ("Politie, RIEC, OM en Gemeente.")."""
    names = text.replace(" en ", ",").replace(".", "").split(",")
    found = (match_partner(name.strip(), organisations) for name in names if name.strip())
    return list(dict.fromkeys(partner for partner in found if partner is not None))


def load_ivp_action_plans(plan: Plan, organisations) -> None:
    """The action plan 2023 of the IVP with the opgaves of the Programmaplan as its actions,
    made as a programme manager makes one (add_action_plan). No 2024 plan is started from it:
    start_next_year moves the years in "Wanneer" on, which would no longer be the document's text.

    What an action says comes from the document as the structured importer stored it: the
    opgave's title, its "Hoe", "Wie" (as written, and the partners named in it) and "Wanneer".
    The programme is the municipality's, so the municipality leads. Statuses and progress are
    invented (EXAMPLE_STATUSES) and the actions carrying them are marked is_example."""
    assignments = Assignment.objects.filter(pillar__programme__plan=plan).order_by(
        "pillar__order", "order", "id"
    )
    if not assignments.exists():
        return
    first = action_services.add_action_plan(
        plan=plan, year_start=FIRST_ACTION_YEAR, year_end=FIRST_ACTION_YEAR
    )
    specs = []
    for order, assignment in enumerate(assignments):
        status, progress = EXAMPLE_STATUSES.get(assignment.number, (ActionStatus.PLANNED, 0))
        is_example = assignment.number in EXAMPLE_STATUSES
        specs.append(
            {
                "subject": assignment.title,
                "description": assignment.how or assignment.goal or assignment.title,
                "lead_organisation": plan.owner,
                "partners": _partners_in(assignment.who, organisations),
                "partner_text": assignment.who,
                "due_text": assignment.when,
                "status": status,
                "status_note": EXAMPLE_STATUS_NOTE if is_example else "",
                "progress": progress,
                "is_example": is_example,
                "order": order,
            }
        )
    action_services.create_actions(action_plan=first, specs=specs)


def _plan_exists(slug: str, reset: bool) -> bool:
    existing = Plan.objects.filter(slug=slug).first()
    if existing and reset:
        existing.delete()
        return False
    return existing is not None


def publish_safety_letter(plan: Plan) -> None:
    """The veiligheidsbrief of the second half of 2023, through the whole workflow: what a council
    member and the public page show. Its figures are the plan's, example data marked as such; the
    duiding is left empty, as no document gives it."""
    letter = report_services.create_report(
        plan=plan, report_type="veiligheidsbrief", period="2023-H2"
    )
    for status in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        letter = report_services.change_status(letter, status, note="Demo")


@transaction.atomic
def load_demo(reset: bool = False) -> LoadReport:
    report = LoadReport()
    areas = load_areas()
    organisations = load_organisations(areas)
    for path, extra in (
        (DATA_DIR / "apeldoorn-ivp-2023-2026.json", APELDOORN),
        (DATA_DIR / "oude-ijsselstreek-ivb-2023-2026.json", OUDE_IJSSELSTREEK),
    ):
        slug = json.loads(path.read_text(encoding="utf-8"))["slug"]
        if _plan_exists(slug, reset):
            report.skipped.append(slug)
            continue
        plan = load_plan_fixture(path, organisations)
        load_open_data_indicators(plan, areas[extra], areas)
        if plan.slug == IVP_SLUG:
            load_ivp_action_plans(plan, organisations)
            publish_safety_letter(plan)
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
