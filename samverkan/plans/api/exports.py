"""REST API for the plan as PDF: ``POST /api/action-plans/{id}/export-pdf/`` starts the build
(202 with a status URL, see ``api.ActionPlanViewSet``); ``/api/plan-exports/{id}/`` reports
status and progress and ``/api/plan-exports/{id}/download/`` gives the file."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.plans import exports
from samverkan.plans.models import PlanExport


class PlanExportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    progress_message = serializers.CharField()
    activities = serializers.IntegerField()
    content_hash = serializers.CharField()
    size = serializers.IntegerField()
    status_url = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)


def export_body(export: PlanExport) -> dict[str, Any]:
    job = export.job
    done = export.is_done
    return {
        "id": export.pk,
        "plan": export.plan_id,
        "status": exports.plan_export_status(export),
        "progress": 100 if done else (job.progress if job else 0),
        "progress_message": "" if done or job is None else job.progress_message,
        "activities": export.activities,
        "content_hash": export.content_hash,
        "size": export.size,
        "status_url": reverse("api:plan-export-detail", args=[export.pk]),
        "download_url": reverse("api:plan-export-download", args=[export.pk]) if done else None,
    }


@extend_schema(tags=["strategier"])
class PlanExportViewSet(viewsets.GenericViewSet):
    """PDFs of action plans built in the background; readable by whoever can read the plan."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = PlanExport.objects.none()
    serializer_class = PlanExportOutput
    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    def retrieve(self, request: Request, pk: str) -> Response:
        export = exports.plan_export_get(user=request.user, pk=int(pk))
        return Response(export_body(export))

    @extend_schema(responses={200: OpenApiResponse(description="the PDF"), 409: dict})
    @action(detail=True)
    def download(self, request: Request, pk: str) -> HttpResponse | Response:
        export = exports.plan_export_get(user=request.user, pk=int(pk), with_content=True)
        if not export.is_done:
            return Response(
                {"status": 409, "code": "not_ready", "message": "PDF:en är inte färdig än."},
                status=status.HTTP_409_CONFLICT,
            )
        response = HttpResponse(bytes(export.content or b""), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
