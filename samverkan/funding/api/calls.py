"""REST API for calls (criteria, decision-letter runs, portfolio), criteria and reports back:
thin adapters over ``access``, ``selectors`` and the services. Applications are in
``applications``, attachment files and letter-job status in ``files``.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core.models import REACH_FIELDS
from samverkan.core.params import query_id
from samverkan.funding import access, selectors
from samverkan.funding.api.common import read_refusals, refusals
from samverkan.funding.api.portfolio import PortfolioOutput, portfolio_body
from samverkan.funding.api.serializers import (
    CRITERION_FIELDS,
    CallInput,
    CallOutput,
    CallUpdateInput,
    CriterionSerializer,
    LettersJobOutput,
    ReportInput,
    ReportOutput,
)
from samverkan.funding.models import FundingReport
from samverkan.funding.services import calls, decisions, reporting

FUNDER_ONLY = (
    "Bara finansiärens redaktörer och administratörer (läsare och andra organisationer får 403 "
    "för en öppen utlysning; ett utkast finns inte för dem: 404)."
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

    @extend_schema(
        request=CallUpdateInput,
        responses={
            200: CallOutput,
            **refusals(
                "Ogiltigt värde (errors anger fältet), t.ex. en budget under det som redan är "
                "beviljat, en projektperiod som slutar innan den börjar, eller owner_code.",
                FUNDER_ONLY,
            ),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a call's fields as the edit page does; fields left out keep their value. The
        budget cannot go below the sum already granted. (Criteria: ``criteria`` and
        ``/api/funding-criteria/``; publishing: ``publish``.)"""
        call = access.call_get_for_funder(request.user, int(pk))
        data = CallUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        counties = fields.pop("eligible_counties", None)
        calls.call_update(
            call=call,
            user=request.user,
            eligible_counties=counties,
            expected_version=fields.pop("version", None),
            **fields,
        )
        return Response(CallOutput(selectors.call_get(user=request.user, pk=call.pk)).data)

    @extend_schema(
        request=CriterionSerializer,
        responses={
            201: CriterionSerializer,
            **refusals("Saknad titel, vikt under 1 eller okänt perspektiv.", FUNDER_ONLY),
        },
    )
    @action(detail=True, methods=["post"])
    def criteria(self, request: Request, pk: str) -> Response:
        """Add an assessment criterion to the call (last in order), as on the call page."""
        call = access.call_get_for_funder(request.user, int(pk))
        data = CriterionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        criterion = calls.criterion_add(
            call=call, user=request.user, spec=calls.CriterionSpec(**data.validated_data)
        )
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

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
        methods=["GET"],
        responses={200: LettersJobOutput(many=True), **read_refusals(FUNDER_ONLY)},
        description="The latest five runs of the call's decision-letters job, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=None,
        responses={
            202: LettersJobOutput,
            **refusals("Det finns inga beslut att skriva brev för ännu.", FUNDER_ONLY),
        },
        description="Start writing every decision letter of the call (PDF and DOCX) in the "
        "background: 202 with ``status_url`` (also in ``Location``) to poll; each letter is "
        "then read at ``/api/funding-applications/{id}/letter-pdf/`` and ``…/letter-docx/``.",
    )
    @action(detail=True, methods=["get", "post"])
    def letters(self, request: Request, pk: str) -> Response:
        call = access.call_get_for_funder(request.user, int(pk))
        if request.method == "GET":
            return Response(LettersJobOutput(selectors.letter_jobs(call=call), many=True).data)
        job = decisions.decision_letters_enqueue(call=call, user=request.user)
        return Response(
            LettersJobOutput(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api:funding-letter-job-detail", args=[job.pk])},
        )

    @extend_schema(responses={200: PortfolioOutput, **read_refusals(FUNDER_ONLY)})
    @action(detail=True, methods=["get"])
    def portfolio(self, request: Request, pk: str) -> Response:
        """The funder's portfolio of the call, as the portfolio page: money granted per theme,
        target group and county (an application with two themes counts under each), money
        reported spent, results against the promised indicators, reports where money spent
        exceeds the grant and overdue reports."""
        call = access.call_get_for_funder(request.user, int(pk))
        body = portfolio_body(
            call,
            selectors.call_portfolio(call=call),
            overdue=selectors.reports_overdue(call=call),
            overspent=selectors.reports_overspent(call=call),
        )
        return Response(PortfolioOutput(body).data)


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
            key: v
            for k, v in data.validated_data.get("results", {}).items()
            if (key := query_id(k)) is not None
        }
        reporting.report_submit(
            report=report,
            user=request.user,
            progress=data.validated_data["progress"],
            money_spent=data.validated_data.get("money_spent"),
            results=results,
            reach={
                name: data.validated_data[name]
                for name in REACH_FIELDS
                if name in data.validated_data
            },
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
            **refusals(
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
            **refusals(
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
