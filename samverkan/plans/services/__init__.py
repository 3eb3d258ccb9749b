"""Writes and rules for strategies, plans, activities, follow-ups and consultations, one
module per area: ``strategies`` (strategies, focus areas, goals), ``action_plans`` (plans,
activities, follow-ups, rolling over), ``consultations`` (remisser); ``common`` holds the
field lists and checks they share.

Every function checks access through ``samverkan.core.tenancy`` on the strategy the record
belongs to, validates, and raises ``ValidationError`` with a Swedish message for bad input.
The functions are importable from the package itself (``services.plan_create``).
"""

from samverkan.plans.services.action_plans import (
    activity_create,
    activity_update,
    add_months,
    followup_create,
    plan_ancestors,
    plan_create,
    plan_roll_over,
)
from samverkan.plans.services.consultations import (
    consultation_comment_create,
    consultation_comment_decide,
    consultation_create,
    consultation_no_comments,
    consultation_publish,
    consultation_set_status,
)
from samverkan.plans.services.strategies import (
    focus_area_create,
    goal_create,
    goal_set_contributions,
    goal_update,
    strategy_create,
    strategy_update,
)

__all__ = [
    "activity_create",
    "activity_update",
    "add_months",
    "consultation_comment_create",
    "consultation_comment_decide",
    "consultation_create",
    "consultation_no_comments",
    "consultation_publish",
    "consultation_set_status",
    "focus_area_create",
    "followup_create",
    "goal_create",
    "goal_set_contributions",
    "goal_update",
    "plan_ancestors",
    "plan_create",
    "plan_roll_over",
    "strategy_create",
    "strategy_update",
]
