"""An /api/ request that runs out of time answers the API's JSON error shape (red-team issue
16, finding 9), whether the Django-side time budget stops it or gunicorn's worker timeout
kills the worker (gunicorn's own answer would be an HTML 500)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from samverkan.geo.api import CountyViewSet
from samverkan.gunicorn_conf import api_time_budget

ROOT = Path(__file__).resolve().parents[3]


def _slow(self, request, *args, **kwargs):  # noqa: ANN001
    time.sleep(30)


def test_an_api_request_over_its_time_budget_is_a_json_503(db, client, settings, monkeypatch):
    settings.API_TIME_BUDGET_SECONDS = 0.3
    monkeypatch.setattr(CountyViewSet, "list", _slow)
    started = time.monotonic()
    response = client.get("/api/counties/")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert (body["status"], body["code"], body["errors"]) == (503, "timeout", {})
    assert "tog för lång tid" in body["message"]
    monkeypatch.undo()
    assert client.get("/api/counties/").status_code == 200  # the timer is gone


def test_the_budget_stops_short_of_the_gunicorn_timeout():
    assert api_time_budget(60) == 54
    assert api_time_budget(30) == 27
    assert api_time_budget(2) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (local server)
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


@pytest.mark.faults
def test_a_request_killed_by_the_gunicorn_timeout_answers_json_under_api(tmp_path):
    (tmp_path / "slowapp.py").write_text(
        "import time\n\n\ndef app(environ, start_response):\n    time.sleep(60)\n"
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our interpreter, gunicorn and worker class)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "samverkan.gunicorn_worker.JsonTimeoutSyncWorker",
            "--timeout",
            "1",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            f"{tmp_path},{ROOT}",
            "slowapp:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        status, content_type, body = _get(f"http://127.0.0.1:{port}/api/projects/")
        assert status == 503
        assert content_type == "application/json"
        assert json.loads(body)["code"] == "timeout"
        status, content_type, _body = _get(f"http://127.0.0.1:{port}/projekt/")
        assert status == 500  # pages keep gunicorn's own answer
        assert content_type.startswith("text/html")
    finally:
        server.terminate()
        server.wait(timeout=30)
