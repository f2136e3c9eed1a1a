from datetime import date

import pytest
from django.http import QueryDict

from openveiligheid.actions.filters import ActionFilterForm, filter_actions
from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.actions.selectors import decorate, status_counts
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UnitFactory
from tests.plans.factories import PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def params(query: str = "") -> QueryDict:
    return QueryDict(query)


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def data():
    """Two plans of one municipality with actions that differ in every filtered attribute."""
    owner = OrganisationFactory(name="Gemeente Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    police = PartnerFactory(name="Politie", slug="politie")
    housing = PartnerFactory(name="Woonstichting", slug="woonstichting")
    unit = UnitFactory(organisation=owner, name="Openbare Orde en Veiligheid", abbreviation="OOV")
    plan = PlanFactory(owner=owner, slug="uvp-2017", title="Uitvoeringsplan 2017")
    other_plan = PlanFactory(owner=owner, slug="uvp-2019", title="Uitvoeringsplan 2019")
    action_plan = ActionPlanFactory(plan=plan, year_start=2017, year_end=2018)
    other_action_plan = ActionPlanFactory(plan=other_plan, year_start=2019, year_end=2019)
    youth = ThemeFactory(plan=plan, name="Jeugd", slug="jeugd")
    crime = ThemeFactory(plan=plan, name="Ondermijning", slug="ondermijning")

    def action(**fields):
        fields.setdefault("action_plan", action_plan)
        fields.setdefault("due_text", "")
        partners = fields.pop("partners", ())
        created = ActionFactory(**fields)
        created.partners.set(partners)
        return created

    actions = {
        "q2": action(
            subject="Cameratoezicht",
            description="Evaluatie cameratoezicht binnenstad",
            theme=crime,
            lead_organisation=owner,
            lead_unit=unit,
            partners=[police, housing],
            due_text="2e kwartaal 2017",
            due_start=date(2017, 4, 1),
            due_end=date(2017, 6, 30),
            status=ActionStatus.IN_PROGRESS,
        ),
        "year": action(
            subject="Jongerenwerk",
            description="Straatcoaches inzetten",
            theme=youth,
            lead_organisation=police,
            due_text="2017",
            due_start=date(2017, 1, 1),
            due_end=date(2017, 12, 31),
        ),
        "q4": action(
            subject="Alcoholmatigingsbeleid",
            description="Voorlichting op scholen",
            theme=youth,
            lead_text="Gemeente (jeugd)",
            due_text="Eind 2017",
            due_start=date(2017, 10, 1),
            due_end=date(2017, 12, 31),
            status=ActionStatus.DONE,
        ),
        "ongoing": action(
            subject="Woonoverlast",
            description="Buurtbemiddeling",
            theme=crime,
            partners=[housing],
            due_text="Doorlopend",
            due_recurrence="ongoing",
            due_start=date(2017, 1, 1),
            due_end=date(2018, 12, 31),
        ),
        "unknown": action(
            subject="Zonder planning",
            description="Nog te plannen",
            due_text="zodra mogelijk",
            due_understood=False,
            status=ActionStatus.DELAYED,
        ),
        "open_start": action(
            subject="Voor de zomer",
            description="Afronden voor de zomer",
            due_end=date(2017, 5, 31),
        ),
        "other_plan": action(
            action_plan=other_action_plan,
            subject="Nieuw plan",
            description="Actie uit 2019",
            due_start=date(2019, 1, 1),
            due_end=date(2019, 3, 31),
        ),
    }
    return {
        "owner": owner,
        "police": police,
        "housing": housing,
        "unit": unit,
        "plan": plan,
        "other_plan": other_plan,
        "youth": youth,
        "crime": crime,
        "actions": actions,
        "base": Action.objects.all(),
    }


def run(data, query: str):
    queryset, cleaned = filter_actions(data["base"], params(query))
    by_pk = {action.pk: key for key, action in data["actions"].items()}
    return {by_pk[pk] for pk in pks(queryset)}, cleaned


def test_no_filters_returns_everything(data):
    keys, cleaned = run(data, "")
    assert keys == set(data["actions"])
    assert cleaned["q"] == ""


def test_filter_by_plan_slug(data):
    keys, cleaned = run(data, "plan=uvp-2019")
    assert keys == {"other_plan"}
    assert cleaned["plan"] == data["other_plan"]


def test_filter_by_theme(data):
    keys, _ = run(data, f"theme={data['youth'].pk}")
    assert keys == {"year", "q4"}


def test_filter_by_lead_organisation_and_unit(data):
    keys, _ = run(data, f"lead=org-{data['police'].pk}")
    assert keys == {"year"}
    keys, _ = run(data, f"lead=unit-{data['unit'].pk}")
    assert keys == {"q2"}


def test_filter_by_partner_lists_each_action_once(data):
    queryset, _ = filter_actions(data["base"], params(f"partner={data['housing'].pk}"))
    listed = list(queryset.values_list("pk", flat=True))
    assert len(listed) == len(set(listed)) == 2
    keys, _ = run(data, f"partner={data['police'].pk}")
    assert keys == {"q2"}


def test_filter_by_status(data):
    keys, _ = run(data, "status=done")
    assert keys == {"q4"}
    keys, _ = run(data, "status=delayed")
    assert keys == {"unknown"}


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [
        # The year-long and the ongoing action overlap every quarter of 2017.
        ("2017-Q1", {"year", "ongoing", "open_start"}),
        ("2017-Q2", {"q2", "year", "ongoing", "open_start"}),
        ("2017-Q3", {"year", "ongoing"}),
        ("2017-Q4", {"year", "q4", "ongoing"}),
        ("2018-Q2", {"ongoing"}),
        ("2019-Q1", {"other_plan"}),
        ("2020-Q1", set()),
    ],
)
def test_due_quarter_overlap(data, quarter, expected):
    keys, cleaned = run(data, f"due={quarter}")
    assert keys == expected
    assert cleaned["due"].code == quarter


def test_due_quarter_boundaries_are_inclusive(data):
    # Ends on the last day of Q2 and starts on the first day of Q2: both touch the quarter.
    keys, _ = run(data, "due=2017-Q2")
    assert "q2" in keys
    keys, _ = run(data, "due=2017-Q3")
    assert "q2" not in keys


def test_due_recurring(data):
    keys, cleaned = run(data, "due=doorlopend")
    assert keys == {"ongoing"}
    assert cleaned["due"] == "doorlopend"
    keys, _ = run(data, "due=Doorlopend")
    assert keys == {"ongoing"}


def test_action_without_range_never_matches_a_period(data):
    for quarter in ("2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"):
        keys, _ = run(data, f"due={quarter}")
        assert "unknown" not in keys


def test_free_text_search(data):
    keys, _ = run(data, "q=camera")
    assert keys == {"q2"}
    keys, _ = run(data, "q=SCHOLEN")
    assert keys == {"q4"}
    keys, _ = run(data, "q=ondermijning")  # theme name
    assert keys == {"q2", "ongoing"}


def test_filters_combine(data):
    keys, _ = run(data, f"theme={data['youth'].pk}&due=2017-Q4&status=planned")
    assert keys == {"year"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("due=2017-Q9", "due", "Kies een kwartaal, zoals 2017-Q2, of 'doorlopend'."),
        ("status=klaar", "status", "Kies een status uit de lijst."),
        ("plan=bestaat-niet", "plan", "Kies een plan uit de lijst."),
        ("theme=999999", "theme", "Kies een thema uit de lijst."),
        ("lead=org-999999", "lead", "Kies een trekker uit de lijst."),
        ("partner=999999", "partner", "Kies een partnerorganisatie uit de lijst."),
        ("sort=kleur", "sort", "Onbekende sortering: kleur."),
    ],
)
def test_invalid_values_give_dutch_error_and_unfiltered_list(data, query, field, message):
    form = ActionFilterForm(params(f"{query}&q=camera"), actions=data["base"])
    queryset, cleaned = filter_actions(data["base"], None, form=form)
    assert cleaned == {}
    assert pks(queryset) == pks(data["base"])
    assert form.errors[field] == [message]


def test_choices_come_from_the_given_actions_only(data):
    foreign_theme = ThemeFactory(name="Elders")
    foreign_partner = PartnerFactory(name="Elders partner", slug="elders")
    ActionFactory(
        action_plan=ActionPlanFactory(plan=foreign_theme.plan), theme=foreign_theme
    ).partners.add(foreign_partner)
    scoped = Action.objects.filter(action_plan__plan__owner=data["owner"])
    form = ActionFilterForm(params(f"theme={foreign_theme.pk}"), actions=scoped)
    assert not form.is_valid()
    assert foreign_theme not in form.fields["theme"].queryset
    assert foreign_partner not in form.fields["partner"].queryset
    assert set(form.fields["plan"].queryset) == {data["plan"], data["other_plan"]}
    due_choices = dict(form.fields["due"].widget.choices)
    assert due_choices["doorlopend"] == "Doorlopend"
    assert due_choices["2017-Q2"] == "2e kwartaal 2017"
    assert "2019-Q1" in due_choices


def test_plan_field_is_left_out_on_a_plan_page(data):
    form = ActionFilterForm(params("plan=uvp-2019"), actions=data["base"], show_plan=False)
    assert "plan" not in form.fields
    assert form.is_valid()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("subject", ["q4", "q2", "year", "other_plan", "open_start", "ongoing", "unknown"]),
        ("-subject", ["unknown", "ongoing", "open_start", "other_plan", "year", "q2", "q4"]),
        # Without an end date last, both ways.
        ("due", ["open_start", "q2", "year", "q4", "ongoing", "other_plan", "unknown"]),
        ("-due", ["other_plan", "ongoing", "q4", "year", "q2", "open_start", "unknown"]),
    ],
)
def test_sorting(data, sort, expected):
    queryset, _ = filter_actions(data["base"], params(f"sort={sort}"))
    by_pk = {action.pk: key for key, action in data["actions"].items()}
    assert [by_pk[action.pk] for action in queryset] == expected


def test_sort_by_status_follows_the_workflow(data):
    queryset, _ = filter_actions(data["base"], params("sort=status"))
    statuses = [action.status for action in queryset]
    assert statuses.index("planned") < statuses.index("in_progress") < statuses.index("delayed")
    assert statuses.index("delayed") < statuses.index("done")
    queryset, _ = filter_actions(data["base"], params("sort=-status"))
    assert next(iter(queryset)).status == "done"


def test_sort_by_lead_puts_actions_without_lead_last(data):
    queryset, _ = filter_actions(data["base"], params("sort=lead"))
    names = [action.lead_organisation and action.lead_organisation.name for action in queryset]
    assert names[:2] == ["Gemeente Apeldoorn", "Politie"]
    assert set(names[2:]) == {None}


def test_status_counts_in_workflow_order(data):
    counts = status_counts(data["base"])
    assert [item["status"] for item in counts] == [
        "planned",
        "in_progress",
        "delayed",
        "done",
        "cancelled",
    ]
    assert {item["status"]: item["count"] for item in counts} == {
        "planned": 4,
        "in_progress": 1,
        "delayed": 1,
        "done": 1,
        "cancelled": 0,
    }
    assert counts[0]["label"] == "Gepland"


def test_decorate_labels_lead_and_partners(data, django_assert_max_num_queries):
    queryset, _ = filter_actions(data["base"], params("sort=subject"))
    with django_assert_max_num_queries(2):
        rows = {action.subject: action for action in decorate(queryset)}
    assert rows["Cameratoezicht"].lead_label == "Gemeente Apeldoorn OOV"
    assert rows["Cameratoezicht"].partners_label == "Politie, Woonstichting"
    assert rows["Jongerenwerk"].lead_label == "Politie"
    assert rows["Alcoholmatigingsbeleid"].lead_label == "Gemeente (jeugd)"
