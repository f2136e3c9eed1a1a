import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openveiligheid.actions import services
from openveiligheid.actions.models import Action, ActionStatus, ActionStatusChange, ProgressUpdate
from openveiligheid.core.changelog import changes_for
from openveiligheid.organisations.scoping import VIEW
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.actions.pages import listed_subjects
from tests.organisations.factories import PartnerFactory, UnitFactory
from tests.permissions import PAGE, assert_matrix, expect, login
from tests.plans.factories import ThemeFactory

pytestmark = pytest.mark.django_db

# Who may change world.objects["a"]["action"] (its lead_person is the action lead); allowed posts
# redirect (302).
CHANGE_OWN_ACTION = expect(
    403,
    anonymous=302,
    administrator=302,
    programme_manager=302,
    action_lead=302,
    partner_contact=404,
    other_municipality=404,
)
# ... and the partner action: its partner's contact may, the action lead (not its lead) may not.
CHANGE_PARTNER_ACTION = expect(
    403,
    anonymous=302,
    administrator=302,
    programme_manager=302,
    partner_contact=302,
    other_municipality=404,
)


def reset_status_before_each_post(monkeypatch, client, action, status=ActionStatus.PLANNED):
    """assert_matrix posts once per role; put the action back in its status before every post so
    that each role tries the same transition (otherwise the second allowed role would try
    'in_progress' -> 'in_progress')."""
    original_post = client.post

    def post(*args, **kwargs):
        Action.objects.filter(pk=action.pk).update(status=status)
        return original_post(*args, **kwargs)

    monkeypatch.setattr(client, "post", post)


# --- permission matrices: every URL, GET and every POST ---------------------------------------


def test_matrix_action_list(client, world):
    assert_matrix(client, world, "GET", reverse("actions:list"), PAGE.any_user)


def test_matrix_action_export(client, world):
    assert_matrix(client, world, "GET", reverse("actions:export"), PAGE.any_user)


def test_matrix_plan_action_list(client, world):
    assert_matrix(
        client, world, "GET", reverse("actions:plan-list", args=["plan-a"]), PAGE.read_published_a
    )


def test_matrix_plan_action_export(client, world):
    assert_matrix(
        client, world, "GET", reverse("actions:export", args=["plan-a"]), PAGE.read_published_a
    )


def test_matrix_draft_plan_action_list(client, world):
    # Council members see published (adopted) plans only.
    assert_matrix(
        client,
        world,
        "GET",
        reverse("actions:plan-list", args=["concept-a"]),
        PAGE.read_draft_a,
    )


def test_matrix_action_detail(client, world):
    action = world.objects["a"]["action"]
    assert_matrix(
        client, world, "GET", reverse("actions:detail", args=[action.pk]), PAGE.read_published_a
    )


def test_matrix_change_status(client, world, monkeypatch):
    action = world.objects["a"]["action"]
    reset_status_before_each_post(monkeypatch, client, action)
    assert_matrix(
        client,
        world,
        "POST",
        reverse("actions:change-status", args=[action.pk]),
        CHANGE_OWN_ACTION,
        data={"status": "in_progress", "note": "Gestart"},
    )
    # Three roles changed it, each from 'planned'; nobody else wrote anything.
    assert ActionStatusChange.objects.filter(action=action).count() == 3


def test_matrix_change_status_get_is_not_allowed(client, world):
    action = world.objects["a"]["action"]
    expected = expect(405, anonymous=302)
    assert_matrix(
        client, world, "GET", reverse("actions:change-status", args=[action.pk]), expected
    )


def test_matrix_add_progress(client, world):
    action = world.objects["a"]["action"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("actions:add-progress", args=[action.pk]),
        CHANGE_OWN_ACTION,
        data={"text": "Overleg gevoerd", "progress": "20"},
    )
    assert ProgressUpdate.objects.filter(action=action).count() == 3


def test_matrix_edit_get(client, world):
    action = world.objects["a"]["action"]
    # The same people as for CHANGE_OWN_ACTION, but the form shows (200) instead of redirecting.
    expected = CHANGE_OWN_ACTION | dict.fromkeys(
        ("administrator", "programme_manager", "action_lead"), 200
    )
    assert_matrix(client, world, "GET", reverse("actions:edit", args=[action.pk]), expected)


def test_matrix_edit_post(client, world):
    action = world.objects["a"]["action"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("actions:edit", args=[action.pk]),
        CHANGE_OWN_ACTION,
        data={
            "subject": "Aangepast onderwerp",
            "description": "Aangepaste beschrijving",
            "due_text": action.due_text,
            "lead_person": world.users["action_lead"].pk,
        },
    )


def test_matrix_partner_action_detail(client, world):
    action = world.objects["a"]["partner_action"]
    assert_matrix(
        client,
        world,
        "GET",
        reverse("actions:detail", args=[action.pk]),
        PAGE.any_user | {"other_municipality": 404},
    )


def test_matrix_partner_action_add_progress(client, world):
    action = world.objects["a"]["partner_action"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("actions:add-progress", args=[action.pk]),
        CHANGE_PARTNER_ACTION,
        data={"text": "Politie heeft extra surveillance ingezet"},
    )
    assert ProgressUpdate.objects.filter(action=action).count() == 3


def test_matrix_partner_action_change_status(client, world, monkeypatch):
    action = world.objects["a"]["partner_action"]
    reset_status_before_each_post(monkeypatch, client, action)
    assert_matrix(
        client,
        world,
        "POST",
        reverse("actions:change-status", args=[action.pk]),
        CHANGE_PARTNER_ACTION,
        data={"status": "in_progress"},
    )


# --- list content ------------------------------------------------------------------------------


def test_list_content_is_scoped(client, world):
    own = world.objects["a"]["action"]
    other = world.objects["b"]["action"]
    draft = world.objects["draft_a"]["action"]
    partner_action = world.objects["a"]["partner_action"]

    login(client, world.users["other_municipality"])
    content = client.get(reverse("actions:list")).content.decode()
    assert other.subject in content
    assert own.subject not in content
    assert partner_action.subject not in content

    login(client, world.users["programme_manager"])
    content = client.get(reverse("actions:list")).content.decode()
    assert own.subject in content and draft.subject in content
    assert other.subject not in content

    login(client, world.users["council_member"])
    content = client.get(reverse("actions:list")).content.decode()
    assert own.subject in content
    assert draft.subject not in content

    login(client, world.users["partner_contact"])
    content = client.get(reverse("actions:list")).content.decode()
    assert partner_action.subject in content
    assert own.subject not in content
    assert other.subject not in content


def test_plan_list_shows_only_that_plan(client, world):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("actions:plan-list", args=["plan-a"]))
    content = response.content.decode()
    assert "Acties van IVP A" in content
    assert world.objects["a"]["action"].subject in content
    assert world.objects["draft_a"]["action"].subject not in content
    # The plan filter is not offered on a plan's own list.
    assert 'name="plan"' not in content


def test_list_renders_labels_counts_and_sorting(client, world):
    action_plan = world.objects["a"]["action_plan"]
    ActionFactory(
        action_plan=action_plan, subject="Nieuwe aanpak", is_new=True, status=ActionStatus.DONE
    )
    ActionFactory(action_plan=action_plan, subject="Onverwachte klus", is_unplanned=True)
    login(client, world.users["programme_manager"])

    response = client.get(reverse("actions:list"), {"sort": "-due"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="utrecht-table__row ov-row--new"' in content
    assert ">nieuw</span>" in content
    assert ">onvoorzien</span>" in content
    assert 'aria-sort="descending"' in content
    assert content.count("aria-sort=") == 1
    assert "Aantal per status" in content
    assert "Gepland</span>: 4" in content  # a, partner_action, draft_a, unplanned one
    assert "Afgerond</span>: 1" in content
    assert "5 acties" in content
    assert "?sort=due" in content  # a second click sorts the other way

    response = client.get(reverse("actions:list"), {"sort": "subject"})
    assert 'aria-sort="ascending"' in response.content.decode()


def test_list_filters_and_reports_invalid_values_in_dutch(client, world):
    login(client, world.users["programme_manager"])
    url = reverse("actions:list")
    subject = world.objects["a"]["action"].subject
    draft_subject = world.objects["draft_a"]["action"].subject

    content = client.get(url, {"plan": "concept-a"}).content.decode()
    assert draft_subject in content and subject not in content

    response = client.get(url, {"due": "2017-Q9", "q": "niets-dat-past"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kies een kwartaal, zoals 2017-Q2, of &#x27;doorlopend&#x27;." in content
    # Invalid input: the list is not filtered at all, and what was typed stays in the form.
    assert subject in content and draft_subject in content
    assert 'value="niets-dat-past"' in content


def test_list_pagination(client, world):
    action_plan = world.objects["a"]["action_plan"]
    ActionFactory.create_batch(60, action_plan=action_plan)
    login(client, world.users["programme_manager"])
    content = client.get(reverse("actions:list")).content.decode()
    assert "Pagina 1 van 2" in content
    assert "page=2" in content
    assert content.count('href="/acties/') >= 50
    content = client.get(reverse("actions:list"), {"page": 2}).content.decode()
    assert "Pagina 2 van 2" in content


def _make_actions(world, count):
    action_plan = world.objects["a"]["action_plan"]
    theme = world.objects["a"]["theme"]
    unit = UnitFactory(organisation=world.municipality_a)
    partners = [PartnerFactory(), PartnerFactory()]
    for index in range(count):
        action = ActionFactory(
            action_plan=action_plan,
            theme=theme,
            lead_organisation=world.municipality_a,
            lead_unit=unit,
            lead_person=world.users["action_lead"],
            due_start=date(2023, 1, 1),
            due_end=date(2023, 3, 31),
            is_new=index % 2 == 0,
        )
        action.partners.set(partners)


@pytest.mark.parametrize("count", [10, 200])
def test_list_query_count_does_not_grow(client, world, django_assert_max_num_queries, count):
    _make_actions(world, count)
    login(client, world.users["programme_manager"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("actions:list"), {"sort": "lead", "due": "2023-Q1"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 200])
def test_export_query_count_does_not_grow(client, world, django_assert_max_num_queries, count):
    _make_actions(world, count)
    login(client, world.users["programme_manager"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("actions:export"))
    assert response.status_code == 200
    assert len(load_workbook(BytesIO(response.content)).active["A"]) == count + 4  # + header


# --- export content ----------------------------------------------------------------------------


def test_export_content(client, world):
    theme = ThemeFactory(plan=world.plan_a, name="Jeugd en veiligheid", slug="jeugd")
    police = world.partner
    action = ActionFactory(
        action_plan=world.objects["a"]["action_plan"],
        theme=theme,
        subject="Straatcoaches",
        description="Inzet straatcoaches in de binnenstad",
        lead_organisation=world.municipality_a,
        due_text="2e kwartaal 2023",
        due_start=date(2023, 4, 1),
        due_end=date(2023, 6, 30),
        status=ActionStatus.IN_PROGRESS,
        progress=45,
        is_new=True,
    )
    action.partners.add(police)
    login(client, world.users["programme_manager"])

    response = client.get(reverse("actions:export", args=["plan-a"]), {"theme": theme.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="acties-plan-a.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Thema",
        "Onderwerp",
        "Actie",
        "Trekker",
        "Partners",
        "Wanneer",
        "Van",
        "Tot",
        "Status",
        "Voortgang",
        "Nieuw",
        "Onvoorzien",
        "Onvoorzien sinds",
        "Id",
        "Versie",
    )
    assert len(rows) == 2  # the theme filter applies to the export too
    row = rows[1]
    assert row[:6] == (
        "Jeugd en veiligheid",
        "Straatcoaches",
        "Inzet straatcoaches in de binnenstad",
        "Gemeente A",
        "Politie Oost",
        "2e kwartaal 2023",
    )
    assert row[6].date() == date(2023, 4, 1)
    assert row[7].date() == date(2023, 6, 30)
    assert row[8:] == ("In uitvoering", 0.45, "ja", "nee", None, action.pk, action.version)
    # The technical id and version for the round trip.
    assert sheet.column_dimensions["N"].hidden and sheet.column_dimensions["O"].hidden
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M2"
    assert sheet.column_dimensions["C"].width == 60
    assert sheet["J2"].number_format == "0%"


def test_export_is_scoped(client, world):
    login(client, world.users["other_municipality"])
    response = client.get(reverse("actions:export"))
    subjects = {
        row[1]
        for row in load_workbook(BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    }
    assert subjects == {world.objects["b"]["action"].subject}


# --- detail page and its forms -----------------------------------------------------------------


def test_detail_renders_everything(client, world):
    unit = UnitFactory(organisation=world.municipality_a, name="Veiligheid", abbreviation="VH")
    action = world.objects["a"]["action"]
    Action.objects.filter(pk=action.pk).update(
        description="Cameratoezicht in het uitgaansgebied evalueren",
        lead_text="Gemeente (afd. Veiligheid)",
        lead_organisation=world.municipality_a,
        lead_unit=unit,
        due_text="2e kwartaal 2023",
        due_start=date(2023, 4, 1),
        due_end=date(2023, 6, 30),
        is_unplanned=True,
    )
    action.partners.add(world.partner)
    ActionStatusChange.objects.create(
        action=action, from_status="", to_status="planned", note="Vastgesteld in plan"
    )
    ProgressUpdate.objects.create(action=action, text="Camera's zijn geplaatst", progress=60)
    login(client, world.users["programme_manager"])

    content = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Cameratoezicht in het uitgaansgebied evalueren" in content
    assert "Gemeente (afd. Veiligheid)" in content
    assert "Veiligheid (VH)" in content
    assert world.users["action_lead"].get_full_name() in content  # the action holder
    assert "Politie Oost" in content
    assert "1 april 2023" in content and "30 juni 2023" in content
    assert "niet begrepen" not in content
    assert "onvoorzien" in content
    assert "Vastgesteld in plan" in content
    assert "Camera&#x27;s zijn geplaatst" in content
    assert "60%" in content
    assert "Mogelijke volgende status:" in content
    assert f'action="/acties/{action.pk}/status/"' in content
    assert 'value="in_progress"' in content
    assert 'value="cancelled"' in content
    assert "Wijzigingen" in content


def test_detail_marks_due_text_not_understood(client, world):
    action = world.objects["a"]["action"]
    Action.objects.filter(pk=action.pk).update(
        due_text="als het kan", due_understood=False, due_start=None, due_end=None
    )
    login(client, world.users["council_member"])
    content = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "niet begrepen" in content
    # No forms for someone who may only read.
    assert "Status wijzigen" not in content
    assert "Voortgang opslaan" not in content
    assert "Actie bewerken" not in content


def test_change_status_writes_history_and_log(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["action_lead"])
    response = client.post(
        reverse("actions:change-status", args=[action.pk]),
        {"status": "in_progress", "note": "Gestart na overleg"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("actions:detail", args=[action.pk])
    content = response.content.decode()
    assert "De status is gewijzigd in &#x27;In uitvoering&#x27;." in content
    assert "Gestart na overleg" in content
    action.refresh_from_db()
    assert action.status == "in_progress"
    change = ActionStatusChange.objects.get(action=action)
    assert change.changed_by == world.users["action_lead"]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("done", "De actie heeft al de status &#x27;Afgerond&#x27;."),
        (
            "cancelled",
            "Een actie met status &#x27;Afgerond&#x27; kan niet naar &#x27;Vervallen&#x27;.",
        ),
        ("klaar", "Kies een status uit de lijst."),
        ("", "Kies een nieuwe status."),
    ],
)
def test_change_status_refused_keeps_input(client, world, status, message):
    action = world.objects["a"]["action"]
    Action.objects.filter(pk=action.pk).update(status="done")
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("actions:change-status", args=[action.pk]),
        {"status": status, "note": "Mijn toelichting"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Mijn toelichting" in content
    action.refresh_from_db()
    assert action.status == "done"
    assert not ActionStatusChange.objects.filter(action=action).exists()
    assert not changes_for(action).exists()


def test_add_progress(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["action_lead"])
    response = client.post(
        reverse("actions:add-progress", args=[action.pk]),
        {"text": "Eerste wijkschouw gedaan", "progress": "25"},
        follow=True,
    )
    content = response.content.decode()
    assert "De voortgang is vastgelegd." in content
    assert "Eerste wijkschouw gedaan" in content
    action.refresh_from_db()
    assert action.progress == 25


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"text": "   ", "progress": "20"}, "Beschrijf de voortgang.", 'value="20"'),
        (
            {"text": "Bijna klaar", "progress": "150"},
            "De voortgang ligt tussen 0 en 100%.",
            "Bijna klaar",
        ),
        ({"text": "Bijna klaar", "progress": "veel"}, "Vul een heel getal in", "Bijna klaar"),
    ],
)
def test_add_progress_invalid(client, world, data, message, kept):
    action = world.objects["a"]["action"]
    login(client, world.users["programme_manager"])
    response = client.post(reverse("actions:add-progress", args=[action.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert kept in content
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_edit_form_saves_through_service(client, world):
    action = world.objects["a"]["action"]
    Action.objects.filter(pk=action.pk).update(due_text="", due_start=None, due_end=None)
    login(client, world.users["programme_manager"])
    url = reverse("actions:edit", args=[action.pk])
    content = client.get(url).content.decode()
    assert "Actie bewerken" in content
    # Only people of the plan owner's organisation can be made action holder.
    assert f'value="{world.users["action_lead"].pk}"' in content
    assert f'value="{world.users["partner_contact"].pk}"' not in content
    assert f'value="{world.users["other_municipality"].pk}"' not in content

    response = client.post(
        url,
        {
            "subject": "Cameratoezicht",
            "description": "Cameratoezicht evalueren",
            "due_text": "Eind 2023",
            "lead_person": world.users["safety_adviser"].pk,
            "is_new": "on",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.subject == "Cameratoezicht"
    assert action.lead_person == world.users["safety_adviser"]
    assert action.is_new and not action.is_unplanned
    assert action.due_end == date(2023, 12, 31)
    entry = changes_for(action).first()
    assert entry.actor == world.users["programme_manager"]
    assert {"subject", "due_text", "lead_person_id", "is_new"} <= {
        name for name, _before, _after in entry.changed_fields()
    }


def test_edit_form_invalid_keeps_input(client, world):
    action = world.objects["a"]["action"]
    before = action.subject
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("actions:edit", args=[action.pk]),
        {
            "subject": "Getypt onderwerp",
            "description": "  ",
            "lead_person": world.users["other_municipality"].pk,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Beschrijf de actie." in content
    assert 'value="Getypt onderwerp"' in content
    action.refresh_from_db()
    assert action.subject == before
    assert not changes_for(action).exists()


def test_unknown_action_is_404(client, world):
    login(client, world.users["administrator"])
    assert client.get(reverse("actions:detail", args=[999999])).status_code == 404


def test_other_plan_themes_not_offered(client, world):
    other_theme = world.objects["b"]["theme"]
    login(client, world.users["programme_manager"])
    content = client.get(reverse("actions:list")).content.decode()
    assert other_theme.name not in content
    response = client.get(reverse("actions:list"), {"theme": other_theme.pk})
    assert "Kies een thema uit de lijst." in response.content.decode()


def test_partner_filter_on_list(client, world):
    login(client, world.users["programme_manager"])
    content = client.get(reverse("actions:list"), {"partner": world.partner.pk}).content.decode()
    assert world.objects["a"]["partner_action"].subject in content
    assert world.objects["a"]["action"].subject not in content
    assert "1 actie" in content


def test_action_plan_year_is_shown_for_plan_list(client, world):
    ActionFactory(action_plan=ActionPlanFactory(plan=world.plan_a), subject="Tweede actieplan")
    login(client, world.users["programme_manager"])
    content = client.get(reverse("actions:plan-list", args=["plan-a"])).content.decode()
    assert "Tweede actieplan" in content


# Session, user with access, the second factor's device (programme managers read reports:
# two-factor login), plan with its data version; filter form: lead organisations and units, due
# range, and the theme, partner and action plan choices; counts; page; partners of the page; the
# plan's action plans and the ones the user may manage.
PLAN_LIST_QUERIES = 15
# With the filter choices and the results in the cache (same view scope and query, no write
# since): session, user with access, device, plan with its data version, the plan's action plans
# and the ones the user may manage.
PLAN_LIST_QUERIES_WARM = 6


@pytest.mark.parametrize("count", [10, 120])
def test_plan_list_query_count(client, world, django_assert_num_queries, count):
    """One plan's list, first page of several: the same queries whatever the number of actions
    (status and unplanned counts and the page total in one aggregate)."""
    _make_actions(world, count)
    login(client, world.users["programme_manager"])
    url = reverse("actions:plan-list", args=["plan-a"])
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        first = client.get(url)
    with django_assert_num_queries(PLAN_LIST_QUERIES_WARM):
        again = client.get(url)
    assert first.status_code == again.status_code == 200
    options = re.compile(r"<option[^>]*>[^<]*</option>")
    listed = options.findall(first.content.decode())
    assert listed and listed == options.findall(again.content.decode())


def test_cached_filter_choices_follow_a_write_and_the_view_scope(client, world):
    """A new theme is offered at once (the plan's data version changed), and a user with
    another view scope never gets the choices of another (the partner sees none of A's)."""
    from openveiligheid.plans.services import add_theme

    url = reverse("actions:plan-list", args=["plan-a"])
    login(client, world.users["programme_manager"])
    assert "Nieuw thema" not in client.get(url).content.decode()
    theme = add_theme(world.plan_a, name="Nieuw thema", kind="priority")
    ActionFactory(action_plan=world.objects["a"]["action_plan"], theme=theme)
    assert "Nieuw thema" in client.get(url).content.decode()
    # The same page with a filter value: selected from the cached list.
    html = client.get(url, {"theme": theme.pk}).content.decode()
    assert f'<option value="{theme.pk}" selected>Nieuw thema</option>' in html
    login(client, world.users["council_member"])
    assert "Nieuw thema" in client.get(url).content.decode()


def test_cached_results_follow_a_write_the_query_and_the_view_scope(client, world):
    """The counts and rows come from the cache only while nothing changed: a status change shows
    at once, another query or page has its own results, and a user with another view scope
    never gets the rows of another."""
    action = world.objects["a"]["action"]
    url = reverse("actions:plan-list", args=["plan-a"])
    login(client, world.users["programme_manager"])
    counts = re.compile(r'ov-status--(\w+)">[^<]*</span>: (\d+)')
    before = dict(counts.findall(client.get(url).content.decode()))
    services.change_status(action, ActionStatus.DONE, actor=world.users["programme_manager"])
    after = dict(counts.findall(client.get(url).content.decode()))
    assert int(after["done"]) == int(before["done"]) + 1
    assert int(after["planned"]) == int(before["planned"]) - 1
    assert action.subject not in listed_subjects(client.get(url, {"status": ActionStatus.PLANNED}))
    assert action.subject in listed_subjects(client.get(url, {"status": ActionStatus.DONE}))
    login(client, world.users["other_municipality"])
    assert client.get(url).status_code == 404
    council = world.users["council_member"]
    login(client, council)
    visible = Action.objects.restrict(council, VIEW).filter(action_plan__plan=world.plan_a)
    assert sorted(listed_subjects(client.get(url))) == sorted(a.subject for a in visible)


def test_list_rows_escape_and_show_every_cell(client, world):
    """The rows are built in Python (actions.presentation): texts escaped, badges and dates."""
    action_plan = world.objects["a"]["action_plan"]
    partner = PartnerFactory(name="Politie & Co")
    action = ActionFactory(
        action_plan=action_plan,
        subject="<b>Camera's</b>",
        description="woord " * 40,
        is_new=True,
        is_unplanned=True,
        unplanned_since=date(2024, 3, 7),
        progress=40,
        lead_text="Team <Veiligheid>",
    )
    action.partners.set([partner])
    login(client, world.users["programme_manager"])
    html = client.get(reverse("actions:plan-list", args=["plan-a"]), {"q": "Camera"}).content
    html = html.decode()
    assert "&lt;b&gt;Camera&#x27;s&lt;/b&gt;" in html and "<b>Camera" not in html
    assert "onvoorzien, sinds 7-3-2024" in html and "ov-label--new" in html
    assert "Politie &amp; Co" in html and "Team &lt;Veiligheid&gt;" in html
    assert "woord " * 29 + "woord …" in html
    assert "40%" in html and reverse("actions:detail", args=[action.pk]) in html
