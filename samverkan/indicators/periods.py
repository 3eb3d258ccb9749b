"""Periods stored as one integer, so that observations stay compact and sort naturally.

A year is ``YYYY00`` (2024 → 202400), a month ``YYYYMM`` (2024M03 → 202403) and a quarter
``YYYY2Q`` (2024K1 → 202421). Within one frequency the integers sort in time order.
"""

from __future__ import annotations

import re

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})(?:M|-)(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-?(?:K|Q)([1-4])$"), "quarter"),
]


class PeriodError(ValueError):
    pass


def period_parse(text: str) -> int:
    """``"2024"``, ``"2024M03"``, ``"2024-03"``, ``"2024K1"``, ``"2024-Q1"`` → stored integer."""
    text = str(text).strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return year * 100
        part = int(match.group(2))
        if kind == "month":
            if not 1 <= part <= 12:
                break
            return year * 100 + part
        return year * 100 + 20 + part
    raise PeriodError(text)


def period_format(value: int) -> str:
    year, part = divmod(int(value), 100)
    if part == 0:
        return str(year)
    if part <= 12:
        return f"{year}M{part:02d}"
    return f"{year}K{part - 20}"


def period_year(value: int) -> int:
    return int(value) // 100
