"""Shared parts of the funding API modules: the documented refusals and the applications a user
may read through the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from samverkan.core.api import ErrorOutput
from samverkan.funding import access
from samverkan.funding.models import Application

NOT_READABLE = OpenApiResponse(
    ErrorOutput, description="Finns inte, eller du får inte läsa den (annan organisation)."
)


def refusals(invalid: str, forbidden: str) -> dict[int, OpenApiResponse]:
    """The error responses of a write, in the one error shape (``core.api.ErrorOutput``)."""
    return {
        400: OpenApiResponse(ErrorOutput, description=invalid),
        403: OpenApiResponse(ErrorOutput, description=forbidden),
        404: NOT_READABLE,
    }


def read_refusals(forbidden: str | None = None) -> dict[int, OpenApiResponse]:
    """The error responses of a read: 404 when not readable, 403 when readable but not the
    user's to see in this way (``forbidden``)."""
    out = {404: NOT_READABLE}
    if forbidden:
        out[403] = OpenApiResponse(ErrorOutput, description=forbidden)
    return out


def file_responses(content_type: str, what: str) -> dict[Any, Any]:
    """A binary download in the schema, with its refusals."""
    return {(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=what)}


def applications_queryset(user: Any) -> Any:
    return access.applications_readable(
        Application.objects.select_related("owner", "county", "decision").prefetch_related(
            "indicators"
        ),
        user,
    )
