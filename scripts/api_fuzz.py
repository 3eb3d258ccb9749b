"""Fuzz the HTTP API with schemathesis against a live server; fail on any 5xx.

    .venv/bin/python scripts/api_fuzz.py [--max-examples 8] [--port 8831]

Builds a throw-away SQLite database with the demo data (var/fuzz/), starts `samverkan serve`
(gunicorn, 2 processes) on it with jobs left queued (no worker, so fuzzed report requests do not
build PDFs), and runs `schemathesis run /api/openapi.json --checks not_a_server_error` as the
demo administrator (an API token), so the authenticated operations are exercised too. Prints
how many operations and test cases were tried and how many answered 5xx; exit status 1 on any
server error. The number of examples per operation bounds the run (< 2 minutes by default).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def log(message: str) -> None:
    print(f"[api-fuzz {time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_ready(base: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{base} did not become ready in {timeout:.0f} s")


def count_cases(report: Path) -> tuple[int, int, int]:
    """(operations, test cases, server errors) from schemathesis' NDJSON event stream."""
    operations: set[str] = set()
    cases = errors = 0
    for line in report.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        for name, body in event.items():
            if name == "ScenarioFinished" and isinstance(body, dict):
                recorder = body.get("recorder") or {}
                label = recorder.get("label")
                if label:
                    operations.add(label)
                cases += len(recorder.get("cases") or {})
                for checks in (recorder.get("checks") or {}).values():
                    for check in checks:
                        if check.get("name") == "not_a_server_error" and (
                            check.get("status") in ("failure", "FAILURE", 1, "1")
                        ):
                            errors += 1
    return len(operations), cases, errors


HOSTILE_VALUES = ("\x00", "a\x00b", "99999999999999999999", "-99999999999999999999")


def hostile_probe(base: str, token: str) -> tuple[int, list[str]]:
    """Every query parameter of every GET operation without path parameters, sent with a NUL
    byte and with integers far past 64 bits (``page`` included): none may answer 5xx.

    schemathesis draws values from the schema, which seldom holds these; they are the values
    the red-team test found 500s with, so they are sent every time."""
    import urllib.error
    import urllib.parse

    with urllib.request.urlopen(base + "/api/openapi.json", timeout=30) as response:  # noqa: S310
        schema = json.load(response)
    sent, failures = 0, []
    for path, operations in sorted(schema.get("paths", {}).items()):
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        names = {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"}
        for name in sorted(names | {"page"}):
            for value in HOSTILE_VALUES:
                url = f"{base}{path}?{urllib.parse.urlencode({name: value})}"
                request = urllib.request.Request(  # noqa: S310
                    url, headers={"Authorization": f"Token {token}"}
                )
                sent += 1
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                        status = answer.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                if status >= 500:
                    failures.append(f"{status} GET {path}?{name}={value!r}")
    return sent, failures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=6)
    parser.add_argument("--port", type=int, default=8831)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    var = ROOT / "var" / "fuzz"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{var / 'fuzz.sqlite3'}",
        "SAMVERKAN_VAR_DIR": str(var),
        "JOBS_MODE": "queue",
        "EMAIL_URL": "dummy://",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_LOGIN": "100000",
        "RATE_LIMIT_PASSWORD_RESET": "100000",
        "RATE_LIMIT_PUBLIC_TOKEN": "100000",
    }
    for name in ("DATABASE_REPLICA_URL", "CACHE_URL", "REDIS_URL", "TEST_DATABASE_NAME"):
        env.pop(name, None)
    started = time.monotonic()
    log("migrate + demo data (SQLite)")
    subprocess.run([BIN / "samverkan", "migrate", "-v0"], env=env, check=True)
    subprocess.run([BIN / "samverkan", "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
    token = subprocess.run(
        [
            BIN / "samverkan",
            "shell",
            "-c",
            "from rest_framework.authtoken.models import Token; "
            "from samverkan.accounts.models import User; "
            "print(Token.objects.get_or_create("
            "user=User.objects.get(email='demo@samverkan.localhost'))[0].key)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [BIN / "samverkan", "serve", "--bind", f"127.0.0.1:{args.port}", "--workers", "2"],
        env=env,
        stdout=open(var / "server.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(base)
        log(f"server up after {time.monotonic() - started:.0f} s; schemathesis starts")
        report = var / "events.ndjson"
        fuzz_started = time.monotonic()
        result = subprocess.run(
            [
                BIN / "schemathesis",
                "run",
                f"{base}/api/openapi.json",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                str(args.max_examples),
                "--seed",
                str(args.seed),
                "--workers",
                "2",
                "--phases",
                "examples,fuzzing",
                "--request-timeout",
                "30",
                "--header",
                f"Authorization: Token {token}",
                "--report",
                "ndjson",
                "--report-ndjson-path",
                str(report),
                "--no-color",
                "--output-truncate",
                "true",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - fuzz_started
        tail = "\n".join(result.stdout.splitlines()[-25:])
        print(tail)
        operations, cases, errors = count_cases(report) if report.exists() else (0, 0, 0)
        log("hostile values: NUL bytes and huge integers in every query parameter")
        probes, probe_failures = hostile_probe(base, token)
        for failure in probe_failures:
            print(failure)
        ok = result.returncode == 0 and not probe_failures
        summary = {
            "ok": ok,
            "operations": operations,
            "test_cases": cases,
            "server_errors": errors,
            "hostile_requests": probes,
            "hostile_server_errors": len(probe_failures),
            "max_examples_per_operation": args.max_examples,
            "fuzz_seconds": round(seconds, 1),
            "total_seconds": round(time.monotonic() - started, 1),
        }
        print(json.dumps(summary, indent=2))
        if not ok:
            print(result.stderr[-3000:], file=sys.stderr)
            log(f"server errors found; the server log is {var / 'server.log'}")
        return 0 if ok else 1
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
