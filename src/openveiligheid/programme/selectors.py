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
