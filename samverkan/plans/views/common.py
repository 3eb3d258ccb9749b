"""Helpers the plans pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from samverkan.core import tenancy
from samverkan.plans import selectors
from samverkan.plans.forms import PlanForm, StrategyForm
from samverkan.plans.models import (
    Strategy,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def writable_strategy(request: HttpRequest, pk: int) -> Strategy:
    return tenancy.get_writable_or_403(
        Strategy.objects.select_related("owner"), request.user, pk=pk
    )


def development_choices(
    form: StrategyForm | PlanForm, user: Any, exclude: Strategy | None = None
) -> None:
    """Offer only the RUS and growth agreements the user may read."""
    choices = selectors.development_strategy_list(user=user)
    if exclude is not None:
        choices = choices.exclude(pk=exclude.pk)
    form.fields["builds_on"].queryset = choices  # type: ignore[attr-defined]
