"""The UI is Dutch with a complete English translation (compiled catalogue committed)."""

from pathlib import Path

import pytest
from django.utils import translation

from openveiligheid.organisations.services import grant_membership
from tests.organisations.factories import OrganisationFactory, UserFactory

LOCALE = Path(__file__).resolve().parents[2] / "src" / "openveiligheid" / "locale"


def test_compiled_english_catalogue_is_committed_and_complete():
    po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.mo").exists()
    entries = po.split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if 'msgstr ""' in e and e.count("msgstr") == 1 and e.rstrip().endswith('msgstr ""')
    ]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po


def test_status_labels_translate():
    with translation.override("en"):
        from openveiligheid.indicators.selectors import STATUS_LABELS

        assert str(STATUS_LABELS["met"]) == "Target met"
    with translation.override("nl"):
        assert str(STATUS_LABELS["met"]) == "Doel gehaald"


@pytest.mark.django_db
def test_language_switch_shows_english_pages(client):
    user = UserFactory()
    grant_membership(user=user, organisation=OrganisationFactory(), role_slug="council_member")
    client.force_login(user)
    assert "Acties" in client.get("/acties/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/acties/"})
    assert response.status_code == 302
    html = client.get("/acties/").content.decode()
    assert 'lang="en"' in html and "Actions" in html
