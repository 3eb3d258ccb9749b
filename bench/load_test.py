"""Load test: simulated users against 2 gunicorn web processes on PostgreSQL with a generated
national data set.

    .venv/bin/python bench/load_test.py [--users 50] [--duration 120] [--think 1.0] \
        [--pg postgres://postgres@127.0.0.1:5432/postgres] [--db samverkan_load_test] [--reuse]

1. Builds a scratch database (``--db``; ``--reuse`` keeps one built earlier): migrations, the
   reference and demo data, then a national data set — 3,000 more organisations over all
   counties, 5,000 generated projects, observations of three catalogue indicators for every
   municipality and county, 2015–2024, total/women/men — and an open survey campaign with one
   recipient (answer link) per municipality.
2. Starts `samverkan serve --workers 2` (production settings: DEBUG=0, JSON logs, persistent
   database connections) and measures the ``/healthz`` throughput with the same number of users
   and no think time (``--healthz-seconds``): the ceiling of the stack for a request that does
   no work.
3. Runs the users for ``--duration`` seconds. Each user repeats: browse a county page
   (/lan/<code>/) as a visitor, or, signed in as a user in five organisations, Skåne's hub
   (/lan/12/) or "Min översikt" (/), search projects (/projekt/?q=...), view an indicator
   ranking (/indikatorer/<code>/?level=...) or answer a survey (open its link, save a draft),
   waiting ``--think`` seconds on average in between (0 = as fast as possible).
4. Prints requests, errors, throughput and p50/p95/max per page type next to the /healthz
   throughput, as JSON. Exit status 1 when any request failed (status >= 400 or no answer).

The machine may be shared with other work: the figures are for this machine at this moment.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "load"
PORT = 8841
INDICATORS = ("sysselsattningsgrad-20-64", "arbetsloshet", "forvarvsarbetande-20-64")
YEARS = range(2015, 2025)
WEIGHTS = {"county": 20, "hub": 10, "todo": 15, "search": 25, "ranking": 20, "survey": 10}
SIGNED_IN = 10  # sessions of a user in five organisations (the hub and Min översikt)


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- data set (runs inside Django, in a child process) -------------------------------------


def generate(out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from samverkan.actors.models import Organisation
    from samverkan.core import tenancy
    from samverkan.geo.models import County, Municipality
    from samverkan.indicators.models import AreaType, Breakdown, Indicator, Observation
    from samverkan.projects.generate import ACTIVITIES, projects_generate
    from samverkan.surveys import services as surveys
    from samverkan.surveys.models import Questionnaire

    rng = random.Random(10)
    counties = list(County.objects.order_by("code"))
    municipalities = list(Municipality.objects.order_by("code"))
    if not Organisation.objects.filter(code__startswith="load-").exists():
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Integrationsföreningen {i}",
                    name_key=f"load-{i}",
                    code=f"load-org-{i}",
                    kind="civil_society",
                    sector="civil_society",
                    county=rng.choice(counties),
                    visibility="public",
                )
                for i in range(3000)
            ],
            batch_size=1000,
        )
        projects_generate(count=5000, seed=10)
        for code in INDICATORS:
            indicator = Indicator.objects.get(code=code)
            Observation.objects.filter(indicator=indicator).delete()
            rows = []
            for sex in ("T", "K", "M"):
                breakdown = Breakdown.objects.get_or_create(
                    sex=sex, age_band="", birth_region="", extra=""
                )[0]
                for year in YEARS:
                    areas = [(AreaType.MUNICIPALITY, m.code) for m in municipalities] + [
                        (AreaType.COUNTY, c.code) for c in counties
                    ]
                    for area_type, area in areas:
                        rows.append(
                            Observation(
                                indicator=indicator,
                                area_type=area_type,
                                area_code=area,
                                period=year * 100,
                                value=round(rng.uniform(20, 90), 1),
                                status=0,
                                breakdown=breakdown,
                            )
                        )
            Observation.objects.bulk_create(rows, batch_size=5000)
        questionnaire = Questionnaire.objects.order_by("pk").first()
        surveys.campaign_create(
            user=tenancy.SYSTEM,
            questionnaire=questionnaire,
            owner=questionnaire.owner,
            title="Lasttest",
            organisations=list(Organisation.objects.filter(kind="municipality")),
            deadline=datetime.date.today() + datetime.timedelta(days=30),
        )
    from samverkan.surveys.models import Campaign

    campaign = Campaign.objects.get(title="Lasttest")
    sessions = signed_in_sessions(SIGNED_IN)
    out.write_text(
        json.dumps(
            {
                "counties": [c.code for c in counties],
                "tokens": list(campaign.recipients.values_list("token", flat=True)),
                "indicators": list(INDICATORS),
                "words": [a.split()[0].lower() for a in ACTIVITIES]
                + ["nyanlända", "kvinnor", "arbetsgivare", "svenska", "hälsa", "boende"],
                "organisations": Organisation.objects.count(),
                "sessions": sessions,
            }
        ),
        encoding="utf-8",
    )


def signed_in_sessions(count: int) -> list[str]:
    """Session keys of a user who is admin of Skåne's county board and editor in four more of
    its organisations, as if signed in ``count`` times (the pages are the user's own; logging
    in through the form would meet its rate limit)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from samverkan.accounts.models import Membership, User
    from samverkan.actors.models import Organisation

    user = User.objects.filter(email="load-user@samverkan.localhost").first()
    if user is None:
        user = User.objects.create_user(email="load-user@samverkan.localhost", password=None)
        board = Organisation.objects.get(kind="county_board", county__code="12")
        others = Organisation.objects.filter(county__code="12").exclude(pk=board.pk)
        for organisation, role in [(board, "admin")] + [
            (o, "editor") for o in others.order_by("pk")[:4]
        ]:
            Membership.objects.create(user=user, organisation=organisation, role=role)
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "samverkan.accounts.throttling.ThrottledModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


# --- servers -------------------------------------------------------------------------------


def pg_admin(pg_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(sql)


def db_exists(pg_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def wait_ready(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{base} did not become ready in {timeout:.0f} s")


# --- the users -----------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []
        self.lock = threading.Lock()

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {detail}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


def request(
    stats: Stats, kind: str, method: str, url: str, *, body: str = "", headers=None
) -> tuple[int, dict[str, str], str] | None:  # noqa: ANN001
    """One HTTP request on a new connection (gunicorn's sync workers close each one), timed."""
    parts = urllib.parse.urlsplit(url)
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            all_headers = {"Accept-Language": "sv", **(headers or {})}
            if body:
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body.encode() if body else None, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            cookies = {}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    cookies[key.strip()] = rest.split(";", 1)[0]
        finally:
            conn.close()
    except Exception as exc:  # noqa: BLE001  (any failure to answer is an error)
        stats.add(kind, time.perf_counter() - started, False, f"{url}: {exc!r}")
        return None
    ok = response.status < 400
    stats.add(kind, time.perf_counter() - started, ok, f"{url}: {response.status}")
    return response.status, cookies, text


def survey_answer(stats: Stats, base: str, token: str, rng: random.Random) -> None:
    """Open the answer link and save a draft, as a browser would (CSRF cookie and token; the
    production cookie is Secure, so the request says it came through an HTTPS proxy)."""
    url = f"{base}/enkater/svara/{token}/"
    headers = {"X-Forwarded-Proto": "https", "Referer": url.replace("http://", "https://")}
    page = request(stats, "survey_open", "GET", url, headers=headers)
    if page is None or page[0] != 200:
        return
    _status, cookies, text = page
    csrf = CSRF_INPUT.search(text)
    version = VERSION_INPUT.search(text)
    if not (cookies.get("csrftoken") and csrf and version):
        stats.add("survey_save", 0.0, False, f"{url}: no form")
        return
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "version": version.group(1),
            "action": "save",
            "samverkan": rng.choice(["ja", "nej"]),
        }
    )
    request(
        stats,
        "survey_save",
        "POST",
        url,
        body=body,
        headers={**headers, "Cookie": f"csrftoken={cookies['csrftoken']}"},
    )


def user(
    number: int, users: int, base: str, data: dict, stats: Stats, until: float, think: float
) -> None:
    rng = random.Random(number)
    tokens = data["tokens"][number::users] or data["tokens"]
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        if kind == "county":
            request(stats, kind, "GET", f"{base}/lan/{rng.choice(data['counties'])}/")
        elif kind in ("hub", "todo"):
            cookie = {"Cookie": f"sessionid={rng.choice(data['sessions'])}"}
            path = "/lan/12/" if kind == "hub" else "/"
            request(stats, kind, "GET", f"{base}{path}", headers=cookie)
        elif kind == "search":
            words = " ".join(rng.sample(data["words"], rng.choice([1, 1, 2])))
            query = {"q": words}
            if rng.random() < 0.3:
                query["county"] = rng.choice(data["counties"])
            request(stats, kind, "GET", f"{base}/projekt/?{urllib.parse.urlencode(query)}")
        elif kind == "ranking":
            level = rng.choice(["kommun", "kommun", "lan"])
            year = rng.choice(list(YEARS))
            indicator = rng.choice(data["indicators"])
            request(
                stats, kind, "GET", f"{base}/indikatorer/{indicator}/?level={level}&period={year}"
            )
        else:
            survey_answer(stats, base, rng.choice(tokens), rng)
        if think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def healthz_user(base: str, stats: Stats, until: float) -> None:
    while time.monotonic() < until:
        request(stats, "healthz", "GET", f"{base}/healthz")


def run_phase(target, argument_lists) -> float:  # noqa: ANN001
    """Run ``target(*arguments)`` in one thread per simulated user; the seconds it took."""
    threads = [threading.Thread(target=target, args=a, daemon=True) for a in argument_lists]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def summary(stats: Stats, seconds: float) -> dict:
    result = {}
    for kind, times in sorted(stats.times.items()):
        result[kind] = {
            "requests": len(times),
            "errors": stats.errors.get(kind, 0),
            "per_second": round(len(times) / seconds, 1),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
        }
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of mixed load")
    parser.add_argument("--healthz-seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument(
        "--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--db", default="samverkan_load_test")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the database")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return 0

    VAR.mkdir(parents=True, exist_ok=True)
    database_url = f"{args.pg.rsplit('/', 1)[0]}/{args.db}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "JOBS_MODE": "queue",
        "EMAIL_URL": "dummy://",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "SAMVERKAN_VAR_DIR": str(VAR),
        "RATE_LIMIT_PUBLIC_TOKEN": "100000",
    }
    for name in ("DATABASE_REPLICA_URL", "TEST_DATABASE_NAME"):
        env.pop(name, None)
    data_file = VAR / "data.json"
    started = time.monotonic()
    if not (args.reuse and db_exists(args.pg, args.db) and data_file.exists()):
        pg_admin(args.pg, f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
        pg_admin(args.pg, f"CREATE DATABASE {args.db}")
        log(f"building {args.db}: migrate, reference and demo data, national data set")
        subprocess.run([BIN / "samverkan", "migrate", "-v0"], env=env, check=True)
        subprocess.run([BIN / "samverkan", "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [sys.executable, __file__, "--generate", str(data_file)], env=env, check=True
        )
        log(f"data set built in {time.monotonic() - started:.0f} s")
    subprocess.run([BIN / "samverkan", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    data = json.loads(data_file.read_text(encoding="utf-8"))
    base = f"http://127.0.0.1:{PORT}"
    server = subprocess.Popen(
        [BIN / "samverkan", "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        env=env,
        stdout=open(VAR / "server.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(base)
        log(f"2 web processes up; /healthz for {args.healthz_seconds:.0f} s, {args.users} users")
        health = Stats()
        until = time.monotonic() + args.healthz_seconds
        health_seconds = run_phase(healthz_user, [(base, health, until)] * args.users)
        # Warm each process's caches (templates, area names) before timing pages.
        for path in ("/lan/12/", "/projekt/?q=validering", f"/indikatorer/{INDICATORS[0]}/"):
            for _ in range(4):
                urllib.request.urlopen(base + path, timeout=60).read()
        log(f"mixed load: {args.users} users for {args.duration:.0f} s, think {args.think} s")
        stats = Stats()
        until = time.monotonic() + args.duration
        seconds = run_phase(
            user,
            [(n, args.users, base, data, stats, until, args.think) for n in range(args.users)],
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        if not args.reuse:
            with contextlib.suppress(Exception):
                pg_admin(args.pg, f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")

    pages = summary(stats, seconds)
    total = sum(len(t) for t in stats.times.values())
    errors = sum(stats.errors.values())
    healthz = summary(health, health_seconds)["healthz"]
    page_rps = total / seconds
    report = {
        "users": args.users,
        "duration_seconds": round(seconds, 1),
        "think_seconds": args.think,
        "requests": total,
        "errors": errors,
        "pages_per_second": round(page_rps, 1),
        "healthz_per_second": healthz["per_second"],
        "pages_vs_healthz": round(page_rps / healthz["per_second"], 3)
        if healthz["per_second"]
        else None,
        "healthz": healthz,
        "by_page": pages,
        "error_samples": stats.samples,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if errors == 0 and health.errors == {} else 1


if __name__ == "__main__":
    sys.exit(main())
