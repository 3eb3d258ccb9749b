"""Production smoke test: two gunicorn web processes and two job workers (JOBS_MODE=queue)
against PostgreSQL, driving an e-mail job end to end over HTTP.

    .venv/bin/python bench/production_smoke.py [--pg postgres://postgres@127.0.0.1:5432/postgres]

It creates a scratch database, migrates it and loads the demo data, starts a local SMTP server
(aiosmtpd), `samverkan serve` twice (ports 8811, 8812) and `samverkan worker` twice, then as the
demo administrator: signs in on web 1, sets invitation addresses for three recipients of the demo
survey on web 2 (the session is shared through the database), sends the invitations on web 1,
and polls the tracking API until the workers have delivered them. It checks that every message
arrived exactly once, that /readyz reports an empty queue and /metrics a queue depth of 0, and
prints the timings. Exit status 0 on success. Everything it starts is stopped at the end, and the
scratch database is dropped.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_NAME = "samverkan_smoke_production"
PORTS = (8811, 8812)
SMTP_PORT = 8825
RECIPIENTS = 3


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pg_admin(pg_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql)


class Http:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


def _redis_answers(url: str) -> bool:
    import socket

    parsed = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def wait_ready(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"{base} did not become ready in {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--db", default=DB_NAME, help="scratch database (dropped at the end)")
    parser.add_argument(
        "--redis",
        default=os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="Redis for the cache ('' for none); used when it answers",
    )
    args = parser.parse_args()
    if args.redis and not _redis_answers(args.redis):
        log(f"no Redis at {args.redis}: the cache stays per process")
        args.redis = ""
    db_name = args.db
    base_url = args.pg.rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"{base_url}/{db_name}",
        "DATABASE_CONN_MAX_AGE": "60",
        "JOBS_MODE": "queue",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "LOG_FORMAT": "json",
        "SAMVERKAN_VAR_DIR": str(ROOT / "var" / "smoke"),
    }
    for name in ("DATABASE_REPLICA_URL", "TEST_DATABASE_NAME", "CACHE_URL", "REDIS_URL"):
        env.pop(name, None)
    if args.redis:  # the shared cache (rate limits across both web processes)
        env["REDIS_URL"] = args.redis
        env["CACHE_KEY_PREFIX"] = f"samverkan-smoke-{os.getpid()}"
    processes: list[subprocess.Popen[bytes]] = []
    logs = ROOT / "var" / "smoke"
    logs.mkdir(parents=True, exist_ok=True)

    from aiosmtpd.controller import Controller

    received: list[str] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    smtp = Controller(Handler(), hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    started = time.monotonic()
    try:
        pg_admin(args.pg, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        pg_admin(args.pg, f"CREATE DATABASE {db_name}")
        log("migrate + setup (demo data) on PostgreSQL")
        subprocess.run([BIN / "samverkan", "migrate", "-v0"], env=env, check=True)
        subprocess.run([BIN / "samverkan", "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
        info = subprocess.run(
            [
                BIN / "samverkan",
                "shell",
                "-c",
                (
                    "import json, datetime; from samverkan.core import tenancy; "
                    "from samverkan.surveys import services; "
                    "from samverkan.surveys.models import Questionnaire; "
                    "from samverkan.actors.models import Organisation; "
                    "q = Questionnaire.objects.order_by('pk').first(); "
                    "orgs = list(Organisation.objects.filter(kind='municipality')"
                    f".order_by('code')[:{RECIPIENTS}]); "
                    "c = services.campaign_create(user=tenancy.SYSTEM, questionnaire=q, "
                    "owner=q.owner, title='Röktest', organisations=orgs, "
                    "deadline=datetime.date.today() + datetime.timedelta(days=14)); "
                    "codes = [o.code for o in orgs]; "
                    "print(json.dumps({'pk': c.pk, 'codes': codes}))"
                ),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        campaign = json.loads(info.stdout.strip().splitlines()[-1])
        setup_seconds = time.monotonic() - started

        for port in PORTS:
            out = open(logs / f"web-{port}.log", "wb")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    [BIN / "samverkan", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for number in (1, 2):
            out = open(logs / f"worker-{number}.log", "wb")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    [BIN / "samverkan", "worker"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        web1, web2 = (f"http://127.0.0.1:{p}" for p in PORTS)
        for web in (web1, web2):
            wait_ready(web)
        log("2 web processes and 2 workers are up")

        client = Http()
        client.get(web1 + "/konto/logga-in/")
        status, _ = client.post(
            web1 + "/konto/logga-in/",
            {"username": "admin@samverkan.localhost", "password": "samverkan-demo"},
        )
        assert status == 200 and any(c.name == "sessionid" for c in client.jar), "login failed"
        addresses = [f"mottagare{i}@example.se" for i in range(RECIPIENTS)]
        lines = "\n".join(
            f"{code} {addr}" for code, addr in zip(campaign["codes"], addresses, strict=True)
        )
        client.get(f"{web2}/enkater/utskick/{campaign['pk']}/")
        status, _ = client.post(
            f"{web2}/enkater/utskick/{campaign['pk']}/adresser/", {"lines": lines}
        )
        assert status == 200, f"setting addresses failed: {status}"
        sent_at = time.monotonic()
        status, page = client.post(f"{web1}/enkater/utskick/{campaign['pk']}/skicka/", {})
        assert status == 200, f"send failed: {status}"
        queued = re.findall(r"\d+ inbjudningar köade", page)
        log(f"invitations queued through web 1: {queued}")

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, body = client.get(f"{web2}/readyz")
            queue = json.loads(body)["queue"]
            if len(received) >= RECIPIENTS and queue["queued"] == 0 and queue["running"] == 0:
                break
            time.sleep(0.5)
        job_seconds = time.monotonic() - sent_at
        status, tracking = client.get(f"{web1}/api/survey-campaigns/{campaign['pk']}/tracking/")
        status_metrics, metrics = client.get(f"{web2}/metrics")
        depth = re.search(r"^samverkan_job_queue_depth (\S+)", metrics, re.M)
        worker_logs = [(logs / f"worker-{n}.log").read_text() for n in (1, 2)]
        ok = (
            sorted(received) == sorted(addresses)
            and (not args.redis or json.loads(body).get("cache") == "ok")
            and queue["queued"] == 0
            and queue["failed"] == 0
            and depth is not None
            and float(depth.group(1)) == 0
        )
        print(
            json.dumps(
                {
                    "ok": ok,
                    "setup_seconds": round(setup_seconds, 1),
                    "send_to_delivered_seconds": round(job_seconds, 2),
                    "messages_received": len(received),
                    "duplicates": len(received) - len(set(received)),
                    "queue": queue,
                    "cache": json.loads(body).get("cache", "per process"),
                    "metrics_queue_depth": depth.group(1) if depth else None,
                    "tracking_status": status,
                    "worker_log_lines": [len(w.splitlines()) for w in worker_logs],
                },
                indent=2,
            )
        )
        return 0 if ok else 1
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        smtp.stop()
        try:
            pg_admin(args.pg, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        except Exception as exc:  # noqa: BLE001
            log(f"could not drop {db_name}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
