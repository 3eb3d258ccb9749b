"""Benchmark: county and national reports on the demo data plus a generated nation-wide set.

Fresh SQLite database (var/bench_reports.sqlite3): `samverkan setup` (reference and demo data),
then 3,000 organisations, 400 networks and 2,000 responsibility claims spread over the counties.
Prints per format the build time (sections + rendering, in process, after one warm-up), the
time per section, the file size and the process's peak memory (max RSS).

Run: DEBUG=1 .venv/bin/python bench/reports_bench.py [--national]

With ``--existing`` it generates nothing and uses the database in DATABASE_URL as it is, e.g.
the national data set ``bench/hub_bench.py`` builds (100,000 projects, 10 million
observations): the county report of Skåne and the national report as HTML and PDF, each PDF
printed next to the HTML build of the same report (issue 20: county < 15 s, national < 60 s).
"""

from __future__ import annotations

import logging
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench_reports.sqlite3"
os.environ.setdefault("DEBUG", "1")
EXISTING = "--existing" in sys.argv
if not EXISTING:
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)  # missing Ethiopic glyphs, one per char

from django.core.management import call_command  # noqa: E402

ORGANISATIONS, NETWORKS, CLAIMS = 3000, 400, 2000


def generate() -> None:
    from samverkan.actors.models import Network, Organisation, ResponsibilityClaim, Theme
    from samverkan.core.setup import setup_run
    from samverkan.geo.models import County

    setup_run()
    rng = random.Random(8)
    counties = list(County.objects.all())
    names = ["جمعية الصداقة", "Ururka Haweenka", "ማሕበር ኤርትራውያን", "Föreningen"]
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{names[i % 4]} {i} " + "med ett långt namn " * (i % 5),
                name_key=f"bench-{i}",
                code=f"bench-org-{i}",
                kind="civil_society",
                sector="civil_society",
                county=rng.choice(counties),
                visibility="public",
            )
            for i in range(ORGANISATIONS)
        ],
        batch_size=1000,
    )
    owner = Organisation.objects.get(code="lst-12")
    Network.objects.bulk_create(
        [
            Network(
                name=f"Bench-nätverk {i}",
                slug=f"bench-net-{i}",
                scope="county",
                county=counties[i % len(counties)],
                owner=owner,
                visibility="public",
            )
            for i in range(NETWORKS)
        ]
    )
    themes = list(Theme.objects.all())
    orgs = list(
        Organisation.objects.filter(code__startswith="bench-").values_list("pk", "county_id")
    )
    seen = set()
    claims = []
    for _ in range(CLAIMS):
        org, county = rng.choice(orgs)
        theme = rng.choice(themes)
        kind = rng.choice(["leads", "coordinates", "delivers", "takes_part"])
        if (org, theme.pk, kind) in seen:
            continue
        seen.add((org, theme.pk, kind))
        claims.append(
            ResponsibilityClaim(
                owner=owner, organisation_id=org, theme=theme, county_id=county, responsibility=kind
            )
        )
    ResponsibilityClaim.objects.bulk_create(claims)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(kind: str, county: str, fmt: str) -> None:
    from samverkan.core import tenancy
    from samverkan.reports.services import report_file

    start = time.perf_counter()
    report, data = report_file(
        user=tenancy.SYSTEM,
        kind=kind,
        county=county or None,
        fmt=fmt,
        year_start=1999,
        year_end=2025,
    )
    total = time.perf_counter() - start
    sections = sum(s.seconds for s in report.sections)
    print(
        f"{kind:<8} {county or '--':<3} {fmt:<5} total {total:7.2f} s  sections {sections:6.2f} s"
        f"  render {total - sections:6.2f} s  {len(data) / 1024:8.0f} KiB"
        f"  peak RSS {peak_mb():6.0f} MB"
    )
    print("    " + "  ".join(f"{s.code} {s.seconds:.3f}s" for s in report.sections))


def main() -> None:
    if EXISTING:
        print(f"existing data set, load average {os.getloadavg()[0]:.2f}")
        run("county", "12", "html")  # warm-up
        for kind, county in (("county", "12"), ("national", "")):
            for fmt in ("html", "pdf"):
                run(kind, county, fmt)
        return
    if DB.exists():
        DB.unlink()
    DB.parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate()
    print(f"data generated in {time.perf_counter() - started:.1f} s")
    run("county", "12", "html")  # warm-up: imports, templates, caches
    for fmt in ("html", "docx", "xlsx", "pdf"):
        run("county", "12", fmt)
    if "--national" in sys.argv:
        run("national", "", "pdf")


if __name__ == "__main__":
    main()
