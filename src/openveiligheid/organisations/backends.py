"""Authentication backend: Django's ModelBackend, reading the user with their memberships."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from openveiligheid.organisations.scoping import MEMBERSHIP_COLUMNS, build_access


class MembershipModelBackend(ModelBackend):
    """Every signed-in request needs the user and their access (organisations.scoping): read
    both in one query, the user's columns with one row per membership (and region), instead of
    two round trips to the database. Logging in and permissions are ModelBackend's."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:  # a session from another user model: not signed in
            return None
        user_columns = [field.attname for field in user_model._meta.concrete_fields]
        rows = list(
            user_model._default_manager.filter(pk=user_id)
            .order_by("memberships__id")
            .values_list(*user_columns, *(f"memberships__{name}" for name in MEMBERSHIP_COLUMNS))
        )
        if not rows:
            return None
        width = len(user_columns)
        user = user_model.from_db(user_model._default_manager.db, user_columns, rows[0][:width])
        if not self.user_can_authenticate(user):
            return None
        build_access(user, (row[width:] for row in rows))
        return user
