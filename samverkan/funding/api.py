"""REST API for calls, applications (assessment, decisions) and reports back, over the services.

Applications are read through ``access.applications_readable``: the applicant organisation
and the funder (once submitted) see them; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core import tenancy
from samverkan.core.api import ErrorOutput
from samverkan.funding import access, selectors
from samverkan.funding.models import Application, FundingReport
from samverkan.funding.serializers import (
    CRITERION_FIELDS,
    ApplicationInput,
    ApplicationOutput,
    CallInput,
    CallOutput,
    ConflictInput,
    CriterionSerializer,
    DecisionInput,
    ReportInput,
    ReportOutput,
    ScoreInput,
    WithdrawInput,
)
from samverkan.funding.services import applications, assessment, calls, decisions, reporting


def _refusals(invalid: str, forbidden: str) -> dict[int, OpenApiResponse]:
    """The error responses of a write, in the one error shape (``core.api.ErrorOutput``)."""
    return {
        400: OpenApiResponse(ErrorOutput, description=invalid),
        403: OpenApiResponse(ErrorOutput, description=forbidden),
        404: OpenApiResponse(
            ErrorOutput, description="Finns inte, eller du får inte läsa den (annan organisation)."
        ),
    }


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

    @extend_schema(request=None, responses=CallOutput)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        call = access.call_get_for_funder(request.user, int(pk))
        calls.call_publish(call=call, user=request.user)
        return Response(CallOutput(call).data)

    @extend_schema(
        responses=OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="budget, granted, cut_after and the ranked results (as on the page).",
        )
    )
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

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "FundingLettersJob",
                {"job_id": serializers.IntegerField(), "status": serializers.CharField()},
            )
        },
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

    @extend_schema(request=None, responses=ApplicationOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        application = access.application_get_writable(request.user, int(pk))
        applications.application_submit(application=application, user=request.user)
        return Response(ApplicationOutput(application).data)

    @extend_schema(
        request=WithdrawInput,
        responses={
            200: ApplicationOutput,
            **_refusals(
                "Redan återtagen, eller finansiären har redan beslutat.",
                "Bara den sökande organisationens redaktörer kan återta ansökan.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw the application (the applicant, until the funder has decided), optionally
        with a reason. It is kept with status ``withdrawn``, left out of the ranking, and can be
        brought back with ``restore``."""
        application = access.application_get_writable(request.user, int(pk))
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        applications.application_withdraw(
            application=application, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(ApplicationOutput(self._get(request, pk)).data)

    @extend_schema(
        request=None,
        responses={
            200: ApplicationOutput,
            **_refusals(
                "Ansökan är inte återtagen.",
                "Bara den sökande organisationens redaktörer kan återställa ansökan.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        """Bring a withdrawn application back as it was before the withdrawal (the same as
        restoring that version on the history page)."""
        application = access.application_get_writable(request.user, int(pk))
        applications.application_restore(application=application, user=request.user)
        return Response(ApplicationOutput(self._get(request, pk)).data)

    @extend_schema(
        responses=OpenApiResponse(
            OpenApiTypes.OBJECT, description="[{id, title, score, reasons}], best first."
        )
    )
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

    @extend_schema(request=ConflictInput, responses=ConflictInput)
    @action(detail=True, methods=["post"])
    def conflict(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        data = ConflictInput(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = assessment.conflict_declare(
            application=application, user=request.user, **data.validated_data
        )
        return Response({"has_conflict": declaration.has_conflict, "note": declaration.note})

    @extend_schema(request=ScoreInput(many=True), responses=ScoreInput(many=True))
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

    @extend_schema(request=DecisionInput, responses=ApplicationOutput)
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
        return selectors.report_get(user=request.user, pk=int(pk))

    @extend_schema(responses=ReportOutput(many=True))
    def list(self, request: Request) -> Response:
        reports = selectors.reports_readable(request.user).order_by("due_date", "pk")
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


@extend_schema(tags=["finansiering"])
class FundingCriterionViewSet(viewsets.ViewSet):
    """Assessment criteria of a call, changed and removed by the funder under the rule the call
    page shows: a scored criterion keeps its title and perspective (its guidance can still be
    clarified) and cannot be removed; once any score is given in the call, weights are fixed;
    a published call keeps at least one criterion. A refusal is a 400 naming the reason and
    how many scores stand in the way. (Criteria are read with their call.)"""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    @extend_schema(
        request=CriterionSerializer,
        responses={
            200: CriterionSerializer,
            **_refusals(
                "Titel eller perspektiv för ett kriterium som fått poäng, eller vikten när "
                "bedömningen har börjat; errors anger fältet och hur många poäng som hindrar.",
                "Bara finansiärens redaktörer och administratörer ändrar kriterier.",
            ),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a criterion; fields left out keep their value."""
        criterion = access.criterion_get_for_funder(request.user, int(pk))
        data = CriterionSerializer(criterion, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        current = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
        calls.criterion_update(
            criterion=criterion, user=request.user, **{**current, **data.validated_data}
        )
        return Response(CriterionSerializer(criterion).data)

    @extend_schema(
        responses={
            204: None,
            **_refusals(
                "Kriteriet har fått poäng, eller är det sista i en publicerad utlysning.",
                "Bara finansiärens redaktörer och administratörer tar bort kriterier.",
            ),
        },
    )
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove a criterion that has no scores; the others are renumbered."""
        criterion = access.criterion_get_for_funder(request.user, int(pk))
        calls.criterion_remove(criterion=criterion, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
