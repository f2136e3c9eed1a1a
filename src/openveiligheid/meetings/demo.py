"""Demo: an example driehoek calendar of Apeldoorn for 2017, with the actions of the 2017-2018
execution plan that come back at each meeting.

The execution plan (001) gives no meeting dates, so the calendar below is invented to show the
meetings module; the series is marked as voorbeelddata (``MeetingSeries.is_example``) and every
page that shows it says so. No actions are invented: only the plan's own actions are put on
the agendas.

`load_demo_meetings()` runs after the demo loader made the execution plan
"apeldoorn-uitvoeringsplan-2017-2018"; it does nothing when that plan is missing or the series
already exists, so it is safe to call on every `load-demo`.
"""

from __future__ import annotations

from django.db import transaction

from openveiligheid.actions.models import Action
from openveiligheid.meetings import services
from openveiligheid.meetings.models import MeetingSeries
from openveiligheid.plans.models import Plan

PLAN_SLUG = "apeldoorn-uitvoeringsplan-2017-2018"
SERIES_NAME = "Driehoek Apeldoorn"
YEAR = 2017
# Invented example dates, written as plans write them: meeting date and, between brackets, the
# deadline for the documents.
MEETINGS = (
    "26-1-2017 (12-1)",
    "9-3-2017 (23-2)",
    "20-4-2017 (6-4)",
    "8-6-2017 (25-5)",
    "6-7-2017 (22-6)",
    "14-9-2017 (31-8)",
    "2-11-2017 (19-10)",
    "14-12-2017 (30-11)",
)
REPORTED_UP_TO = 4  # the first four meetings have been held and their items reported
YEAR_LONG_PER_THEME = 3


def _lead_key(action: Action) -> tuple:
    return action.lead_organisation_id, action.lead_unit_id, action.lead_text.strip().lower()


@transaction.atomic
def load_demo_meetings() -> MeetingSeries | None:
    plan = Plan.objects.filter(slug=PLAN_SLUG).select_related("owner").first()
    if plan is None:
        return None
    existing = MeetingSeries.objects.filter(
        organisation=plan.owner, kind=MeetingSeries.Kind.DRIEHOEK, name=SERIES_NAME, year=YEAR
    ).first()
    if existing is not None:
        return existing

    series = services.create_series(
        organisation=plan.owner,
        kind=MeetingSeries.Kind.DRIEHOEK,
        name=SERIES_NAME,
        year=YEAR,
        is_example=True,
    )
    meetings = []
    for text in MEETINGS:
        meeting_date, deadline = services.parse_meeting_date(text, YEAR)
        meetings.append(
            services.add_meeting(
                series,
                date=meeting_date,
                document_deadline=deadline,
                location="Stadhuis Apeldoorn, kamer van de burgemeester",
                participants="Burgemeester, teamchef politie Apeldoorn, officier van justitie; "
                "secretaris: team Veiligheid & Regie",
            )
        )

    actions = list(
        Action.objects.filter(action_plan__plan=plan, due_end__isnull=False)
        .select_related("lead_organisation", "lead_unit", "lead_person", "theme")
        .order_by("order", "id")
    )
    seen: set[tuple] = set()
    year_long_count: dict[int | None, int] = {}
    theme_index: dict[int | None, int] = {}
    for action in actions:
        # Plans repeat a subject per bullet ("Aanpak" nine times for the OM); one item each.
        key = (action.theme_id, action.subject.strip().lower(), _lead_key(action))
        if key in seen or action.due_end.year > YEAR + 1:
            continue
        seen.add(key)
        theme_index.setdefault(action.theme_id, len(theme_index))
        year_long = action.due_recurrence or (action.due_end - action.due_start).days > 300
        if year_long:
            count = year_long_count.get(action.theme_id, 0)
            if count >= YEAR_LONG_PER_THEME:
                continue
            year_long_count[action.theme_id] = count + 1
            # Each theme reports its running work twice a year, themes spread over the year.
            first = (theme_index[action.theme_id] + count) % 4
            for index, what in ((first, "Stand van zaken"), (first + 4, "Resultaten over 2017")):
                services.schedule_action(meetings[index], action, what_to_report=what)
        else:
            target = next(
                (
                    m
                    for m in meetings
                    if m.document_deadline and m.document_deadline >= action.due_end
                ),
                meetings[-1],
            )
            services.schedule_action(
                target, action, what_to_report="Resultaat en afronding van de actie"
            )

    for meeting in meetings[:REPORTED_UP_TO]:
        for item in meeting.items.all():
            services.mark_reported(item)
    return series
