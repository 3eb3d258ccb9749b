"""Formatting shared by the funding services, pages and letters: amounts and moments."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.numbers import kronor


def kr(amount: int | None) -> str:
    """``1 234 567 kr`` with a non-breaking space as thousands separator."""
    return kronor(amount)


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def duration(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return _("%d sekund(er)") % seconds
    if seconds < 7200:
        return _("%d minuter") % (seconds // 60)
    if seconds < 172800:
        return _("%d timmar") % (seconds // 3600)
    return _("%d dagar") % (seconds // 86400)
