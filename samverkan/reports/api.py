"""REST API: start a report build (a background job), follow its status, download, publish."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors import selectors as actor_selectors
from samverkan.core.reporting.registry import section_choices
from samverkan.reports import selectors, services
from samverkan.reports.models import (
    CONTENT_TYPES,
    GeneratedReport,
    ReportFormat,
    ReportKind,
    ReportTemplate,
)


class ReportInput(serializers.Serializer):
    owner = serializers.SlugField(help_text="organisationens kod (den som äger rapporten)")
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    county = serializers.CharField(required=False, allow_blank=True, help_text="länskod")
    network = serializers.SlugField(required=False, allow_blank=True, help_text="nätverkets kod")
    year_start = serializers.IntegerField()
    year_end = serializers.IntegerField(required=False)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=section_choices()), required=False
    )
    format = serializers.ChoiceField(choices=ReportFormat.choices, default="pdf")
    public_data = serializers.BooleanField(default=False)
    recommendations = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20_000,
        help_text="författarens utmaningar och rekommendationer (rapportens sista kapitel)",
    )
    template = serializers.IntegerField(required=False, help_text="rapportmallens id")


class ReportOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")
    status = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    progress_message = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "title",
            "kind",
            "format",
            "year_start",
            "year_end",
            "sections",
            "snapshot_at",
            "status",
            "progress",
            "progress_message",
            "content_hash",
            "size",
            "public_data",
            "visibility",
            "owner_code",
            "download_url",
        ]

    def get_status(self, report: GeneratedReport) -> str:
        if report.is_done:
            return "done"
        return report.job.status if report.job else "queued"

    def get_progress(self, report: GeneratedReport) -> int:
        return 100 if report.is_done else (report.job.progress if report.job else 0)

    def get_progress_message(self, report: GeneratedReport) -> str:
        return report.job.progress_message if report.job and not report.is_done else ""

    def get_download_url(self, report: GeneratedReport) -> str | None:
        return reverse("api:report-download", args=[report.pk]) if report.is_done else None


class PublishInput(serializers.Serializer):
    publish = serializers.BooleanField()


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Generated reports the user may read; POST starts a build in the background."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = ReportOutput

    def get_queryset(self) -> QuerySet[GeneratedReport]:
        return selectors.generated_list(user=self.request.user)

    @extend_schema(request=ReportInput, responses={202: ReportOutput})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = get_object_or_404(
            actor_selectors.organisation_writable_list(user=request.user), code=values.pop("owner")
        )
        template: ReportTemplate | None = None
        if "template" in values:
            template = selectors.template_get(user=request.user, pk=values.pop("template"))
        report = services.generated_report_start(
            user=request.user,
            owner=owner,
            fmt=values.pop("format"),
            template=template,
            year_end=values.pop("year_end", None) or values["year_start"],
            **values,
        )
        report.refresh_from_db()
        return Response(ReportOutput(report).data, status=status.HTTP_202_ACCEPTED)

    def perform_destroy(self, instance: GeneratedReport) -> None:
        services.generated_report_delete(user=self.request.user, report=instance)

    @extend_schema(responses={200: OpenApiResponse(description="the file"), 409: dict})
    @action(detail=True)
    def download(self, request: Request, pk: Any = None) -> HttpResponse | Response:
        report = selectors.generated_get(user=request.user, pk=pk)
        if not report.is_done:
            return Response(
                {"status": 409, "code": "not_ready", "message": "Rapporten är inte färdig än."},
                status=status.HTTP_409_CONFLICT,
            )
        response = HttpResponse(
            bytes(report.content or b""), content_type=CONTENT_TYPES[report.format]
        )
        response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
        return response

    @extend_schema(request=PublishInput, responses=ReportOutput)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        report = selectors.generated_get(user=request.user, pk=pk)
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.generated_report_publish(
            user=request.user, report=report, publish=data.validated_data["publish"]
        )
        return Response(ReportOutput(report).data)
