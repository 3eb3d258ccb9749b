"""Helpers for tests that drive the server-rendered pages as a browser would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def form_data_as_sent(response: Any) -> dict[str, Any]:
    """What the browser would send back from the edit page unchanged."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        else:
            data[name] = str(value)
    return data
