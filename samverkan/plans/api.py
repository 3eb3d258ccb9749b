"""REST API for strategies, plans, activities and follow-ups: the same selectors and services
as the web pages. An activity edit must send the ``version`` it was based on; a stale version
answers 409 and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors.models import Organisation, TargetGroup
from samverkan.core import tenancy
from samverkan.core.api import error_body
from samverkan.core.models import Visibility
from samverkan.core.versioning import EditConflict
from samverkan.plans import exports, mailings, selectors, services
from samverkan.plans.exchange import development_refs, strategies_for_export, strategy_record
from samverkan.plans.export_api import PlanExportOutput, export_body
from samverkan.plans.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    Consultation,
    ConsultationComment,
    ConsultationInvite,
    Goal,
    PlanExport,
    Strategy,
    StrategyKind,
    StrategyLevel,
    StrategyStatus,
)


class StrategyOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")

    class Meta:
        model = Strategy
        fields = [
            "id",
            "owner_code",
            "title",
            "kind",
            "level",
            "period_start",
            "period_end",
            "vision",
            "status",
            "adopted_by",
            "adopted_on",
            "visibility",
            "updated_at",
        ]


class StrategyInput(serializers.Serializer):
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner"
    )
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=StrategyKind.choices, required=False)
    level = serializers.ChoiceField(choices=StrategyLevel.choices, required=False)
    period_start = serializers.IntegerField(required=False, allow_null=True)
    period_end = serializers.IntegerField(required=False, allow_null=True)
    vision = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=StrategyStatus.choices, required=False)
    adopted_by = serializers.CharField(required=False, allow_blank=True)
    adopted_on = serializers.DateField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class ActivityOutput(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "title",
            "description",
            "goals",
            "responsible_organisation",
            "responsible_unit",
            "partners",
            "start_date",
            "duration_months",
            "end_date",
            "budget",
            "hours",
            "target_groups",
            "status",
            "status_reason",
            "progress",
            "impact_note",
            "overdue",
            "version",
        ]


class ActivityInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="Versionen ändringen utgår från (krävs vid ändring)."
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Goal.objects.all(), required=False
    )
    responsible_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    responsible_unit = serializers.CharField(required=False, allow_blank=True)
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), required=False
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    duration_months = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    end_date = serializers.DateField(required=False, allow_null=True)
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=0, required=False, allow_null=True
    )
    hours = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    target_groups = serializers.PrimaryKeyRelatedField(
        many=True, queryset=TargetGroup.objects.all(), required=False
    )
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    status_reason = serializers.CharField(required=False, allow_blank=True)
    impact_note = serializers.CharField(required=False, allow_blank=True)


class DevelopmentRefOutput(serializers.Serializer):
    """A regional development strategy (RUS/RUP) or growth agreement, as the export names it."""

    title = serializers.CharField()
    owner_code = serializers.CharField()
    kind = serializers.ChoiceField(choices=StrategyKind.choices)


class PlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    strategy = serializers.IntegerField()
    title = serializers.CharField()
    year_start = serializers.IntegerField()
    year_end = serializers.IntegerField()
    weighting = serializers.CharField()
    previous = serializers.IntegerField(allow_null=True)
    progress = serializers.FloatField(help_text="Viktat framsteg 0–100 (se RollUp i selectors.py).")
    counted = serializers.IntegerField()
    overdue = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    builds_on = DevelopmentRefOutput(
        many=True,
        help_text="RUS eller tillväxtavtal som planen utgår från (de du kan läsa); strategins "
        "egna står på strategin.",
    )
    activities = ActivityOutput(many=True)


class ConsultationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    answered = serializers.ListField(child=serializers.CharField())
    not_answered = serializers.ListField(child=serializers.CharField())
    no_comments = serializers.ListField(child=serializers.CharField())
    general_comments = serializers.JSONField()
    sections = serializers.JSONField()


class ConsultationDraftOutput(serializers.Serializer):
    consultation = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    sections = serializers.JSONField()


class FollowUpInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True)
    date = serializers.DateField(required=False)


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


class CommentInput(serializers.Serializer):
    section = serializers.IntegerField(required=False, allow_null=True)
    passage = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField()


def _consultation_body(consultation: Any) -> dict[str, Any]:
    invites = list(
        consultation.invites.select_related("organisation").prefetch_related("reminders__by")
    )
    comments = ConsultationComment.objects.filter(invite__consultation=consultation).select_related(
        "invite__organisation"
    )
    by_section: dict[int | None, list[dict[str, Any]]] = {}
    for c in comments:
        by_section.setdefault(c.section_id, []).append(
            {
                "id": c.pk,
                "organisation": c.invite.organisation.code,
                "passage": c.passage,
                "text": c.text,
                "decision": c.decision,
                "decision_reason": c.decision_reason,
            }
        )
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "status": consultation.status,
        "deadline": consultation.deadline,
        "answered": [i.organisation.code for i in invites if i.responded_at],
        "not_answered": [i.organisation.code for i in invites if not i.responded_at],
        "no_comments": [i.organisation.code for i in invites if i.no_comments],
        "remind_days_before": consultation.remind_days_before,
        "invites": [
            {
                "organisation": i.organisation.code,
                "email": i.email,
                "responded_at": i.responded_at,
                "invited_at": i.invited_at,
                "delivery": i.delivery,
                "reminders": [
                    {
                        "kind": r.kind,
                        "by": r.by.email if r.by else None,
                        "queued_at": r.queued_at,
                        "sent_at": r.sent_at,
                        "delivery": r.delivery,
                        "error": r.delivery_error,
                    }
                    for r in i.reminders.all()
                ],
            }
            for i in invites
        ],
        "general_comments": by_section.get(None, []),
        "sections": [
            {"id": s.pk, "heading": s.heading, "text": s.text, "comments": by_section.get(s.pk, [])}
            for s in consultation.sections.all()
        ],
    }


@extend_schema(tags=["remisser"])
class ConsultationViewSet(viewsets.GenericViewSet):
    """Consultations (remisser) for their owner: comments per section, who has not answered."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticated]
    queryset = Consultation.objects.none()
    serializer_class = ConsultationOutput

    def _writable(self, request: Request, pk: str) -> Consultation:
        consultation = selectors.consultation_get(user=request.user, pk=int(pk))
        if not tenancy.can_write(request.user, consultation.strategy):
            raise DjangoPermissionDenied
        return consultation

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_consultation_body(self._writable(request, pk)))

    @action(detail=True, methods=["post"], url_path=r"comments/(?P<comment_id>\d+)/decision")
    def decide(self, request: Request, pk: str, comment_id: str) -> Response:
        consultation = self._writable(request, pk)
        payload = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        comment = get_object_or_404(
            ConsultationComment, pk=comment_id, invite__consultation=consultation
        )
        services.consultation_comment_decide(
            comment=comment,
            user=request.user,
            decision=str(payload.get("decision", "")),
            reason=str(payload.get("reason", "")),
        )
        return Response({"id": comment.pk, "decision": comment.decision})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: str) -> Response:
        """Remind those who have not answered (each at most once a day; queued as jobs)."""
        consultation = self._writable(request, pk)
        reminded = mailings.consultation_remind(consultation=consultation, user=request.user)
        return Response(
            {"reminded": [r.invite.organisation.code for r in reminded]},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(tags=["remisser"])
class ConsultationResponseViewSet(viewsets.GenericViewSet):
    """A respondent's personal link (the token is the key; no login needed)."""

    permission_classes = [permissions.AllowAny]
    queryset = ConsultationInvite.objects.none()
    serializer_class = ConsultationDraftOutput
    lookup_field = "token"

    def _invite(self, token: str) -> ConsultationInvite:
        return get_object_or_404(
            ConsultationInvite.objects.select_related("consultation"), token=token
        )

    def retrieve(self, request: Request, token: str) -> Response:
        invite = self._invite(token)
        return Response(
            {
                "consultation": invite.consultation.title,
                "deadline": invite.consultation.deadline,
                "status": invite.consultation.status,
                "sections": [
                    {"id": s.pk, "heading": s.heading, "text": s.text}
                    for s in invite.consultation.sections.all()
                ],
            }
        )

    @extend_schema(request=CommentInput)
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, token: str) -> Response:
        invite = self._invite(token)
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        section = None
        if data.validated_data.get("section"):
            section = get_object_or_404(
                invite.consultation.sections, pk=data.validated_data["section"]
            )
        comment = services.consultation_comment_create(
            invite=invite,
            section=section,
            text=data.validated_data["text"],
            passage=data.validated_data.get("passage", ""),
        )
        return Response({"id": comment.pk}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="no-comments")
    def no_comments(self, request: Request, token: str) -> Response:
        services.consultation_no_comments(invite=self._invite(token))
        return Response({"no_comments": True})
