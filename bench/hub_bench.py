"""Benchmark: the county hub and "Min översikt" with a generated national data set.

Run against a throw-away database (it migrates it, loads the reference and demo data and
generates the rest into it; ``--reuse`` keeps what an earlier run generated):

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench_hub \
        .venv/bin/python bench/hub_bench.py
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench_hub.sqlite3 .venv/bin/python bench/hub_bench.py \
        --projects 20000 --observations 1000000

The data set (issue 17): 3,000 organisations, 100,000 projects, 10,000,000 observations (three
catalogue indicators for every municipality, county and the nation, by sex, over many periods,
then copies of them as further indicators) and 200 survey campaigns with recipients, some
answered. Requests go through Django's test client in this process (request handling,
queries, rendering: the server's time, without the network): the hub of the county with the
most organisations, as its county board's admin and as a visitor; "Min översikt" for a user in
five organisations; and ``/healthz`` as the baseline, all in the same run. Prints p50/p95 in
milliseconds and each page's p95 against ``/healthz``'s, with the load average.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("JOBS_MODE", "queue")  # invitations are queued, not sent, while generating
os.environ.setdefault("EMAIL_URL", "dummy://")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # DEBUG=1 only to start without a SECRET_KEY; log no queries

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from samverkan.accounts.models import Membership, User  # noqa: E402
from samverkan.actors.models import Organisation  # noqa: E402
from samverkan.core import tenancy  # noqa: E402
from samverkan.core.setup import setup_run  # noqa: E402
from samverkan.geo.models import County, Municipality  # noqa: E402
from samverkan.indicators.models import AreaType, Breakdown, Indicator, Observation  # noqa: E402
from samverkan.projects.generate import projects_generate  # noqa: E402
from samverkan.projects.models import Project  # noqa: E402
from samverkan.surveys import services as surveys  # noqa: E402
from samverkan.surveys.models import Campaign, Questionnaire, Recipient  # noqa: E402

BENCH_USER = "hub-bench@samverkan.localhost"
INDICATORS = ("sysselsattningsgrad-20-64", "arbetsloshet", "forvarvsarbetande-20-64")


def log(message: str) -> None:
    print(f"[hub {time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- the data set ---------------------------------------------------------------------------


def organisations_generate(total: int, rng: random.Random) -> None:
    missing = total - Organisation.objects.count()
    if missing <= 0:
        return
    counties = list(County.objects.all())
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Integrationsföreningen {i}",
                name_key=f"hub-bench-{i}",
                code=f"hub-bench-org-{i}",
                kind="civil_society",
                sector="civil_society",
                county=rng.choice(counties),
                visibility="public",
            )
            for i in range(missing)
        ],
        batch_size=1000,
    )


def observations_generate(total: int, rng: random.Random) -> None:
    """Three catalogue indicators over every area and period by sex, then copies of their rows
    under further indicators until ``total`` rows (one INSERT … SELECT per copy)."""
    if Observation.objects.count() >= total:
        return
    areas = (
        [(AreaType.NATION, "0000")]
        + [(AreaType.COUNTY, c.code) for c in County.objects.all()]
        + [(AreaType.MUNICIPALITY, m.code) for m in Municipality.objects.all()]
    )
    breakdowns = [
        Breakdown.objects.get_or_create(sex=sex, age_band="", birth_region="", extra="")[0]
        for sex in ("T", "K", "M")
    ]
    first = [Indicator.objects.get(code=code) for code in INDICATORS]
    per_indicator = max(1, total // 40)  # copies below bring it to the total
    periods = max(1, per_indicator // (len(areas) * len(breakdowns)))
    Observation.objects.filter(indicator__in=first).delete()
    for indicator in first:
        rows = [
            Observation(
                indicator=indicator,
                area_type=area_type,
                area_code=code,
                period=(2000 + p // 12) * 100 + p % 12 + 1 if periods > 40 else (1990 + p) * 100,
                value=round(rng.uniform(20, 90), 1),
                status=0,
                breakdown=breakdown,
            )
            for p in range(periods)
            for area_type, code in areas
            for breakdown in breakdowns
        ]
        Observation.objects.bulk_create(rows, batch_size=5000)
    copy = 0
    while Observation.objects.count() < total:
        source = first[copy % len(first)]
        other, _created = Indicator.objects.get_or_create(
            code=f"hub-bench-{copy}",
            defaults={
                "title": f"Benchmark {copy}",
                "definition": "-",
                "unit": "%",
                "source_kind": "own",
            },
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO indicators_observation (indicator_id, area_type, area_code, period, "
                "breakdown_id, value, status) SELECT %s, area_type, area_code, period, "
                "breakdown_id, value, status FROM indicators_observation WHERE indicator_id = %s",
                [other.pk, source.pk],
            )
        copy += 1


def campaigns_generate(total: int, rng: random.Random) -> None:
    existing = Campaign.objects.filter(title__startswith="Benchmark-omgång").count()
    questionnaire = Questionnaire.objects.order_by("pk").first()
    if questionnaire is None or existing >= total:
        return
    owners = list(Organisation.objects.filter(kind="county_board").order_by("code"))
    municipalities = list(Organisation.objects.filter(kind="municipality"))
    for n in range(existing, total):
        owner = owners[n % len(owners)]
        campaign = surveys.campaign_create(
            user=tenancy.SYSTEM,
            questionnaire=questionnaire,
            owner=owner,
            title=f"Benchmark-omgång {n}",
            organisations=rng.sample(municipalities, 30),
            deadline=datetime.date(2030, 1, 1),
        )
        answered = list(campaign.recipients.all()[: rng.randint(0, 30)])
        Recipient.objects.filter(pk__in=[r.pk for r in answered]).update(opened_at=timezone.now())


def bench_user(county: County) -> User:
    """An admin of the county's board and a member of four more of its organisations."""
    user = User.objects.filter(email=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_USER, password=None)
    board = Organisation.objects.get(kind="county_board", county=county)
    others = list(
        Organisation.objects.filter(county=county).exclude(pk=board.pk).order_by("pk")[:4]
    )
    for organisation, role in [(board, "admin")] + [(o, "editor") for o in others]:
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
    return user


# --- measuring ------------------------------------------------------------------------------


def timed(client: Client, url: str, runs: int) -> list[float]:
    for _ in range(3):  # warm: templates, caches, the database's buffers
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=3_000)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--observations", type=int, default=10_000_000)
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(17)
    log(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not Organisation.objects.filter(kind="county_board").exists():
        setup_run()
    start = time.perf_counter()
    organisations_generate(args.organisations, rng)
    if Project.objects.count() < args.projects:
        projects_generate(count=args.projects - Project.objects.count(), seed=17)
    observations_generate(args.observations, rng)
    campaigns_generate(args.campaigns, rng)
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load, at once
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    log(f"data set ready in {time.perf_counter() - start:.0f} s")

    largest = County.objects.annotate(n=Count("organisations")).order_by("-n", "code").first()
    assert largest is not None
    log(
        f"{Organisation.objects.count():,} organisations, {Project.objects.count():,} projects, "
        f"{Observation.objects.count():,} observations, {Campaign.objects.count():,} campaigns; "
        f"largest county {largest.code} {largest.name} ({largest.n:,} organisations, "
        f"{Project.objects.filter(municipalities__county=largest).distinct().count():,} projects)"
    )
    user = bench_user(largest)
    signed_in, visitor = Client(), Client()
    signed_in.force_login(user)
    results = {
        "/healthz": timed(visitor, "/healthz", args.runs),
        f"county hub /lan/{largest.code}/ (county board admin)": timed(
            signed_in, f"/lan/{largest.code}/", args.runs
        ),
        f"county hub /lan/{largest.code}/ (visitor)": timed(
            visitor, f"/lan/{largest.code}/", args.runs
        ),
        "Min översikt / (user in 5 organisations)": timed(signed_in, "/", args.runs),
        "front page / (visitor)": timed(visitor, "/", args.runs),
    }
    load = os.getloadavg()[0]
    base = percentile(results["/healthz"], 95)
    print(
        f"\n{connection.vendor}, {args.runs} warm requests each, load average {load:.2f} "
        f"on {os.cpu_count()} cores:"
    )
    print(f"{'page':55} {'p50 ms':>8} {'p95 ms':>8} {'p95 / healthz':>14}")
    for name, times in results.items():
        p95 = percentile(times, 95)
        print(f"{name:55} {statistics.median(times):8.1f} {p95:8.1f} {p95 / base:13.1f}×")


if __name__ == "__main__":
    main()
