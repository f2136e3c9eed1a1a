from decimal import Decimal

from django.db.models import Sum

from openveiligheid.programme.models import BudgetAmount, Programme


def budget_totals(programme: Programme) -> dict[int, Decimal]:
    rows = (
        BudgetAmount.objects.filter(line__programme=programme)
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    return {row["year"]: row["total"] for row in rows}


def budget_differences(programme: Programme) -> dict[int, tuple[Decimal, Decimal]]:
    """Years where the printed total differs from the sum of the lines: {year: (stated, sum)}."""
    computed = budget_totals(programme)
    differences = {}
    for year, stated in (programme.stated_budget_totals or {}).items():
        total = computed.get(int(year), Decimal(0))
        if Decimal(str(stated)) != total:
            differences[int(year)] = (Decimal(str(stated)), total)
    return differences
