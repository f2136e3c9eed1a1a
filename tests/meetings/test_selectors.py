from datetime import date

import pytest

from openveiligheid.actions.models import ActionStatus
from openveiligheid.meetings import services
from openveiligheid.meetings.selectors import meeting_agenda, year_calendar
from tests.actions.factories import ActionFactory
from tests.meetings.factories import MeetingFactory
from tests.meetings.fixtures import build_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_calendar()


def test_calendar_rows_cells_and_totals(known):
    calendar = year_calendar(known.series, 2023, known.users["programme_manager"])
    assert [meeting.date for meeting in calendar.meetings] == [
        date(2023, 2, 9),
        date(2023, 4, 13),
        date(2023, 6, 8),
    ]
    table = {
        row.label: ([[item.label for item in cell] for cell in row.cells], row.total)
        for row in calendar.rows
    }
    assert table == {
        "Gemeente Mstad V&R": ([["a1"], ["a1", "a2"], []], 3),
        "Politie Mstad": ([["a3"], ["a3", "a6"], ["a3", "a7"]], 5),
        "Jongerenwerk": ([[], ["a4"], []], 1),
        "Geen trekker": ([[], [], ["a5", "Rondvraag"]], 2),
    }
    # Organisations first, then leads as written, "no lead" last.
    assert [row.label for row in calendar.rows] == [
        "Gemeente Mstad V&R",
        "Politie Mstad",
        "Jongerenwerk",
        "Geen trekker",
    ]
    assert calendar.meeting_totals == [2, 5, 4]
    assert calendar.grand_total == 11
    assert calendar.lead_totals["Politie Mstad"] == 5


def test_calendar_lists_unplanned_actions_apart_and_marks_new(known):
    calendar = year_calendar(known.series, 2023, known.users["programme_manager"])
    unplanned = {entry.action.subject: entry for entry in calendar.unplanned}
    assert list(unplanned) == ["a6", "a8"]
    assert unplanned["a6"].meetings == [known.meetings[1]]
    assert unplanned["a6"].since == date(2023, 3, 1)
    assert unplanned["a8"].meetings == []
    new_items = [item for row in calendar.rows for cell in row.cells for item in cell]
    assert [item.label for item in new_items if item.action_id and item.action.is_new] == ["a7"]


def test_organisation_calendar_combines_its_series(known):
    other_series_meeting = MeetingFactory(
        series__organisation=known.municipality, series__year=2023, date=date(2023, 3, 1)
    )
    services.schedule_action(other_series_meeting, known.actions["a1"])
    calendar = year_calendar(known.municipality, 2023, known.users["programme_manager"])
    assert len(calendar.meetings) == 4
    assert calendar.grand_total == 12
    assert calendar.series is None


def test_calendar_is_empty_for_users_outside_the_organisation(known):
    assert year_calendar(known.series, 2023, known.users["council_member"]).meetings == []


def test_calendar_query_count_does_not_grow(known, django_assert_max_num_queries):
    user = known.users["programme_manager"]
    with django_assert_max_num_queries(7):
        small = year_calendar(known.series, 2023, user)
    for index in range(30):
        meeting = MeetingFactory(series=known.series, date=date(2023, 7, 1 + index % 28))
        for key in ("a1", "a3", "a4", "a5", "a7"):
            services.schedule_action(meeting, known.actions[key])
        ActionFactory(
            action_plan=known.actions["a1"].action_plan,
            is_unplanned=True,
            lead_organisation=known.police,
        )
    user = type(user).objects.get(pk=user.pk)  # a fresh request: no cached access
    with django_assert_max_num_queries(7):
        large = year_calendar(known.series, 2023, user)
    assert large.grand_total == small.grand_total + 150


def test_agenda_due_and_late(known):
    meeting = known.meetings[1]  # 13 April, documents due 30 March
    plan = known.actions["a1"].action_plan

    def action(subject, due_end, status=ActionStatus.PLANNED):
        return ActionFactory(
            action_plan=plan, subject=subject, due_text="", due_end=due_end, status=status
        )

    open_overdue = action("open, due 15 March", date(2023, 3, 15))
    done_unreported = action("done, due 15 March", date(2023, 3, 15), ActionStatus.DONE)
    reported_earlier = action("reported in February", date(2023, 3, 15))
    item = services.schedule_action(known.meetings[0], reported_earlier)
    services.mark_reported(item)
    after_deadline = action("due 5 April", date(2023, 4, 5))
    cancelled = action("cancelled", date(2023, 2, 1), ActionStatus.CANCELLED)
    later = action("due June, on this agenda", date(2023, 6, 30))
    services.schedule_action(meeting, later)

    agenda = meeting_agenda(meeting, known.users["programme_manager"])
    due = {action.subject for action in agenda.due}
    late = {action.subject for action in agenda.late}
    assert agenda.reference_date == date(2023, 3, 30)
    assert open_overdue.subject in due and done_unreported.subject in due
    assert reported_earlier.subject not in due
    assert after_deadline.subject not in due
    assert cancelled.subject not in due and cancelled.subject not in late
    assert later.subject in due
    # Everything on this agenda is due here (a1 a2 a3 a4 a6 and "later").
    assert {"a1", "a2", "a3", "a4", "a6"} <= due
    assert late == {open_overdue.subject, reported_earlier.subject, after_deadline.subject}
    rows = {row.item.label: row for row in agenda.rows}
    assert rows["due June, on this agenda"].is_due and not rows["due June, on this agenda"].is_late
    assert agenda.reported == []

    services.mark_reported(rows["a1"].item)
    agenda = meeting_agenda(meeting, known.users["programme_manager"])
    assert [item.label for item in agenda.reported] == ["a1"]
    assert "a1" not in {action.subject for action in agenda.due}


def test_agenda_query_count(known, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        meeting_agenda(known.meetings[1], known.users["programme_manager"])
