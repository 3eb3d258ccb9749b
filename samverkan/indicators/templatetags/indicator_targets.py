"""``{% goal_indicator_targets goal can_write %}``: on a strategy goal (plans), the indicator
targets that follow it up with their progress, read through tenancy, and for writers a link
to follow the goal up with an indicator."""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.indicators import selectors

register = template.Library()


@register.inclusion_tag("indicators/_goal_targets.html", takes_context=True)
def goal_indicator_targets(context: template.Context, goal: Any, can_write: bool = False):
    user = context.get("user") or getattr(context.get("request"), "user", None)
    targets = selectors.target_list(user=user, goal=goal)
    return {
        "goal": goal,
        "can_write": can_write,
        "rows": [(t, selectors.target_progress(t)) for t in targets],
    }
