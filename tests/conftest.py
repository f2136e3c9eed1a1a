import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM then needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.permissions import build_world  # noqa: E402


def pytest_configure(config):
    import tempfile

    from django.conf import settings

    # Hashing demo and test passwords with PBKDF2 costs seconds per suite and proves nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files of the tests go to a scratch directory, never to var/uploads.
    uploads = settings.STORAGES["uploads"]
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": {
            **uploads,
            "OPTIONS": {**uploads["OPTIONS"], "location": tempfile.mkdtemp(prefix="ov-uploads-")},
        },
    }


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Requests may switch the thread's language (LocaleMiddleware does not switch back)."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(autouse=True)
def empty_cache():
    """Rolled-back tests reuse ids, so cached fragments from an earlier test could match."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def default_roles(db):
    """Nothing to create any more: an organisation gets the default roles with its first
    membership (organisations.services.role_by_slug). Kept for the tests that ask for it."""


@pytest.fixture
def world(db, default_roles):
    """Two municipalities with one plan each, a region, a partner and a user for every role."""
    return build_world()
