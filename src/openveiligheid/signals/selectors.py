"""Reads of the meldpunt, scoped to the user: the triage queue with its counts, one report's
history and links, and the reports a report may be linked to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import VIEW, access_for
from openveiligheid.signals.models import Category, Report, ReportEvent, ReportLink, TriageStep

# Reports in one category and postcode area within this many days may be about one subject.
SAME_SUBJECT_DAYS = 30
SUGGESTION_LIMIT = 10

# The periods the queue counts reports in: (key, days back from today).
COUNT_PERIODS = (("week", 7), ("month", 30), ("year", 365))


def signal_organisations(user) -> list[Organisation]:
    """The organisations in which `user` reads reports (VIEW_SIGNALS): in a municipality its
    own reports, in a partner organisation the reports forwarded to it."""
    access = access_for(user)
    if access is None:
        return []
    # Need-to-know also for superusers: they read reports only through a membership.
    return list(Organisation.objects.filter(pk__in=access.orgs_with(Permission.VIEW_SIGNALS)))


def own_municipalities(organisations) -> list[Organisation]:
    """Of signal_organisations, the municipalities: those whose whole meldpunt the user reads
    (a partner reads only what was forwarded to it, so it gets no counts of all reports)."""
    return [org for org in organisations if org.kind == Organisation.Kind.MUNICIPALITY]


def receiving_partners(organisations) -> list[Organisation]:
    """Of signal_organisations, the partner organisations: the user reads what was forwarded
    to them."""
    return [org for org in organisations if org.kind == Organisation.Kind.PARTNER]


def queue_municipalities(user, organisations) -> list[Organisation]:
    """The municipalities whose reports the user's queue can show (its filter choices): their
    own, and for a partner's staff those that forwarded reports to the partner."""
    own = own_municipalities(organisations)
    partners = receiving_partners(organisations)
    if not partners:
        return own
    senders = Organisation.objects.filter(
        pk__in=reports_for(user).filter(forwarded_to__in=partners).values("organisation")
    ).exclude(pk__in=[org.pk for org in own])
    return sorted([*own, *senders], key=lambda org: org.name)


def reports_for(user):
    return Report.objects.restrict(user, VIEW).select_related("category", "organisation")


def categories_for(organisations) -> list[Category]:
    return list(
        Category.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "position", "name")
    )


def partner_choices():
    """The partner organisations a report can be forwarded to."""
    return Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("name")


@dataclass(frozen=True)
class CategoryCount:
    organisation: str
    category: str
    counts: dict[str, int]
    open: int


def category_counts(organisations) -> list[CategoryCount]:
    """Per category of the given municipalities (signal_organisations: those the user reads):
    the reports received in each period of COUNT_PERIODS and those still open, in one query."""
    now = timezone.now()
    aggregates = {
        key: Count("reports", filter=Q(reports__created_at__gte=now - timedelta(days=days)))
        for key, days in COUNT_PERIODS
    }
    aggregates["open"] = Count("reports", filter=~Q(reports__status=Report.Status.CLOSED))
    rows = (
        Category.objects.filter(organisation__in=[org.pk for org in organisations])
        .values("organisation__name", "name", "position")
        .annotate(**aggregates)
        .order_by("organisation__name", "position", "name")
    )
    return [
        CategoryCount(
            organisation=row["organisation__name"],
            category=row["name"],
            counts={key: row[key] for key, _days in COUNT_PERIODS},
            open=row["open"],
        )
        for row in rows
    ]


def report_detail(user, **lookup) -> Report:
    """One report the user may read, with its category, organisation and attachments; raises
    Report.DoesNotExist otherwise."""
    return (
        reports_for(user)
        .select_related("forwarded_to")
        .prefetch_related("attachments")
        .get(**lookup)
    )


def history_of(report: Report, *, for_triager: bool) -> list[ReportEvent]:
    """The report's steps, oldest first. A reader who does not triage it (a partner's staff)
    sees that it was linked, not to which other reports: those were not passed to them."""
    events = list(ReportEvent.objects.filter(report=report).order_by("at", "pk"))
    if not for_triager:
        for event in events:
            if event.step == TriageStep.LINK:
                event.summary = ""
    return events


def linked_reports(report: Report, user) -> list[tuple[Report, ReportLink]]:
    """The reports linked to this one that `user` reads too: a partner sees no links to reports
    that were not forwarded to it."""
    readable = Report.objects.restrict(user, VIEW).values("pk")
    links = ReportLink.objects.filter(
        Q(first=report, second__in=readable) | Q(second=report, first__in=readable)
    ).select_related("first__category", "second__category")
    return [(link.other(report), link) for link in links]


@dataclass(frozen=True)
class LinkSuggestion:
    report: Report
    reason: str  # ReportLink.Reason


def link_suggestions(report: Report, limit: int = SUGGESTION_LIMIT) -> list[LinkSuggestion]:
    """Reports of the same municipality that may be about the same thing: at the same address
    (postcode and house number), or in the same category and postcode area within
    SAME_SUBJECT_DAYS of this one. Reports already linked are left out; same address first."""
    linked = ReportLink.objects.filter(Q(first=report) | Q(second=report)).values_list(
        "first_id", "second_id"
    )
    exclude = {report.pk} | {pk for pair in linked for pk in pair}
    candidates = Report.objects.filter(organisation_id=report.organisation_id).exclude(
        pk__in=exclude
    )
    same_address = Q(pk__in=[])
    if report.postcode and report.house_number:
        same_address = Q(postcode=report.postcode, house_number=report.house_number)
    same_subject = Q(pk__in=[])
    if report.postcode:
        window = timedelta(days=SAME_SUBJECT_DAYS)
        same_subject = Q(
            category_id=report.category_id,
            postcode__startswith=report.postcode_area,
            created_at__gte=report.created_at - window,
            created_at__lte=report.created_at + window,
        )
    rows = list(
        candidates.filter(same_address | same_subject)
        .select_related("category")
        .order_by("-created_at", "-pk")[: limit * 2]
    )
    suggestions = [
        LinkSuggestion(
            row,
            ReportLink.Reason.SAME_ADDRESS
            if report.house_number
            and (row.postcode, row.house_number) == (report.postcode, report.house_number)
            else ReportLink.Reason.SAME_SUBJECT,
        )
        for row in rows
    ]
    suggestions.sort(key=lambda s: s.reason != ReportLink.Reason.SAME_ADDRESS)
    return suggestions[:limit]


def with_history(queryset):
    return queryset.prefetch_related(
        Prefetch("events", queryset=ReportEvent.objects.order_by("at", "pk"))
    )
