"""gunicorn settings for Samverkan (``samverkan serve`` uses them; or ``gunicorn -c`` this file).

Every value can be overridden on the command line or with ``GUNICORN_CMD_ARGS``.
"""

import os

from gunicorn import glogging

from samverkan.core.logs import mask_tokens

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# A timed-out /api/ request answers the API's JSON error shape, not gunicorn's HTML page.
worker_class = "samverkan.gunicorn_worker.JsonTimeoutSyncWorker"
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'


class TokenMaskingLogger(glogging.Logger):
    """gunicorn's logger, with the secret of survey, consultation and password-reset links
    masked in every access-log field (request line, path, referrer, headers)."""

    def atoms(self, resp, req, environ, request_time):  # noqa: ANN001, ANN201 (gunicorn hook)
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask_tokens(v) if isinstance(v, str) else v for k, v in atoms.items()}


logger_class = TokenMaskingLogger


def child_exit(server, worker):  # noqa: ANN001 (gunicorn hook)
    """Prometheus multi-process mode: drop the figures of a worker that has gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):  # noqa: ANN001 (gunicorn hook)
    """Give /api/ requests a time budget a little under the worker timeout (unless
    ``API_TIME_BUDGET_SECONDS`` is set), so that they are stopped with a JSON 503 by
    ``core.middleware.ApiTimeBudgetMiddleware`` before gunicorn kills the worker."""
    from django.conf import settings
    from gunicorn.workers.sync import SyncWorker

    # only sync workers are killed by the timeout, and run requests in the main thread
    if isinstance(worker, SyncWorker) and "API_TIME_BUDGET_SECONDS" not in os.environ:
        settings.API_TIME_BUDGET_SECONDS = api_time_budget(worker.cfg.timeout)


def api_time_budget(worker_timeout: int) -> int:
    return max(1, worker_timeout - max(2, worker_timeout // 10))
