"""Reads of the programme budget: totals per year, per budget table (section)."""

from decimal import Decimal

from django.db.models import Sum

from openveiligheid.core.changelog import changes_for
from openveiligheid.programme.models import BudgetAmount, BudgetLine, Programme


def budget_sections(programme: Programme) -> list[str]:
    """The budget tables in document order; the first is the programme's own budget."""
    sections = []
    for section in programme.budget_lines.order_by("order", "id").values_list("section", flat=True):
        if section not in sections:
            sections.append(section)
    return sections


def budget_totals(programme: Programme, section: str | None = None) -> dict[int, Decimal]:
    """Totals per year of one budget table; by default the programme's own (first) table, since
    adding tables up would count the same money twice (a claim and the spending it funds)."""
    if section is None:
        sections = budget_sections(programme)
        section = sections[0] if sections else ""
    rows = (
        BudgetAmount.objects.filter(line__programme=programme, line__section=section)
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return {row["year"]: row["total"] for row in rows}


def budget_tables(programme: Programme) -> list[dict]:
    """Every budget table with its lines (amounts per year) and totals, for pages and reports."""
    lines = list(
        BudgetLine.objects.filter(programme=programme)
        .prefetch_related("amounts")
        .order_by("order", "id")
    )
    years = sorted({amount.year for line in lines for amount in line.amounts.all()})
    tables = []
    stated_totals = programme.stated_table_totals or {}
    for section in budget_sections(programme):
        section_lines = [line for line in lines if line.section == section]
        rows = []
        totals = dict.fromkeys(years, Decimal(0))
        for line in section_lines:
            by_year = {amount.year: amount.amount for amount in line.amounts.all()}
            for year, amount in by_year.items():
                totals[year] += amount
            rows.append(
                {
                    "line": line,
                    "amounts": [by_year.get(year) for year in years],
                    # An empty cell means "not budgeted that year" and adds nothing.
                    "total": sum(by_year.values(), Decimal(0)),
                }
            )
        grand_total = sum(totals.values(), Decimal(0))
        stated = stated_totals.get(section)
        tables.append(
            {
                "section": section,
                "rows": rows,
                "totals": [totals[year] for year in years],
                "grand_total": grand_total,
                # The grand total the document prints for this table, when it prints one.
                "stated_total": None if stated is None else Decimal(str(stated)),
                "stated_difference": (
                    None if stated is None else Decimal(str(stated)) - grand_total
                ),
            }
        )
    return [{"years": years, **table} for table in tables]


def budget_differences(programme: Programme) -> dict[int, tuple[Decimal, Decimal]]:
    """Years where the printed total differs from the sum of the lines: {year: (stated, sum)}."""
    return year_differences(programme.stated_budget_totals, budget_totals(programme))


def year_differences(stated_totals: dict, computed: dict[int, Decimal]) -> dict:
    """{year: (stated, sum)} for the years whose printed total differs from the computed sum;
    for callers that already hold the sums (the dashboard reads them once)."""
    differences = {}
    for year, stated in (stated_totals or {}).items():
        total = computed.get(int(year), Decimal(0))
        if Decimal(str(stated)) != total:
            differences[int(year)] = (Decimal(str(stated)), total)
    return differences


def funding_overview(programme: Programme) -> dict | None:
    """The document's overview of where the money comes from: rows with amounts, the printed
    total and the sum of the rows (so a difference would show)."""
    overview = programme.funding_overview or {}
    rows = [
        {"source": row["source"], "amount": Decimal(str(row["amount"]))}
        for row in overview.get("rows") or []
    ]
    if not rows:
        return None
    printed = overview.get("printed_total")
    return {
        "rows": rows,
        "total": sum((row["amount"] for row in rows), Decimal(0)),
        "printed_total": None if printed is None else Decimal(str(printed)),
    }


def programme_changes(programme: Programme):
    """The change log of the programme and everything in it."""
    parts = [
        *programme.pillars.all(),
        *(
            assignment
            for pillar in programme.pillars.all()
            for assignment in pillar.assignments.all()
        ),
        *programme.roles.all(),
        *programme.participants.all(),
        *programme.risks.all(),
        *programme.budget_lines.all(),
    ]
    return changes_for(programme, *parts)
