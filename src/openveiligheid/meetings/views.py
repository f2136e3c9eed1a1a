"""Pages of meetings: the series list, the year calendar, a meeting's agenda, and their exports.

Views are thin: objects come through restrict()/get_scoped_object_or_404, reads through
selectors.py, writes through services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openveiligheid.actions.models import Action
from openveiligheid.core.concurrency import EditConflict, conflict_changes, conflict_form_data
from openveiligheid.core.documents import pdf_unavailable_page
from openveiligheid.meetings import exports, services
from openveiligheid.meetings.exports import DOCX_CONTENT_TYPE, PdfUnavailable, render_pdf
from openveiligheid.meetings.forms import MarkReportedForm, ScheduleActionForm
from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries
from openveiligheid.meetings.selectors import (
    meeting_agenda,
    schedulable_actions,
    upcoming_meetings,
    year_calendar,
)
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import CHANGE, VIEW, can, get_scoped_object_or_404


def _series(request, pk) -> MeetingSeries:
    return get_scoped_object_or_404(
        MeetingSeries.objects.select_related("organisation", "theme"), request.user, VIEW, pk=pk
    )


def _meeting(request, pk, action=VIEW) -> Meeting:
    return get_scoped_object_or_404(
        Meeting.objects.select_related("series__organisation", "series__theme"),
        request.user,
        action,
        pk=pk,
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_response(request, template_name: str, context: dict, filename: str) -> HttpResponse:
    try:
        content = render_pdf(template_name, context, request=request)
    except PdfUnavailable:
        return pdf_unavailable_page(
            request,
            alternative=_(
                "Download het document als Word (DOCX), of druk de pagina af vanuit de browser."
            ),
            back_url=request.path.rsplit("/", 1)[0] + "/",
        )
    return _download(content, "application/pdf", filename)


@login_required
@require_GET
def series_list(request):
    series = list(
        MeetingSeries.objects.restrict(request.user, VIEW)
        .select_related("organisation", "theme")
        .annotate(
            meeting_count=Count("meetings"),
            first_date=Min("meetings__date"),
            last_date=Max("meetings__date"),
        )
    )
    years = sorted({item.year for item in series}, reverse=True)
    groups = [(year, [item for item in series if item.year == year]) for year in years]
    return render(request, "meetings/series_list.html", {"groups": groups})


def _calendar_context(request, calendar, series=None):
    return {"calendar": calendar, "series": series}


@login_required
@require_GET
def calendar(request, pk):
    series = _series(request, pk)
    calendar = year_calendar(series, series.year, request.user)
    return render(request, "meetings/calendar.html", _calendar_context(request, calendar, series))


@login_required
@require_GET
def organisation_calendar(request, slug, year):
    """Every visible series of one organisation in one year, in one calendar."""
    visible = MeetingSeries.objects.restrict(request.user, VIEW).filter(
        organisation__slug=slug, year=year
    )
    organisation = Organisation.objects.filter(slug=slug, meeting_series__in=visible).first()
    if organisation is None:
        raise Http404
    calendar = year_calendar(organisation, year, request.user)
    return render(request, "meetings/calendar.html", _calendar_context(request, calendar))


def _filename(*parts) -> str:
    return slugify("-".join(str(part) for part in parts))


@login_required
@require_GET
def calendar_docx(request, pk):
    series = _series(request, pk)
    calendar = year_calendar(series, series.year, request.user)
    return _download(
        exports.calendar_docx(calendar),
        DOCX_CONTENT_TYPE,
        f"{_filename('jaarkalender', series.name, series.year)}.docx",
    )


@login_required
@require_GET
def calendar_pdf(request, pk):
    series = _series(request, pk)
    calendar = year_calendar(series, series.year, request.user)
    return _pdf_response(
        request,
        "meetings/pdf/calendar.html",
        {"calendar": calendar},
        f"{_filename('jaarkalender', series.name, series.year)}.pdf",
    )


def _render_agenda(request, meeting, *, schedule_form=None, status=200):
    agenda = meeting_agenda(meeting, request.user)
    can_change = can(request.user, CHANGE, meeting)
    action_ids = [row.item.action_id for row in agenda.rows if row.item.action_id]
    # Action leads may mark their own items as reported; one query for the whole agenda.
    changeable_actions = set(
        Action.objects.restrict(request.user, CHANGE)
        .filter(pk__in=action_ids)
        .values_list("pk", flat=True)
    )
    for row in agenda.rows:
        row.can_mark = can_change or row.item.action_id in changeable_actions
    if can_change and schedule_form is None:
        schedule_form = ScheduleActionForm(actions=schedulable_actions(meeting, request.user))
    scheduled = agenda.scheduled_action_ids
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "series": meeting.series,
            "agenda": agenda,
            "can_change": can_change,
            "schedule_form": schedule_form if can_change else None,
            "due_unscheduled": [action for action in agenda.due if action.pk not in scheduled],
        },
        status=status,
    )


@login_required
@require_GET
def agenda(request, pk):
    return _render_agenda(request, _meeting(request, pk))


@login_required
@require_GET
def agenda_docx(request, pk):
    meeting = _meeting(request, pk)
    agenda = meeting_agenda(meeting, request.user)
    return _download(
        exports.agenda_docx(agenda),
        DOCX_CONTENT_TYPE,
        f"{_filename('agenda', meeting.series.name, meeting.date.isoformat())}.docx",
    )


@login_required
@require_GET
def agenda_pdf(request, pk):
    meeting = _meeting(request, pk)
    agenda = meeting_agenda(meeting, request.user)
    return _pdf_response(
        request,
        "meetings/pdf/agenda.html",
        {"agenda": agenda, "meeting": meeting},
        f"{_filename('agenda', meeting.series.name, meeting.date.isoformat())}.pdf",
    )


@login_required
@require_POST
def schedule(request, pk):
    meeting = _meeting(request, pk, CHANGE)
    form = ScheduleActionForm(request.POST, actions=schedulable_actions(meeting, request.user))
    if form.is_valid():
        try:
            item = services.schedule_action(
                meeting,
                form.cleaned_data["action"],
                what_to_report=form.cleaned_data["what_to_report"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            # The user's text again, on the item as it stands, with what it holds now.
            form = ScheduleActionForm(
                conflict_form_data(request.POST, error),
                actions=schedulable_actions(meeting, request.user),
            )
            form.is_valid()
            form.add_error(None, error.message)
            form.conflict = conflict_changes(error)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("'%(item)s' staat op de agenda.") % {"item": item.label})
            return redirect("meetings:agenda", pk=meeting.pk)
    return _render_agenda(request, meeting, schedule_form=form)


@login_required
@require_POST
def mark_reported(request, pk):
    item = get_scoped_object_or_404(
        AgendaItem.objects.select_related("meeting", "action"), request.user, VIEW, pk=pk
    )
    allowed = can(request.user, CHANGE, item) or (
        item.action_id is not None and can(request.user, CHANGE, item.action)
    )
    if not allowed:
        raise PermissionDenied
    form = MarkReportedForm(request.POST)
    reported = form.cleaned_data["reported"] if form.is_valid() else True
    services.mark_reported(item, actor=request.user, reported=reported)
    if reported:
        messages.success(request, _("'%(item)s' is gerapporteerd.") % {"item": item.label})
    else:
        messages.info(
            request, _("'%(item)s' staat weer als niet gerapporteerd.") % {"item": item.label}
        )
    return redirect("meetings:agenda", pk=item.meeting_id)


UPCOMING_SHOWN = 5


def upcoming_section(request) -> str:
    """The start page's section (registered in navigation.py): the next meetings and how many
    actions have documents due for each."""
    upcoming = upcoming_meetings(request.user, timezone.localdate(), UPCOMING_SHOWN)
    return render_to_string("meetings/start/upcoming.html", {"upcoming": upcoming}, request=request)
