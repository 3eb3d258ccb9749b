"""Probes, request ids, JSON logs, metrics, security headers and rate limits."""

import json
import logging

import pytest
from django.urls import reverse

from samverkan.core.logs import JsonFormatter, RequestIdFilter, request_id_var
from samverkan.core.models import Job


@pytest.mark.django_db
def test_readyz_reports_database_and_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["queue"]["queued"] == 0
    assert "oldest_due_seconds" in body["queue"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_request_id_is_returned_and_kept_when_well_formed(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def")
    assert given["X-Request-ID"] == "abc-123-def"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected')
    assert hostile["X-Request-ID"] != 'x" injected'


def test_json_log_line_carries_request_id():
    record = logging.LogRecord("samverkan", logging.INFO, __file__, 1, "hej %s", ("du",), None)
    token = request_id_var.set("req-0001")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hej du"
    assert line["request_id"] == "req-0001"
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_metrics_are_served_to_allowed_addresses_only(client, settings):
    Job.objects.create(name="x", kwargs={}, run_after="2020-01-01T00:00Z")
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "samverkan_request_duration_seconds_bucket" in text
    assert 'view="healthz"' in text
    assert "samverkan_job_queue_depth 1.0" in text
    assert "samverkan_job_queue_oldest_due_seconds" in text
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 403
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


@pytest.mark.django_db
def test_content_security_policy_has_no_inline_scripts(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_scripts_or_handlers():
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "samverkan", "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            if "src=" not in match.group("attrs"):
                offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline event handler")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path}: style attribute")
    assert offenders == []


@pytest.mark.django_db
def test_login_is_rate_limited(client, settings):
    # An hour's window: a slow machine must not carry the four requests into the next window.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 3600)}
    url = reverse("accounts:login")
    for _ in range(3):
        assert client.post(url, {"username": "a@b.se", "password": "fel"}).status_code == 200
    limited = client.post(url, {"username": "a@b.se", "password": "fel"})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    assert client.get(url).status_code == 200  # reading the form is not counted


@pytest.mark.django_db
def test_password_reset_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": (2, 3600)}
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": "x@example.se"}).status_code == 302
    assert client.post(url, {"email": "x@example.se"}).status_code == 429


@pytest.mark.django_db
def test_public_token_links_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_token": (2, 3600)}
    survey = reverse("surveys:answer", args=["no-such-token"])
    consultation = reverse("plans:consultation_respond", args=["no-such-remiss"])
    for url in (survey, consultation):
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 429
    # another token is counted on its own
    assert client.get(reverse("surveys:answer", args=["other-token"])).status_code == 404


@pytest.mark.django_db
def test_job_of_a_lost_worker_is_queued_again_or_failed(settings):
    from datetime import timedelta

    from django.utils import timezone

    from samverkan.core.jobs import jobs_requeue_lost

    settings.JOBS_LOST_AFTER_SECONDS = 60
    long_ago = timezone.now() - timedelta(minutes=5)
    lost = Job.objects.create(
        name="x", kwargs={}, run_after=long_ago, status="running", started_at=long_ago, attempts=1
    )
    last = Job.objects.create(
        name="x",
        kwargs={},
        run_after=long_ago,
        status="running",
        started_at=long_ago,
        attempts=5,
        max_attempts=5,
    )
    busy = Job.objects.create(
        name="x", kwargs={}, run_after=long_ago, status="running", started_at=timezone.now()
    )
    assert jobs_requeue_lost() == 2
    lost.refresh_from_db()
    last.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, last.status, busy.status) == ("queued", "failed", "running")
