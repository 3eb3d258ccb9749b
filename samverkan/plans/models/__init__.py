"""Strategies, their focus areas and goals, action plans with activities and follow-ups, and
consultation rounds (remiss) on drafts.

Only ``Strategy`` is an ``OwnedRecord``; every other record here belongs to one strategy and is
read and written through it (``samverkan.core.tenancy`` decides on the strategy).
"""

from samverkan.plans.models.action_plans import (
    STATUSES_NEEDING_REASON,
    UNFINISHED_STATUSES,
    ActionPlan,
    Activity,
    ActivityStatus,
    FollowUp,
    PlanExport,
    Weighting,
)
from samverkan.plans.models.consultations import (
    CommentDecision,
    Consultation,
    ConsultationComment,
    ConsultationInvite,
    ConsultationReminder,
    ConsultationSection,
    ConsultationStatus,
)
from samverkan.plans.models.strategies import (
    DEVELOPMENT_KINDS,
    FocusArea,
    Goal,
    Strategy,
    StrategyKind,
    StrategyLevel,
    StrategyStatus,
)

__all__ = [
    "ActionPlan",
    "Activity",
    "ActivityStatus",
    "CommentDecision",
    "Consultation",
    "ConsultationComment",
    "ConsultationInvite",
    "ConsultationReminder",
    "ConsultationSection",
    "ConsultationStatus",
    "DEVELOPMENT_KINDS",
    "FocusArea",
    "FollowUp",
    "Goal",
    "PlanExport",
    "STATUSES_NEEDING_REASON",
    "Strategy",
    "StrategyKind",
    "StrategyLevel",
    "StrategyStatus",
    "UNFINISHED_STATUSES",
    "Weighting",
]
