"""Import and export through the API: ``POST /api/import/{kind}/``, ``GET /api/export/{kind}/``."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core import tenancy
from samverkan.core.exchange import (
    CONTENT_TYPES,
    EXPORT_FORMATS,
    EXPORTERS,
    IMPORTERS,
    data_export,
    read_upload_or_reject,
)
from samverkan.core.import_runs import data_import_start, import_run_get
from samverkan.core.models import ImportRun
from samverkan.core.tenancy import WRITE_ROLES, organisation_ids

IMPORT_RUN_SCHEMA = inline_serializer(
    "ImportRun",
    {
        "id": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "filename": serializers.CharField(),
        "status": serializers.ChoiceField(
            choices=["queued", "running", "done", "rejected", "failed"]
        ),
        "progress": serializers.IntegerField(),
        "created": serializers.IntegerField(allow_null=True),
        "updated": serializers.IntegerField(allow_null=True),
        "errors": serializers.ListField(child=serializers.DictField()),
        "url": serializers.CharField(),
    },
)


class ImportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["import/export"],
        request={
            "multipart/form-data": inline_serializer(
                "ImportUpload",
                {
                    "file": serializers.FileField(),
                    "acting_for": serializers.CharField(
                        required=False, help_text="Organisationens kod"
                    ),
                },
            )
        },
        responses={
            201: inline_serializer(
                "ImportResult",
                {
                    "kind": serializers.CharField(),
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                },
            ),
            202: IMPORT_RUN_SCHEMA,
        },
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in IMPORTERS:
            raise NotFound(f"unknown kind {kind!r}")
        acting_for = None
        acting_for_code = request.POST.get("acting_for")
        if acting_for_code:
            acting_for = get_object_or_404(tenancy.organisation_model(), code=acting_for_code)
        else:
            acting_for = _only_organisation_acted_for(request.user)
        # The right to import is checked before the upload is read.
        IMPORTERS[kind].authorize(user=request.user, acting_for=acting_for)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["En fil krävs."]})
        outcome = data_import_start(
            kind=kind,
            data=read_upload_or_reject(upload),
            filename=upload.name,
            user=request.user,
            acting_for=acting_for,
        )
        if isinstance(outcome, ImportRun):
            return Response(import_run_body(outcome), status=202)
        return Response(
            {"kind": outcome.kind, "created": outcome.created, "updated": outcome.updated},
            status=201,
        )


def _only_organisation_acted_for(user: Any) -> Any:
    """Without ``acting_for``, a user who acts for exactly one organisation imports for it."""
    if user.is_superuser:
        return None
    ids = list(organisation_ids(user, WRITE_ROLES))
    organisations = tenancy.organisation_model()._default_manager
    return organisations.filter(pk=ids[0]).first() if len(ids) == 1 else None


def import_run_body(run: ImportRun) -> dict[str, Any]:
    job = run.job
    return {
        "id": run.pk,
        "kind": run.kind,
        "filename": run.filename,
        "status": run.status,
        "progress": 100 if run.status in ("done", "rejected") else (job.progress if job else 0),
        "created": run.created,
        "updated": run.updated,
        "errors": run.errors,
        "url": reverse("api:import-run", args=[run.pk]),
    }


class ImportRunView(APIView):
    """A large import's progress and outcome; seen only by the person who started it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["import/export"], responses=IMPORT_RUN_SCHEMA)
    def get(self, request: Request, pk: int) -> Response:
        return Response(import_run_body(import_run_get(user=request.user, pk=pk)))


class ExportView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["import/export"],
        parameters=[
            OpenApiParameter("format", str, enum=list(EXPORT_FORMATS)),
            OpenApiParameter("county", str, description="Länskod"),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        if kind not in EXPORTERS:
            raise NotFound(f"unknown kind {kind!r}")
        fmt = request.query_params.get("format", "json")
        if fmt not in EXPORT_FORMATS:
            raise ValidationError({"format": [f"Välj ett av {', '.join(EXPORT_FORMATS)}."]})
        content = data_export(
            kind=kind,
            fmt=fmt,
            user=request.user,
            options={"county": request.query_params.get("county", "")},
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
        return response
