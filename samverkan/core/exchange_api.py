"""Import and export through the API: ``POST /api/import/{kind}/``, ``GET /api/export/{kind}/``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.actors.models import Organisation
from samverkan.core.exchange import (
    CONTENT_TYPES,
    EXPORT_FORMATS,
    EXPORTERS,
    IMPORTERS,
    data_export,
    data_import,
    read_upload_or_reject,
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
        responses=inline_serializer(
            "ImportResult",
            {
                "kind": serializers.CharField(),
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in IMPORTERS:
            raise NotFound(f"unknown kind {kind!r}")
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["En fil krävs."]})
        acting_for = None
        acting_for_code = request.POST.get("acting_for")
        if acting_for_code:
            acting_for = get_object_or_404(Organisation, code=acting_for_code)
        result = data_import(
            kind=kind,
            data=read_upload_or_reject(upload),
            filename=upload.name,
            user=request.user,
            acting_for=acting_for,
        )
        return Response(
            {"kind": result.kind, "created": result.created, "updated": result.updated}, status=201
        )


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
