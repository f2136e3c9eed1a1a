"""The API's error messages in the register of the pages: Dutch with "u", English on request
(Accept-Language: en), through the product's own translations.

DRF's own Dutch is partly informal ("Je hebt geen toestemming..."), partly odd ("Aanvraag was
verstikt") and partly missing (English "Must be a valid boolean."), and Django's 404 of
get_object_or_404 is English ("No Action matches the given query."). `use_dutch_messages()`
replaces DRF's default messages of the exceptions and fields the API can answer with by the
product's (once, when the API app is ready); `exception_handler` replaces the few messages that
are made at run time from English text. Messages of the services are Dutch already."""

from __future__ import annotations

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, fields, relations, serializers, views

REQUIRED = _("Dit veld is verplicht.")
NOT_EMPTY = _("Dit veld mag niet leeg zijn.")
MAX_VALUE = _("Geef een getal van hoogstens {max_value}.")
MIN_VALUE = _("Geef een getal van minstens {min_value}.")
NUMBER_TOO_LONG = _("Dit getal is te lang.")
NOT_A_LIST = _('Geef een lijst, geen "{input_type}".')
EMPTY_LIST = _("Deze lijst mag niet leeg zijn.")
LIST_MIN_LENGTH = _("Geef minstens {min_length} elementen.")
LIST_MAX_LENGTH = _("Geef hoogstens {max_length} elementen.")

# Per DRF class the messages (by key) that replace DRF's. A subclass whose own message for a key
# is the same text as its base's gets the same replacement (MultipleChoiceField's invalid_choice);
# a subclass with a message of its own keeps it (EmailField's "invalid" is no CharField's).
FIELD_MESSAGES = {
    fields.Field: {"required": REQUIRED, "null": NOT_EMPTY},
    fields.CharField: {
        "invalid": _("Geef hier tekst."),
        "blank": NOT_EMPTY,
        "max_length": _("Gebruik hoogstens {max_length} tekens."),
        "min_length": _("Gebruik minstens {min_length} tekens."),
    },
    fields.BooleanField: {"invalid": _("Geef true of false.")},
    fields.IntegerField: {
        "invalid": _("Geef een geheel getal."),
        "max_value": MAX_VALUE,
        "min_value": MIN_VALUE,
        "max_string_length": NUMBER_TOO_LONG,
    },
    fields.FloatField: {
        "invalid": _("Geef een getal."),
        "max_value": MAX_VALUE,
        "min_value": MIN_VALUE,
        "max_string_length": NUMBER_TOO_LONG,
        "overflow": _("Dit getal is te groot."),
    },
    fields.DecimalField: {
        "invalid": _("Geef een getal."),
        "max_value": MAX_VALUE,
        "min_value": MIN_VALUE,
        "max_string_length": NUMBER_TOO_LONG,
        "max_digits": _("Gebruik hoogstens {max_digits} cijfers."),
        "max_decimal_places": _("Gebruik hoogstens {max_decimal_places} cijfers na de komma."),
        "max_whole_digits": _(
            "Dit getal is te groot: hoogstens {max_whole_digits} cijfers voor de komma."
        ),
    },
    fields.DateField: {
        "invalid": _("Geef een datum in de vorm {format}."),
        "datetime": _("Geef een datum zonder tijd."),
    },
    fields.DateTimeField: {
        "invalid": _("Geef datum en tijd in de vorm {format}."),
        "date": _("Geef een datum met een tijd."),
        "make_aware": _('Deze tijd bestaat niet in de tijdzone "{timezone}".'),
        "overflow": _("Deze datum en tijd liggen buiten het bereik."),
    },
    fields.ChoiceField: {"invalid_choice": _('"{input}" is geen geldige keuze.')},
    fields.MultipleChoiceField: {
        "not_a_list": NOT_A_LIST,
        "empty": _("Kies ten minste één waarde."),
    },
    fields.ListField: {
        "not_a_list": NOT_A_LIST,
        "empty": EMPTY_LIST,
        "min_length": LIST_MIN_LENGTH,
        "max_length": LIST_MAX_LENGTH,
    },
    fields.DictField: {
        "not_a_dict": _('Geef een object, geen "{input_type}".'),
        "empty": _("Dit object mag niet leeg zijn."),
    },
    relations.PrimaryKeyRelatedField: {
        "does_not_exist": _('Er bestaat geen object met id "{pk_value}".'),
        "incorrect_type": _("Geef een id (een geheel getal), geen {data_type}."),
    },
    relations.SlugRelatedField: {
        "does_not_exist": _('Er bestaat geen object met {slug_name} "{value}".'),
        "invalid": _("Ongeldige waarde."),
    },
    relations.ManyRelatedField: {"not_a_list": NOT_A_LIST, "empty": EMPTY_LIST},
    serializers.Serializer: {"invalid": _("Stuur een object met velden, geen {datatype}.")},
    serializers.ListSerializer: {
        "not_a_list": NOT_A_LIST,
        "empty": EMPTY_LIST,
        "min_length": LIST_MIN_LENGTH,
        "max_length": LIST_MAX_LENGTH,
    },
}

EXCEPTION_DETAILS = {
    exceptions.ValidationError: _("Ongeldige invoer."),
    exceptions.ParseError: _("De inhoud van het verzoek is onleesbaar; stuur geldige JSON."),
    exceptions.AuthenticationFailed: _("De inloggegevens zijn onjuist."),
    exceptions.NotAuthenticated: _(
        "Log in of stuur een API-sleutel mee (Authorization: Bearer <sleutel>)."
    ),
    exceptions.PermissionDenied: _("U heeft geen toestemming voor deze handeling."),
    exceptions.NotFound: _("Niet gevonden, of u heeft er geen toegang toe."),
    exceptions.MethodNotAllowed: _('De methode "{method}" is hier niet toegestaan.'),
    exceptions.NotAcceptable: _("De API kan niet antwoorden in de gevraagde vorm (Accept)."),
    exceptions.UnsupportedMediaType: _('Inhoud van het type "{media_type}" wordt niet gelezen.'),
    exceptions.Throttled: _("Te veel verzoeken."),
}
THROTTLED_WAIT = (
    _("Probeer het over {wait} seconde opnieuw."),
    _("Probeer het over {wait} seconden opnieuw."),
)


def _msgid(message) -> str:
    with translation.override(None):
        return str(message)


def _drf_subclasses(base: type) -> list[type]:
    found, pending = [base], list(base.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("rest_framework."):
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found


def use_dutch_messages() -> None:
    """Put the product's messages in place of DRF's defaults (idempotent)."""
    for base, messages in FIELD_MESSAGES.items():
        originals = {key: _msgid(base.default_error_messages[key]) for key in messages}
        for cls in _drf_subclasses(base):
            own = cls.__dict__.get("default_error_messages", {})
            for key, message in messages.items():
                if key in own and (cls is base or _msgid(own[key]) == originals[key]):
                    own[key] = message
    for exception, detail in EXCEPTION_DETAILS.items():
        exception.default_detail = detail
    exceptions.Throttled.extra_detail_singular, exceptions.Throttled.extra_detail_plural = (
        THROTTLED_WAIT
    )


def exception_handler(exc, context):
    """DRF's handler, after replacing the messages that come from English text: Django's 404
    ("No Action matches the given query.") and a parser's ("JSON parse error - Expecting ...")."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError()
    return views.exception_handler(exc, context)
