"""Faults: the database going away answers a clean 503 and the process recovers by itself; a
worker killed in the middle of a job leaves nothing half-written and the job is run again.
(SMTP down: samverkan/surveys/tests/test_email.py; all three end to end: bench/faults.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client

from samverkan.core.models import Job

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.faults


class DatabaseDown:
    """Every query on this thread's connection fails as when the server is gone."""

    def __init__(self) -> None:
        self.down = True
        self.refused = 0

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001
        if self.down:
            self.refused += 1
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return execute(sql, params, many, context)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/projekt/?q=validering", "text/plain"),
        ("/lan/12/", "text/plain"),
        ("/api/projects/", "application/json"),
        ("/readyz", "application/json"),
    ],
)
def test_database_outage_is_a_clean_503_and_recovers_without_restart(db, path, content_type):
    client = Client(raise_request_exception=False)
    outage = DatabaseDown()
    with connection.execute_wrapper(outage):
        response = client.get(path)
        assert response.status_code == 503
        assert response["Content-Type"].startswith(content_type)
        assert outage.refused >= 1
        if path != "/readyz":
            assert response["Retry-After"] == "5"
        if path.startswith("/api/"):
            assert response.json()["code"] == "unavailable"
        assert client.get("/healthz").status_code == 200  # the process itself is fine
        outage.down = False  # the database is back: the very next request works
        assert client.get(path).status_code == 200


def _wait_for(predicate, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-m", "samverkan.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_job_leaves_nothing_half_written_and_the_job_completes(
    reference_data_after_flush, organisation, settings
):
    """A report job is held at its final write (the test locks the report's row), its worker is
    killed with SIGKILL there, and a second worker takes the lost job over and finishes it."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: PostgreSQL")
    from samverkan.core import tenancy
    from samverkan.reports.models import GeneratedReport
    from samverkan.reports.services import content_hash, generated_report_start

    settings.JOBS_MODE = "queue"
    report = generated_report_start(
        user=tenancy.SYSTEM,
        owner=organisation,
        kind="county",
        county="12",
        fmt="html",
        year_start=2020,
        year_end=2024,
        sections=["organisations"],
    )
    job = report.job
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "JOBS_MODE": "queue",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
    }
    env.pop("TEST_DATABASE_NAME", None)
    with (
        psycopg.connect(url, autocommit=False) as lock,
        psycopg.connect(url, autocommit=True) as watch,
    ):
        lock.execute("SELECT id FROM reports_generatedreport WHERE id = %s FOR UPDATE", [report.pk])
        first = _worker(env)
        try:
            # The worker claims the job, builds the report and blocks writing it.
            _wait_for(
                lambda: (
                    watch.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                        "AND wait_event_type = 'Lock' "
                        "AND query LIKE 'UPDATE \"reports_generatedreport\"%%'",
                        [db["NAME"]],
                    ).fetchone()[0]
                    == 1
                ),
                60,
                "the worker to reach the report's write",
            )
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        lock.rollback()
    job.refresh_from_db()
    report.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1  # lost with its worker
    # Nothing half-written: the file is stored by one statement, so the report holds either
    # no file or the whole file with its checksum (PostgreSQL may finish the statement the
    # killed worker had already sent once the lock is released).
    content = bytes(report.content or b"")
    assert (not content and not report.content_hash and not report.size) or (
        report.content_hash == content_hash(content)
        and report.size == len(content)
        and content.rstrip().endswith(b"</html>")
    )

    second = _worker({**env, "JOBS_LOST_AFTER_SECONDS": "0"})
    try:
        _wait_for(
            lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, 60, "the job to finish"
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    job.refresh_from_db()
    report = GeneratedReport.objects.get(pk=report.pk)
    assert job.attempts == 2
    assert "worker lost" in job.error
    content = bytes(report.content)
    assert report.size == len(content) and report.content_hash == content_hash(content)
    assert b"<h1" in content and content.rstrip().endswith(b"</html>")
