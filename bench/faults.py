"""Fault tests end to end, with real processes on PostgreSQL:

    .venv/bin/python bench/faults.py [--pg postgres://postgres@127.0.0.1:5432/postgres] \
        [--db samverkan_faults] [--reuse] [--only worker,database,smtp]

1. worker — a report job is held at its final write (a row lock taken by this script), its
   worker is killed with SIGKILL there; the report must hold no file or the whole file (never a
   part), and a second worker must take the lost job over and finish it.
2. database — `samverkan serve` (2 processes, persistent connections) reaches PostgreSQL through
   a TCP proxy started here. While clients load pages and the API, the proxy is stopped (every
   connection cut, new ones refused — as when PostgreSQL restarts), then started again after
   ``--outage`` seconds. Every answer during the outage must be a 503 (no 500, no hang), and
   the app must answer 200 again within 10 s of the database returning, without a restart.
   (The machine's PostgreSQL server itself is never touched.)
3. smtp — invitations are sent while no mail server listens; two workers fail them and retry
   with back-off; a local SMTP server (aiosmtpd) is started; every invitation must arrive
   exactly once.

Prints one JSON object per scenario and a summary; exit status 1 if any scenario failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "faults"
WEB_PORT = 8851


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_connect(url: str, **kwargs):  # noqa: ANN201
    import psycopg

    return psycopg.connect(url, **kwargs)


def shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [BIN / "samverkan", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def start(args: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        env=env,
        stdout=open(VAR / log_name, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2) -> float:  # noqa: ANN001
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def get(url: str, timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0  # no answer


# --- 1. worker killed mid job ----------------------------------------------------------------


def scenario_worker(env: dict[str, str], url: str) -> dict:
    report_id, job_id = json.loads(
        shell(
            env,
            "import json; from samverkan.core import tenancy; "
            "from samverkan.actors.models import Organisation; "
            "from samverkan.reports.services import generated_report_start; "
            "r = generated_report_start(user=tenancy.SYSTEM, "
            "owner=Organisation.objects.get(code='lst-12'), kind='county', county='12', "
            "fmt='pdf', year_start=2015, year_end=2024); print(json.dumps([r.pk, r.job_id]))",
        )
    )
    with pg_connect(url) as lock, pg_connect(url, autocommit=True) as watch:
        lock.execute("SELECT id FROM reports_generatedreport WHERE id = %s FOR UPDATE", [report_id])
        worker = start([BIN / "samverkan", "worker"], env, "worker-killed.log")
        held = wait_for(
            lambda: (
                watch.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' "
                    "AND query LIKE 'UPDATE \"reports_generatedreport\"%%'"
                ).fetchone()[0]
                == 1
            ),
            300,
            "the worker to build the PDF and reach its write",
        )
        stop(worker, signal.SIGKILL)
        killed_rc = worker.returncode
        lock.rollback()
    with pg_connect(url, autocommit=True) as db:
        status, attempts = db.execute(
            "SELECT status, attempts FROM core_job WHERE id = %s", [job_id]
        ).fetchone()
        size, content_len, digest = db.execute(
            "SELECT size, length(content), content_hash FROM reports_generatedreport WHERE id = %s",
            [report_id],
        ).fetchone()
    whole_or_nothing = (not content_len and not digest) or (size == content_len and digest)
    after_kill = {"job": status, "attempts": attempts, "file_bytes": content_len or 0}
    worker = start(
        [BIN / "samverkan", "worker"], {**env, "JOBS_LOST_AFTER_SECONDS": "0"}, "worker-2.log"
    )
    try:
        with pg_connect(url, autocommit=True) as db:
            finished = wait_for(
                lambda: (
                    db.execute("SELECT status FROM core_job WHERE id = %s", [job_id]).fetchone()[0]
                    in ("done", "failed")
                ),
                300,
                "the second worker to finish the job",
            )
            status, attempts, error = db.execute(
                "SELECT status, attempts, error FROM core_job WHERE id = %s", [job_id]
            ).fetchone()
            size, content_len, head = db.execute(
                "SELECT size, length(content), substring(content from 1 for 5) "
                "FROM reports_generatedreport WHERE id = %s",
                [report_id],
            ).fetchone()
    finally:
        stop(worker)
    ok = (
        killed_rc == -signal.SIGKILL
        and after_kill["job"] == "running"
        and bool(whole_or_nothing)
        and status == "done"
        and attempts == 2
        and bytes(head) == b"%PDF-"
        and size == content_len
    )
    return {
        "scenario": "worker killed (SIGKILL) at the write of a county PDF report",
        "ok": ok,
        "seconds_to_reach_write": round(held, 1),
        "after_kill": {**after_kill, "whole_file_or_none": bool(whole_or_nothing)},
        "after_second_worker": {
            "job": status,
            "attempts": attempts,
            "requeued_because": (error or "").strip()[:60],
            "pdf_bytes": content_len,
            "seconds": round(finished, 1),
        },
    }


# --- 2. PostgreSQL unavailable ---------------------------------------------------------------


class TcpProxy:
    """127.0.0.1:<port> → PostgreSQL; ``stop()`` cuts every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.server: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        self.server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            with contextlib.suppress(OSError):
                self.server.shutdown(socket.SHUT_RDWR)
            self.server.close()
            self.server = None
        with self.lock:
            for sock in list(self.sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update({client, upstream})
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def scenario_database(env: dict[str, str], url: str, outage: float) -> dict:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    proxy.start()
    proxied = url.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}")
    web_env = {**env, "DATABASE_URL": proxied, "DATABASE_CONN_MAX_AGE": "60"}
    base = f"http://127.0.0.1:{WEB_PORT}"
    web = start(
        [BIN / "samverkan", "serve", "--bind", f"127.0.0.1:{WEB_PORT}", "--workers", "2"],
        web_env,
        "web-database.log",
    )
    paths = ["/lan/12/", "/projekt/?q=validering", "/api/projects/?q=svenska", "/readyz"]
    phase = {"name": "before"}
    results: list[tuple[str, int, float, float]] = []  # phase, status, seconds, at
    done = threading.Event()

    def client(number: int) -> None:
        i = number
        while not done.is_set():
            path = paths[i % len(paths)]
            i += 1
            started = time.monotonic()
            started_in = phase["name"]  # a request begun before the cut may still answer 200
            status = get(base + path, timeout=30)
            results.append((started_in, status, time.monotonic() - started, time.monotonic()))
            time.sleep(0.05)

    try:
        wait_for(lambda: get(base + "/readyz", 5) == 200, 120, "the web processes")
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        phase["name"] = "outage"
        proxy.stop()
        log(f"database cut off for {outage:.0f} s")
        time.sleep(outage)
        phase["name"] = "after"
        proxy.start()
        back_at = time.monotonic()
        log("database reachable again")
        time.sleep(12)
        done.set()
        for thread in threads:
            thread.join(timeout=40)
    finally:
        stop(web)
        proxy.stop()
    by_phase = {
        name: dict(Counter(str(s) for p, s, _, _ in results if p == name))
        for name in ("before", "outage", "after")
    }
    after = [(at, status) for p, status, _, at in results if p == "after"]
    first_ok = next((at - back_at for at, status in after if status == 200), None)
    last_bad = max((at - back_at for at, status in after if status != 200), default=0.0)
    outage_times = [seconds for p, _, seconds, _ in results if p == "outage"]
    ok = (
        set(by_phase["before"]) == {"200"}
        and set(by_phase["outage"]) <= {"503"}
        and by_phase["outage"]
        and first_ok is not None
        and last_bad < 10
        and max(outage_times, default=0) < 10
    )
    return {
        "scenario": f"PostgreSQL unreachable for {outage:.0f} s behind a TCP proxy, under load",
        "ok": bool(ok),
        "status_counts": by_phase,
        "slowest_answer_during_outage_s": round(max(outage_times, default=0), 2),
        "first_200_after_return_s": round(first_ok, 2) if first_ok is not None else None,
        "last_non_200_after_return_s": round(last_bad, 2),
        "restarted": False,
    }


# --- 3. SMTP down ----------------------------------------------------------------------------


def scenario_smtp(env: dict[str, str], url: str, recipients: int = 5) -> dict:
    from aiosmtpd.controller import Controller

    port = free_port()
    smtp_env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{port}?timeout=3"}
    campaign = int(
        shell(
            smtp_env,
            "import datetime; from samverkan.core import tenancy; "
            "from samverkan.surveys import services; "
            "from samverkan.surveys.models import Questionnaire; "
            "from samverkan.actors.models import Organisation; "
            "q = Questionnaire.objects.order_by('pk').first(); "
            f"orgs = list(Organisation.objects.filter(kind='municipality').order_by('code')[:{recipients}]); "  # noqa: E501
            "c = services.campaign_create(user=tenancy.SYSTEM, questionnaire=q, owner=q.owner, "
            "title='Felprov SMTP', organisations=orgs, "
            "deadline=datetime.date.today() + datetime.timedelta(days=14)); "
            "services.recipients_set_emails(campaign=c, user=tenancy.SYSTEM, lines='\\n'.join("
            "f'{o.code} smtp-prov-{i}@example.se' for i, o in enumerate(orgs))); "
            "services.campaign_send(campaign=c, user=tenancy.SYSTEM); print(c.pk)",
        )
    )
    workers = [
        start([BIN / "samverkan", "worker"], smtp_env, f"worker-smtp-{n}.log") for n in (1, 2)
    ]
    received: list[str] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    controller = None
    try:
        with pg_connect(url, autocommit=True) as db:

            def deliveries() -> dict[str, int]:
                rows = db.execute(
                    "SELECT delivery, count(*) FROM surveys_recipient WHERE campaign_id = %s "
                    "GROUP BY delivery",
                    [campaign],
                ).fetchall()
                return dict(rows)

            wait_for(
                lambda: deliveries().get("retrying", 0) == recipients, 60, "the failed attempts"
            )
            while_down = deliveries()
            log(f"all {recipients} invitations failed and wait for a retry; SMTP starts")
            controller = Controller(Handler(), hostname="127.0.0.1", port=port)
            controller.start()
            seconds = wait_for(
                lambda: deliveries().get("sent", 0) == recipients,
                240,
                "the retries to deliver",
                interval=1,
            )
            jobs = db.execute(
                "SELECT status, attempts, count(*) FROM core_job WHERE name = 'surveys.send_email' "
                "AND (kwargs->>'recipient_id')::int IN "
                "(SELECT id FROM surveys_recipient WHERE campaign_id = %s) "
                "GROUP BY status, attempts",
                [campaign],
            ).fetchall()
            time.sleep(2)  # anything delivered twice would show now
    finally:
        for worker in workers:
            stop(worker)
        if controller is not None:
            controller.stop()
    expected = {f"smtp-prov-{i}@example.se" for i in range(recipients)}
    ok = sorted(received) == sorted(expected) and all(s == "done" for s, _, _ in jobs)
    return {
        "scenario": f"SMTP down while {recipients} invitations are sent (2 workers)",
        "ok": ok,
        "while_down": while_down,
        "delivered_after_smtp_up_s": round(seconds, 1),
        "messages_received": len(received),
        "duplicates": len(received) - len(set(received)),
        "lost": len(expected - set(received)),
        "jobs": [{"status": s, "attempts": a, "count": n} for s, a, n in jobs],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--db", default="samverkan_faults")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--outage", type=float, default=8)
    parser.add_argument("--only", default="worker,database,smtp")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    url = f"{args.pg.rsplit('/', 1)[0]}/{args.db}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "JOBS_MODE": "queue",
        "EMAIL_URL": "dummy://",
        "LOG_FORMAT": "json",
        "SAMVERKAN_VAR_DIR": str(VAR),
    }
    for name in ("DATABASE_REPLICA_URL", "TEST_DATABASE_NAME", "CACHE_URL", "REDIS_URL"):
        env.pop(name, None)
    with pg_connect(args.pg, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
        if not (args.reuse and exists):
            admin.execute(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {args.db}")
            exists = None
    if not exists:
        log(f"building {args.db} (migrations, demo data)")
        subprocess.run([BIN / "samverkan", "migrate", "-v0"], env=env, check=True)
        subprocess.run([BIN / "samverkan", "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
    if not (VAR / "static" / "staticfiles.json").exists():
        subprocess.run(
            [BIN / "samverkan", "collectstatic", "--noinput", "-v0"], env=env, check=True
        )
    wanted = args.only.split(",")
    results = []
    try:
        if "worker" in wanted:
            log("1. worker killed mid job")
            results.append(scenario_worker(env, url))
            print(json.dumps(results[-1], indent=2, ensure_ascii=False), flush=True)
        if "database" in wanted:
            log("2. PostgreSQL unavailable during requests")
            results.append(scenario_database(env, url, args.outage))
            print(json.dumps(results[-1], indent=2, ensure_ascii=False), flush=True)
        if "smtp" in wanted:
            log("3. SMTP down")
            results.append(scenario_smtp(env, url))
            print(json.dumps(results[-1], indent=2, ensure_ascii=False), flush=True)
    finally:
        if not args.reuse:
            with contextlib.suppress(Exception), pg_connect(args.pg, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
    print(json.dumps({"ok": all(r["ok"] for r in results), "scenarios": len(results)}))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
