"""In the embedded mode, jobs queued for later (reminders, retries) still run: the web process's
runner picks them up once they are due."""

import datetime
import threading
import time

import pytest
import time_machine
from django.utils import timezone

from samverkan.core import embedded_jobs
from samverkan.core.jobs import job_enqueue, task
from samverkan.core.models import Job

RUNS: list[int] = []


@task("tests.embedded_echo", max_attempts=3, retry_base_seconds=60)
def _echo(ctx, *, n: int) -> dict:
    RUNS.append(n)
    return {"n": n}


FAIL_FIRST: dict[str, bool] = {}


@task("tests.embedded_flaky", max_attempts=3, retry_base_seconds=60)
def _flaky(ctx, *, key: str) -> dict:
    if not FAIL_FIRST.get(key):
        FAIL_FIRST[key] = True
        raise ConnectionError("SMTP down for a moment")
    return {"ok": True}


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.JOBS_MODE = "inline"
    RUNS.clear()
    FAIL_FIRST.clear()


def test_a_job_queued_for_later_runs_once_it_is_due(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue("tests.embedded_echo", delay_seconds=3600, n=7)
    assert embedded_jobs.jobs_run_due_once() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and RUNS == []

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, seconds=1)):
        assert embedded_jobs.jobs_run_due_once() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and RUNS == [7]


def test_a_job_that_failed_is_retried_after_its_back_off(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue("tests.embedded_flaky", key="a")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1  # failed once, queued again

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        embedded_jobs.jobs_run_due_once()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2


def test_no_runner_in_the_queue_mode(settings):
    settings.JOBS_MODE = "queue"
    assert embedded_jobs.embedded_job_runner_start() is None


class _OnePass(threading.Event):
    """A stop event that lets the runner's loop make exactly one pass."""

    def __init__(self):
        super().__init__()
        self.waits = 0

    def wait(self, timeout=None):
        self.waits += 1
        return self.waits > 1


def test_the_runner_loop_runs_due_jobs_and_survives_a_failing_pass(db, monkeypatch):
    job = job_enqueue("tests.embedded_echo", delay_seconds=0, n=5)  # not committed: no inline run
    embedded_jobs._poll(_OnePass(), 0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and RUNS == [5]

    def database_gone():
        raise ConnectionError("database restarting")

    monkeypatch.setattr(embedded_jobs, "jobs_run_due_once", database_gone)
    embedded_jobs._poll(_OnePass(), 0)  # logged, not raised: the thread lives on


@pytest.mark.postgres
def test_the_runner_thread_runs_due_jobs_without_a_request(
    reference_data_after_flush, transactional_db, settings, monkeypatch
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database locks whole tables across threads")
    settings.JOBS_INLINE_POLL_SECONDS = 0.05
    monkeypatch.setattr(embedded_jobs, "_runner", None)
    job = job_enqueue("tests.embedded_echo", delay_seconds=1, n=3)
    stop = threading.Event()
    runner = embedded_jobs.embedded_job_runner_start(stop=stop)
    try:
        assert runner is not None and runner.is_alive()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == Job.Status.DONE:
                break
            time.sleep(0.05)
        assert job.status == Job.Status.DONE and RUNS == [3]
    finally:
        stop.set()
        runner.join(timeout=5)
