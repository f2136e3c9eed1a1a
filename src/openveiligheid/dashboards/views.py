"""Monitoring pages: the landing page, the list of plans, the plan dashboard and a theme page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from openveiligheid.dashboards import fragments, selectors
from openveiligheid.organisations.scoping import CHANGE, VIEW, can, get_scoped_object_or_404
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.plans.selectors import default_plan, visible_plans, with_data_version


@login_required
def home(request):
    """Straight to the dashboard of the user's current plan; the list when there is none."""
    plan = default_plan(request.user)
    if plan is not None:
        return redirect("dashboards:plan", slug=plan.slug)
    return plan_list(request)


@login_required
def plan_list(request):
    plans = visible_plans(request.user)
    return render(request, "dashboards/plan_list.html", {"plans": plans})


@login_required
def dashboard(request, slug):
    # The owner (named in the body) comes in the same query: a join costs less than the extra
    # round trip a cold dashboard would otherwise make.
    plans = with_data_version(Plan.objects.select_related("owner"))
    plan = get_scoped_object_or_404(plans, request.user, VIEW, slug=slug)
    body = fragments.dashboard_body(plan, request.user)
    # Only the owner's plan managers share a concept with partners (plans.views.share_concept).
    may_share = plan.is_concept and can(request.user, CHANGE, plan)
    return render(
        request, "dashboards/dashboard.html", {"plan": plan, "body": body, "may_share": may_share}
    )


@login_required
def theme_detail(request, slug, theme_slug):
    plan = get_scoped_object_or_404(
        Plan.objects.select_related("owner"), request.user, VIEW, slug=slug
    )
    theme = get_scoped_object_or_404(
        Theme.objects.filter(plan=plan), request.user, VIEW, slug=theme_slug
    )
    page = selectors.theme_page(plan, theme, request.user)
    return render(
        request,
        "dashboards/theme_detail.html",
        {"plan": plan, "theme": theme, "page": page, "changelog": page.changelog},
    )
