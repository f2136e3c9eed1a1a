"""A number fits the database column it goes into, or it is refused with a Dutch message.

Every numeric write checks its value here (through the service that writes it), so a value such as
"1e999999" is refused the same way on the page, in the API and in an import, instead of being
stored as infinity on SQLite (where every page that shows it then fails) or failing as a database
error on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def decimal_for_column(
    model: type[models.Model], field_name: str, value, *, key: str = ""
) -> Decimal:
    """`value` as a Decimal that fits `model.field_name` (a DecimalField): finite, at most its
    digits before and after the decimal point. Errors are keyed by `key` (default the field)."""
    field = model._meta.get_field(field_name)
    key = key or field_name
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({key: _("'%(value)s' is geen getal.") % {"value": value}}) from None
    if not number.is_finite():
        raise ValidationError({key: _("De waarde moet een eindig getal zijn.")})
    _sign, digits, exponent = number.as_tuple()
    decimals = max(0, -exponent)
    whole_digits = max(0, len(digits) + exponent)
    max_whole = field.max_digits - field.decimal_places
    if whole_digits > max_whole:
        raise ValidationError(
            {
                key: _("Dit getal is te groot: hoogstens %(digits)d cijfers voor de komma.")
                % {"digits": max_whole}
            }
        )
    if decimals > field.decimal_places:
        # Trailing zeros after the point are no extra precision ("7,60000").
        normalised = number.normalize()
        if max(0, -normalised.as_tuple().exponent) > field.decimal_places:
            raise ValidationError(
                {
                    key: _("Gebruik hoogstens %(decimals)d cijfers na de komma.")
                    % {"decimals": field.decimal_places}
                }
            )
        number = normalised
    return number


# A 64-bit database integer (ids, integer filters): a larger number sent to the database is a
# server error instead of "not found".
LARGEST_DATABASE_INTEGER = 2**63 - 1


def database_id(text: object) -> int | None:
    """The id written in ``text`` (a query parameter, a spreadsheet cell), or None when it is no
    id: not plain decimal digits ("²" is a digit to str.isdigit but not to int), or larger than a
    database integer."""
    value = str(text).strip() if text is not None else ""
    if not value.isdecimal():
        return None
    number = int(value)
    return number if number <= LARGEST_DATABASE_INTEGER else None
