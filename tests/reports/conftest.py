from io import StringIO

import pytest
from django.core.management import call_command

from openveiligheid.plans.models import Plan
from tests.demo.helpers import remove_demo


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load-demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        remove_demo()


@pytest.fixture
def ivp(loaded_demo, db):
    return Plan.objects.get(slug="apeldoorn-ivp-2023-2026")
