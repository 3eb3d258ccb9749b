"""Due jobs in the embedded mode (``JOBS_MODE=inline``).

Inline mode runs a job right after the transaction that queued it commits. Jobs queued for
later (a consultation's automatic reminder, a retry after a transient failure) have no such
moment, so without a worker they would never run. The web process therefore keeps one daemon
thread that, every ``JOBS_INLINE_POLL_SECONDS``, requeues lost jobs and runs the ones that are
due, exactly as ``samverkan worker --once`` would. ``samverkan.wsgi`` starts it, so it runs under
``make run`` (runserver) and under gunicorn when a site keeps the inline mode; test servers do
not load that module and start nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

from samverkan.core.jobs import jobs_requeue_lost, worker_loop

logger = logging.getLogger(__name__)

_started = threading.Lock()
_runner: threading.Thread | None = None


def jobs_run_due_once() -> int:
    """One pass: requeue jobs whose worker was lost, then run every job that is due now."""
    jobs_requeue_lost()
    return worker_loop(once=True)


def _poll(
    stop: threading.Event, interval: float, *, tidy: Callable[[], None] = lambda: None
) -> None:
    while not stop.wait(interval):
        tidy()
        try:
            ran = jobs_run_due_once()
        except Exception:  # the runner must outlive a database hiccup
            logger.exception("embedded job runner: pass failed")
            continue
        finally:
            tidy()
        if ran:
            logger.info("embedded job runner: ran %d due job(s)", ran)


def embedded_job_runner_start(*, stop: threading.Event | None = None) -> threading.Thread | None:
    """Start the runner once per process in the inline mode; returns it (None in queue mode)."""
    global _runner
    if settings.JOBS_MODE != "inline":
        return None
    with _started:
        if _runner is None or not _runner.is_alive():
            _runner = threading.Thread(
                target=_poll,
                args=(stop or threading.Event(), float(settings.JOBS_INLINE_POLL_SECONDS)),
                kwargs={"tidy": close_old_connections},  # the thread's own connection
                name="samverkan-embedded-jobs",
                daemon=True,
            )
            _runner.start()
        return _runner
