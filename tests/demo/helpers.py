"""Test-only clean-up of what `load-demo` makes (the product itself never removes the demo)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from openveiligheid.areas.models import Area
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.demo.loader import DEMO_ACCOUNTS
from openveiligheid.indicators.models import Source
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Plan


@transaction.atomic
def remove_demo() -> None:
    """Remove everything load_demo made, so a module that loaded it leaves an empty database."""
    Plan.objects.all().delete()
    Organisation.objects.all().delete()
    Area.objects.filter(level=Area.Level.MUNICIPALITY).delete()
    Area.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).delete()
    ChangeLogEntry.objects.all().delete()
