"""Benchmark: project search (FTS) against a naive icontains scan, plus similar projects and the
duplicate report with recall against brute-force cosine.

Run against a throw-away database (it migrates it and generates projects into it):

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench_projects.sqlite3 \
        .venv/bin/python bench/projects_search_bench.py --count 100000
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench_projects \
        .venv/bin/python bench/projects_search_bench.py --count 100000

First the search index is built twice, without and with Swedish decompounding
(``compounds``), and the build time and index size of both are printed; the queries then run
on the index with decompounding. Prints p50/p95 per method, wall clock and CPU time, and the
ratios against the naive ``icontains`` baseline measured in the same run. CPU time per
query is this process's CPU plus, on PostgreSQL, the CPU of the server backend serving it
(read from /proc), so it is meaningful on a loaded machine where the wall clock waits for
other processes. The recall
check compares the duplicate report's pruned inverted index with exact brute-force cosine
over every pair of a random sample of projects (``--sample``, 5,000 by default).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from samverkan.core import tenancy  # noqa: E402
from samverkan.core.setup import setup_run  # noqa: E402
from samverkan.projects import compounds, generate, search, selectors, similarity, text  # noqa: E402
from samverkan.projects.models import Project  # noqa: E402
from samverkan.projects.selectors import SearchFilters, project_search  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries(n: int, seed: int) -> list[SearchFilters]:
    rng = random.Random(seed)
    words = (
        [a.split()[0].lower() for a in generate.ACTIVITIES]
        + list(generate.GROUP_PHRASES.values())
        + ["valideringen", "nyanländas", "kvinnor", "arbetsgivare", "svenska", "hälsa"]
    )
    counties = ["01", "03", "05", "12", "14", "20", "22", "25"]
    themes = ["work-skills", "housing", "health", "children-youth", "education-language"]
    result = []
    for _ in range(n):
        query = " ".join(rng.sample(words, rng.choice([1, 1, 2])))
        result.append(
            SearchFilters(
                query=query,
                county=rng.choice(counties) if rng.random() < 0.5 else "",
                theme=rng.choice(themes) if rng.random() < 0.3 else "",
                status="ongoing" if rng.random() < 0.2 else "",
            )
        )
    return result


def naive(filters: SearchFilters) -> tuple[int, list[int]]:
    projects = Project.objects.all()
    for word in text.query_words(filters.query):
        projects = projects.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(lessons__icontains=word)
        )
    if filters.county:
        projects = projects.filter(county__code=filters.county)
    if filters.theme:
        projects = projects.filter(themes__code=filters.theme)
    if filters.status:
        projects = projects.filter(status=filters.status)
    return projects.count(), list(
        projects.order_by("-updated_at").values_list("pk", flat=True)[:20]
    )


def _backend_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backend of this connection (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Timing:
    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []


def timed(func, items) -> Timing:
    timing = Timing()
    for item in items:
        server = _backend_cpu()
        cpu = time.process_time()
        start = time.perf_counter()
        func(item)
        timing.wall.append((time.perf_counter() - start) * 1000)
        # /proc counts in clock ticks (10 ms): summed over 200 queries it is exact enough for
        # percentiles of the client part, and the server part is added per query.
        timing.cpu.append((time.process_time() - cpu + _backend_cpu() - server) * 1000)
    return timing


def report(name: str, t: Timing) -> None:
    print(
        f"  {name:<38} wall p50 {statistics.median(t.wall):7.1f} p95 {percentile(t.wall, 95):7.1f}"
        f" ms | CPU p50 {statistics.median(t.cpu):7.1f} p95 {percentile(t.cpu, 95):7.1f} ms"
    )


def ratio(name: str, fast: Timing, slow: Timing) -> None:
    wall_p95 = percentile(slow.wall, 95) / percentile(fast.wall, 95)
    print(
        f"  speed-up {name:<29} wall p95 {wall_p95:5.1f}x"
        f" median {statistics.median(slow.wall) / statistics.median(fast.wall):5.1f}x | CPU p95 "
        f"{percentile(slow.cpu, 95) / max(percentile(fast.cpu, 95), 0.1):5.1f}x median "
        f"{statistics.median(slow.cpu) / max(statistics.median(fast.cpu), 0.1):5.1f}x"
    )


def window_quality(qs: list[SearchFilters]) -> None:
    """How far the first page ranked in windows (``search.RANK_WINDOW`` newest matches of a
    tier) is from the page ranked over every match of the tier, for the benchmark's queries."""
    broad, overlap, ratios = 0, [], []
    window = search.RANK_WINDOW
    for f in qs:
        words = search.query_terms(f.query)
        tags = selectors._filter_tags(f)
        cleared = replace(f, **selectors._TAGGED_CLEARED) if tags else f
        entries = selectors._filtered(user=tenancy.SYSTEM, filters=cleared)
        pages = []
        for size in (window, 10**9):
            search.RANK_WINDOW = size
            try:
                pages.append(search._ranked(entries, words, tags, title=True, limit=20))
            finally:
                search.RANK_WINDOW = window
        windowed, exact = pages
        if len(exact) < 20 or windowed == exact:
            continue
        broad += 1
        overlap.append(len({pk for pk, _ in windowed} & {pk for pk, _ in exact}))
        ratios.append(
            statistics.mean(s for _, s in windowed) / statistics.mean(s for _, s in exact)
        )
    if not broad:
        print(f"  ranking windows of {window}: every first page equals the exact ranking")
        return
    print(
        f"  ranking windows of {window}: {broad} of {len(qs)} queries get another first page "
        f"than ranking every title match; mean score of that page {min(ratios):.3f}–"
        f"{max(ratios):.3f} of the exact page's (median {statistics.median(ratios):.3f}), "
        f"{statistics.mean(overlap):.1f} of 20 projects in common"
    )


def index_size() -> int:
    """Bytes of the search index: the entries (and on PostgreSQL their vectors and GIN
    indexes), SQLite's FTS5 tables, and the vocabulary with its indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('projects_searchentry') "
                "+ pg_total_relation_size('projects_searchword')"
            )
        else:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'projects_search%' "
                "OR name LIKE 'sqlite_autoindex_projects_search%' OR name LIKE 'searchentry_%'"
            )
        return int(cursor.fetchone()[0] or 0)


def build_index() -> tuple[float, int]:
    """Index every project again; (seconds, bytes) of the index after compaction."""
    start = time.perf_counter()
    search.project_reindex_all()
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM FULL ANALYZE projects_searchentry")
            cursor.execute("VACUUM FULL ANALYZE projects_searchword")
        else:
            cursor.execute("INSERT INTO projects_search (projects_search) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return seconds, index_size()


def compare_index() -> None:
    """Build the index without and with decompounding, in this run, and print both."""
    with compounds.disabled():
        off_seconds, off_bytes = build_index()
        off_words = search.SearchWord.objects.count()
    lexicon = compounds.lexicon()
    start = time.perf_counter()
    compounds._read(Path(lexicon.source))  # as on first use in a new process
    load = time.perf_counter() - start
    tracemalloc.start()
    kept = compounds._read(Path(lexicon.source))
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    on_seconds, on_bytes = build_index()
    on_words = search.SearchWord.objects.count()
    print(
        f"dictionary {lexicon.source}: read in {load:.2f} s, {memory / 2**20:.0f} MB in memory "
        f"({len(lexicon.joining)} joining forms, {len(lexicon.words)} words, "
        f"{len(lexicon.ends)} compound-end forms)"
    )
    print("index of every project (entries, full-text index, vocabulary):")
    print(
        f"  without decompounding  build {off_seconds:6.1f} s  size {off_bytes / 2**20:7.1f} MB"
        f"  ({off_words} vocabulary words)"
    )
    print(
        f"  with decompounding     build {on_seconds:6.1f} s  size {on_bytes / 2**20:7.1f} MB"
        f"  ({on_words} vocabulary words)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sample", type=int, default=5_000, help="projects for the recall check")
    parser.add_argument("--skip-duplicates", action="store_true", help="no duplicate report")
    parser.add_argument("--only-duplicates", action="store_true", help="no search benchmark")
    parser.add_argument(
        "--skip-index", action="store_true", help="no index build without/with decompounding"
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    setup_run(demo=False)
    existing = Project.objects.count()
    if existing < args.count:
        start = time.perf_counter()
        generate.projects_generate(count=args.count - existing, seed=args.seed)
        print(f"generated {args.count - existing} projects in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load, at once
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    total = Project.objects.count()
    print(f"projects: {total}")
    if not args.skip_index and not args.only_duplicates:
        compare_index()

    if not args.only_duplicates:
        qs = queries(args.queries, args.seed)
        for warm in qs[:5]:
            project_search(user=tenancy.SYSTEM, filters=warm)
        fts_facets = timed(lambda f: project_search(user=tenancy.SYSTEM, filters=f), qs)
        fts_plain = timed(
            lambda f: project_search(user=tenancy.SYSTEM, filters=f, facets=False), qs
        )
        anonymous = AnonymousUser()
        fts_public = timed(lambda f: project_search(user=anonymous, filters=f), qs)
        typed = timed(
            lambda f: project_search(user=tenancy.SYSTEM, filters=f, prefix_last=True), qs
        )
        naive_times = timed(naive, qs)
        print(f"search, {len(qs)} queries (1–2 words, 50 % with county, 30 % theme, 20 % status):")
        report("full-text, ranked, snippets + facets", fts_facets)
        report("full-text, ranked, snippets", fts_plain)
        report("same, as a visitor (public only)", fts_public)
        report("same, typed in the search box (prefix)", typed)
        report("naive icontains (count + 20 rows)", naive_times)
        ratio("(ranked + snippets vs naive)", fts_plain, naive_times)
        ratio("(with facets vs naive)", fts_facets, naive_times)
        ratio("(typed, with facets vs naive)", typed, naive_times)
        window_quality(qs)

    rng = random.Random(args.seed)
    ids = list(Project.objects.values_list("pk", flat=True))
    sample_projects = [Project.objects.get(pk=pk) for pk in rng.sample(ids, 20)]
    if not args.only_duplicates:
        similar_times = timed(
            lambda p: similarity.project_similar(user=tenancy.SYSTEM, project=p), sample_projects
        )
        report("similar projects (one project)", similar_times)
    if args.skip_duplicates:
        return

    county = "12"
    n_county = Project.objects.filter(county__code=county).count()
    server, cpu, start = _backend_cpu(), time.process_time(), time.perf_counter()
    pairs = similarity.project_duplicate_report(user=tenancy.SYSTEM, county_code=county)
    print(
        f"  duplicate report, county {county} ({n_county} projects): "
        f"{time.perf_counter() - start:.1f} s wall, "
        f"{time.process_time() - cpu + _backend_cpu() - server:.1f} s CPU; "
        f"{pairs.total} pairs found, {len(pairs)} shown with reasons"
    )

    if not args.sample:
        return
    sample_ids = rng.sample(ids, min(args.sample, len(ids)))
    docs = similarity._load(Project.objects.filter(pk__in=sample_ids), with_projects=False)
    threshold = 0.5
    start, cpu = time.perf_counter(), time.process_time()
    indexed = {pair for pair, cos in similarity.similar_pairs(docs, min_cosine=threshold).items()}
    indexed_time, indexed_cpu = time.perf_counter() - start, time.process_time() - cpu
    vectors = similarity._vectors(docs)
    start, cpu = time.perf_counter(), time.process_time()
    brute = set()
    for i in range(len(docs)):  # every pair, exact cosine: no index, no pruning
        vi = vectors[i]
        keys = vi.keys()
        for j in range(i + 1, len(docs)):
            vj = vectors[j]
            if sum(vi[t] * vj[t] for t in keys & vj.keys()) >= threshold:
                brute.add((i, j))
    brute_time, brute_cpu = time.perf_counter() - start, time.process_time() - cpu
    recall = len(indexed & brute) / len(brute) if brute else 1.0
    precision = len(indexed & brute) / len(indexed) if indexed else 1.0
    print(
        f"  recall of similar_pairs vs brute-force cosine ≥ {threshold} on {len(docs)} projects:"
        f" {recall:.3f}, precision {precision:.3f} ({len(brute)} pairs; similar_pairs "
        f"{indexed_time:.2f} s wall {indexed_cpu:.2f} s CPU, brute force {brute_time:.1f} s wall"
        f" {brute_cpu:.1f} s CPU; speed-up {brute_time / max(indexed_time, 1e-3):.0f}x wall, "
        f"{brute_cpu / max(indexed_cpu, 1e-3):.0f}x CPU)"
    )


if __name__ == "__main__":
    main()
