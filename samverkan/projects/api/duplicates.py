"""REST API for the full duplicate report of a county: ``POST /api/project-duplicate-reports/``
with ``{"county": "12"}`` starts it (202 with a status URL); ``…/{id}/`` reports status and
progress, ``…/{id}/pairs/`` pages through the pairs and ``…/{id}/xlsx/`` and ``…/{id}/csv/``
give the full list. Every report is readable only by the user who asked for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core.exchange import CONTENT_TYPES
from samverkan.core.params import query_int
from samverkan.geo.models import County
from samverkan.projects import duplicates
from samverkan.projects.models import DuplicateReport

MAX_PAGE = 500


class DuplicateReportInput(serializers.Serializer):
    county = serializers.CharField(help_text="Länskod, t.ex. 12")


class DuplicateReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    county = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    progress_message = serializers.CharField()
    projects = serializers.IntegerField()
    pairs = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    status_url = serializers.CharField()
    pairs_url = serializers.CharField(allow_null=True)
    xlsx_url = serializers.CharField(allow_null=True)
    csv_url = serializers.CharField(allow_null=True)


def report_body(report: DuplicateReport) -> dict[str, Any]:
    job = report.job
    done = report.is_done

    def url(name: str) -> str | None:
        return reverse(f"api:project-duplicate-report-{name}", args=[report.pk]) if done else None

    return {
        "id": report.pk,
        "county": report.county.code,
        "status": duplicates.duplicate_report_status(report),
        "progress": 100 if done else (job.progress if job else 0),
        "progress_message": "" if done or job is None else job.progress_message,
        "projects": report.projects,
        "pairs": report.pairs,
        "duplicates": report.duplicates,
        "status_url": reverse("api:project-duplicate-report-detail", args=[report.pk]),
        "pairs_url": url("pairs"),
        "xlsx_url": url("xlsx"),
        "csv_url": url("csv"),
    }


def _not_ready() -> Response:
    return Response(
        {"status": 409, "code": "not_ready", "message": "Rapporten är inte färdig än."},
        status=status.HTTP_409_CONFLICT,
    )


def _int(value: str, default: int, maximum: int) -> int:
    return query_int(value, default=default, maximum=maximum)


@extend_schema(tags=["projekt"])
class DuplicateReportViewSet(viewsets.GenericViewSet):
    """Full duplicate reports of counties, computed in the background with the permissions of
    the user who asked; readable only by that user."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = DuplicateReport.objects.none()
    serializer_class = DuplicateReportOutput
    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    @extend_schema(parameters=[OpenApiParameter("county", str)])
    def list(self, request: Request) -> Response:
        """The user's own reports (of one county with ``?county=``), newest first."""
        code = request.query_params.get("county", "")
        county = get_object_or_404(County, code=code) if code else None
        reports = duplicates.duplicate_report_list(user=request.user, county=county)[:100]
        return Response([report_body(r) for r in reports])

    @extend_schema(request=DuplicateReportInput, responses={202: DuplicateReportOutput})
    def create(self, request: Request) -> Response:
        """Start (or reuse the user's pending) report of a county; follow ``status_url``."""
        data = DuplicateReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        county = get_object_or_404(County, code=data.validated_data["county"])
        report = duplicates.duplicate_report_start(county=county, user=request.user)
        body = report_body(duplicates.duplicate_report_get(user=request.user, pk=report.pk))
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]}
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(report_body(duplicates.duplicate_report_get(user=request.user, pk=int(pk))))

    @extend_schema(
        parameters=[OpenApiParameter("offset", int), OpenApiParameter("limit", int)],
        responses={200: dict, 409: dict},
    )
    @action(detail=True)
    def pairs(self, request: Request, pk: str) -> Response:
        """Pairs in the report's order (duplicates first, then by score), ``limit`` ≤ 500."""
        report = duplicates.duplicate_report_get(user=request.user, pk=int(pk))
        if not report.is_done:
            return _not_ready()
        offset = _int(request.query_params.get("offset", ""), 0, 10**9)
        limit = _int(request.query_params.get("limit", ""), 100, MAX_PAGE)
        pairs = duplicates.duplicate_report_pairs(
            report=report, user=request.user, offset=offset, limit=limit
        )
        return Response(
            {
                "count": report.pairs,
                "results": [
                    {
                        "position": p.position,
                        "first": p.first_id,
                        "second": p.second_id,
                        "score": p.score,
                        "text": p.text,
                        "duplicate": p.duplicate,
                        "reasons": p.reasons,
                    }
                    for p in pairs
                    if p.first.readable and p.second.readable  # type: ignore[attr-defined]
                ],
            }
        )

    @extend_schema(responses={200: OpenApiResponse(description="XLSX"), 409: dict})
    @action(detail=True)
    def xlsx(self, request: Request, pk: str) -> HttpResponse | Response:
        report = duplicates.duplicate_report_get(user=request.user, pk=int(pk), with_file="xlsx")
        if not report.is_done:
            return _not_ready()
        response = HttpResponse(bytes(report.xlsx or b""), content_type=CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="{report.filename("xlsx")}"'
        return response

    @extend_schema(responses={200: OpenApiResponse(description="CSV (UTF-8)"), 409: dict})
    @action(detail=True)
    def csv(self, request: Request, pk: str) -> StreamingHttpResponse | Response:
        report = duplicates.duplicate_report_get(user=request.user, pk=int(pk), with_file="csv_gz")
        if not report.is_done:
            return _not_ready()
        response = StreamingHttpResponse(
            duplicates.duplicate_report_csv(report), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{report.filename("csv")}"'
        return response
