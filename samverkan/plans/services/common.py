"""Field lists, the access check and the development-strategy check the plans services share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.plans.models import (
    DEVELOPMENT_KINDS,
    Strategy,
)

STRATEGY_FIELDS = (
    "title",
    "kind",
    "level",
    "county",
    "period_start",
    "period_end",
    "vision",
    "summary",
    "visibility",
    "source",
    "adopted_by",
    "adopted_on",
    "status",
    "revision_note",
    "illustrative",
)


GOAL_FIELDS = (
    "title",
    "measure",
    "baseline",
    "target",
    "target_date",
    "responsible",
    "position",
    "illustrative",
)


ACTIVITY_FIELDS = (
    "title",
    "description",
    "responsible_organisation",
    "responsible_unit",
    "start_date",
    "duration_months",
    "end_date",
    "budget",
    "hours",
    "status",
    "status_reason",
    "impact_note",
    "position",
    "illustrative",
)


ACTIVITY_M2M = ("goals", "partners", "target_groups")


def require_write(user: Any, strategy: Strategy) -> None:
    if not tenancy.can_write(user, strategy):
        raise PermissionDenied(_("Du kan inte ändra %s.") % strategy)


def check_fields(fields: dict[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def builds_on_check(
    *, user: Any, record: Strategy | None, development: Iterable[Strategy]
) -> list[Strategy]:
    """The development strategies (RUS, growth agreements) a strategy, plan or project may take
    its starting point in: of those kinds, readable by the user, never the strategy itself."""
    chosen = list(development)
    for other in chosen:
        if other.kind not in DEVELOPMENT_KINDS:
            raise ValidationError(
                {
                    "builds_on": _(
                        "%s är inte en regional utvecklingsstrategi eller ett tillväxtavtal."
                    )
                    % other
                }
            )
        if record is not None and other.pk == record.pk:
            raise ValidationError({"builds_on": _("En strategi kan inte utgå från sig själv.")})
        if not tenancy.can_read(user, other):
            raise PermissionDenied(_("Du kan inte läsa %s.") % other)
    return chosen
