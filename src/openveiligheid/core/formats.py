"""Dutch number formatting: 7,6; € 17.347.824; 9,4%; 23.555 (reading them: `core.dutch`)."""

from decimal import ROUND_HALF_UP, Decimal


def _group_thousands(integer_part: str) -> str:
    groups = []
    while len(integer_part) > 3:
        groups.insert(0, integer_part[-3:])
        integer_part = integer_part[:-3]
    groups.insert(0, integer_part)
    return ".".join(groups)


_CENT = Decimal("0.01")
_QUANTUMS = {decimals: Decimal(1).scaleb(-decimals) for decimals in range(7)}


def format_number(value, decimals: int | None = None) -> str:
    """Format with a decimal comma and thousands dots; decimals=None keeps the value's own
    precision, up to two places, without trailing zeros."""
    if value is None or value == "":
        return "–"
    number = value if type(value) is Decimal else Decimal(str(value))
    if decimals is None:
        # Rounded to cents, then without trailing zeros (a dashboard formats hundreds of values,
        # so this avoids a second quantize and normalize()).
        number = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    else:
        quantum = _QUANTUMS.get(decimals) or Decimal(1).scaleb(-decimals)
        number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    integer_part, _, fraction = text.partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    result = sign + _group_thousands(integer_part)
    return f"{result},{fraction}" if fraction else result


def format_euro(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return "–"
    return f"€ {format_number(value, decimals)}"


def format_percentage(value, decimals: int | None = None) -> str:
    if value is None or value == "":
        return "–"
    return f"{format_number(value, decimals)}%"


def format_value(value, unit: str) -> str:
    """Format a measured value by its unit (count, percentage, euro, grade, rate)."""
    if unit == "percentage":
        return format_percentage(value)
    if unit == "euro":
        return format_euro(value)
    if unit == "grade":
        return format_number(value, 1)
    return format_number(value)
