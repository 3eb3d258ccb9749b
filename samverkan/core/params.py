"""Numbers from query parameters (and form keys), read the same way everywhere.

``str.isdigit()`` admits ``²`` and other characters ``int()`` refuses, ``int()`` refuses more
than 4,300 digits, and a 20-digit page number overflows the database's bigint: each was a 500.
These helpers accept plain decimal digits only and bound the result.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

MAX_DIGITS = 18  # below bigint's 9,223,372,036,854,775,807


def query_id(value: str | None) -> int | None:
    """An id (a whole number) from a parameter, or None when it is not one."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_DIGITS:
        return None
    return int(text)


def query_int(value: str | None, *, default: int, maximum: int) -> int:
    """A whole number from a parameter, at most ``maximum``; ``default`` when it is absent or not
    a whole number."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return default
    return maximum if len(text) > MAX_DIGITS else min(int(text), maximum)


def page_number(value: str | None, *, maximum: int) -> int:
    """The page asked for: 1 when absent or not a number, ``Http404`` past ``maximum``."""
    page = query_int(value, default=1, maximum=maximum + 1)
    if page > maximum:
        raise Http404(_("Sidan finns inte."))
    return max(page, 1)
