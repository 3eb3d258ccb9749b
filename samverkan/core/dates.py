"""Dates known only in part: a source that gives "november 1999" or "2000" and no day.

Shared by every app that records a period from a source (projects, agreements, mandates), so it
lives in the framework layer.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a stored date the source gives. A start is stored as the first day and an end
    as the last day of its month or year, so period overlaps stay right; only the known part is
    shown ("november 1999", "2000"), never an invented day."""

    DAY = "day", _("Dag")
    MONTH = "month", _("Månad")
    YEAR = "year", _("År")


MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


def date_label(value: datetime.date | None, precision: str) -> str:
    """A date as far as it is known; "okänt" when it is not."""
    if value is None:
        return str(_("okänt"))
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()
