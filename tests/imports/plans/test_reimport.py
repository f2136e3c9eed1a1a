"""Reading a plan document again: the plan it made is found, the preview shows what changes,
the confirmation applies exactly that (keeping the history of actions), and the preview's lead
recognition is the import's."""

import html
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.actions.services import add_progress_update, change_status, update_action
from openveiligheid.core.changelog import changes_for
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports.models import Upload
from openveiligheid.imports.plans import reimport
from openveiligheid.imports.plans.services import (
    confirm_upload,
    import_plan,
    preview_upload,
    read_plan,
    recognised_leads,
)
from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Goal, Plan, Theme
from tests.imports.plans.test_views import RereadableFile
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db

_REPOSITORY_SEED = (
    Path(__file__).resolve().parents[3]
    / "src/openveiligheid/demo/documents/001_6ad9f3ac64820703.txt"
)
_SHARED_SEED = Path(__file__).resolve().parents[4] / "shared/seeds/001_6ad9f3ac64820703.txt"
SEED = _SHARED_SEED if _SHARED_SEED.exists() else _REPOSITORY_SEED
SEED_ACTIONS = 229
TITLE = "Uitvoeringsplan Integrale Veiligheid 2017 en 2018"

# Three places of the 001 document, changed below.
PRESENTED = "Het presenteren van de gebiedsscan in de stadsdeelplatformen."
RENOVATION = "Contact leggen en bespreken plannen voor nieuwbouw en renovatie"
NEW_ACTION = "Gemeente V&R\tBuurtpreventie\tBuurtpreventieteams in twee wijken opzetten.\t2018"
CLEAN_UP = "Opzetten Beleid aanpak integrale ernstige vervuilde woningen"


@pytest.fixture
def apeldoorn(db):
    return OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")


@pytest.fixture
def manager(apeldoorn):
    user = UserFactory(username="programmamanager")
    grant_membership(user=user, organisation=apeldoorn, role_slug="programme_manager")
    return user


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def first_import(organisation, text: str | None = None, name: str = SEED.name):
    content = (text or seed_text()).encode()
    extracted = read_plan(content, name, organisation=organisation)
    return import_plan(extracted, organisation=organisation, file_name=name)


def small_document(rows, *, goal="Minder woninginbraken in 2024.", title="Veiligheidsplan 2024"):
    """A small plan as text, in the layout of the 001 document: a theme with its goal and one
    action table (Regievoerder (partners) | Onderwerp | Actie | Wanneer)."""
    lines = [title, "", "Thema: Woninginbraken", "", f"Doel: {goal}", "", "Aanpak"]
    lines.append("Regievoerder (partners)\tOnderwerp\tActie\tWanneer")
    lines += ["\t".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


SMALL_ROWS = [
    ("Gemeente V&R (politie)", "Preventie", "Voorlichtingsavonden in de wijken.", "2024"),
    ("Gemeente V&R", "Keurmerk", "Politiekeurmerk Veilig Wonen promoten.", "Doorlopend"),
    ("Gemeente V&R (politie)", "Daders", "Top-X aanpak van veelplegers.", "1e kwartaal 2024"),
    ("Gemeente V&R", "Cameras", "Evaluatie cameratoezicht in het centrum.", "Eind 2024"),
]


# --------------------------------------------------------------------------------------------
# Finding the plan


def test_the_plan_of_the_same_owner_title_and_period_is_found(apeldoorn):
    result = first_import(apeldoorn)
    extracted = read_plan(seed_text().encode(), "ander-bestand.txt", organisation=apeldoorn)
    assert reimport.matching_plan(apeldoorn, extracted, "ander-bestand.txt") == result.plan

    other = OrganisationFactory(name="Deventer", slug="deventer", cbs_code="GM0150")
    assert reimport.matching_plan(other, extracted) is None
    later = read_plan(
        seed_text().replace(TITLE, "Uitvoeringsplan Integrale Veiligheid 2019 en 2020").encode(),
        SEED.name,
        organisation=apeldoorn,
    )
    assert reimport.matching_plan(apeldoorn, later) is None


# --------------------------------------------------------------------------------------------
# The 001 document


def test_an_unchanged_document_has_no_differences_and_says_what_was_compared(apeldoorn):
    result = first_import(apeldoorn)
    diff = reimport.diff_plan(
        read_plan(seed_text().encode(), SEED.name, organisation=apeldoorn), result.plan, apeldoorn
    )
    assert not diff.has_changes
    assert diff.unchanged_actions == SEED_ACTIONS
    assert diff.action_plan == result.action_plan
    comparison = diff.comparison()
    assert f"„{TITLE}”" in comparison
    assert f"{SEED_ACTIONS} acties" in comparison
    assert "6 thema's, 6 doelen, 0 indicatoren" in comparison
    assert "ingelezen op" in comparison


def test_a_changed_001_document_updates_the_plan_and_keeps_the_history(apeldoorn, manager):
    result = first_import(apeldoorn)
    actions = Action.objects.filter(action_plan=result.action_plan)
    presented = list(actions.filter(description=PRESENTED))
    assert len(presented) == 3
    renovation = actions.get(description__startswith=RENOVATION)
    # Someone worked on the presentation actions and on the renovation advice.
    add_progress_update(presented[0], text="Twee keer gepresenteerd.", progress=40, actor=manager)
    change_status(renovation, ActionStatus.IN_PROGRESS, actor=manager)
    untouched_removed = actions.get(description__startswith=CLEAN_UP)

    # One action reworded (three rows hold it), one replaced by a new one, one left out.
    lines = []
    for line in seed_text().split("\n"):
        if RENOVATION in line:
            lines.append(NEW_ACTION)
        elif CLEAN_UP not in line:
            lines.append(line.replace(PRESENTED, PRESENTED.replace("in de", "in alle")))
    changed = "\n".join(lines)
    goal = Goal.objects.get(theme__plan=result.plan, theme__name="Sociale kwaliteit")
    changed = changed.replace(goal.text, "Minder overlast in de woonomgeving.")
    extracted = read_plan(changed.encode(), SEED.name, organisation=apeldoorn)

    diff = reimport.diff_plan(extracted, result.plan, apeldoorn)
    assert diff.has_changes
    counts = diff.counts
    assert counts["actions"] == {"added": 1, "changed": 3, "removed": 2}
    assert counts["goals"] == {"added": 0, "changed": 1, "removed": 0}
    assert counts["themes"] == {"added": 0, "changed": 0, "removed": 0}
    assert diff.unchanged_actions == SEED_ACTIONS - 5
    changed_action = next(c for c in diff.actions if c.kind == reimport.CHANGED)
    assert [(f.label, f.old, f.new) for f in changed_action.fields] == [
        (
            "Actie",
            PRESENTED,
            "Het presenteren van de gebiedsscan in alle stadsdeelplatformen.",
        )
    ]
    removed = {c.existing.pk: c for c in diff.actions if c.kind == reimport.REMOVED}
    assert removed[renovation.pk].writes is False  # in progress: kept, reported
    assert removed[untouched_removed.pk].writes is True  # nothing happened yet: cancelled

    before = ChangeLogEntry.objects.count()
    outcome = reimport.apply_diff(
        diff, extracted, organisation=apeldoorn, actor=manager, file_name=SEED.name
    )
    assert (outcome.actions, outcome.updated, outcome.cancelled) == (1, 4, 1)
    assert Plan.objects.filter(owner=apeldoorn).count() == 1
    assert actions.count() == SEED_ACTIONS + 1

    presented[0].refresh_from_db()
    assert presented[0].description.endswith("in alle stadsdeelplatformen.")
    assert presented[0].progress == 40
    assert presented[0].progress_updates.count() == 1
    renovation.refresh_from_db()
    assert renovation.status == ActionStatus.IN_PROGRESS
    assert renovation.description.startswith("Contact leggen")
    untouched_removed.refresh_from_db()
    assert untouched_removed.status == ActionStatus.CANCELLED
    assert untouched_removed.status_history.count() == 2
    new = actions.get(description="Buurtpreventieteams in twee wijken opzetten.")
    assert new.lead_organisation == apeldoorn
    assert new.theme.name == "Sociale kwaliteit"
    goal.refresh_from_db()
    assert goal.text == "Minder overlast in de woonomgeving."
    # Every write in the change log: 3 actions and a goal changed, a status, a new action.
    assert ChangeLogEntry.objects.count() - before >= 6
    assert changes_for(presented[0]).filter(operation=ChangeLogEntry.Operation.UPDATE).exists()

    again = reimport.diff_plan(
        read_plan(changed.encode(), SEED.name, organisation=apeldoorn), result.plan, apeldoorn
    )
    assert not again.has_changes
    # Only the action with history is still reported, and not written.
    assert [(c.kind, c.existing.pk) for c in again.actions] == [(reimport.REMOVED, renovation.pk)]


# --------------------------------------------------------------------------------------------
# A small generated document, changed in a few places


def test_a_small_document_changed_in_a_few_places(apeldoorn, manager):
    result = first_import(apeldoorn, small_document(SMALL_ROWS).decode(), name="plan.txt")
    assert result.actions == 4
    keurmerk = Action.objects.get(action_plan=result.action_plan, subject="Keurmerk")
    update_action(keurmerk, actor=manager, partners_may_edit=True)  # not from the document

    rows = [
        SMALL_ROWS[0],
        ("Gemeente V&R (politie, woningcorporaties)", "Keurmerk", SMALL_ROWS[1][2], "2025"),
        SMALL_ROWS[3],
        ("Politie", "Sloten", "Inbraakwerend hang- en sluitwerk controleren.", "Zomer 2024"),
    ]
    content = small_document(rows, goal="Twintig procent minder woninginbraken in 2024.")
    upload, _extracted = preview_upload(
        content=content, file_name="plan.txt", organisation=apeldoorn, user=manager
    )
    assert upload.options["match"] == result.plan.pk
    extracted = read_plan(content, "plan.txt", organisation=apeldoorn)
    diff = reimport.diff_plan(extracted, result.plan, apeldoorn)
    by_kind = {(c.kind, c.label): c for c in diff.actions}
    fields = {(f.label, f.old, f.new) for f in by_kind[(reimport.CHANGED, "Keurmerk")].fields}
    assert ("Wanneer", "Doorlopend", "2025") in fields
    assert ("Partners", "–", "politie, woningcorporaties") in fields
    assert (reimport.ADDED, "Sloten") in by_kind
    assert (reimport.REMOVED, "Daders") in by_kind
    assert [c.kind for c in diff.goals] == [reimport.CHANGED]

    outcome = confirm_upload(upload, actor=manager, mode="update", digest=diff.digest)
    assert outcome.mode == "update"
    keurmerk.refresh_from_db()
    assert keurmerk.due_text == "2025"
    assert keurmerk.partners_may_edit is True
    assert Action.objects.filter(action_plan__plan__owner=apeldoorn).count() == 5
    assert Action.objects.get(subject="Daders").status == ActionStatus.CANCELLED
    upload.refresh_from_db()
    assert upload.summary["result"]["mode"] == "update"


def test_a_confirmation_of_a_diff_that_no_longer_holds_is_refused(apeldoorn, manager):
    result = first_import(apeldoorn, small_document(SMALL_ROWS).decode(), name="plan.txt")
    rows = [*SMALL_ROWS[:3], ("Politie", "Sloten", "Sloten controleren.", "2024")]
    upload, extracted = preview_upload(
        content=small_document(rows), file_name="plan.txt", organisation=apeldoorn, user=manager
    )
    digest = reimport.diff_plan(extracted, result.plan, apeldoorn).digest
    cameras = Action.objects.get(subject="Cameras")
    change_status(cameras, ActionStatus.IN_PROGRESS, actor=manager)  # after the preview
    with pytest.raises(ValidationError, match="gewijzigd sinds het voorbeeld"):
        confirm_upload(upload, actor=manager, mode="update", digest=digest)
    assert not Action.objects.filter(subject="Sloten").exists()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PREVIEWED


def test_read_as_a_new_plan_on_request(apeldoorn, manager):
    first_import(apeldoorn, small_document(SMALL_ROWS).decode(), name="plan.txt")
    upload, _extracted = preview_upload(
        content=small_document(SMALL_ROWS),
        file_name="plan.txt",
        organisation=apeldoorn,
        user=manager,
    )
    outcome = confirm_upload(upload, actor=manager, mode="new")
    assert outcome.mode == "new"
    assert Plan.objects.filter(owner=apeldoorn).count() == 2


def test_a_new_theme_and_goal_are_added(apeldoorn):
    result = first_import(apeldoorn, small_document(SMALL_ROWS).decode(), name="plan.txt")
    content = small_document(SMALL_ROWS) + (
        b"\nThema: Jeugd\n\nDoel: Minder jeugdoverlast.\n\nAanpak jeugd\n"
        b"Regievoerder (partners)\tOnderwerp\tActie\tWanneer\n"
        b"Gemeente V&R\tJongerenwerk\tJongerenwerk op vrijdagavond.\t2024\n"
    )
    extracted = read_plan(content, "plan.txt", organisation=apeldoorn)
    diff = reimport.diff_plan(extracted, result.plan, apeldoorn)
    assert [(c.kind, c.label) for c in diff.themes] == [(reimport.ADDED, "Jeugd")]
    assert [(c.kind, c.fields[0].new) for c in diff.goals] == [
        (reimport.ADDED, "Minder jeugdoverlast.")
    ]
    reimport.apply_diff(diff, extracted, organisation=apeldoorn)
    theme = Theme.objects.get(plan=result.plan, name="Jeugd")
    assert theme.goals.get().text == "Minder jeugdoverlast."
    assert Action.objects.get(subject="Jongerenwerk").theme == theme


# --------------------------------------------------------------------------------------------
# Lead recognition: preview and import agree


def test_preview_and_import_recognise_the_same_leads(apeldoorn):
    extracted = read_plan(seed_text().encode(), SEED.name, organisation=apeldoorn)
    preview_leads = recognised_leads(extracted, apeldoorn)
    result = import_plan(extracted, organisation=apeldoorn, file_name=SEED.name)
    imported = [
        action.lead_organisation
        for action in Action.objects.filter(action_plan=result.action_plan)
        .select_related("lead_organisation")
        .order_by("order")
    ]
    assert preview_leads == imported
    # "Gemeente V&R" in the municipality's own plan is the municipality, in both.
    assert preview_leads[0] == apeldoorn
    assert sum(1 for lead in preview_leads if lead is not None) > 100


def test_preview_page_shows_the_import_recognition(client, apeldoorn, manager):
    login(client, manager)
    response = client.post(
        reverse("plan_imports:upload"),
        {"file": RereadableFile(seed_text().encode(), SEED.name), "organisation": apeldoorn.pk},
    )
    upload = Upload.objects.get(kind=Upload.Kind.PLAN)
    page = client.get(response.url).content.decode()
    recognised = page.count("herkend: Apeldoorn")
    assert recognised > 100
    client.post(reverse("plan_imports:confirm", args=[upload.pk]), {"mode": "new"})
    assert (
        Action.objects.filter(
            action_plan__plan__owner=apeldoorn, lead_organisation=apeldoorn
        ).count()
        == recognised
    )


# --------------------------------------------------------------------------------------------
# The pages


def test_pages_offer_the_update_and_say_what_was_compared(client, apeldoorn, manager):
    result = first_import(apeldoorn, small_document(SMALL_ROWS).decode(), name="plan.txt")
    login(client, manager)

    def upload_and_preview(content):
        response = client.post(
            reverse("plan_imports:upload"),
            {"file": RereadableFile(content, "plan.txt"), "organisation": apeldoorn.pk},
        )
        upload = Upload.objects.filter(kind=Upload.Kind.PLAN).latest("pk")
        return upload, html.unescape(client.get(response.url).content.decode())

    upload, page = upload_and_preview(small_document(SMALL_ROWS))
    assert "Bestaand plan bijwerken: Veiligheidsplan 2024" in page
    assert "Vergeleken met plan „Veiligheidsplan 2024”" in page
    assert "4 acties, 1 thema's, 1 doelen, 0 indicatoren – geen verschillen." in page
    assert 'value="update"' not in page
    assert "Als nieuw plan inlezen" in page

    rows = [*SMALL_ROWS[:3], ("Politie", "Sloten", "Sloten controleren.", "2024")]
    upload, page = upload_and_preview(small_document(rows))
    assert 'value="update"' in page
    assert "Sloten controleren." in page
    assert "niet meer in het document" in page
    digest = reimport.diff_plan(
        read_plan(small_document(rows), "plan.txt", organisation=apeldoorn),
        result.plan,
        apeldoorn,
    ).digest
    assert digest in page
    response = client.post(
        reverse("plan_imports:confirm", args=[upload.pk]), {"mode": "update", "digest": digest}
    )
    assert response.status_code == 302
    assert Plan.objects.filter(owner=apeldoorn).count() == 1
    assert Action.objects.get(subject="Cameras").status == ActionStatus.CANCELLED
    page = client.get(reverse("plan_imports:preview", args=[upload.pk])).content.decode()
    assert "ingelezen in het bestaande plan: 1 acties toegevoegd" in page


def test_a_matched_plan_removed_since_the_upload_gives_a_new_plan(apeldoorn, manager):
    result = first_import(apeldoorn, small_document(SMALL_ROWS).decode(), name="plan.txt")
    upload, _extracted = preview_upload(
        content=small_document(SMALL_ROWS),
        file_name="plan.txt",
        organisation=apeldoorn,
        user=manager,
    )
    assert upload.options["match"] == result.plan.pk
    result.plan.delete()
    outcome = confirm_upload(upload, actor=manager)
    assert outcome.mode == "new"
    assert Action.objects.filter(action_plan__plan__owner=apeldoorn).count() == 4


def test_the_preview_of_a_001_reimport_reads_the_plan_in_few_queries(
    client, apeldoorn, manager, django_assert_max_num_queries
):
    first_import(apeldoorn)
    upload, _extracted = preview_upload(
        content=seed_text().encode(), file_name=SEED.name, organisation=apeldoorn, user=manager
    )
    login(client, manager)
    url = reverse("plan_imports:preview", args=[upload.pk])
    client.get(url)  # fills the per-process caches
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "geen verschillen" in page


def test_a_preview_reads_its_document_once(client, apeldoorn, manager, monkeypatch):
    """Views after the first (and the confirmation) reuse the reading of the first view."""
    from openveiligheid.imports.plans import services

    upload, _extracted = preview_upload(
        content=seed_text().encode(), file_name=SEED.name, organisation=apeldoorn, user=manager
    )
    readings = []
    read_plan = services.read_plan
    monkeypatch.setattr(
        services,
        "read_plan",
        lambda *args, **kwargs: readings.append(1) or read_plan(*args, **kwargs),
    )
    login(client, manager)
    url = reverse("plan_imports:preview", args=[upload.pk])
    for _view in range(2):
        assert client.get(url).status_code == 200
    assert readings == []  # preview_upload read it, and nothing since
    assert confirm_upload(upload, actor=manager).plan is not None
    assert readings == []


def test_the_command_run_twice_updates_the_plan_or_makes_a_new_one_on_request(apeldoorn, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(small_document(SMALL_ROWS))
    out = StringIO()
    call_command("import-plan", str(path), "--municipality", "GM0200", stdout=out)
    assert "Opgeslagen in plan" in out.getvalue()
    path.write_bytes(small_document([*SMALL_ROWS[:3]]))
    out = StringIO()
    call_command("import-plan", str(path), "--municipality", "GM0200", stdout=out)
    assert "bijgewerkt: 0 acties toegevoegd, 0 onderdelen gewijzigd, 1 acties vervallen" in (
        out.getvalue()
    )
    assert Plan.objects.filter(owner=apeldoorn).count() == 1
    call_command("import-plan", str(path), "--municipality", "GM0200", "--new", stdout=out)
    assert Plan.objects.filter(owner=apeldoorn).count() == 2
