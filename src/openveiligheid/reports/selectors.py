"""Reads of reports: the content of a report (the snapshot structure), and who may do what.

The content is plain JSON (texts and numbers already formatted): a published report stores it
as its snapshot and every output (page, PDF, DOCX) renders from it, so that a later change to
the figures never changes a published report.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.actions.selectors import lead_label
from openveiligheid.core.formats import format_euro, format_value
from openveiligheid.core.periods import Period, parse_period
from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.presentation import STATUS_CSS, indicator_tile
from openveiligheid.indicators.selectors import (
    evaluate,
    indicators_with_targets,
    series_for,
)
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import CHANGE, access_for, can
from openveiligheid.organisations.selectors import logo_of
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.programme.models import Programme
from openveiligheid.programme.selectors import budget_differences, budget_tables
from openveiligheid.reports.analysis import safety_analysis
from openveiligheid.reports.models import Report, ReportStatus, ReportType, ThemeInterpretation

# Bumped when the structure of report_content changes; renderers read older snapshots too.
# 2: the owning organisation's name and house colour ("organisation").
# 3: cooperation examples of strategic themes; the veiligheidsanalyse's "analysis".
# 4: the organisation's logo, a copy of its PNG ("organisation.logo"), so that a published report
#    keeps the logo it was published with.
CONTENT_SCHEMA = 4
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def organisation_of(content: dict) -> dict:
    """The organisation a report's files carry (name, house colour, logo), also for a snapshot
    made before the content had them (then without a colour or logo)."""
    organisation = content.get("organisation") or {"name": content["plan"]["owner"]}
    colour = organisation.get("brand_colour") or ""
    logo = organisation.get("logo")
    # The colour goes into style sheets and the logo into a data: URL: only #RRGGBB and a
    # base64 PNG pass, whatever the stored text.
    if not (
        isinstance(logo, dict)
        and logo.get("content_type") == "image/png"
        and _BASE64.match(logo.get("data") or "")
    ):
        logo = None
    return {
        "name": organisation["name"],
        "brand_colour": colour if _COLOUR.match(colour) else "",
        "logo": logo,
    }


def period_from_text(text: str) -> Period:
    """A report period from 2024, 2024-H1 or 2024-Q3 (a month is no reporting period)."""
    period = parse_period(text)
    if period.type == "month":
        raise ValueError(
            _("'%(text)s' is geen rapportageperiode; gebruik 2024, 2024-H1 of 2024-Q3.")
            % {"text": text}
        )
    return period


# Reports on the local priorities agreed in the driehoek: only a regional plan has them.
REGIONAL_REPORT_TYPES = frozenset({ReportType.TRIANGLE_HALF_YEAR, ReportType.TRIANGLE_FINAL})


def is_regional(plan: Plan) -> bool:
    """A plan of a samenwerkingsverband (its owner a region), not of one municipality."""
    return plan.owner.kind == Organisation.Kind.REGION


def report_types_for(plan: Plan) -> list[tuple[str, str]]:
    """The report types a plan can have: the driehoek reports for a regional plan only."""
    regional = is_regional(plan)
    return [
        (value, label)
        for value, label in ReportType.choices
        if regional or value not in REGIONAL_REPORT_TYPES
    ]


def reports_for_plan(plan: Plan, user):
    return (
        Report.objects.restrict(user)
        .filter(plan=plan)
        .select_related("plan", "corrects")
        .order_by("-period_start", "report_type", "-version")
    )


def find_report(plan: Plan, report_type: str, period: Period, version: int | None = None):
    """The report of a type and period: the given version, or the newest."""
    reports = Report.objects.filter(
        plan=plan, report_type=report_type, period_type=period.type, period_start=period.start
    ).order_by("-version")
    if version is not None:
        reports = reports.filter(version=version)
    return reports.first()


def may_manage(user, report: Report) -> bool:
    """Submit, approve, publish and correct: who may manage the plan (the programme manager)."""
    return can(user, CHANGE, report)


def may_write_interpretation(user, report: Report, theme: Theme) -> bool:
    """The duiding of a theme is written in the draft by the plan's managers, those who record
    figures for all themes, and the theme's own advisers."""
    return report.status == ReportStatus.DRAFT and may_write_theme(user, report, theme)


def may_write_theme(user, report: Report, theme: Theme) -> bool:
    """Whether the user writes this theme's duiding, whatever the report's status."""
    if theme.plan_id != report.plan_id:
        return False
    access = access_for(user)
    if access is None:
        return False
    owner = report.plan.owner_id
    if access.has(Permission.MANAGE_PLAN, owner) or access.has(
        Permission.RECORD_MEASUREMENTS, owner
    ):
        return True
    return (
        access.has(Permission.RECORD_THEME_MEASUREMENTS, owner)
        and theme.advisers.filter(pk=user.pk).exists()
    )


def writable_theme_ids(user, report: Report) -> set[int]:
    return {
        theme.pk
        for theme in report.plan.themes.all()
        if may_write_interpretation(user, report, theme)
    }


# --- the content -------------------------------------------------------------------------------


def _point(point, unit: str) -> dict | None:
    if point is None:
        return None
    return {
        "period": point.period.code,
        "period_label": point.period.label,
        "value": format(point.value.normalize(), "f"),
        "display": format_value(point.value, unit),
        "is_example": point.is_example,
    }


def _indicator_row(indicator: Indicator, series: list, period: Period) -> dict:
    until = [point for point in series if point.period.end <= period.end]
    try:
        target = indicator.target
    except Indicator.target.RelatedObjectDoesNotExist:
        target = None
    status = evaluate(indicator, until, target, today=period.end)
    tile = indicator_tile(status, id_prefix="report")
    has_status = target is not None or indicator.direction != Indicator.Direction.NONE
    main = [p for p in status.series if p.period.type == indicator.period_type] or status.series
    return {
        "name": indicator.name,
        "slug": indicator.slug,
        "unit": indicator.unit,
        "unit_label": str(indicator.get_unit_display()),
        "direction": indicator.direction,
        "source": indicator.source.name if indicator.source_id else "",
        "start": _point(status.start, indicator.unit),
        "previous": _point(status.previous, indicator.unit),
        "current": _point(status.latest, indicator.unit),
        "change": status.change,
        "change_symbol": tile.change_symbol,
        "change_label": tile.change_label,
        # Whether the change is good given the desired direction (empty without one).
        "change_assessment": tile.change_assessment,
        "target": tile.target_text,
        "target_value": (
            format(target.value.normalize(), "f")
            if target is not None and target.value is not None
            else None
        ),
        "status": status.status if has_status else None,
        "status_label": str(status.status_label) if has_status else "",
        "status_css": STATUS_CSS[status.status] if has_status else "",
        "series": [_point(point, indicator.unit) for point in main],
        "has_example_data": any(point.is_example for point in main),
    }


def _actions_summary(actions: list[Action], as_of: date) -> dict:
    done, on_course, late = [], [], []
    for action in actions:
        if action.status == ActionStatus.CANCELLED:
            continue
        if action.status == ActionStatus.DONE:
            done.append(action)
        elif action.status == ActionStatus.DELAYED or (
            action.due_end is not None and action.due_end < as_of
        ):
            late.append(action)
        else:
            on_course.append(action)
    return {
        "done": len(done),
        "on_course": len(on_course),
        "late": len(late),
        "late_actions": [
            {
                "subject": action.subject or action.description[:120],
                "lead": lead_label(action),
                "due": action.due_text,
                "status_label": str(action.get_status_display()),
            }
            for action in late
        ],
    }


def _programme(programme: Programme) -> dict:
    assignments = [
        {
            "pillar": pillar.name,
            "number": assignment.number,
            "title": assignment.title,
            "approach": str(assignment.get_approach_display()),
            "result": assignment.result,
            "when": assignment.when,
        }
        for pillar in programme.pillars.order_by("order", "id")
        for assignment in pillar.assignments.order_by("order", "id")
    ]

    def euro(value) -> str:
        return "" if value is None else format_euro(value)

    tables = [
        {
            "section": table["section"] or _("Begroting"),
            "years": table["years"],
            "rows": [
                {
                    "item": row["line"].item,
                    "amounts": [euro(amount) for amount in row["amounts"]],
                    "total": euro(row["total"]),
                }
                for row in table["rows"]
            ],
            "totals": [euro(total) for total in table["totals"]],
            "computed_total": euro(table["grand_total"]),
            "printed_total": euro(table["stated_total"]),
            "difference": (euro(table["stated_difference"]) if table["stated_difference"] else ""),
        }
        for table in budget_tables(programme)
    ]
    # The totals per year the document prints for the programme's own (first) table, beside
    # the computed ones, so that a difference shows (programme.selectors.budget_differences).
    stated = {int(year): amount for year, amount in (programme.stated_budget_totals or {}).items()}
    if tables and stated:
        first = tables[0]
        first["printed_year_totals"] = [
            euro(Decimal(str(stated[year]))) if year in stated else "" for year in first["years"]
        ]
        first["year_differences"] = [
            f"{year}: "
            + _("%(stated)s volgens het document, %(computed)s berekend")
            % {"stated": euro(stated_total), "computed": euro(computed)}
            for year, (stated_total, computed) in sorted(budget_differences(programme).items())
        ]
    return {"title": programme.title, "assignments": assignments, "budget_tables": tables}


def report_content(report: Report) -> dict:
    """Everything a report shows, from the data as it is now, as JSON."""
    plan, period = report.plan, report.period
    indicators = list(
        indicators_with_targets(Indicator.objects.filter(plan=plan))
        .select_related("area", "plan__owner")
        .order_by("theme__order", "order", "id")
    )
    series = series_for(indicators)
    # An unsaved report (a preview from the command line) has no duiding yet.
    interpretations = (
        {row.theme_id: row for row in ThemeInterpretation.objects.filter(report=report)}
        if report.pk
        else {}
    )
    actions = list(
        Action.objects.filter(action_plan__plan=plan)
        .select_related("lead_organisation", "lead_unit__organisation")
        .order_by("order", "id")
    )
    rows_by_indicator = {
        indicator.pk: _indicator_row(indicator, series[indicator.pk], period)
        for indicator in indicators
    }
    plan_themes = plan.themes.prefetch_related("goals").order_by("order", "id")
    driehoek = report.report_type in REGIONAL_REPORT_TYPES
    if driehoek:
        # The local priorities are the plan's priority themes; the strategic ones are the
        # council's, not the driehoek's.
        plan_themes = plan_themes.filter(kind=Theme.Kind.PRIORITY)
    themes = []
    for theme in plan_themes:
        rows = [
            rows_by_indicator[indicator.pk]
            for indicator in indicators
            if indicator.theme_id == theme.pk
        ]
        interpretation = interpretations.get(theme.pk)
        is_strategic = theme.kind == Theme.Kind.STRATEGIC
        themes.append(
            {
                "id": theme.pk,
                "name": theme.name,
                "kind": theme.kind,
                "kind_label": str(theme.get_kind_display()),
                "goals": [
                    {"text": goal.text, "target": goal.target_text} for goal in theme.goals.all()
                ],
                "indicators": rows,
                "interpretation": interpretation.text if interpretation else "",
                "is_strategic": is_strategic,
                # Only strategic themes report how the partners worked together.
                "cooperation_examples": (
                    interpretation.cooperation_examples if interpretation and is_strategic else ""
                ),
                "actions": _actions_summary(
                    [action for action in actions if action.theme_id == theme.pk], period.end
                ),
            }
        )
    plan_wide = [
        rows_by_indicator[indicator.pk] for indicator in indicators if indicator.theme_id is None
    ]
    programme = Programme.objects.filter(plan=plan).first()
    analysis = (
        safety_analysis(
            themes,
            indicators,
            series,
            {pk: row["status"] for pk, row in rows_by_indicator.items()},
            period,
        )
        if report.report_type == ReportType.SAFETY_ANALYSIS
        else None
    )
    trend_rows = [
        row for group in (analysis or {}).get("trends", []) for row in group["indicators"]
    ]
    return {
        "schema": CONTENT_SCHEMA,
        "title": str(report),
        "report_type": report.report_type,
        "report_type_label": str(report.get_report_type_display()),
        "version": report.version,
        "correction_reason": report.correction_reason,
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "owner": plan.owner.name,
            "period_label": plan.period_label,
        },
        "period": {"code": period.code, "label": period.label},
        "organisation": {
            "name": plan.owner.name,
            "brand_colour": plan.owner.brand_colour,
            "logo": logo_of(plan.owner),
        },
        # The plan's own indicators (kerncijfers), outside any theme.
        "plan_indicators": plan_wide,
        "themes": themes,
        "has_example_data": any(
            row["has_example_data"]
            for row in [
                *plan_wide,
                *(row for theme in themes for row in theme["indicators"]),
                *trend_rows,
            ]
        ),
        "programme": _programme(programme) if programme is not None else None,
        "is_regional": is_regional(plan),
        "scope_note": (
            _(
                "Deze rapportage voor de driehoek gaat over de lokale prioriteiten: de thema's "
                "die het plan als prioriteit noemt."
            )
            if driehoek
            else ""
        ),
        "analysis": analysis,
    }


def content_for(report: Report) -> dict:
    """What a report shows: its snapshot once published, otherwise the live data."""
    if report.is_published:
        return report.snapshot
    return report_content(report)
