"""Background jobs, stored in the database.

A job is a registered task name plus keyword arguments that are ids (never ORM objects);
the task reloads its records and re-checks permissions. ``job_enqueue`` writes the job row
in the caller's transaction and only hands it to a runner after that transaction commits.
With ``JOBS_MODE=inline`` (the embedded default) the job runs in the same process right after
the commit; with ``JOBS_MODE=queue`` ``samverkan worker`` processes claim and run jobs, with
retries and exponential back-off. A task raises ``PermanentJobError`` for a failure that a
retry cannot mend; the job then fails at once.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.core.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    name: str
    func: Callable[..., Any]
    max_attempts: int
    retry_base_seconds: int


TASKS: dict[str, Task] = {}


class PermanentJobError(Exception):
    """A task's failure that no retry can mend (a message that cannot be built, say): the job
    fails at once instead of being retried with back-off."""


class JobContext:
    def __init__(self, job: Job):
        self.job = job

    def progress(self, percent: int, message: str = "") -> None:
        Job.objects.filter(pk=self.job.pk).update(
            progress=max(0, min(100, percent)), progress_message=message[:200]
        )


def task(name: str, *, max_attempts: int = 5, retry_base_seconds: int = 30) -> Callable[..., Any]:
    """Register ``func(ctx: JobContext, **kwargs)`` as the task ``name``."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        TASKS[name] = Task(name, func, max_attempts, retry_base_seconds)
        return func

    return register


def job_enqueue(name: str, *, user: Any = None, delay_seconds: int = 0, **kwargs: Any) -> Job:
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    job = Job.objects.create(
        name=name,
        kwargs=kwargs,
        max_attempts=TASKS[name].max_attempts,
        run_after=timezone.now() + timedelta(seconds=delay_seconds),
        user=tenancy.db_user(user),
    )
    if settings.JOBS_MODE == "inline" and delay_seconds == 0:
        transaction.on_commit(lambda: job_run(job_id=job.pk))
    return job


def jobs_requeue_lost() -> int:
    """Jobs left running by a worker that died (killed, machine lost) longer than
    ``JOBS_LOST_AFTER_SECONDS`` ago go back to the queue (or fail, after their last attempt).
    Tasks are idempotent and take ids, so running one again is safe."""
    lost_before = timezone.now() - timedelta(seconds=settings.JOBS_LOST_AFTER_SECONDS)
    lost = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=lost_before)
    message = "worker lost while running the job"
    failed = lost.filter(attempts__gte=F("max_attempts")).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), error=message
    )
    requeued = lost.update(status=Job.Status.QUEUED, run_after=timezone.now(), error=message)
    if failed or requeued:
        logger.warning("requeued %d and failed %d lost job(s)", requeued, failed)
    return failed + requeued


def _claim(job_id: int | None = None) -> Job | None:
    with transaction.atomic():
        jobs = Job.objects.filter(status=Job.Status.QUEUED, run_after__lte=timezone.now())
        if job_id is not None:
            jobs = jobs.filter(pk=job_id)
        if connection.vendor == "postgresql":
            jobs = jobs.select_for_update(skip_locked=True)
        job = jobs.order_by("run_after", "pk").first()
        if job is None:
            return None
        # Claimed only if still queued: on SQLite (no SKIP LOCKED) two processes, such as two
        # embedded runners, may both have read the job as queued; one update wins.
        started_at = timezone.now()
        claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, attempts=F("attempts") + 1, started_at=started_at
        )
        if not claimed:
            return None
        job.refresh_from_db()
        return job


def job_run(*, job_id: int | None = None) -> Job | None:
    """Claim one due job (or the given one) and run it; returns the job, or None if none was due."""
    job = _claim(job_id)
    if job is None:
        return None
    registered = TASKS.get(job.name)
    try:
        if registered is None:
            raise KeyError(f"unknown task {job.name!r}")
        result = registered.func(JobContext(job), **job.kwargs)
    except Exception as exc:
        logger.warning("job %s failed (attempt %d): %s", job, job.attempts, exc)
        job.error = "".join(traceback.format_exception_only(type(exc), exc))[-4000:]
        if (
            registered is not None
            and job.attempts < job.max_attempts
            and not isinstance(exc, PermanentJobError)
        ):
            job.status = Job.Status.QUEUED
            job.run_after = timezone.now() + timedelta(
                seconds=registered.retry_base_seconds * 2 ** (job.attempts - 1)
            )
        else:
            job.status = Job.Status.FAILED
            job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "run_after", "finished_at"])
        return job
    job.status = Job.Status.DONE
    job.progress = 100
    job.result = result if isinstance(result, dict) else {"result": result}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "result", "finished_at"])
    return job


def worker_loop(
    *,
    once: bool = False,
    idle_sleep: float = 1.0,
    max_jobs: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Run due jobs until stopped; returns how many ran."""
    ran = 0
    last_sweep = 0.0
    while (max_jobs is None or ran < max_jobs) and not should_stop():
        if time.monotonic() - last_sweep > 30:
            jobs_requeue_lost()
            last_sweep = time.monotonic()
        job = job_run()
        if job is None:
            if once:
                break
            time.sleep(idle_sleep)
            continue
        ran += 1
    return ran
