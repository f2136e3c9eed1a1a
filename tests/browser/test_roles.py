"""Every demo account does its work by clicking: after logging in, no address is typed.

ROLE_TASKS lists per demo account its main tasks, each a walk of clicks from the start page that
ends on the task's page; DONE names the task the account then carries out to the end. The demo
is loaded once (some 20 seconds) and the accounts take their turns in fresh browser contexts; a
failing task is reported with its account and the others still run. To add a task (such as
the administrator's user pages), add a function to the account's list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from openveiligheid.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import login_with_second_factor, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IVP = "Integraal veiligheidsplan Apeldoorn 2023-2026"
EXECUTION_PLAN = "Uitvoeringsplan Integrale Veiligheid 2017 en 2018"
OIJ_PLAN = "Integraal Veiligheidsbeleid Gemeente Oude IJsselstreek 2023-2026"


# --- steps ---------------------------------------------------------------------------------------


def menu(page: Page, label: str) -> None:
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    navigation.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def click(page: Page, name: str, *, exact: bool = True, scope=None) -> None:
    (scope or page).get_by_role("link", name=name, exact=exact).first.click()
    page.wait_for_load_state()


def title_is(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def title_starts(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def plan_actions(page: Page, plan_title: str) -> None:
    """From the start page's list of plans to the plan's own action list."""
    menu(page, "Start")
    item = page.locator("#start-plannen + ul > li", has_text=plan_title)
    click(page, "acties van dit plan", scope=item)
    title_starts(page, "Acties van")


def plan_dashboard(page: Page, plan_title: str) -> None:
    menu(page, "Plannen")
    click(page, plan_title, exact=False)
    title_is(page, plan_title)


@dataclass(frozen=True)
class Task:
    name: str
    walk: Callable[[Page], None]
    # Check the page the walk ends on with axe-core (the pages this test introduced).
    accessible: bool = False


def my_actions(page):
    menu(page, "Mijn acties")
    title_is(page, "Mijn acties")


def add_action_page(plan_title):
    def walk(page):
        plan_actions(page, plan_title)
        click(page, "Actie toevoegen")
        title_is(page, "Actie toevoegen")

    return walk


def excel_round_trip(page):
    plan_actions(page, IVP)
    expect(page.get_by_role("link", name="Download als Excel (XLSX)")).to_be_visible()
    click(page, "Importeren uit Excel")
    title_is(page, "Acties importeren uit Excel")


def next_year(page):
    plan_actions(page, IVP)
    click(page, "volgend jaar starten")
    title_starts(page, "Volgend jaar starten vanuit")


def new_action_plan(page):
    plan_actions(page, IVP)
    click(page, "Actieplan maken")
    title_is(page, "Actieplan maken")


def member_administration(page):
    menu(page, "Gebruikers en rollen")
    title_starts(page, "Gebruikers")


def figures_import(page):
    menu(page, "Cijfers inlezen")
    title_is(page, "Cijfers inlezen")


def plan_import(page):
    menu(page, "Plan inlezen")
    title_is(page, "Plan inlezen")


def meeting_agenda(page):
    menu(page, "Overleggen")
    title_is(page, "Overleggen")
    click(page, "Driehoek Apeldoorn")
    title_starts(page, "Jaarkalender")
    page.locator("table a[href*='/overleggen/vergadering/']").first.click()
    page.wait_for_load_state()
    title_starts(page, "Agenda Driehoek Apeldoorn")


def programme(page):
    plan_dashboard(page, IVP)
    click(page, "Programma Integrale Veiligheid 2023-2026")
    title_is(page, "Programma Integrale Veiligheid 2023-2026")


def indicator(page):
    plan_dashboard(page, IVP)
    click(page, "Ondermijning en georganiseerde criminaliteit")
    click(page, "Aantal casussen RIEC")
    title_is(page, "Aantal casussen RIEC")


def own_action(page):
    my_actions(page)
    page.locator("table:has(#eigen-acties-caption) tbody a").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Over deze actie")).to_be_visible()


def organisation_action(page):
    my_actions(page)
    page.locator("table:has(#organisatie-acties-caption) tbody a").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Over deze actie")).to_be_visible()


# --- the tasks each account does to the end -----------------------------------------------------


def add_action(plan_title):
    def walk(page):
        add_action_page(plan_title)(page)
        page.get_by_label("Actie", exact=True).fill("Voorlichting op scholen over ondermijning")
        page.get_by_role("button", name="Toevoegen").click()
        page.wait_for_load_state()
        expect(page.locator(".ov-messages")).to_contain_text("De actie is toegevoegd.")

    return walk


def record_measurement(page):
    indicator(page)
    form = page.locator("form[action$='/metingen/']")
    form.get_by_label("Periode").fill("2021")  # a year without a value yet
    form.get_by_label("Waarde", exact=True).fill("12")
    page.get_by_role("button", name="Meting opslaan").click()
    page.wait_for_load_state()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()


def report_progress(page):
    own_action(page)
    form = page.locator("form[action$='/voortgang/']")
    form.get_by_label("Voortgang", exact=True).fill("Eerste overleg met de partners gehouden.")
    page.get_by_role("button", name="Voortgang opslaan").click()
    page.wait_for_load_state()
    expect(page.locator(".ov-messages")).to_contain_text("De voortgang is vastgelegd.")


def start_action(page):
    organisation_action(page)
    page.get_by_label("Nieuwe status").select_option(label="In uitvoering")
    page.get_by_role("button", name="Status wijzigen").click()
    page.wait_for_load_state()
    expect(page.locator(".ov-messages")).to_contain_text("De status is gewijzigd")


def read_programme(page):
    programme(page)
    expect(page.get_by_role("heading", level=2).first).to_be_visible()


MANAGER_TASKS = [
    Task("plannen en acties van het IVP", lambda page: plan_actions(page, IVP)),
    Task("onvoorziene actie toevoegen", add_action_page(IVP)),
    Task("Excel heen en terug", excel_round_trip),
    Task("volgend jaar starten", next_year),
    Task("actieplan maken", new_action_plan, accessible=True),
    Task("cijfers inlezen", figures_import),
    Task("plan inlezen", plan_import),
    Task("agenda van de driehoek", meeting_agenda),
    Task("programma", programme),
    Task("indicator", indicator),
]
ROLE_TASKS: dict[str, list[Task]] = {
    "beheerder": [
        Task("mijn acties", my_actions, accessible=True),
        *MANAGER_TASKS,
        Task("gebruikers en rollen", member_administration),
    ],
    "programmamanager": MANAGER_TASKS,
    "adviseur": [Task("mijn acties", my_actions), Task("indicator", indicator)],
    "actiehouder": [Task("mijn acties", my_actions), Task("eigen actie", own_action)],
    "raadslid": [Task("indicator", indicator), Task("programma", programme)],
    "politie": [
        Task("mijn acties", my_actions, accessible=True),
        Task("actie van de politie", organisation_action),
    ],
    "oij-programmamanager": [
        Task("acties van het plan", lambda page: plan_actions(page, OIJ_PLAN)),
        Task("cijfers inlezen", figures_import),
    ],
}
DONE: dict[str, Task] = {
    "beheerder": Task("actie toevoegen aan het IVP", add_action(IVP)),
    "programmamanager": Task("actie toevoegen aan het IVP", add_action(IVP)),
    "adviseur": Task("meting vastleggen", record_measurement),
    "actiehouder": Task("voortgang melden", report_progress),
    "raadslid": Task("programma lezen", read_programme),
    "politie": Task("actie in uitvoering nemen", start_action),
    "oij-programmamanager": Task("actie toevoegen", add_action(OIJ_PLAN)),
}


def _typed(request) -> list[str]:
    opened = (
        request.is_navigation_request()
        and request.method == "GET"
        and request.redirected_from is None
        and not request.headers.get("referer")
    )
    return [request.url] if opened else []


def test_every_demo_account_has_tasks():
    accounts = {username for username, *_rest in DEMO_ACCOUNTS}
    assert set(ROLE_TASKS) == set(DONE) == accounts


def test_every_demo_account_does_its_work_by_clicking(browser, live_server):
    call_command("load-demo", stdout=StringIO())
    failures = []
    for username in ROLE_TASKS:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(15000)
        login_with_second_factor(page, username, DEMO_PASSWORD)
        # After logging in every page is reached from a link (a navigation with a referrer).
        typed = []
        page.on("request", lambda request, typed=typed: typed.extend(_typed(request)))
        violations = run_axe(page)  # the start page of the role
        if violations:
            failures.append(f"{username} – startpagina: {violations}")
        for task in [*ROLE_TASKS[username], DONE[username]]:
            try:
                task.walk(page)
                violations = run_axe(page) if task.accessible else []
            except Exception as error:  # noqa: BLE001 (every account's tasks are reported)
                failures.append(f"{username} – {task.name}: {str(error).splitlines()[0]}")
            else:
                if violations:
                    failures.append(f"{username} – {task.name}: {violations}")
        if typed:
            failures.append(f"{username}: pages opened without a click: {typed}")
        context.close()
    assert not failures, "\n".join(failures)
