"""The programme page of a plan: pillars with their opgaves, roles, participants, risks, budget."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openveiligheid.organisations.scoping import VIEW, get_scoped_object_or_404
from openveiligheid.plans.selectors import visible_changes
from openveiligheid.programme.models import Participant, Pillar, Programme
from openveiligheid.programme.selectors import (
    budget_differences,
    budget_tables,
    funding_overview,
    programme_changes,
)


@login_required
@require_GET
def programme_detail(request, slug):
    queryset = Programme.objects.select_related("plan__owner").prefetch_related(
        Prefetch("pillars", queryset=Pillar.objects.prefetch_related("assignments")),
        "roles",
        Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
        "risks",
    )
    # 404 both when the plan is out of sight and when it has no programme.
    programme = get_scoped_object_or_404(queryset, request.user, VIEW, plan__slug=slug)
    tables = budget_tables(programme)
    differences = budget_differences(programme) if tables else {}
    return render(
        request,
        "programme/programme_detail.html",
        {
            "programme": programme,
            "plan": programme.plan,
            "budget_tables": tables,
            "changelog": visible_changes(
                request.user, programme.plan, programme_changes(programme)
            )[:50],
            "budget_differences": [
                {"year": year, "stated": stated, "computed": computed}
                for year, (stated, computed) in sorted(differences.items())
            ],
            "table_differences": [table for table in tables if table["stated_difference"]],
            "funding_overview": funding_overview(programme),
        },
    )
