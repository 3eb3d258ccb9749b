"""REST API for strategies, plans, activities, follow-ups and consultations: the same selectors
and services as the web pages, one module per area. An activity edit must send the ``version``
it was based on; a stale version answers 409 and nothing is saved."""

from samverkan.plans.api.action_plans import ActionPlanViewSet, ActivityViewSet
from samverkan.plans.api.consultations import ConsultationResponseViewSet, ConsultationViewSet
from samverkan.plans.api.exports import PlanExportViewSet
from samverkan.plans.api.strategies import StrategyViewSet

__all__ = [
    "ActionPlanViewSet",
    "ActivityViewSet",
    "ConsultationResponseViewSet",
    "ConsultationViewSet",
    "PlanExportViewSet",
    "StrategyViewSet",
]
