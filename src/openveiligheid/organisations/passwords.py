"""Password rules that Django's own validators state in English to Dutch users."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with a Dutch message: Django 5.2 changed this message's text
    and its Dutch catalogue still has the old one, so users would read it in English."""

    def get_error_message(self):
        return ngettext(
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d teken bevatten.",
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d tekens bevatten.",
            self.min_length,
        ) % {"min_length": self.min_length}
