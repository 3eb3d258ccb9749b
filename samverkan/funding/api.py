"""REST API for calls, applications (assessment, decisions) and reports back, over the services.

Applications are read through ``access.applications_readable``: the applicant organisation
and the funder (once submitted) see them; everyone else gets 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.funding import access, selectors
from samverkan.funding.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    Call,
    Criterion,
    FundingReport,
    Outcome,
    Perspective,
)
from samverkan.funding.services import applications, assessment, calls, decisions, reporting
from samverkan.geo.models import County
from samverkan.projects.models import ParticipantRole


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "title", "weight", "guidance", "perspective"]
        read_only_fields = ["id", "position"]


class CallOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")
    eligible_county_codes = serializers.SerializerMethodField()
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "owner_code",
            "purpose",
            "budget",
            "eligible_kinds",
            "eligible_county_codes",
            "required_perspectives",
            "period_start",
            "period_end",
            "deadline",
            "status",
            "criteria",
            "source",
        ]

    def get_eligible_county_codes(self, call: Call) -> list[str]:
        return [c.code for c in call.eligible_counties.all()]


class CallInput(serializers.Serializer):
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner"
    )
    title = serializers.CharField(max_length=300)
    purpose = serializers.CharField(required=False, allow_blank=True)
    budget = serializers.IntegerField(min_value=0)
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), required=False
    )
    eligible_county_codes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        many=True,
        required=False,
        source="eligible_counties",
    )
    required_perspectives = serializers.ListField(
        child=serializers.ChoiceField(choices=Perspective.choices), required=False
    )
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateTimeField()
    criteria = CriterionSerializer(many=True, required=False)


class AmountLine(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    amount = serializers.IntegerField(min_value=0)


class PartnerLine(serializers.Serializer):
    organisation_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="organisation"
    )
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class IndicatorLine(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ApplicationOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")
    call_id = serializers.IntegerField()
    county_code = serializers.CharField(source="county.code", default=None)
    budget_lines = serializers.SerializerMethodField()
    co_financing = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    indicators = IndicatorLine(many=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "call_id",
            "owner_code",
            "title",
            "summary",
            "description",
            "county_code",
            "start_date",
            "end_date",
            "total_budget",
            "requested_amount",
            "budget_lines",
            "co_financing",
            "partners",
            "expected_results",
            "indicators",
            "perspectives",
            "status",
            "submitted_at",
            "project_id",
            "decision",
        ]

    def get_budget_lines(self, a: Application) -> list[dict[str, Any]]:
        return [{"text": b.item, "amount": b.amount} for b in a.budget_lines.all()]

    def get_co_financing(self, a: Application) -> list[dict[str, Any]]:
        return [{"text": c.funder, "amount": c.amount} for c in a.co_financing.all()]

    def get_partners(self, a: Application) -> list[dict[str, str]]:
        return [
            {"organisation_code": p.organisation.code, "role": p.role}
            for p in a.partners.select_related("organisation")
        ]

    def get_decision(self, a: Application) -> dict[str, Any] | None:
        decision = getattr(a, "decision", None)
        if decision is None:
            return None
        return {
            "outcome": decision.outcome,
            "amount": decision.amount,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
            "decided_at": decision.decided_at,
        }


class ApplicationInput(serializers.Serializer):
    call_id = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all(), source="call")
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner"
    )
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    county_code = serializers.SlugRelatedField(
        slug_field="code", queryset=County.objects.all(), source="county", required=False
    )
    theme_codes = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False, source="themes"
    )
    target_group_codes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TargetGroup.objects.all(),
        many=True,
        required=False,
        source="target_groups",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    total_budget = serializers.IntegerField(min_value=0, required=False)
    requested_amount = serializers.IntegerField(min_value=0, required=False)
    budget_lines = AmountLine(many=True, required=False)
    co_financing = AmountLine(many=True, required=False)
    partners = PartnerLine(many=True, required=False)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    indicators = IndicatorLine(many=True, required=False)
    perspectives = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        for name in ("budget_lines", "co_financing"):
            if name in data:
                data[name] = [(line["text"], line["amount"]) for line in data[name]]
        if "partners" in data:
            data["partners"] = [(p["organisation"], p["role"]) for p in data["partners"]]
        if "indicators" in data:
            data["indicators"] = [
                applications.IndicatorSpec(i["name"], Decimal(i["target"]), i.get("unit", ""))
                for i in data["indicators"]
            ]
        return data


class ScoreInput(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    score = serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    amount = serializers.IntegerField(min_value=0, required=False, default=0)
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class ConflictInput(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReportOutput(serializers.ModelSerializer):
    application_id = serializers.IntegerField()

    class Meta:
        model = FundingReport
        fields = [
            "id",
            "application_id",
            "kind",
            "due_date",
            "submitted_at",
            "progress",
            "money_spent",
            "results",
        ]


class ReportInput(serializers.Serializer):
    progress = serializers.CharField()
    money_spent = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    results = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2), required=False
    )


def _applications(user: Any) -> Any:
    return access.applications_readable(
        Application.objects.select_related("owner", "county", "decision").prefetch_related(
            "indicators"
        ),
        user,
    )


@extend_schema(tags=["finansiering"])
class FundingCallViewSet(viewsets.ViewSet):
    """Calls for applications. Anyone reads open calls; the funder writes and assesses."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_value_regex = r"\d+"

    @extend_schema(responses=CallOutput(many=True))
    def list(self, request: Request) -> Response:
        readable = selectors.calls_readable(request.user).prefetch_related(
            "criteria", "eligible_counties"
        )
        return Response(CallOutput(readable, many=True).data)

    @extend_schema(responses=CallOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CallOutput(selectors.call_get(user=request.user, pk=int(pk))).data)

    @extend_schema(request=CallInput, responses={201: CallOutput})
    def create(self, request: Request) -> Response:
        data = CallInput(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = dict(data.validated_data)
        criteria = [calls.CriterionSpec(**c) for c in arguments.pop("criteria", [])]
        call = calls.call_create(
            user=request.user,
            owner=arguments.pop("owner"),
            criteria=criteria,
            eligible_counties=arguments.pop("eligible_counties", []),
            **arguments,
        )
        return Response(CallOutput(call).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        call = access.call_get_for_funder(request.user, int(pk))
        calls.call_publish(call=call, user=request.user)
        return Response(CallOutput(call).data)

    @action(detail=True, methods=["get"])
    def ranking(self, request: Request, pk: str) -> Response:
        call = access.call_get_for_funder(request.user, int(pk))
        ranking = selectors.call_ranking(call=call)
        return Response(
            {
                "budget": ranking.budget,
                "granted": ranking.granted,
                "cut_after": ranking.cut_after,
                "results": [
                    {
                        "application_id": r.pk,
                        "title": r.title,
                        "applicant": r.owner,
                        "requested": r.requested,
                        "weighted_total": r.total,
                        "assessors": r.assessors,
                        "cumulative": r.cumulative,
                        "within_budget": r.within_budget,
                        "outcome": r.outcome,
                        "granted": r.granted,
                    }
                    for r in ranking.rows
                ],
            }
        )

    @action(detail=True, methods=["post"])
    def letters(self, request: Request, pk: str) -> Response:
        call = access.call_get_for_funder(request.user, int(pk))
        job = decisions.decision_letters_enqueue(call=call, user=request.user)
        return Response({"job_id": job.pk, "status": job.status}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["finansiering"])
class FundingApplicationViewSet(viewsets.ViewSet):
    """Applications: the applicant writes drafts and submits; the funder assesses and decides."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def _get(self, request: Request, pk: str) -> Application:
        return access.application_get_readable(request.user, int(pk), _applications(request.user))

    @extend_schema(responses=ApplicationOutput(many=True))
    def list(self, request: Request) -> Response:
        readable = _applications(request.user).order_by("pk")
        call = request.query_params.get("call", "")
        if call.isdigit():
            readable = readable.filter(call_id=int(call))
        return Response(ApplicationOutput(readable[:500], many=True).data)

    @extend_schema(responses=ApplicationOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ApplicationOutput(self._get(request, pk)).data)

    @extend_schema(request=ApplicationInput, responses={201: ApplicationOutput})
    def create(self, request: Request) -> Response:
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        call = arguments.pop("call")
        if not tenancy.can_read(request.user, call):
            raise serializers.ValidationError({"call_id": ["Okänd utlysning."]})
        application = applications.application_create(
            user=request.user, call=call, owner=arguments.pop("owner"), **arguments
        )
        return Response(ApplicationOutput(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationInput, responses=ApplicationOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        application = access.application_get_writable(request.user, int(pk))
        data = ApplicationInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        arguments.pop("call", None)
        arguments.pop("owner", None)
        applications.application_update(application=application, user=request.user, **arguments)
        return Response(ApplicationOutput(application).data)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        application = access.application_get_writable(request.user, int(pk))
        applications.application_submit(application=application, user=request.user)
        return Response(ApplicationOutput(application).data)

    @action(detail=True, methods=["get"])
    def similar(self, request: Request, pk: str) -> Response:
        application = self._get(request, pk)
        return Response(
            [
                {
                    "id": s.project.pk,
                    "title": s.project.title,
                    "score": s.score,
                    "reasons": s.reasons,
                }
                for s in selectors.application_similar(user=request.user, application=application)
            ]
        )

    @extend_schema(request=ConflictInput)
    @action(detail=True, methods=["post"])
    def conflict(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        data = ConflictInput(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = assessment.conflict_declare(
            application=application, user=request.user, **data.validated_data
        )
        return Response({"has_conflict": declaration.has_conflict, "note": declaration.note})

    @extend_schema(request=ScoreInput(many=True))
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        reason = assessment.assessor_conflict_reason(application=application, user=request.user)
        if reason:
            raise ApiPermissionDenied(reason)
        data = ScoreInput(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        scores = {s["criterion_id"]: (s["score"], s["comment"]) for s in data.validated_data}  # type: ignore[union-attr]
        saved = assessment.scores_set(application=application, user=request.user, scores=scores)
        return Response(
            [
                {"criterion_id": s.criterion_id, "score": s.score, "comment": s.comment}
                for s in saved
            ]
        )

    @extend_schema(request=DecisionInput)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decisions.decision_make(application=application, user=request.user, **data.validated_data)
        application.refresh_from_db()
        return Response(ApplicationOutput(application).data)


@extend_schema(tags=["finansiering"])
class FundingReportViewSet(viewsets.ViewSet):
    """Reports back from granted applications: the applicant submits, the funder reads."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def _get(self, request: Request, pk: str) -> FundingReport:
        report = get_object_or_404(FundingReport, pk=int(pk))
        access.application_get_readable(request.user, report.application_id)
        return report

    @extend_schema(responses=ReportOutput(many=True))
    def list(self, request: Request) -> Response:
        readable = _applications(request.user).values("pk")
        reports = FundingReport.objects.filter(application__in=readable).order_by("due_date")
        return Response(ReportOutput(reports[:1000], many=True).data)

    @extend_schema(responses=ReportOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ReportOutput(self._get(request, pk)).data)

    @extend_schema(request=ReportInput, responses=ReportOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        report = self._get(request, pk)
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        results = {
            int(k): v for k, v in data.validated_data.get("results", {}).items() if k.isdigit()
        }
        reporting.report_submit(
            report=report,
            user=request.user,
            progress=data.validated_data["progress"],
            money_spent=data.validated_data.get("money_spent"),
            results=results,
        )
        return Response(ReportOutput(report).data)
