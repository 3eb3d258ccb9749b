"""The action plans API: plans, their activities (with optimistic edits) and follow-ups."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core import tenancy
from samverkan.core.api import error_body
from samverkan.core.versioning import EditConflict
from samverkan.plans import exports, selectors, services
from samverkan.plans.api.exports import PlanExportOutput, export_body
from samverkan.plans.api.serializers import (
    ActivityInput,
    ActivityOutput,
    FollowUpInput,
    PlanOutput,
)
from samverkan.plans.exchange import development_refs
from samverkan.plans.models import (
    ActionPlan,
    Activity,
    PlanExport,
    Strategy,
)


@extend_schema(tags=["strategier"])
class ActionPlanViewSet(viewsets.GenericViewSet):
    """Action plans with their rolled-up progress."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    queryset = ActionPlan.objects.none()
    serializer_class = PlanOutput

    def retrieve(self, request: Request, pk: str) -> Response:
        plan = selectors.plan_get(user=request.user, pk=int(pk))
        activities = selectors.plan_activities(plan=plan)
        rollup = selectors.plan_rollup(plan=plan, activities=activities)
        return Response(
            {
                "id": plan.pk,
                "strategy": plan.strategy_id,
                "title": plan.title,
                "year_start": plan.year_start,
                "year_end": plan.year_end,
                "weighting": plan.weighting,
                "previous": plan.previous_id,
                "progress": rollup.progress,
                "counted": rollup.counted,
                "overdue": rollup.overdue,
                "by_status": rollup.by_status,
                "builds_on": development_refs(
                    tenancy.readable(
                        plan.builds_on.select_related("owner").order_by("title", "pk"),
                        request.user,
                    )
                ),
                "activities": ActivityOutput(activities, many=True).data,
            }
        )

    @action(detail=True, methods=["post"], url_path="roll-over")
    def roll_over(self, request: Request, pk: str) -> Response:
        plan = selectors.plan_get(user=request.user, pk=int(pk))
        target = None
        payload: dict[str, Any] = dict(request.data)
        if payload.get("target"):
            target = selectors.plan_get(user=request.user, pk=int(str(payload["target"])))
        new = services.plan_roll_over(plan=plan, user=request.user, target=target)
        return Response(
            {"id": new.pk, "activities": new.activities.count()}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={202: PlanExportOutput})
    @action(detail=True, methods=["post"], url_path="export-pdf")
    def export_pdf(self, request: Request, pk: str) -> Response:
        """Build the plan as PDF in the background; follow ``status_url`` until it is done."""
        plan = selectors.plan_get(user=request.user, pk=int(pk))
        export = exports.plan_export_start(plan=plan, user=request.user)
        body = export_body(
            PlanExport.objects.select_related("job").defer("content").get(pk=export.pk)
        )
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]}
        )

    @extend_schema(request=ActivityInput, responses={201: ActivityOutput})
    @action(detail=True, methods=["post"])
    def activities(self, request: Request, pk: str) -> Response:
        plan = selectors.plan_get(user=request.user, pk=int(pk))
        data = ActivityInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("version", None)
        activity = services.activity_create(plan=plan, user=request.user, **fields)
        return Response(ActivityOutput(activity).data, status=status.HTTP_201_CREATED)


def _activity_for(request: Request, pk: str) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("plan__strategy"), pk=pk)
    tenancy.get_readable_or_404(Strategy.objects.all(), request.user, pk=activity.plan.strategy_id)
    return activity


@extend_schema(tags=["strategier"])
class ActivityViewSet(viewsets.GenericViewSet):
    """Activities: read, change (with ``version``; 409 if someone else saved first), follow up."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    queryset = Activity.objects.none()
    serializer_class = ActivityOutput

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ActivityOutput(_activity_for(request, pk)).data)

    @extend_schema(request=ActivityInput, responses=ActivityOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        activity = _activity_for(request, pk)
        data = ActivityInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = dict(data.validated_data)
        if "version" not in fields:
            return Response(
                error_body(
                    400,
                    "invalid",
                    "version: Ange versionen ändringen utgår från.",
                    {"version": ["Ange versionen ändringen utgår från."]},
                ),
                status=400,
            )
        version = fields.pop("version")
        try:
            activity = services.activity_update(
                activity=activity, user=request.user, expected_version=version, **fields
            )
        except EditConflict as exc:
            return Response(
                error_body(409, "conflict", exc.messages[0]), status=status.HTTP_409_CONFLICT
            )
        return Response(ActivityOutput(activity).data)

    @extend_schema(request=FollowUpInput)
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request: Request, pk: str) -> Response:
        activity = _activity_for(request, pk)
        data = FollowUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        followup = services.followup_create(
            activity=activity, user=request.user, **data.validated_data
        )
        return Response(
            {"id": followup.pk, "status": followup.status, "progress": followup.progress},
            status=status.HTTP_201_CREATED,
        )
