"""gunicorn's sync worker, answering a timed-out ``/api/`` request in the API's JSON shape.

When a request outlives gunicorn's ``timeout``, the arbiter aborts the worker: ``SystemExit``
is raised in the request and gunicorn writes its own HTML "Internal Server Error" before the
worker exits. ``core.middleware.ApiTimeBudgetMiddleware`` normally stops an API request first;
this covers what it cannot interrupt (a long call in C). Imported by the gunicorn master
before Django is set up, so it uses nothing from Django.

The class name ends in ``SyncWorker``: gunicorn then still switches to its threaded worker
when ``WEB_THREADS`` > 1 (where the timeout does not stop requests).
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

TIMEOUT_BODY = {
    "status": 503,
    "code": "timeout",
    "message": "The request took too long and was stopped; try again or ask for less at a time.",
    "errors": {},
}


def write_json_error(sock: Any, status: str, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n"
        "Retry-After: 5\r\n"
        "\r\n"
    ).encode()
    util.write(sock, head + data)


class JsonTimeoutSyncWorker(SyncWorker):
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        path = getattr(req, "path", "") or ""
        if isinstance(exc, SystemExit) and not self.alive and path.startswith("/api/"):
            self.log.error("API request stopped by the worker timeout: %s %s", req.method, path)
            try:
                write_json_error(client, "503 Service Unavailable", TIMEOUT_BODY)
            except Exception:  # the client may be gone
                self.log.debug("Failed to send the timeout answer.")
            return
        super().handle_error(req, client, addr, exc)
