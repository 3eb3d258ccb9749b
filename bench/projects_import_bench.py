"""Benchmark: import N projects from an XLSX in the mapping template (time and peak memory).

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench_projects.sqlite3 \
        .venv/bin/python bench/projects_import_bench.py --count 10000

Uses a throw-away database (migrates it, loads the reference data). Rows get unique titles but
look like earlier runs' rows (same activity and municipality), so on a database that already
holds projects many are flagged as very similar; the bench answers "import as new" for every
row (what the preview page sends) and prints how many were flagged. The similarity check
against the existing projects is part of the measured time.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from samverkan.actors.models import TargetGroup, Theme  # noqa: E402
from samverkan.core import tenancy  # noqa: E402
from samverkan.core.models import AuditEntry  # noqa: E402
from samverkan.core.setup import setup_run  # noqa: E402
from samverkan.core.tables import write_xlsx  # noqa: E402
from samverkan.geo.models import Municipality  # noqa: E402
from samverkan.projects import generate  # noqa: E402
from samverkan.projects.exchange import COLUMNS  # noqa: E402
from samverkan.projects.importing import project_import  # noqa: E402
from samverkan.projects.models import Project  # noqa: E402


def rows(count: int, seed: int):
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.select_related("county"))
    themes = [t.name for t in Theme.objects.all()]
    groups = [g.name for g in TargetGroup.objects.all()]
    run = f"{seed}-{time.time():.0f}"
    for i in range(count):
        m = rng.choice(municipalities)
        activity = rng.choice(generate.ACTIVITIES)
        yield {
            "titel": f"{activity} i {m.name} ({run}-{i})",
            "ägare": f"kommun-{m.code}",
            "län": m.county.code,
            "kommuner": m.code,
            "teman": rng.choice(themes),
            "målgrupper": rng.choice(groups),
            "start": f"{rng.randint(2000, 2024)}-01-01",
            "slut": "2025",
            "status": rng.choice(["pågående", "avslutat", "planerat"]),
            "budget": f"{rng.randint(1, 90) * 100} 000 kr",
            "finansiärer": "ESF: 500 000 kr; Kommunen: 200 000",
            "partner": f"lst-{m.county.code}: finansiär",
            "sammanfattning": f"{activity} ger {rng.choice(generate.GOALS)}.",
            "beskrivning": " ".join(rng.sample(generate.METHODS, 3)),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    setup_run(demo=False)
    binary = io.BytesIO()
    write_xlsx([("Projekt", [c.name for c in COLUMNS], rows(args.count, args.seed))], binary)
    data = binary.getvalue()
    print(f"XLSX with {args.count} rows: {len(data) / 2**20:.1f} MB")
    start = time.perf_counter()
    cpu = time.process_time()
    result = project_import(
        data=data,
        filename="bench.xlsx",
        user=tenancy.SYSTEM,
        acting_for=None,
        decisions={row: "new" for row in range(2, args.count + 2)},
    )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    flagged = len(AuditEntry.objects.get(pk=result.audit_id).data["similar_imported_as_new"])
    print(
        f"imported {result.created} projects in {elapsed:.1f} s wall, {cpu:.1f} s CPU (this "
        f"process); {flagged} rows flagged as like existing projects; peak RSS {peak:.0f} MB; "
        f"{Project.objects.count()} projects now"
    )


if __name__ == "__main__":
    main()
