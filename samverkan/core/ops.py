"""Operations: request ids, JSON logs, Prometheus metrics, Content-Security-Policy, rate limits.

* ``RequestIdMiddleware`` gives every request an id (the caller's ``X-Request-ID`` when it is
  well formed, else a new one), returns it in the ``X-Request-ID`` header, makes it available to
  every log record through ``RequestIdFilter`` and times the request for ``/metrics``.
* ``JsonFormatter`` writes one JSON object per log line (``LOG_FORMAT=json``).
* ``metrics`` serves Prometheus metrics to callers with ``METRICS_TOKEN`` (``Authorization:
  Bearer …``) or to direct requests (no proxy headers) from ``METRICS_ALLOWED_IPS``; job figures
  are read from the database so they are the same whichever process is scraped.
* ``ContentSecurityPolicyMiddleware`` sends a policy without ``unsafe-inline`` scripts.
* ``rate_limit`` limits a view per client address with the Django cache.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.logs import request_id_var

logger = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

try:  # prometheus-client is a dependency; keep the app importable without it all the same
    from prometheus_client import (
        CONTENT_TYPE_LATEST,
        CollectorRegistry,
        Histogram,
        generate_latest,
    )
    from prometheus_client.core import GaugeMetricFamily

    REQUEST_LATENCY: Histogram | None = Histogram(
        "samverkan_request_duration_seconds",
        "Time to answer a request, by view name, method and status class.",
        ["view", "method", "status"],
        buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    )
except ImportError:  # pragma: no cover
    REQUEST_LATENCY = None


# --- request ids and logs ---------------------------------------------------------------------


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - started
        response["X-Request-ID"] = request_id
        if REQUEST_LATENCY is not None:
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match is not None and match.view_name else "unresolved"
            REQUEST_LATENCY.labels(
                view=view, method=request.method or "", status=f"{response.status_code // 100}xx"
            ).observe(elapsed)
        return response


# --- readiness and metrics --------------------------------------------------------------------


def queue_figures() -> dict[str, Any]:
    from django.db.models import Count, Min

    from samverkan.core.models import Job

    counts = dict(Job.objects.values_list("status").annotate(n=Count("pk")).order_by())
    oldest = Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=timezone.now()).aggregate(
        oldest=Min("run_after")
    )["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "queued": counts.get(Job.Status.QUEUED, 0),
        "running": counts.get(Job.Status.RUNNING, 0),
        "failed": counts.get(Job.Status.FAILED, 0),
        "done": counts.get(Job.Status.DONE, 0),
        "oldest_due_seconds": round(max(age, 0.0), 1),
    }


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the trusted proxies saw it.

    Behind ``RATELIMIT_TRUSTED_PROXIES`` proxies (each appends the address it received the
    request from to ``X-Forwarded-For``), the client is the entry the outermost trusted proxy
    appended: the N-th from the right. Entries further left were written by the client and can
    say anything, so they are never used; a header shorter than the proxy chain, or an entry
    that is not an IP address, falls back to the connecting address."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.RATELIMIT_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# Headers a reverse proxy adds: a request carrying one came through the proxy, whose own address
# (often 127.0.0.1 on the same host) says nothing about who is asking.
_PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def _metrics_allowed(request: HttpRequest) -> bool:
    """With ``METRICS_TOKEN``: ``Authorization: Bearer <token>``. Without it: a direct request
    from ``METRICS_ALLOWED_IPS``, never one that came through the proxy."""
    import hmac

    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if any(header in request.headers for header in _PROXY_HEADERS):
        return False
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


class _JobCollector:
    def collect(self) -> Iterable[Any]:
        figures = queue_figures()
        jobs = GaugeMetricFamily("samverkan_jobs", "Background jobs by status.", labels=["status"])
        for status in ("queued", "running", "failed", "done"):
            jobs.add_metric([status], figures[status])
        yield jobs
        yield GaugeMetricFamily(
            "samverkan_job_queue_depth", "Jobs waiting to run.", value=figures["queued"]
        )
        yield GaugeMetricFamily(
            "samverkan_job_failures",
            "Jobs that failed after their last attempt.",
            value=figures["failed"],
        )
        yield GaugeMetricFamily(
            "samverkan_job_queue_oldest_due_seconds",
            "Age of the oldest due job still waiting.",
            value=figures["oldest_due_seconds"],
        )


def metrics(request: HttpRequest) -> HttpResponse:
    import os

    from prometheus_client import REGISTRY

    if not _metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
        output = generate_latest(registry)
    else:
        output = generate_latest(REGISTRY)
    jobs_registry = CollectorRegistry()
    jobs_registry.register(_JobCollector())  # type: ignore[arg-type]
    output += generate_latest(jobs_registry)
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


# --- Content-Security-Policy ------------------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The API documentation (Swagger UI from drf-spectacular) starts itself with an inline script.
CSP_API_DOCS = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
# Django's admin sets a few style attributes.
CSP_ADMIN = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith("/api/docs/"):
                policy = CSP_API_DOCS
            elif request.path.startswith("/admin/"):
                policy = CSP_ADMIN
            else:
                policy = CSP
            response["Content-Security-Policy"] = policy
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


# --- rate limits ------------------------------------------------------------------------------


def rate_limited(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one hit for ``key`` in ``scope``; True when the limit for the period is exceeded.

    With a shared cache (Redis) the count is shared by every web process. When the cache
    cannot be reached the request is let through (and logged): an outage of the cache must
    not lock everybody out of signing in."""
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    try:
        if cache.add(cache_key, 1, timeout=period + 1):
            return False
        try:
            hits = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=period + 1)
            return False
    except Exception as exc:  # redis.ConnectionError, TimeoutError, ...
        logger.warning("rate limit %s not checked, the cache is unavailable: %s", scope, exc)
        return False
    return hits > limit


def rate_limit(
    scope: str, *, methods: tuple[str, ...] = ("POST",), per_token: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limit a view per client address (and per ``token`` URL argument when ``per_token``).

    The limit is ``settings.RATE_LIMITS[scope] = (requests, seconds)``; a limited request
    gets 429 with ``Retry-After``. Methods not listed are not counted.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            rule = settings.RATE_LIMITS.get(scope)
            if rule and request.method in methods:
                limit, period = rule
                key = client_ip(request)
                if per_token:
                    key += ":" + str(kwargs.get("token", ""))[:64]
                if rate_limited(scope=scope, key=key, limit=limit, period=period):
                    response = HttpResponse(
                        _("För många försök. Vänta en stund och försök igen."),
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
                    response["Retry-After"] = str(period)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


# --- the database going away ------------------------------------------------------------------

RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException | None) -> bool:
    """A lost or refused database connection (server restarting, network, failover)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest, exc: BaseException | None = None) -> HttpResponse:
    """503 with Retry-After: the request failed cleanly and may be repeated. The broken
    connection is closed after the request (Django checks it), and the next request connects
    afresh, so the process recovers by itself once the database answers again."""
    import json

    logger.error("database unavailable on %s: %s", request.path, exc)
    if request.path.startswith("/api/"):
        from samverkan.core.api import error_body

        response = HttpResponse(
            json.dumps(
                error_body(503, "unavailable", "The database is unavailable; try again shortly.")
            ),
            status=503,
            content_type="application/json",
        )
    else:
        response = HttpResponse(
            _("Tjänsten är tillfälligt otillgänglig. Försök igen om en stund."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database outage is a 503 (retry), anything else a plain 500."""
    import sys

    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        return unavailable_response(request, exc)
    from django.views.defaults import server_error as django_server_error

    return django_server_error(request)
