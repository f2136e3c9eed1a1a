"""Generate a national-scale Open Veiligheid data set for the performance benchmark.

This is test data, written straight into the tables with PostgreSQL COPY and bulk_create. It
deliberately bypasses the service layer (no change log, no status history, no validation per row):
going through the services row by row would take hours for 2.5 million measurements.

Per municipality: one adopted plan with 4 priority and 2 strategic themes, 2 goals and 2 topics per
theme, 60 indicators with a target, 120 months of measurements per indicator, 2 action plans with
300 actions in varied statuses and due texts, and one user with the programme_manager role.

Rows are streamed (generators feeding COPY), so memory stays flat however many municipalities.
Call `build()` after django.setup() with DATABASE_URL pointing at an empty, migrated database.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from openveiligheid.core.due import parse_due

# Real CBS codes and names when the shared data set is there; generated ones otherwise, so the
# benchmark never depends on files outside the repository.
REPOSITORY = Path(__file__).resolve().parents[1]
CBS_MUNICIPALITIES_CSV = (
    REPOSITORY.parent / "shared" / "data" / "cbs" / "cbs_gemeentelijke_indeling.csv"
)

PLAN_START, PLAN_END = 2023, 2026
INDICATORS_PER_THEME = 10
MONTHS = 120
ACTIONS_PER_PLAN = 300
INDICATORS_PER_COPY = 1500  # 180,000 measurements per COPY and transaction
USER_PASSWORD = "bench-wachtwoord-342"  # test data only, printed in the README
SUPERUSER = "bench-beheerder"

PRIORITY_THEMES = [
    "Ondermijning",
    "Jeugd en veiligheid",
    "High impact crimes",
    "Zorg en veiligheid",
    "Cybercriminaliteit",
    "Veilige woon- en leefomgeving",
    "Drugsoverlast en -handel",
    "Verkeersveiligheid",
]
STRATEGIC_THEMES = [
    "Radicalisering en polarisatie",
    "Crisisbeheersing en fysieke veiligheid",
    "Veilig uitgaan en evenementen",
    "Informatiegestuurd werken",
]
# (name, unit, direction, typical value, spread, decimals)
INDICATOR_TEMPLATES = [
    ("Aantal woninginbraken", "count", "down", 120, 0.5, 0),
    ("Aantal straatroven", "count", "down", 25, 0.6, 0),
    ("Aantal geweldsmisdrijven", "count", "down", 180, 0.5, 0),
    ("Aantal meldingen jeugdoverlast", "count", "down", 90, 0.6, 0),
    ("Aantal meldingen woonoverlast", "count", "down", 70, 0.5, 0),
    ("Aantal meldingen drugsoverlast", "count", "down", 40, 0.6, 0),
    ("Aantal fietsendiefstallen", "count", "down", 150, 0.5, 0),
    ("Aantal gemelde gevallen van online oplichting", "count", "down", 60, 0.6, 0),
    ("Aantal Bibob-toetsen", "count", "up", 12, 0.7, 0),
    ("Aantal huisverboden", "count", "none", 8, 0.7, 0),
    ("Percentage inwoners dat zich wel eens onveilig voelt", "percentage", "down", 32, 0.2, 1),
    ("Percentage inwoners slachtoffer van criminaliteit", "percentage", "down", 14, 0.25, 1),
    ("Percentage jongeren dat wekelijks alcohol drinkt", "percentage", "down", 21, 0.25, 1),
    ("Percentage inwoners tevreden over politieoptreden", "percentage", "up", 48, 0.15, 1),
    ("Rapportcijfer veiligheid in de buurt", "grade", "up", 7.2, 0.06, 1),
    ("Rapportcijfer leefbaarheid in de buurt", "grade", "up", 7.5, 0.05, 1),
    ("Kosten herstel vandalisme", "euro", "down", 45000, 0.4, 0),
    ("Geregistreerde misdrijven per 1.000 inwoners", "rate", "down", 45, 0.3, 2),
    ("Verkeersongevallen met letsel per 1.000 inwoners", "rate", "down", 2.1, 0.3, 2),
    ("Inbraken in bedrijfspanden per 1.000 inwoners", "rate", "down", 1.4, 0.35, 2),
]
INDICATOR_QUALIFIERS = ["", " in het centrum", " in de wijken"]
TEMPLATE_BY_NAME = {t[0] + q: t for q in INDICATOR_QUALIFIERS for t in INDICATOR_TEMPLATES}

ACTION_SUBJECTS = [
    "Cameratoezicht",
    "Buurtpreventie",
    "Persoonsgerichte aanpak",
    "Integrale controles bedrijventerrein",
    "Voorlichting ouders",
    "Weerbare ondernemers",
    "Aanpak ondermijning vakantieparken",
    "Keurmerk Veilig Ondernemen",
    "Hotspotaanpak",
    "Jongerenwerk op straat",
    "Signalering in de wijk",
    "Bestuurlijke rapportage",
    "Aanpak huiselijk geweld",
    "Cyberweerbaarheid senioren",
    "WhatsApp-buurtpreventie",
    "Verbeteren verlichting",
]
ACTION_VERBS = [
    "Uitbreiden",
    "Evalueren",
    "Opzetten",
    "Voortzetten",
    "Versterken",
    "Organiseren",
    "Onderzoeken",
    "Borgen",
]
LEAD_TEXTS = ["Gemeente (OOV)", "Gemeente (Sociaal Domein)", "Politie", "RIEC", "Jongerenwerk"]
# Due texts as plans word them; {y} is the action plan's year.
DUE_TEMPLATES = [
    "Doorlopend",
    "Eind {y}",
    "2e kwartaal {y}",
    "Q3 en Q4 {y}",
    "{y}",
    "Maandelijks / ad hoc",
    "1e helft {y}",
    "Voor de zomer",
    "Jaarlijks",
    "September {y}",
    "Na besluit van de driehoek",
]
# Status mix: roughly how a plan halfway its period looks.
STATUS_WEIGHTS = [
    ("planned", 25),
    ("in_progress", 35),
    ("done", 25),
    ("delayed", 10),
    ("cancelled", 5),
]
PARTNERS = [
    ("Politie Nederland", "police"),
    ("Openbaar Ministerie", "public_prosecutor"),
    ("RIEC Nederland", "riec"),
    ("Belastingdienst", "tax"),
    ("Zorg- en Veiligheidshuis", "care_safety_house"),
    ("Woningcorporatie Thuis", "housing"),
    ("Jongerenwerk Samen", "youth_work"),
    ("Brandweer Nederland", "fire_brigade"),
]
SOURCES = [
    ("Politie, BVH-registratie (bench)", "police"),
    ("Veiligheidsmonitor (bench)", "survey"),
    ("CBS StatLine (bench)", "statistics"),
    ("Eigen registratie gemeente (bench)", "municipality"),
]


@dataclass(frozen=True)
class Municipality:
    code: str  # GM0363
    name: str


def municipalities(count: int, csv_path: Path = CBS_MUNICIPALITIES_CSV) -> list[Municipality]:
    """The current municipalities from the CBS list, padded with generated ones if short."""
    found: list[Municipality] = []
    if csv_path.exists():
        with csv_path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                if not (row.get("einddatum") or "").strip():
                    found.append(Municipality(f"GM{row['gemeentecode']:0>4}", row["gemeentenaam"]))
        found.sort(key=lambda m: m.code)
    found = found[:count]
    taken = {m.code for m in found}
    number = 1
    while len(found) < count:
        code = f"GM{number:04d}"
        if code not in taken:
            found.append(Municipality(code, f"Benchgemeente {number:04d}"))
        number += 1
    return found


def username(cbs_code: str) -> str:
    """The bench user of a municipality: its programme manager."""
    return f"pm-{cbs_code.lower()}"


def months_back(today: date, count: int) -> list[date]:
    """The first days of the `count` full months before today's month, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date((i) // 12, (i) % 12 + 1, 1) for i in range(index - count, index)]


def weighted_choice(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table. `columns` are the attnames each row gives, in order;
    every other column gets the field's default, so fields added by later migrations don't
    break the generator (a new NOT NULL column without default does: that fails loudly)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    given = set(columns)
    extra_columns, extra_values = [], []
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    unknown = given - set(by_attname)
    if unknown:
        raise ValueError(f"{model.__name__} has no column(s) {sorted(unknown)}")
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if value is None and not field.null:
            raise ValueError(f"{model.__name__}.{field.name} needs a value in the bench generator")
        extra_columns.append(field.column)
        extra_values.append(field.get_db_prep_save(value, connection))
    extra = tuple(extra_values)
    quote = connection.ops.quote_name
    names = [by_attname[c].column for c in columns] + extra_columns
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + extra)
            written += 1
    return written


_due_cache: dict[tuple[str, int], tuple] = {}


def due_fields(template: str, year: int) -> tuple:
    """(due_text, due_start, due_end, due_recurrence, due_understood) as the product derives
    them (core.due.parse_due, once per distinct text)."""
    text = template.replace("{y}", str(year))
    key = (text, year)
    if key not in _due_cache:
        due = parse_due(text, year)
        _due_cache[key] = (text, due.start, due.end, due.recurrence, due.understood)
    return _due_cache[key]


def build(
    count: int,
    *,
    seed: int = 342,
    today: date | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Fill the (migrated, empty) database. Returns seconds per step."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils.text import slugify

    from openveiligheid.actions.models import Action, ActionPlan
    from openveiligheid.areas.models import Area
    from openveiligheid.indicators.models import Indicator, Measurement, Source, Target
    from openveiligheid.organisations.models import Membership, Organisation, Role
    from openveiligheid.organisations.permissions import DEFAULT_ROLES, TWO_FACTOR_PERMISSIONS
    from openveiligheid.plans.models import Goal, Plan, Theme, Topic

    rng = random.Random(seed)
    today = today or date.today()
    timings: dict[str, float] = {}
    User = get_user_model()  # noqa: N806 - Django's naming

    def step(name: str):
        started = time.perf_counter()

        def done(detail: str = "") -> None:
            timings[name] = time.perf_counter() - started
            log(f"  {name:<28} {timings[name]:7.1f} s  {detail}")

        return done

    # -- organisations, areas, users --------------------------------------------------------
    done = step("organisations and users")
    towns = municipalities(count)
    with transaction.atomic():
        country, _ = Area.objects.get_or_create(
            code="NL01", defaults={"name": "Nederland", "level": Area.Level.COUNTRY}
        )
        areas = Area.objects.bulk_create(
            Area(
                code=m.code,
                name=m.name,
                level=Area.Level.MUNICIPALITY,
                parent=country,
                population=rng.randint(6_000, 900_000),
                population_year=today.year - 1,
            )
            for m in towns
        )
        slugs: set[str] = set()
        orgs = []
        for town in towns:
            slug = slugify(town.name)[:90] or town.code.lower()
            if slug in slugs:
                slug = f"{slug}-{town.code.lower()}"
            slugs.add(slug)
            orgs.append(
                Organisation(kind="municipality", name=town.name, slug=slug, cbs_code=town.code)
            )
        orgs = Organisation.objects.bulk_create(orgs)
        partners = Organisation.objects.bulk_create(
            Organisation(kind="partner", name=name, slug=slugify(name), partner_type=kind)
            for name, kind in PARTNERS
        )
        sources = Source.objects.bulk_create(Source(name=name, kind=kind) for name, kind in SOURCES)
        # One hash for every bench user: hashing 342 passwords would take minutes.
        password = make_password(USER_PASSWORD)
        users = User.objects.bulk_create(
            User(
                username=username(org.cbs_code),
                first_name="Programmamanager",
                last_name=org.name,
                email=f"{username(org.cbs_code)}@bench.invalid",
                password=password,
            )
            for org in orgs
        )
        User.objects.filter(username=SUPERUSER).delete()
        User.objects.create(username=SUPERUSER, password=password, is_superuser=True, is_staff=True)
        name, permissions = DEFAULT_ROLES["programme_manager"]
        roles = Role.objects.bulk_create(
            Role(
                organisation=org,
                slug="programme_manager",
                name=name,
                # Without the meldpunt's rights (person-level data): their holders must give a
                # second factor, and the benchmark measures the plan pages, not the login.
                permissions=[
                    str(permission)
                    for permission in permissions
                    if permission not in TWO_FACTOR_PERMISSIONS
                ],
            )
            for org in orgs
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=org, role=role)
            for user, org, role in zip(users, orgs, roles, strict=True)
        )
    done(f"{len(orgs)} municipalities, {len(partners)} partners, {len(users) + 1} users")

    # -- plans, themes, topics, goals --------------------------------------------------------
    done = step("plans and themes")
    with transaction.atomic():
        plans = Plan.objects.bulk_create(
            Plan(
                slug=f"ivp-{PLAN_START}-{PLAN_END}-{org.slug}"[:100],
                title=f"Integraal Veiligheidsplan {PLAN_START}–{PLAN_END} {org.name}",
                kind=Plan.Kind.INTEGRAL_PLAN,
                period_start=PLAN_START,
                period_end=PLAN_END,
                owner=org,
                status=Plan.Status.ADOPTED,
                adopted_on=date(PLAN_START - 1, 12, rng.randint(1, 20)),
                summary=f"Het integraal veiligheidsplan van {org.name} (benchmarkgegevens).",
            )
            for org in orgs
        )
        themes = []
        for plan in plans:
            chosen = rng.sample(PRIORITY_THEMES, 4) + rng.sample(STRATEGIC_THEMES, 2)
            for order, name in enumerate(chosen):
                themes.append(
                    Theme(
                        plan=plan,
                        kind="priority" if order < 4 else "strategic",
                        name=name,
                        slug=slugify(name)[:100],
                        description=f"{name}: waar {plan.owner.name} de komende jaren op inzet.",
                        situation="Het veiligheidsbeeld laat een wisselend beeld zien.",
                        order=order,
                    )
                )
        themes = Theme.objects.bulk_create(themes, batch_size=2000)
        topics = Topic.objects.bulk_create(
            (
                Topic(theme=theme, name=f"{theme.name}: {part}", order=order)
                for theme in themes
                for order, part in enumerate(("preventie", "aanpak"))
            ),
            batch_size=2000,
        )
        goals = Goal.objects.bulk_create(
            (
                Goal(
                    theme=topic.theme,
                    topic=topic,
                    text=f"We versterken {topic.name.lower()} in samenwerking met partners.",
                    target_text="Een daling van 10% ten opzichte van de startwaarde.",
                    order=topic.order,
                )
                for topic in topics
            ),
            batch_size=2000,
        )
    done(f"{len(plans)} plans, {len(themes)} themes, {len(topics)} topics, {len(goals)} goals")

    themes_by_plan: dict[int, list] = {}
    for theme in themes:
        themes_by_plan.setdefault(theme.plan_id, []).append(theme)
    topics_by_theme: dict[int, list] = {}
    for topic in topics:
        topics_by_theme.setdefault(topic.theme_id, []).append(topic)
    goals_by_theme: dict[int, list] = {}
    for goal in goals:
        goals_by_theme.setdefault(goal.theme_id, []).append(goal)
    area_by_org = {org.pk: area for org, area in zip(orgs, areas, strict=True)}

    # -- indicators and targets --------------------------------------------------------------
    done = step("indicators and targets")
    names = [
        (template, qualifier)
        for qualifier in INDICATOR_QUALIFIERS
        for template in INDICATOR_TEMPLATES
    ]
    # Kept for the measurement stream: (typical value, spread, decimals, trend per month,
    # is example data, highest possible value).
    shape: dict[int, tuple] = {}
    with transaction.atomic():
        batch: list = []
        created = 0
        for plan in plans:
            plan_themes = themes_by_plan[plan.pk]
            order = rng.sample(range(len(names)), len(plan_themes) * INDICATORS_PER_THEME)
            for number, index in enumerate(order):
                (name, unit, direction, typical, spread, decimals), qualifier = names[index]
                theme = plan_themes[number // INDICATORS_PER_THEME]
                full_name = name + qualifier
                batch.append(
                    Indicator(
                        plan=plan,
                        theme=theme,
                        goal=rng.choice(goals_by_theme[theme.pk]),
                        name=full_name,
                        slug=slugify(full_name)[:120],
                        unit=unit,
                        direction=direction,
                        source=sources[number % len(sources)],
                        frequency="month",
                        definition=f"{full_name} per maand, volgens de bron.",
                        area=area_by_org[plan.owner_id],
                        start_year=PLAN_START - 1,
                        is_headline=number % INDICATORS_PER_THEME == 0,
                        order=number % INDICATORS_PER_THEME,
                    )
                )
            if len(batch) >= 3000:
                created += _save_indicators(batch, rng, shape, Indicator, Target)
                batch = []
        created += _save_indicators(batch, rng, shape, Indicator, Target)
    done(f"{created} indicators with a target")

    # -- measurements (the big one) ----------------------------------------------------------
    done = step("measurements (COPY)")
    periods = months_back(today, MONTHS)

    # Read before the COPY starts: the connection can't run a query while a COPY is open.
    indicators = list(
        Indicator.objects.filter(plan__in=plans)
        .order_by("pk")
        .values_list("pk", "area_id", "source_id")
    )

    def measurement_rows(part: list[tuple[int, int, int]]) -> Iterator[tuple]:
        for indicator_id, area_id, source_id in part:
            typical, spread, decimals, trend, example, cap = shape[indicator_id]
            level = typical * (1 + rng.uniform(-spread, spread))
            fmt = f"{{:.{decimals}f}}"
            for month_number, period_start in enumerate(periods):
                season = 1 + 0.08 * ((period_start.month in (6, 7, 8)) - 0.25)
                noise = rng.gauss(1, 0.07)
                value = max(0.0, level * (1 + trend * month_number) * season * noise)
                if cap is not None:  # percentages and grades stay on their scale
                    value = min(value, cap)
                yield (
                    indicator_id,
                    area_id,
                    "month",
                    period_start,
                    fmt.format(value),
                    source_id,
                    example,
                )

    columns = [
        "indicator_id",
        "area_id",
        "period_type",
        "period_start",
        "value",
        "source_id",
        "is_example",
    ]
    measurements = 0
    # One transaction per slice: PostgreSQL queues the deferred foreign key checks of a
    # transaction in memory, so slices keep the server's memory bounded too.
    for start in range(0, len(indicators), INDICATORS_PER_COPY):
        with transaction.atomic():
            part = indicators[start : start + INDICATORS_PER_COPY]
            measurements += copy_rows(Measurement, columns, measurement_rows(part))
    done(f"{measurements} measurements ({periods[0]:%Y-%m} to {periods[-1]:%Y-%m})")

    # -- action plans and actions ------------------------------------------------------------
    done = step("actions (COPY)")
    with transaction.atomic():
        action_plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                plan=plan, title=f"Uitvoeringsprogramma {year}", year_start=year, year_end=year
            )
            for plan in plans
            for year in (PLAN_END - 1, PLAN_END)
        )
        plan_by_id = {plan.pk: plan for plan in plans}
        user_by_org = {org.pk: user for org, user in zip(orgs, users, strict=True)}

        def action_rows() -> Iterator[tuple]:
            per_plan = ACTIONS_PER_PLAN // 2
            for action_plan in action_plans:
                plan = plan_by_id[action_plan.plan_id]
                plan_themes = themes_by_plan[plan.pk]
                for order in range(per_plan):
                    theme = plan_themes[order % len(plan_themes)]
                    topic = rng.choice(topics_by_theme[theme.pk])
                    goal = rng.choice(goals_by_theme[theme.pk]) if order % 4 else None
                    status = weighted_choice(rng, STATUS_WEIGHTS)
                    progress = {
                        "done": 100,
                        "in_progress": rng.randrange(10, 91, 10),
                        "delayed": rng.randrange(0, 61, 10),
                    }.get(status, 0)
                    due = due_fields(rng.choice(DUE_TEMPLATES), action_plan.year_start)
                    subject = f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_SUBJECTS).lower()}"
                    partner = partners[order % len(partners)]
                    lead_org = partner.pk if order % 5 == 0 else plan.owner_id
                    unplanned = order % 29 == 0
                    yield (
                        action_plan.pk,
                        theme.pk,
                        topic.pk,
                        goal.pk if goal else None,
                        subject,
                        f"{subject} binnen het thema {theme.name.lower()}, samen met de "
                        f"partners in {plan.owner.name}.",
                        rng.choice(LEAD_TEXTS),
                        lead_org,
                        user_by_org[plan.owner_id].pk if order % 7 == 0 else None,
                        f"{partner.name}, wijkteams",
                        *due,
                        status,
                        progress,
                        order % 6 == 0,
                        unplanned,
                        date(action_plan.year_start, 3, 1) if unplanned else None,
                        order,
                    )

        actions = copy_rows(
            Action,
            [
                "action_plan_id",
                "theme_id",
                "topic_id",
                "goal_id",
                "subject",
                "description",
                "lead_text",
                "lead_organisation_id",
                "lead_person_id",
                "partner_text",
                "due_text",
                "due_start",
                "due_end",
                "due_recurrence",
                "due_understood",
                "status",
                "progress",
                "is_new",
                "is_unplanned",
                "unplanned_since",
                "order",
            ],
            action_rows(),
        )
        # Partners on a third of the actions, set-based rather than row by row.
        through = Action.partners.through
        quote = connection.ops.quote_name
        partner_ids = [p.pk for p in partners]
        action_column = quote(through._meta.get_field("action").column)
        partner_column = quote(through._meta.get_field("organisation").column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(through._meta.db_table)} ({action_column}, {partner_column}) "
                f"SELECT a.id, (%s::bigint[])[1 + a.id %% %s] "
                f"FROM {quote(Action._meta.db_table)} a WHERE a.id %% 3 = 0",
                [partner_ids, len(partner_ids)],
            )
            linked = cursor.rowcount
    done(f"{len(action_plans)} action plans, {actions} actions, {linked} partner links")

    # -- change log --------------------------------------------------------------------------
    # The entries the services would have written for the indicators and actions, each naming
    # its municipality, so that the dashboard's data version query (dashboards.fragments) runs
    # against a change log of realistic size.
    done = step("change log (INSERT)")
    from django.contrib.contenttypes.models import ContentType

    from openveiligheid.core.models import ChangeLogEntry

    log_table = quote(ChangeLogEntry._meta.db_table)
    log_columns = ", ".join(
        quote(ChangeLogEntry._meta.get_field(name).column)
        for name in (
            "content_type",
            "object_id",
            "object_repr",
            "operation",
            "timestamp",
            "before",
            "after",
            "owner_organisation",
        )
    )
    owners = {
        Indicator: (
            "t.name",
            f"JOIN {quote(Plan._meta.db_table)} p ON p.id = t.plan_id",
        ),
        Action: (
            "t.subject",
            f"JOIN {quote(ActionPlan._meta.db_table)} ap ON ap.id = t.action_plan_id "
            f"JOIN {quote(Plan._meta.db_table)} p ON p.id = ap.plan_id",
        ),
    }
    entries = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, (name, joins) in owners.items():
            cursor.execute(
                f"INSERT INTO {log_table} ({log_columns}) "
                f"SELECT %s, t.id::text, left({name}, 300), 'create', now(), '{{}}', '{{}}', "
                f"p.owner_id FROM {quote(model._meta.db_table)} t {joins} ORDER BY t.id",
                [ContentType.objects.get_for_model(model).pk],
            )
            entries += cursor.rowcount
    done(f"{entries} entries")

    # -- indicator states --------------------------------------------------------------------
    # What the services keep current on every write of a measurement (indicators.state); the
    # COPY above bypassed them, so compute every state once, as the data migration does.
    done = step("indicator states")
    from openveiligheid.indicators import state

    done(f"{state.refresh_all()} indicators")

    # -- statistics --------------------------------------------------------------------------
    done = step("vacuum analyze")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    done()
    return timings


def _save_indicators(batch, rng, shape, indicator_model, target_model) -> int:
    if not batch:
        return 0
    indicators = indicator_model.objects.bulk_create(batch)
    targets = []
    for indicator in indicators:
        _, unit, direction, typical, spread, decimals = TEMPLATE_BY_NAME[indicator.name]
        # Trend per month: most series move slowly in the desired direction, some the other way.
        sign = {"down": -1, "up": 1}.get(direction, 0) * (1 if rng.random() < 0.7 else -1)
        trend = sign * rng.uniform(0.0005, 0.003)
        cap = {"percentage": 100.0, "grade": 10.0}.get(unit)
        shape[indicator.pk] = (typical, spread, decimals, trend, indicator.pk % 20 == 0, cap)
        if direction == "down":
            comparison, value = "lte", typical * 0.9
        elif direction == "up":
            comparison, value = "gte", typical * 1.05
        else:
            comparison, value = "not_above_start", None
        if rng.random() < 0.2 and direction != "none":
            comparison = "not_above_start" if direction == "down" else "not_below_start"
            value = None
        text = (
            # As a plan words it: Dutch decimal comma.
            f"{'maximaal' if comparison == 'lte' else 'minimaal'} {value:.{decimals}f}".replace(
                ".", ","
            )
            if value is not None
            else "niet slechter dan de startwaarde"
        )
        targets.append(
            target_model(
                indicator=indicator,
                comparison=comparison,
                value=None if value is None else Decimal(f"{value:.{max(decimals, 1)}f}"),
                year=PLAN_END,
                text=text,
            )
        )
    target_model.objects.bulk_create(targets)
    return len(indicators)
