"""Plan pages besides the dashboard: sharing a concept plan with partners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openveiligheid.core.changelog import changes_for
from openveiligheid.core.concurrency import EditConflict, conflict_changes, conflict_form_data
from openveiligheid.organisations.scoping import CHANGE, get_scoped_object_or_404
from openveiligheid.plans import services
from openveiligheid.plans.forms import ShareConceptForm
from openveiligheid.plans.models import Plan

CHANGELOG_LIMIT = 20


@login_required
@require_http_methods(["GET", "POST"])
def share_concept(request, slug):
    """The plan owner's page to share a concept with partner organisations or to withdraw it
    (MANAGE_PLAN in the owning organisation: 404 when the plan is out of sight, 403 when it is
    visible but not the user's to manage)."""
    plan = get_scoped_object_or_404(
        Plan.objects.select_related("owner"), request.user, CHANGE, slug=slug
    )
    # Bound also when empty: unticking every partner withdraws the sharing.
    form = ShareConceptForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_concept(
                plan,
                form.cleaned_data["organisations"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            plan = error.current
            form = ShareConceptForm(conflict_form_data(request.POST, error), plan=plan)
            form.is_valid()
            form.add_error(None, error.message)
            form.conflict = conflict_changes(error)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            names = [organisation.name for organisation in plan.shared_with.order_by("name")]
            if names:
                messages.success(
                    request,
                    _("Het concept is gedeeld met: %(names)s.") % {"names": ", ".join(names)},
                )
            else:
                messages.success(request, _("Het concept is met geen enkele partner gedeeld."))
            return redirect("plans:share", slug=plan.slug)
    return render(
        request,
        "plans/share.html",
        {
            "plan": plan,
            "form": form,
            "shared_with": plan.shared_with.order_by("name"),
            "changelog": changes_for(plan)[:CHANGELOG_LIMIT],
        },
    )
