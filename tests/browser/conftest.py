"""Real headless Chromium (Debian's package) driven by Playwright against the live test server.

Under CI=true a missing browser fails the run; elsewhere these tests are skipped visibly."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"


def _chromium_path() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium ontbreekt: installeer Debian's pakket 'chromium' (CI=true).")
        pytest.skip("Chromium is niet geïnstalleerd; browsertests overgeslagen.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def roles_for_browser_tests(transactional_db, default_roles):
    """Browser tests are transactional: every table is emptied after each one."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def run_axe(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the current page."""
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline
    # scripts) would refuse a <script> tag, and must stay on for the pages under test.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"][:5]],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def login_with_second_factor(page, username: str, password: str) -> None:
    """Log in as a user who already has an authenticator app: where their roles require the
    second factor (privacy.two_factor), the code of the app is given on the next page."""
    from django.contrib.auth import get_user_model

    from openveiligheid.privacy.two_factor import requires_two_factor
    from tests.privacy.two_factor import current_code, enrol_app

    user = get_user_model().objects.get(username=username)
    device = enrol_app(user) if requires_two_factor(user) else None
    login(page, username, password)
    if device is not None:
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Controleren").click()
        page.wait_for_load_state()
