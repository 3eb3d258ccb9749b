"""Strategies, their focus areas and goals, and the goals' contributions to regional goals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.versioning import record_edit_begin
from samverkan.plans.models import (
    FocusArea,
    Goal,
    Strategy,
    StrategyLevel,
    StrategyStatus,
)
from samverkan.plans.services.common import (
    GOAL_FIELDS,
    STRATEGY_FIELDS,
    builds_on_check,
    check_fields,
    require_write,
)


def _strategy_clean(strategy: Strategy) -> None:
    if strategy.status == StrategyStatus.ADOPTED and not strategy.adopted_by.strip():
        # The date may be unknown (the reports often give only the month or ”början av 2015”).
        raise ValidationError(
            {"adopted_by": _("Ange vem som antog strategin (och när, om det är känt).")}
        )
    strategy.full_clean()


@transaction.atomic
def strategy_create(
    *,
    user: Any,
    owner: Organisation,
    builds_on: Iterable[Strategy] | None = None,
    **fields: Any,
) -> Strategy:
    """Create a strategy owned by ``owner`` (which the user must edit for)."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte skapa strategier för %s.") % owner)
    check_fields(fields, STRATEGY_FIELDS, "strategy")
    development = builds_on_check(user=user, record=None, development=builds_on or [])
    strategy = Strategy(owner=owner, **fields)
    _strategy_clean(strategy)
    strategy._change_reason = "skapad"  # type: ignore[attr-defined]
    strategy.save()
    strategy.builds_on.set(development)
    return strategy


@transaction.atomic
def strategy_update(
    *,
    strategy: Strategy,
    user: Any,
    expected_version: int | None = None,
    builds_on: Iterable[Strategy] | None = None,
    **fields: Any,
) -> Strategy:
    """Change a strategy. Adopting needs who and when; revising an adopted strategy keeps the
    adopted version in the history. ``builds_on`` (when given) replaces the RUS and growth
    agreements the strategy takes its starting point in."""
    require_write(user, strategy)
    check_fields(fields, STRATEGY_FIELDS, "strategy")
    record_edit_begin(strategy, expected_version=expected_version)
    for name, value in fields.items():
        setattr(strategy, name, value)
    _strategy_clean(strategy)
    strategy.save()
    if builds_on is not None:
        chosen = builds_on_check(user=user, record=strategy, development=builds_on)
        # links to strategies the user cannot see are not theirs to remove
        hidden = [s for s in strategy.builds_on.all() if not tenancy.can_read(user, s)]
        strategy.builds_on.set(chosen + hidden)
    return strategy


@transaction.atomic
def focus_area_create(
    *, strategy: Strategy, user: Any, title: str, description: str = "", position: int | None = None
) -> FocusArea:
    require_write(user, strategy)
    if position is None:
        position = strategy.focus_areas.count() + 1
    area = FocusArea(strategy=strategy, title=title, description=description, position=position)
    area.full_clean()
    area.save()
    return area


def _goal_clean(goal: Goal) -> None:
    area = goal.focus_area
    if area is not None and area.strategy_id != goal.strategy_id:
        raise ValidationError(
            {
                "focus_area": _(
                    "Fokusområdet ”%(area)s” hör till en annan strategi; ett mål kan bara "
                    "höra till ett fokusområde i sin egen strategi."
                )
                % {"area": goal.focus_area}
            }
        )
    goal.full_clean()


@transaction.atomic
def goal_create(
    *, strategy: Strategy, user: Any, focus_area: FocusArea | None = None, **fields: Any
) -> Goal:
    """Create a goal: overarching (no focus area) or under one of the strategy's own areas."""
    require_write(user, strategy)
    check_fields(fields, GOAL_FIELDS, "goal")
    goal = Goal(strategy=strategy, focus_area=focus_area, **fields)
    _goal_clean(goal)
    goal.save()
    return goal


@transaction.atomic
def goal_update(
    *, goal: Goal, user: Any, focus_area: FocusArea | None | str = "keep", **fields: Any
) -> Goal:
    require_write(user, goal.strategy)
    check_fields(fields, GOAL_FIELDS, "goal")
    if focus_area != "keep":
        goal.focus_area = focus_area  # type: ignore[assignment]
    for name, value in fields.items():
        setattr(goal, name, value)
    _goal_clean(goal)
    goal.save()
    return goal


@transaction.atomic
def goal_set_contributions(*, goal: Goal, user: Any, regional_goals: Iterable[Goal]) -> Goal:
    """Declare which regional strategy goals this goal contributes to (hooks into)."""
    require_write(user, goal.strategy)
    targets = list(regional_goals)
    for target in targets:
        if target.strategy_id == goal.strategy_id:
            raise ValidationError(_("Ett mål kan inte bidra till ett mål i sin egen strategi."))
        if target.strategy.level != StrategyLevel.REGIONAL:
            raise ValidationError(_("”%s” är inte ett mål i en regional strategi.") % target)
        if not tenancy.can_read(user, target.strategy):
            raise ValidationError(_("Den regionala strategin finns inte eller är inte synlig."))
    goal.contributes_to.set(targets)
    return goal
