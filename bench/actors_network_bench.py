"""Benchmark: county overview and network map with a nation-wide generated data set.

3,000 organisations, 500 networks and 20,000 memberships in a fresh SQLite database
(var/bench_networks.sqlite3). Prints, next to a naive baseline measured in the same run:
- the county overview page (/lan/12/) server time, cold (map computed) and warm (cached);
- the national graph metrics computed per request (no cache) vs. served from the cache;
- the size of the map's JSON payload, national and for one county.

Run: DEBUG=1 .venv/bin/python bench/actors_network_bench.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench_networks.sqlite3"
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ORGANISATIONS, NETWORKS, MEMBERSHIPS = 3000, 500, 20000


def timed(func, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def generate() -> None:
    from samverkan.actors.models import (
        Network,
        NetworkMembership,
        NetworkRole,
        Organisation,
        ResponsibilityClaim,
        Theme,
    )
    from samverkan.core.setup import setup_run
    from samverkan.geo.models import County

    setup_run(demo=False)
    rng = random.Random(42)
    counties = list(County.objects.all())
    kinds = [
        ("civil_society", "civil_society"),
        ("business", "private"),
        ("academia", "academia"),
        ("state_agency", "public"),
        ("other", "public"),
    ]
    existing = Organisation.objects.count()
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench-organisation {i}",
                code=f"bench-org-{i}",
                kind=kinds[i % len(kinds)][0],
                sector=kinds[i % len(kinds)][1],
                county=rng.choice(counties),
                visibility="public",
            )
            for i in range(ORGANISATIONS - existing)
        ],
        batch_size=1000,
    )
    orgs = list(Organisation.objects.values_list("pk", "county_id"))
    by_county: dict[int, list[int]] = {}
    for pk, county_id in orgs:
        by_county.setdefault(county_id, []).append(pk)
    owner = Organisation.objects.get(code="lst-12")
    themes = list(Theme.objects.all())
    Network.objects.bulk_create(
        [
            Network(
                name=f"Bench-nätverk {i}",
                slug=f"bench-net-{i}",
                kind="network",
                scope="county" if i % 10 else "national",
                county=counties[i % len(counties)] if i % 10 else None,
                owner=owner,
                visibility="public",
            )
            for i in range(NETWORKS)
        ],
        batch_size=500,
    )
    networks = list(Network.objects.all())
    through = Network.themes.through
    through.objects.bulk_create(
        [through(network_id=n.pk, theme_id=rng.choice(themes).pk) for n in networks]
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < MEMBERSHIPS:
        network = rng.choice(networks)
        pool = (
            by_county.get(network.county_id) if network.county_id and rng.random() < 0.8 else None
        )
        organisation = rng.choice(pool) if pool else rng.choice(orgs)[0]
        pairs.add((organisation, network.pk))
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(organisation_id=o, network_id=n, owner=owner, visibility="public")
            for o, n in pairs
        ],
        batch_size=2000,
    )
    roles = list(NetworkRole.objects.all())
    role_through = NetworkMembership.roles.through
    role_through.objects.bulk_create(
        [
            role_through(networkmembership_id=pk, networkrole_id=rng.choice(roles).pk)
            for pk in NetworkMembership.objects.values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    skane = County.objects.get(code="12")
    claims = set()
    for pk in by_county.get(skane.pk, [])[:60]:
        for theme in rng.sample(themes, 3):
            claims.add(
                (
                    pk,
                    theme.pk,
                    rng.choice(["leads", "coordinates", "delivers", "finances", "takes_part"]),
                )
            )
    ResponsibilityClaim.objects.bulk_create(
        [
            ResponsibilityClaim(
                organisation_id=o,
                theme_id=t,
                county=skane,
                responsibility=r,
                owner=owner,
                visibility="public",
            )
            for o, t, r in claims
        ]
    )


def main() -> None:
    if DB.exists():
        DB.unlink()
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    generate()
    print(f"generated data set in {time.perf_counter() - start:.1f} s")
    from samverkan.actors import graph
    from samverkan.actors.models import Network, NetworkMembership, Organisation
    from samverkan.core import tenancy

    print(
        f"organisations={Organisation.objects.count()} networks={Network.objects.count()} "
        f"memberships={NetworkMembership.objects.count()}"
    )

    setup_test_environment()
    client = Client()
    cache.clear()
    cold, response = timed(lambda: client.get("/lan/12/"))
    assert response.status_code == 200, response.status_code
    warm, _ = timed(lambda: client.get("/lan/12/"), repeat=5)

    def uncached_page() -> object:
        cache.clear()
        return client.get("/lan/12/")

    naive, _ = timed(uncached_page, repeat=3)
    print(
        f"county overview /lan/12/: first request {cold * 1000:.0f} ms; "
        f"map recomputed per request (naive) {naive * 1000:.0f} ms; "
        f"map cached {warm * 1000:.0f} ms (medians), "
        f"HTML {len(response.content) / 1024:.0f} KiB"
    )

    user = tenancy.SYSTEM
    uncached, payload = timed(lambda: graph.graph_payload(user=user, use_cache=False), repeat=2)
    cached, _ = timed(lambda: graph.graph_payload(user=user), repeat=5)
    print(
        f"national graph metrics: per request (no cache) {uncached:.2f} s, "
        f"cached {cached * 1000:.0f} ms (median of 5)"
    )
    national = len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    county_payload = graph.graph_payload(user=user, county_code="12")
    county = len(json.dumps(county_payload, ensure_ascii=False, separators=(",", ":")).encode())
    print(
        f"map payload: national {national / 1024 / 1024:.2f} MiB "
        f"({payload['summary']['organisations']} organisations, "
        f"{payload['summary']['networks']} networks, {len(payload['edges'])} edges), "
        f"county 12 {county / 1024:.0f} KiB"
    )
    page, response = timed(lambda: client.get("/aktorer/natverk/karta/"), repeat=3)
    print(
        f"national map page (cached metrics, SVG of {graph.SVG_NODE_LIMIT} nodes): "
        f"{page * 1000:.0f} ms, HTML {len(response.content) / 1024:.0f} KiB"
    )
    api, response = timed(lambda: client.get("/api/county-overview/12/"), repeat=3)
    print(
        f"county overview API /api/county-overview/12/: {api * 1000:.0f} ms, "
        f"{len(response.content) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
