from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from openveiligheid.actions.models import Action
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import VIEW, access_for
from openveiligheid.organisations.serializers_compat import *  # noqa: F403
