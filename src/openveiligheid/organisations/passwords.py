"""The offline check against breached and common passwords (AUTH_PASSWORD_VALIDATORS).

Django's CommonPasswordValidator holds 20.000 passwords from breach corpora, but only a few
hundred of them reach the minimum of 12 characters: a user who must write 12 characters pads a
common one ("Welkom2024!!", "qwertyqwerty", "P@ssw0rd1234"). This validator therefore also
refuses a password whose core is in that list: without leading and trailing digits and signs,
with a repeated part counted once and common letter swaps (@ for a, 0 for o) undone. A short
list of Dutch words that the English-heavy list lacks (seasons, days, the product's own words)
is added. Nothing is sent anywhere: the check runs on the server's own copy.

MinimumLengthValidator is Django's, with a message that reaches Dutch users in Dutch."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Words a Dutch user of this product is likely to build a password on, beyond Django's list.
DUTCH_WORDS = frozenset(
    [
        "lente",
        "zomer",
        "herfst",
        "winter",
        "voorjaar",
        "najaar",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
        "gemeente",
        "politie",
        "brandweer",
        "veiligheid",
        "openveiligheid",
        "wachtwoord",
        "welkom",
        "geheim",
        "beheerder",
        "programmamanager",
        "adviseur",
        "raadslid",
        "ondermijning",
    ]
)
# Cores shorter than this are too short to say the password is built on them.
MIN_CORE_LENGTH = 4
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SWAPS = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)


def _repeated_unit(text: str) -> str:
    """ "qwertyqwerty" -> "qwerty"; text that is no repetition stays as it is."""
    match = re.fullmatch(r"(.+?)\1+", text)
    return match[1] if match else text


def cores(password: str) -> set[str]:
    """The forms of a password that are compared with the lists."""
    lowered = password.lower().strip()
    stripped = _EDGES.sub("", lowered)
    swapped = stripped.translate(_SWAPS)
    found = set()
    for text in (lowered, stripped, swapped):
        found |= {text, _repeated_unit(text), _EDGES.sub("", _repeated_unit(text))}
    return {core for core in found if len(core) >= MIN_CORE_LENGTH}


class BreachedPasswordValidator(CommonPasswordValidator):
    """CommonPasswordValidator's list (and path option), also applied to a password's core."""

    def validate(self, password, user=None):
        common = self.passwords | DUTCH_WORDS
        if cores(password) & common:
            raise ValidationError(
                _(
                    "Dit wachtwoord is gebouwd op een veelgebruikt of gelekt wachtwoord. Kies "
                    "een wachtwoord dat niet op een bekend woord met cijfers of tekens eromheen "
                    "lijkt, bijvoorbeeld een zin van een paar losse woorden."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Uw wachtwoord mag niet gebouwd zijn op een veelgebruikt of gelekt wachtwoord.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with a Dutch message: Django 5.2 changed this message's text
    and its Dutch catalogue still has the old one, so users would read it in English."""

    def get_error_message(self):
        return ngettext(
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d teken bevatten.",
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d tekens bevatten.",
            self.min_length,
        ) % {"min_length": self.min_length}
