"""Numbers and amounts as text, in the language of the request (Django's localisation): Swedish
writes ``1 234,5``, English ``1,234.5``. Every page, chart, map and message formats through
here rather than writing the decimal comma itself."""

from __future__ import annotations

from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format

THIN_SPACE = "\u202f"  # between thousands in charts and maps
NO_BREAK_SPACE = "\u00a0"


def number(value: float | int | Decimal, decimals: int = 0, *, space: str = THIN_SPACE) -> str:
    """``value`` rounded to ``decimals`` places, grouped by thousands, with the active language's
    separators; where the language groups with a space, ``space`` is that space."""
    thousands = get_format("THOUSAND_SEPARATOR")
    if str(thousands).isspace():
        thousands = space
    rounded = Decimal(f"{value:.{decimals}f}")  # round first: numberformat only truncates
    return numberformat.format(
        rounded,
        str(get_format("DECIMAL_SEPARATOR")),
        decimal_pos=decimals,
        grouping=get_format("NUMBER_GROUPING"),
        thousand_sep=str(thousands),
        force_grouping=True,
    )


def number_short(value: float | int, *, whole_bare: bool = True) -> str:
    """A measured value as charts and maps show it: one decimal under 1 000, none above
    (nor, with ``whole_bare``, for a whole number)."""
    whole = whole_bare and float(value).is_integer()
    return number(value, 0 if whole or abs(value) >= 1000 else 1)


def kronor(amount: int | None, *, keep_together: bool = False) -> str:
    """``1 234 567 kr``: Swedish kronor, grouped with non-breaking spaces in every language
    (an amount in kronor is written the Swedish way); ``keep_together`` also binds "kr" to the
    number (documents, where a line may break anywhere)."""
    grouped = f"{amount or 0:,}".replace(",", NO_BREAK_SPACE)
    return grouped + (NO_BREAK_SPACE if keep_together else " ") + "kr"
