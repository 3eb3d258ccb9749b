"""Indicator import and benchmarking speed. Run once per database:

    DEBUG=1 DATABASE_URL=sqlite:///var/bench_indicators.sqlite3 \
        .venv/bin/python bench/indicators_bench.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench_indicators \
        .venv/bin/python bench/indicators_bench.py

Measures: importing 1,160,000 observations (all 290 municipalities × 2 sexes × 20 age bands ×
100 months) from a JSON-stat 2.0 file: wall clock, this process's CPU time and peak memory;
as the baseline in the same run, the same rows (prepared beforehand) written into the same
table by a raw COPY (PostgreSQL) or a raw sqlite3 ``executemany`` in one transaction (SQLite).
Then fills the table to BENCH_TOTAL rows (default 10,000,000) and times ranking all 290
municipalities for one indicator, period and breakdown, and a comparison of 10 areas over 100
periods (p50/p95 over 200 runs), and the indicator page, its API and downloads (p50/p95 over
BENCH_PAGES requests each, default 20, through Django's test client, wall and CPU time).
The indicator page is compared in the same run with the same page for an indicator without
a summary (the earlier code path); each download is requested twice, the first time drawn
(new parameters every time), the second from the chart cache (keyed by the data version).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # DEBUG=1 only to start without a SECRET_KEY; log no queries (production)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from samverkan.core import tenancy  # noqa: E402
from samverkan.geo.models import Municipality  # noqa: E402
from samverkan.geo.services import geography_load_reference  # noqa: E402
from samverkan.indicators import selectors  # noqa: E402
from samverkan.indicators.importing import observations_import  # noqa: E402
from samverkan.indicators.jsonstat import datasets_read  # noqa: E402
from samverkan.indicators.loading import summary_rebuild  # noqa: E402
from samverkan.indicators.models import (  # noqa: E402
    Breakdown,
    Indicator,
    IndicatorData,
    Observation,
)

TOTAL = int(os.environ.get("BENCH_TOTAL", 10_000_000))
# optionally also stream a bigger file through both passes (months; 100 = 1M cells, 1000 = 10M)
STREAM_MONTHS = int(os.environ.get("BENCH_STREAM_MONTHS", 0))
PAGES = int(os.environ.get("BENCH_PAGES", 20))
# BENCH_REUSE=1: the table already holds BENCH_TOTAL rows from an earlier run: only the reads
REUSE = os.environ.get("BENCH_REUSE") == "1"


def peak_mb() -> float:
    """Peak resident memory (VmHWM) since the last ``peak_reset``, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_reset() -> None:
    """Reset the peak to the current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def make_jsonstat(path: Path, municipalities: list[str], months: int = 100) -> int:
    """Write the file without building it in memory, with ``value`` first (allowed by
    JSON-stat; the importer must then read the metadata after the values)."""
    periods = [f"{2010 + m // 12}M{m % 12 + 1:02d}" for m in range(months)]
    ages = [f"{a}-{a + 4}" for a in range(0, 100, 5)]
    dims = {"Region": municipalities, "Kon": ["1", "2"], "Alder": ages, "Tid": periods}
    size = [len(v) for v in dims.values()]
    cells = 1
    for n in size:
        cells *= n
    rng = random.Random(1)
    with open(path, "w") as out:
        out.write('{"value": [')
        for start in range(0, cells, 100_000):
            chunk = [round(rng.uniform(0, 100), 1) for _ in range(min(100_000, cells - start))]
            out.write(("," if start else "") + ",".join(map(repr, chunk)))
        meta = {
            "version": "2.0",
            "class": "dataset",
            "label": "bench",
            "id": list(dims),
            "size": size,
            "role": {"time": ["Tid"], "geo": ["Region"]},
            "dimension": {d: {"label": d, "category": {"index": c}} for d, c in dims.items()},
        }
        out.write("], " + json.dumps(meta)[1:])
    return cells


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    geography_load_reference()
    if REUSE and Observation.objects.count() >= TOTAL:
        municipalities = list(Municipality.objects.values_list("code", flat=True))
        reads(vendor, municipalities, Indicator.objects.get(code="bench-1"))
        return
    Observation.objects.all().delete()
    Indicator.objects.filter(code__startswith="bench-").delete()
    municipalities = list(Municipality.objects.values_list("code", flat=True))
    indicator = Indicator.objects.create(
        code="bench-1", title="bench", definition="d", unit="x", source_kind="own"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        cells = make_jsonstat(path, municipalities)
        peak_reset()
        before = peak_mb()
        start = time.perf_counter()
        cpu = time.process_time()
        with open(path, "rb") as stream:
            result = observations_import(
                user=tenancy.SYSTEM,
                indicator=indicator,
                stream=stream,
                filename="bench.json",
                fmt="jsonstat",
            )
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        print(
            f"[{vendor}] JSON-stat import: {result.created:,} rows in {elapsed:.1f} s = "
            f"{result.created / elapsed:,.0f} rows/s (this process's CPU {cpu:.1f} s = "
            f"{result.created / cpu:,.0f} rows per CPU-second; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); file "
            f"{path.stat().st_size / 2**20:.0f} MB; peak RSS {peak_mb():.0f} MB "
            f"(before import {before:.0f} MB)"
        )
        assert result.created == cells
        if STREAM_MONTHS:
            big = Path(tmp) / "big.json"
            big_cells = make_jsonstat(big, municipalities, months=STREAM_MONTHS)
            peak_reset()
            before = peak_mb()
            start = time.perf_counter()
            with open(big, "rb") as stream:
                (dataset,) = datasets_read(stream, source="big.json", max_bytes=2**40)
            seen = sum(1 for _value in dataset.iter_values())
            assert seen == big_cells
            print(
                f"[{vendor}] streaming {big_cells:,} cells ({big.stat().st_size / 2**20:.0f} MB, "
                f"value before dimension) through both passes: {time.perf_counter() - start:.1f}"
                f" s, peak RSS {peak_mb():.0f} MB (before {before:.0f} MB)"
            )
            big.unlink()

    rows = list(
        Observation.objects.filter(indicator=indicator).values_list(
            "area_type", "area_code", "period", "breakdown_id", "value", "status"
        )
    )
    Observation.objects.filter(indicator=indicator).delete()
    if vendor == "postgresql":
        buffer = "".join(
            f"{indicator.pk}\t{t}\t{c}\t{per}\t{b}\t{v}\t{s}\n" for t, c, per, b, v, s in rows
        )
        start = time.perf_counter()
        raw_cpu = time.process_time()
        sql = (
            "COPY indicators_observation (indicator_id, area_type, area_code, period, "
            "breakdown_id, value, status) FROM STDIN"
        )
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            data = io.StringIO(buffer)
            while chunk := data.read(1 << 20):
                copy.write(chunk)
        baseline = "raw COPY of the same rows (text prepared beforehand)"
        del buffer
    else:
        import sqlite3

        start = time.perf_counter()
        raw_cpu = time.process_time()
        with transaction.atomic():
            cursor = sqlite3.Cursor(connection.connection)
            cursor.executemany(
                "INSERT INTO indicators_observation (indicator_id, area_type, area_code, period, "
                f"breakdown_id, value, status) VALUES ({indicator.pk}, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            cursor.close()
        baseline = "raw sqlite3 executemany of the same rows (tuples prepared beforehand)"
    raw = time.perf_counter() - start
    raw_cpu = time.process_time() - raw_cpu
    print(
        f"[{vendor}] baseline, {baseline}: {len(rows):,} rows in {raw:.1f} s = "
        f"{len(rows) / raw:,.0f} rows/s (CPU {raw_cpu:.1f} s = {len(rows) / raw_cpu:,.0f} rows "
        f"per CPU-second; load average {os.getloadavg()[0]:.1f}); import/baseline speed "
        f"ratio {raw / elapsed:.2f} wall, {raw_cpu / cpu:.2f} CPU"
    )
    del rows

    start = time.perf_counter()
    copies = 1
    while Observation.objects.count() < TOTAL:
        other = Indicator.objects.create(
            code=f"bench-{copies + 1}", title="bench", definition="d", unit="x", source_kind="own"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO indicators_observation (indicator_id, area_type, area_code, period, "
                "breakdown_id, value, status) SELECT %s, area_type, area_code, period, "
                "breakdown_id, value, status FROM indicators_observation WHERE indicator_id = %s",
                [other.pk, indicator.pk],
            )
        copies += 1
    reads(vendor, municipalities, indicator)


def reads(vendor: str, municipalities: list[str], indicator: Indicator) -> None:
    start = time.perf_counter()
    # the copies were written by raw SQL, not the import service: summarise them as it would
    for each in Indicator.objects.filter(code__startswith="bench-"):
        summary_rebuild(each)
    if vendor == "postgresql":
        # VACUUM as autovacuum does after a large insert: it sets the visibility map that an
        # index-only scan of the covering ranking index needs
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE indicators_observation")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stored = Observation.objects.count()
    print(
        f"[{vendor}] {stored:,} observations; summaries rebuilt and ANALYZE in "
        f"{time.perf_counter() - start:.0f} s"
    )

    rng = random.Random(2)
    breakdowns = list(Breakdown.objects.filter(age_band__contains="-").values_list("id", flat=True))
    periods = selectors.periods_for(indicator)
    indicators = list(Indicator.objects.filter(code__startswith="bench-"))
    timings = []
    for _ in range(200):
        start = time.perf_counter()
        rows = selectors.ranking(
            indicator=rng.choice(indicators),
            period=rng.choice(periods),
            breakdown_id=rng.choice(breakdowns),
        )
        timings.append((time.perf_counter() - start) * 1000)
        assert len(rows) == 290
    print(
        f"[{vendor}] ranking all 290 municipalities: p50 {p(timings, 50):.1f} ms, "
        f"p95 {p(timings, 95):.1f} ms ({stored:,} rows stored; {ranking_plan(vendor)})"
    )
    timings = []
    for _ in range(200):
        areas = rng.sample(municipalities, 10)
        start = time.perf_counter()
        series = selectors.series(
            indicator=rng.choice(indicators), area_codes=areas, breakdown_id=rng.choice(breakdowns)
        )
        timings.append((time.perf_counter() - start) * 1000)
        assert sum(len(v) for v in series.values()) == 1000
    print(
        f"[{vendor}] 10 areas × 100 periods: p50 {p(timings, 50):.1f} ms, "
        f"p95 {p(timings, 95):.1f} ms"
    )
    pages(vendor, rng, indicators, periods, breakdowns, municipalities)


def ranking_plan(vendor: str) -> str:
    """Which index a ranking reads (PostgreSQL: EXPLAIN of the selector's SQL)."""
    if vendor != "postgresql":
        return "SQLite: one seek per area in the unique index"
    indicator = Indicator.objects.filter(code="bench-2").first()
    period = selectors.periods_for(indicator)[-1]
    breakdown = Breakdown.objects.filter(age_band__contains="-").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT area_code, value, status FROM "
            "indicators_observation WHERE indicator_id = %s AND breakdown_id IN (%s) AND "
            "area_type = %s AND period IN (%s)",
            [indicator.pk, breakdown.pk, 2, period],
        )
        plan = [row[0] for row in cursor.fetchall()]
    scan = plan[0].split("  (")[0].strip()
    buffers = next((line.strip() for line in plan if "Buffers" in line), "")
    heap = next((line.strip() for line in plan if "Heap Fetches" in line), "")
    return f"plan: {scan}; {heap}; {buffers}"


def timed(client, url: str) -> tuple[float, float, bytes]:
    """Wall and this process's CPU milliseconds of one request, and its body."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return wall, cpu, response.content


def pages(vendor, rng, indicators, periods, breakdowns, municipalities) -> None:
    """The indicator page, the API and the downloads as a visitor gets them (anonymous, public
    indicator), through Django's test client: request handling, queries, charts, rendering."""
    from django.test import Client

    from samverkan.indicators.periods import period_format

    client = Client()
    urls = {
        "indicator page (ranking 290 + bars + change + gap)": "/indikatorer/{code}/?{q}&base={base}"
        "&other={other}",
        "indicator page with 10-area series": "/indikatorer/{code}/?{q}&areas={areas}",
        "API ranking": "/api/indicators/{code}/ranking/?{q}",
        "API series 10 areas": "/api/indicators/{code}/series/?{q}&areas={areas}",
        "rankning.csv": "/indikatorer/{code}/rankning.csv?{q}",
        "rankning.xlsx": "/indikatorer/{code}/rankning.xlsx?{q}",
        "rankning.png": "/indikatorer/{code}/rankning.png?{q}",
        "serie.png": "/indikatorer/{code}/serie.png?{q}&areas={areas}",
        "karta.svg": "/indikatorer/{code}/karta.svg?{q}",
        "karta.png": "/indikatorer/{code}/karta.png?{q}",
    }
    # Baseline in the same run: the same page for an indicator whose observations have no
    # summary (IndicatorData deleted): periods by DISTINCT over its observations, breakdowns
    # by a loose index scan, charts drawn on every request (the code path before the summary)
    unsummarised = indicators[-1]
    IndicatorData.objects.filter(indicator=unsummarised).delete()
    summarised = indicators[:-1]
    page = "/indikatorer/{code}/?{q}&base={base}&other={other}"
    results: dict[str, list[float]] = {}
    for attempt in range(PAGES + 1):  # the first one warms the caches and is not counted
        for name, choices in (("summary", summarised), ("baseline", [unsummarised])):
            url = page.format(
                code=rng.choice(choices).code,
                q=f"period={period_format(rng.choice(periods))}&breakdown={rng.choice(breakdowns)}",
                base=period_format(periods[0]),
                other=rng.choice(breakdowns),
            )
            wall, cpu, _body = timed(client, url)
            if attempt:
                results.setdefault(name, []).append(wall)
                results.setdefault(name + " cpu", []).append(cpu)
    print(
        f"[{vendor}] indicator page, summary (new parameters each request, charts drawn): "
        f"p50 {p(results['summary'], 50):.0f} ms, p95 {p(results['summary'], 95):.0f} ms, "
        f"CPU p50 {p(results['summary cpu'], 50):.0f} ms; baseline without summary and cache: "
        f"p50 {p(results['baseline'], 50):.0f} ms, p95 {p(results['baseline'], 95):.0f} ms, "
        f"CPU p50 {p(results['baseline cpu'], 50):.0f} ms; baseline/summary ratio "
        f"{p(results['baseline'], 50) / p(results['summary'], 50):.2f} wall, "
        f"{p(results['baseline cpu'], 50) / p(results['summary cpu'], 50):.2f} CPU "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    indicators = summarised
    for label, pattern in urls.items():
        first, again, first_cpu, again_cpu = [], [], [], []
        for attempt in range(PAGES + 1):  # the first one warms the caches and is not counted
            breakdown = rng.choice(breakdowns)
            url = pattern.format(
                code=rng.choice(indicators).code,
                q=f"period={period_format(rng.choice(periods))}&breakdown={breakdown}",
                base=period_format(periods[0]),
                other=rng.choice([b for b in breakdowns if b != breakdown]),
                areas=",".join(rng.sample(municipalities, 10)),
            )
            wall, cpu, body = timed(client, url)
            repeat_wall, repeat_cpu, repeat_body = timed(client, url)  # a repeated download
            if label.endswith((".svg", ".png")):  # (pages carry a nonce, XLSX a timestamp)
                assert repeat_body == body, url
            if attempt:
                first.append(wall)
                first_cpu.append(cpu)
                again.append(repeat_wall)
                again_cpu.append(repeat_cpu)
        print(
            f"[{vendor}] {label}: first p50 {p(first, 50):.0f} ms, p95 {p(first, 95):.0f} ms "
            f"(CPU p50 {p(first_cpu, 50):.0f} ms); repeated p50 {p(again, 50):.0f} ms, "
            f"p95 {p(again, 95):.0f} ms (CPU p50 {p(again_cpu, 50):.0f} ms); first/repeated "
            f"ratio {p(first, 50) / max(p(again, 50), 0.01):.1f} ({len(body):,} bytes)"
        )


if __name__ == "__main__":
    main()
