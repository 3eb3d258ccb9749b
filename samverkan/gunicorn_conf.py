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
