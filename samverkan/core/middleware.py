"""Give every ``/api/`` failure the API's JSON error shape, even those Django answers itself
(CSRF failures, unknown URLs, server errors)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from samverkan.core.api import error_body
from samverkan.core.ops import database_unavailable, unavailable_response

logger = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    500: "server_error",
    503: "unavailable",
}
_MESSAGES = {
    400: "Bad request.",
    403: "Permission denied (CSRF or access).",
    404: "Not found.",
    405: "Method not allowed.",
    413: "Request body too large.",
    500: "Server error.",
    503: "Service unavailable; try again shortly.",
}


class SwedishFirstLocaleMiddleware:
    """Swedish unless the visitor chose another language (language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which for most
    machines in Swedish public administration says English; the product is Swedish first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status_code = response.status_code
        return JsonResponse(
            error_body(
                status_code, _CODES.get(status_code, "error"), _MESSAGES.get(status_code, "Error.")
            ),
            status=status_code,
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        if database_unavailable(exception):
            return unavailable_response(request, exception)
        logger.exception("API error on %s", request.path)
        return HttpResponse(
            json.dumps(error_body(500, "server_error", "Server error.")),
            status=500,
            content_type="application/json",
        )
