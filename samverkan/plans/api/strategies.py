"""The strategies API: list, read, create and update strategies."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.plans import selectors, services
from samverkan.plans.api.serializers import (
    StrategyInput,
    StrategyOutput,
)
from samverkan.plans.exchange import strategies_for_export, strategy_record
from samverkan.plans.models import (
    Strategy,
)


@extend_schema(tags=["strategier"])
class StrategyViewSet(viewsets.GenericViewSet):
    """Strategies with focus areas, goals, plans, activities and follow-ups nested."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = StrategyOutput

    def get_queryset(self) -> QuerySet[Strategy]:
        return selectors.strategy_list(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("pk"))
        return self.get_paginated_response(StrategyOutput(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        strategy = get_object_or_404(strategies_for_export(user=request.user, options={}), pk=pk)
        return Response(strategy_record(strategy))

    @extend_schema(request=StrategyInput, responses={201: StrategyOutput})
    def create(self, request: Request) -> Response:
        data = StrategyInput(data=request.data)
        data.is_valid(raise_exception=True)
        strategy = services.strategy_create(user=request.user, **data.validated_data)
        return Response(StrategyOutput(strategy).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_path="hook-in")
    def hook_in(self, request: Request, pk: str) -> Response:
        """Regional strategy: per goal the municipal goals hooking in; goals nobody addresses."""
        strategy = selectors.strategy_get(user=request.user, pk=int(pk))
        hook = selectors.regional_hook_in(strategy=strategy, user=request.user)
        return Response(
            {
                "goals": [
                    {
                        "id": g.pk,
                        "title": g.title,
                        "contributors": [
                            {
                                "goal": c.title,
                                "strategy": c.strategy.title,
                                "owner_code": c.strategy.owner.code,
                            }
                            for c in cs
                        ],
                    }
                    for g, cs in hook.goals
                ],
                "unaddressed": [g.pk for g in hook.unaddressed],
                "municipalities_without": [m.code for m in hook.municipalities_without],
            }
        )
