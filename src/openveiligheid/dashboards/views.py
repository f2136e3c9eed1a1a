"""Monitoring pages: the start page, the list of plans, the plan dashboard and a theme page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from openveiligheid.core.navigation import start_sections_for
from openveiligheid.dashboards import fragments, selectors
from openveiligheid.organisations.scoping import CHANGE, VIEW, can, get_scoped_object_or_404
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.plans.selectors import visible_plans, with_data_version


@login_required
def home(request):
    """The start page: the sections the apps offer this user's roles (core.navigation), such as
    "Mijn acties" for an action lead or a partner's contact, what needs attention for a programme
    manager, and the plans the user may see."""
    return render(request, "dashboards/home.html", {"sections": start_sections_for(request)})


def plans_section(request) -> str:
    """The plans the user may see, each with its dashboard and its actions; for someone who
    manages actions, a plan without an action plan says so and offers to make one."""
    overview = selectors.plans_overview(request.user)
    if not overview:
        return ""
    return render_to_string("dashboards/start/plans.html", {"overview": overview}, request=request)


def themes_section(request) -> str:
    """For a safety adviser: the themes they advise on, where they record the figures."""
    themes = selectors.advised_themes(request.user)
    if not themes:
        return ""
    return render_to_string("dashboards/start/themes.html", {"themes": themes}, request=request)


def attention_section(request) -> str:
    """Indicators off course in the plans the user manages."""
    rows = selectors.indicators_off_course(request.user, timezone.localdate())
    return render_to_string("dashboards/start/attention.html", {"rows": rows}, request=request)


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
