"""The programme page of a plan: pillars with their opgaves, roles, participants, risks, budget."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openveiligheid.organisations.scoping import VIEW, get_scoped_object_or_404
from openveiligheid.programme.models import Participant, Pillar, Programme
from openveiligheid.programme.selectors import budget_totals


def budget_table(programme: Programme) -> dict:
    """Budget lines as rows and years as columns, from the prefetched amounts.

    A line without an amount in a year shows an empty cell (None), not a zero: the document
    did not budget that year, which is different from budgeting nothing.
    """
    lines = list(programme.budget_lines.all())
    totals = budget_totals(programme)
    years = sorted(set(totals) | {amount.year for line in lines for amount in line.amounts.all()})
    rows = []
    for line in lines:
        by_year = {amount.year: amount.amount for amount in line.amounts.all()}
        rows.append(
            {
                "line": line,
                "cells": [by_year.get(year) for year in years],
                "total": sum(by_year.values(), Decimal(0)),
            }
        )
    year_totals = [totals.get(year, Decimal(0)) for year in years]
    return {
        "years": years,
        "rows": rows,
        "year_totals": year_totals,
        "grand_total": sum(year_totals, Decimal(0)),
    }


@login_required
@require_GET
def programme_detail(request, slug):
    queryset = Programme.objects.select_related("plan__owner").prefetch_related(
        Prefetch("pillars", queryset=Pillar.objects.prefetch_related("assignments")),
        "roles",
        Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
        "risks",
        "budget_lines__amounts",
    )
    # 404 both when the plan is out of sight and when it has no programme.
    programme = get_scoped_object_or_404(queryset, request.user, VIEW, plan__slug=slug)
    return render(
        request,
        "programme/programme_detail.html",
        {"programme": programme, "plan": programme.plan, "budget": budget_table(programme)},
    )
