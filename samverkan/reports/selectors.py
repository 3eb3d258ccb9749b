"""Reads of report templates and generated reports, always through the tenancy rules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.reports.models import GeneratedReport, ReportTemplate


def template_list(*, user: Any) -> QuerySet[ReportTemplate]:
    return tenancy.readable(
        ReportTemplate.objects.select_related("owner", "county", "network"), user
    ).order_by("title", "pk")


def template_get(*, user: Any, pk: int) -> ReportTemplate:
    return tenancy.get_readable_or_404(
        ReportTemplate.objects.select_related("owner", "county", "network"), user, pk=pk
    )


def generated_list(*, user: Any) -> QuerySet[GeneratedReport]:
    return (
        tenancy.readable(GeneratedReport.objects.select_related("owner", "job"), user)
        .defer("content")
        .order_by("-created_at", "-pk")
    )


def generated_get(*, user: Any, pk: int) -> GeneratedReport:
    return tenancy.get_readable_or_404(
        GeneratedReport.objects.select_related("owner", "job", "county", "network"), user, pk=pk
    )


def published_for(*, organisation: Organisation) -> QuerySet[GeneratedReport]:
    """Finished reports of the organisation that anyone may read (visibility public)."""
    return (
        tenancy.readable(GeneratedReport.objects.filter(owner=organisation), None)
        .exclude(content_hash="")
        .defer("content")
        .order_by("-snapshot_at", "-pk")
    )
