"""Shared API plumbing: pagination and the one JSON error shape.

Every error from ``/api/`` has the form
``{"status": 400, "code": "invalid", "message": "...", "errors": {"field": ["..."]}}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from samverkan.core.exchange import ImportRejected
from samverkan.core.versioning import EditConflict


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class ErrorOutput(serializers.Serializer):
    """The one error shape, for the API documentation (``error_body`` builds it)."""

    status = serializers.IntegerField()
    code = serializers.CharField(help_text="invalid, permission_denied, not_found, …")
    message = serializers.CharField(help_text="The first error, readable as it stands.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # "errors" would shadow Serializer.errors as a class attribute
        fields["errors"] = serializers.DictField(
            help_text="invalid: field name (or non_field_errors) → messages; import_rejected: "
            "rows with row, column and message; otherwise empty."
        )
        return fields


def version_field() -> serializers.IntegerField:
    """The ``version`` an edit starts from (as the record's GET gave it): sent, it is checked and
    a record changed since answers 409; left out, only the fields sent are changed."""
    return serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "Versionen ändringen utgår från (från GET). Har posten ändrats sedan dess svarar "
            "API:t 409 och inget sparas."
        ),
    )


def error_body(status_code: int, code: str, message: str, errors: Any = None) -> dict[str, Any]:
    return {"status": status_code, "code": code, "message": message, "errors": errors or {}}


def _flatten_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _flatten_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        return f"{key}: {_flatten_message(value)}"
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ImportRejected):
        rows = [{"row": e.row, "column": e.column, "message": e.message} for e in exc.errors]
        return Response(
            error_body(400, "import_rejected", str(exc), {"rows": rows}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, EditConflict):
        return Response(
            error_body(
                409,
                "conflict",
                exc.messages[0],
                {"version": [exc.messages[0]], "current_version": exc.theirs},
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors: Any
    code: Any
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = _flatten_message(exc.detail)
        code = "invalid"
    else:
        errors = {}
        error_detail: Any = getattr(exc, "detail", "")
        message = str(error_detail)
        code = getattr(error_detail, "code", None) or str(getattr(exc, "default_code", "error"))
    response.data = error_body(response.status_code, str(code), message, errors)
    return response
