"""Request plumbing: Swedish first, every ``/api/`` failure in the API's JSON error shape (even
those Django answers itself: CSRF failures, unknown URLs, server errors), NUL refused in
addresses, and a time budget for API requests."""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from samverkan.core.api import error_body
from samverkan.core.ops import RETRY_AFTER_SECONDS, database_unavailable, unavailable_response

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


class NulInAddressMiddleware:
    """A NUL character (``%00``) in the path or in any query parameter is a 400, before a view
    passes it to the database: PostgreSQL cannot compare text containing NUL, so every search
    and filter parameter (``?q=%00``, ``?county=%00``) was a 500 there. One place for all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("Adressen innehåller ett otillåtet tecken (NUL, %00).")
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(400, "bad_request", message), status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestTimeout(Exception):
    """The request used up ``API_TIME_BUDGET_SECONDS``."""


class ApiTimeBudgetMiddleware:
    """An ``/api/`` request still running after ``API_TIME_BUDGET_SECONDS`` is stopped and
    answered with the API's error shape (503, code ``timeout``, Retry-After), before gunicorn's
    worker timeout kills the worker (whose own answer is an HTML 500; ``gunicorn_worker`` turns
    that into the same JSON for what the budget cannot stop, e.g. a long call in C).

    A SIGALRM timer raises ``RequestTimeout`` wherever the request is; it works in the main
    thread only (gunicorn's sync workers, where the worker timeout applies), so threaded
    servers (runserver, gthread) are not timed. 0 (the default outside gunicorn) turns it off;
    ``gunicorn_conf`` sets it from the worker timeout. A database connection interrupted
    mid-query is checked and closed after the request, not reused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        budget = float(getattr(settings, "API_TIME_BUDGET_SECONDS", 0) or 0)
        if (
            budget <= 0
            or not request.path.startswith("/api/")
            or threading.current_thread() is not threading.main_thread()
        ):
            return self.get_response(request)
        state = {"running": True, "timed_out": False}

        def stop(signum: int, frame: Any) -> None:
            if state["running"]:
                state["timed_out"] = True
                raise RequestTimeout(f"{request.method} {request.path} ran over {budget:g} s")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            response = self.get_response(request)
        except RequestTimeout:  # raised outside the handlers that turn exceptions into answers
            response = HttpResponse(status=500)
        finally:
            state["running"] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if not state["timed_out"]:
            return response
        logger.error("API request stopped after %s s: %s %s", budget, request.method, request.path)
        for connection in connections.all(initialized_only=True):
            connection.errors_occurred = True  # checked (and closed if unusable) after the request
        timeout = JsonResponse(
            error_body(
                503,
                "timeout",
                _("Anropet tog för lång tid och avbröts; försök igen eller be om mindre i taget."),
            ),
            status=503,
        )
        timeout["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return timeout
