"""Indicator pages: the series with chart, status and duiding, adding a measurement, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openveiligheid.core.charts import ReferenceLine, line_chart
from openveiligheid.core.concurrency import EditConflict, conflict_changes
from openveiligheid.core.formats import format_value
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.indicators import exports, services
from openveiligheid.indicators.comparison import compare
from openveiligheid.indicators.forms import MeasurementForm, SignalCategoryForm
from openveiligheid.indicators.models import Indicator, Interpretation, Measurement, Target
from openveiligheid.indicators.presentation import chart_points, indicator_tile, main_points
from openveiligheid.indicators.selectors import (
    indicator_status,
    indicators_with_targets,
    stored_for_period,
)
from openveiligheid.organisations.scoping import CHANGE, VIEW, can, get_scoped_object_or_404
from openveiligheid.plans.models import Plan
from openveiligheid.plans.selectors import visible_changes


def _get_indicator(request, slug, indicator_slug, action=VIEW) -> Indicator:
    plan = get_scoped_object_or_404(
        Plan.objects.select_related("owner"), request.user, VIEW, slug=slug
    )
    indicator = get_scoped_object_or_404(
        indicators_with_targets(Indicator.objects.filter(plan=plan)).select_related(
            "goal", "numerator", "denominator", "signal_category"
        ),
        request.user,
        action,
        slug=indicator_slug,
    )
    indicator.plan = plan
    return indicator


def indicator_changelog(indicator: Indicator, user, limit: int = 50):
    """Changes of the indicator, its target, its measurements and its duiding (deleted ones
    included: their snapshots still name the indicator), as far as ``user`` may read them."""
    related = ContentType.objects.get_for_models(Measurement, Interpretation, Target).values()
    own = ContentType.objects.get_for_model(Indicator)
    entries = ChangeLogEntry.objects.filter(
        Q(content_type=own, object_id=str(indicator.pk))
        | Q(content_type__in=list(related))
        & (Q(after__indicator_id=indicator.pk) | Q(before__indicator_id=indicator.pk))
    ).select_related("actor")
    return visible_changes(user, indicator.plan, entries)[:limit]


def _detail_context(request, indicator: Indicator, form=None) -> dict:
    plan = indicator.plan
    status = indicator_status(indicator)
    tile = indicator_tile(status)

    def formatter(value):
        return format_value(value, indicator.unit)

    start = status.start
    target = status.target
    chart = line_chart(
        chart_points(main_points(status)),
        title=_("Verloop van %(name)s") % {"name": indicator.name},
        formatter=formatter,
        start=ReferenceLine(
            _("Startwaarde %(period)s") % {"period": start.period.label}, start.value
        )
        if start
        else None,
        target=ReferenceLine(_("Streefwaarde"), target.value)
        if target is not None and target.value is not None
        else None,
        chart_id=f"chart-{indicator.pk}",
    )
    measurements = (
        Measurement.objects.restrict(request.user, VIEW)
        .filter(indicator=indicator)
        .select_related("area", "source", "entered_by")
        .order_by("-period_start", "period_type", "area__code")
    )
    interpretations = (
        Interpretation.objects.restrict(request.user, VIEW)
        .filter(indicator=indicator)
        .select_related("written_by")
        .order_by("-period_start", "period_type")
    )
    can_change = can(request.user, CHANGE, indicator)
    if can_change and not indicator.is_derived and form is None:
        form = MeasurementForm(indicator=indicator)
    return {
        "plan": plan,
        "indicator": indicator,
        "status": status,
        "tile": tile,
        "chart": chart,
        "measurements": measurements,
        # For a derived indicator the computed series is the table.
        "derived_points": list(reversed(status.series)) if indicator.is_derived else [],
        "interpretations": interpretations,
        "can_change": can_change,
        "form": form if can_change and not indicator.is_derived else None,
        "changelog": indicator_changelog(indicator, request.user),
    }


@login_required
def detail(request, slug, indicator_slug):
    indicator = _get_indicator(request, slug, indicator_slug)
    return render(request, "indicators/detail.html", _detail_context(request, indicator))


@login_required
def comparison(request, slug, indicator_slug):
    """The indicator beside the national figure, its size class, its region and a ranking."""
    indicator = _get_indicator(request, slug, indicator_slug)
    compared = compare(indicator, request.GET.get("periode", ""))
    return render(
        request,
        "indicators/comparison.html",
        {"indicator": indicator, "plan": indicator.plan, "comparison": compared},
    )


@login_required
@require_POST
def add_measurement(request, slug, indicator_slug):
    indicator = _get_indicator(request, slug, indicator_slug, CHANGE)
    form = MeasurementForm(request.POST, indicator=indicator)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # The figure and its explanation are one statement: both are saved or neither.
            with transaction.atomic():
                measurement, changed = services.record_measurement(
                    indicator=indicator,
                    period=data["period"],
                    value=data["value"],
                    area=data.get("area"),
                    note=data["note"],
                    actor=request.user,
                    expected_version=data["version"],
                )
                interpretation = None
                if data["interpretation"].strip():
                    interpretation = services.write_interpretation(
                        indicator=indicator,
                        period=data["period"],
                        text=data["interpretation"],
                        actor=request.user,
                        expected_version=data["interpretation_version"],
                    )
        except EditConflict as error:
            form = _conflict_form(request, indicator, error)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            values = {
                "period": data["period"].label,
                "value": format_value(measurement.value, indicator.unit),
            }
            if changed:
                messages.success(request, _("Meting %(period)s opgeslagen: %(value)s.") % values)
            else:
                messages.info(request, _("De meting %(period)s was al %(value)s.") % values)
            if interpretation is not None:
                messages.success(request, _("Duiding voor %(period)s opgeslagen.") % values)
            return redirect(reverse("indicators:detail", args=[slug, indicator_slug]) + "#metingen")
    return render(request, "indicators/detail.html", _detail_context(request, indicator, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def signal_category(request, slug, indicator_slug):
    """Tie the indicator to a meldpunt category (or untie it): its measurements are then the
    counts of reports, recorded by `openveiligheid signal-counts`."""
    indicator = _get_indicator(request, slug, indicator_slug, CHANGE)
    detail_url = reverse("indicators:detail", args=[slug, indicator_slug])
    if request.method == "POST":
        form = SignalCategoryForm(request.POST, indicator=indicator)
        if form.is_valid():
            category = form.cleaned_data["signal_category"]
            try:
                services.link_signal_category(indicator, category, actor=request.user)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                if category is None:
                    messages.success(request, _("De indicator telt geen meldingen meer."))
                else:
                    messages.success(
                        request,
                        _("De indicator telt voortaan de meldingen in de categorie %(name)s.")
                        % {"name": category.name},
                    )
                return redirect(detail_url)
    else:
        form = SignalCategoryForm(indicator=indicator)
    return render(
        request,
        "indicators/signal_category.html",
        {"indicator": indicator, "plan": indicator.plan, "form": form, "detail_url": detail_url},
    )


def _conflict_form(request, indicator: Indicator, error: EditConflict) -> MeasurementForm:
    """The user's input again, on the versions of the measurement and the duiding now stored
    for that period, with what is stored: saving once more replaces them deliberately (both at
    once, so a second conflict on the duiding does not follow the first)."""
    submitted = MeasurementForm(request.POST, indicator=indicator)
    submitted.is_valid()
    data = submitted.cleaned_data
    measurement, interpretation = stored_for_period(
        indicator, data["period"], data.get("area") or indicator.area
    )
    post, others = request.POST.copy(), []
    if not data["interpretation"].strip():
        interpretation = None
    for field, current in (("version", measurement), ("interpretation_version", interpretation)):
        if current is not None and data.get(field) != current.version:
            post[field] = str(current.version)
            others += conflict_changes(EditConflict(current))
    form = MeasurementForm(post, indicator=indicator)
    form.is_valid()
    form.add_error(None, error.message)
    form.conflict = others
    return form


def _add_service_errors(form, error: ValidationError) -> None:
    """Put the service's Dutch messages on the matching fields of the form."""
    field_names = {
        "period": "period",
        "value": "value",
        "area": "area",
        "text": "interpretation",
        "signal_category": "signal_category",
    }
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        form.add_error(field_names.get(key), errors)


@login_required
def download(request, slug, indicator_slug, fmt):
    indicator = _get_indicator(request, slug, indicator_slug)
    rows = exports.series_rows(indicator, request.user)
    if fmt == "csv":
        return exports.csv_response(indicator, rows)
    if fmt == "xlsx":
        return exports.xlsx_response(indicator, rows)
    raise Http404
