"""Checks on input shared by every app's services (so that forms, the API, the CLI and jobs all
get them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def single_line_check(*, field: str, value: str) -> None:
    """Refuse a line break in a text that becomes an e-mail header (a title that is a subject):
    a CR/LF there made every message raise BadHeaderError. The error names the field."""
    if "".join(value.splitlines()) != value:
        raise ValidationError({field: _("Texten får inte innehålla radbrytningar.")})
