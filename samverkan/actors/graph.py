"""The network map: organisations and networks as a graph, with figures computed by networkx.

The graph is bipartite: an organisation is linked to each network it is a current member
of. Figures (degree, betweenness, communities, isolated organisations) and a layout are
computed in Python and cached; the cache key carries a fingerprint of the readable data, so
any change to organisations, networks or memberships gives a fresh computation.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from datetime import date
from typing import Any

import networkx as nx
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.html import escape

from samverkan.actors.models import Network, NetworkMembership, Organisation, Sector
from samverkan.core import tenancy
from samverkan.core.models import Visibility

CACHE_SECONDS = 60 * 60
# Exact betweenness up to this many nodes; above it, a sample of source nodes (Brandes
# with k pivots) keeps the national graph within a few seconds.
EXACT_BETWEENNESS_LIMIT = 600
BETWEENNESS_SAMPLE = 60
SVG_NODE_LIMIT = 300
SIZE = 1000


def _access_key(user: Any) -> str:
    if user is None or not user.is_authenticated:
        return "public"
    if user.is_superuser:
        return "all"
    ids = tenancy.organisation_ids(user)
    # Signed-in users share one cached map unless their organisations own private records,
    # which only they may see.
    private = Visibility.PRIVATE
    if not (
        NetworkMembership.objects.filter(visibility=private, owner_id__in=ids).exists()
        or Network.objects.filter(visibility=private, owner_id__in=ids).exists()
        or Organisation.objects.filter(Organisation.owned_by_q(ids), visibility=private).exists()
    ):
        return "signed-in"
    return "u" + ",".join(str(i) for i in sorted(ids))


def _querysets(user: Any, county_code: str, theme: str, sector: str, role: str) -> tuple[Any, Any]:
    today = date.today()
    memberships = tenancy.readable(NetworkMembership.objects.all(), user).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        network__in=tenancy.readable(Network.objects.all(), user),
    )
    organisations = tenancy.readable(Organisation.objects.all(), user)
    if county_code:
        memberships = memberships.filter(network__county__code=county_code)
        organisations = organisations.filter(county__code=county_code)
    if theme:
        memberships = memberships.filter(network__themes__code=theme)
    if sector:
        memberships = memberships.filter(organisation__sector=sector)
        organisations = organisations.filter(sector=sector)
    if role:
        memberships = memberships.filter(roles__code=role)
    return memberships, organisations


def _fingerprint(memberships: Any, organisations: Any) -> str:
    m = memberships.aggregate(n=Count("id"), t=Max("updated_at"), nt=Max("network__updated_at"))
    o = organisations.aggregate(n=Count("id"), t=Max("updated_at"))
    return f"{m['n']}-{m['t']}-{m['nt']}-{o['n']}-{o['t']}"


def graph_payload(
    *,
    user: Any,
    county_code: str = "",
    theme: str = "",
    sector: str = "",
    role: str = "",
    use_cache: bool = True,
) -> dict[str, Any]:
    """The map's data: nodes with figures and positions, edges, and a summary (cached)."""
    memberships, organisations = _querysets(user, county_code, theme, sector, role)
    key = (
        "actors-graph:"
        + hashlib.sha256(
            "|".join(
                [
                    county_code,
                    theme,
                    sector,
                    role,
                    _access_key(user),
                    date.today().isoformat(),
                    _fingerprint(memberships, organisations),
                ]
            ).encode()
        ).hexdigest()
    )
    if use_cache:
        payload = cache.get(key)
        if payload is not None:
            return payload
    payload = _compute(memberships, organisations)
    payload["filters"] = {"county": county_code, "theme": theme, "sector": sector, "role": role}
    cache.set(key, payload, CACHE_SECONDS)
    return payload


def _compute(memberships: Any, organisations: Any) -> dict[str, Any]:
    edges = set(memberships.values_list("organisation_id", "network_id").distinct())
    org_ids = {o for o, _ in edges}
    net_ids = {n for _, n in edges}
    orgs = {
        pk: (name, code, sector)
        for pk, name, code, sector in Organisation.objects.filter(
            Q(pk__in=org_ids) | Q(pk__in=organisations.values("pk"))
        ).values_list("pk", "name", "code", "sector")
    }
    nets = {
        pk: (name, slug, kind)
        for pk, name, slug, kind in Network.objects.filter(pk__in=net_ids).values_list(
            "pk", "name", "slug", "kind"
        )
    }
    graph = nx.Graph()
    graph.add_nodes_from(f"o{pk}" for pk in orgs)
    graph.add_nodes_from(f"n{pk}" for pk in nets)
    graph.add_edges_from((f"o{o}", f"n{n}") for o, n in edges)

    if graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        betweenness = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLE, seed=7)
    else:
        betweenness = nx.betweenness_centrality(graph)
    connected = graph.subgraph(n for n in graph if graph.degree(n) > 0)
    communities = (
        sorted(
            (sorted(c) for c in nx.community.louvain_communities(connected, seed=7)),
            key=len,
            reverse=True,
        )
        if connected.number_of_edges()
        else []
    )
    community_of = {node: i for i, members in enumerate(communities) for node in members}

    # Which sectors each organisation meets through its networks ("bridging" between sectors).
    network_sectors: dict[int, set[str]] = defaultdict(set)
    for o, n in edges:
        network_sectors[n].add(orgs[o][2])
    reach: dict[int, set[str]] = defaultdict(set)
    for o, n in edges:
        reach[o] |= network_sectors[n]

    positions = _layout(communities, [n for n in graph if graph.degree(n) == 0])
    index: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    for node in graph:
        index[node] = len(nodes)
        pk = int(node[1:])
        x, y = positions[node]
        record: dict[str, Any] = {
            "id": node,
            "degree": graph.degree(node),
            "betweenness": round(betweenness.get(node, 0.0), 5),
            "community": community_of.get(node),
            "x": round(x, 1),
            "y": round(y, 1),
        }
        if node[0] == "o":
            name, code, sector = orgs[pk]
            record.update(
                type="organisation",
                label=name,
                code=code,
                sector=sector,
                sectors_reached=len(reach.get(pk, ())),
            )
        else:
            name, slug, kind = nets[pk]
            record.update(type="network", label=name, code=slug, kind=kind)
        nodes.append(record)
    isolated = sorted(orgs[int(n[1:])][0] for n in graph if n[0] == "o" and graph.degree(n) == 0)
    org_nodes = [n for n in nodes if n["type"] == "organisation"]
    return {
        "nodes": nodes,
        "edges": [[index[f"o{o}"], index[f"n{n}"]] for o, n in sorted(edges)],
        "summary": {
            "organisations": len(org_nodes),
            "networks": len(nets),
            "memberships": len(edges),
            "isolated": len(isolated),
            "communities": len(communities),
            "betweenness_sampled": graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT,
        },
        "isolated": isolated[:200],
        "top_bridges": [
            {
                "label": n["label"],
                "code": n["code"],
                "sector": n["sector"],
                "betweenness": n["betweenness"],
                "degree": n["degree"],
                "sectors_reached": n["sectors_reached"],
            }
            for n in sorted(org_nodes, key=lambda n: -n["betweenness"])[:15]
            if n["betweenness"] > 0
        ],
        "top_degree": [
            {"label": n["label"], "code": n["code"], "type": n["type"], "degree": n["degree"]}
            for n in sorted(nodes, key=lambda n: -n["degree"])[:15]
        ],
        "community_sizes": [len(c) for c in communities[:20]],
    }


def _layout(communities: list[list[str]], isolated: list[str]) -> dict[str, tuple[float, float]]:
    """Communities as discs (sunflower spirals) placed on a larger spiral; isolated
    organisations on a ring around them. Deterministic and linear in the number of nodes."""
    golden = math.pi * (3 - math.sqrt(5))
    positions: dict[str, tuple[float, float]] = {}
    total = sum(len(c) for c in communities) or 1
    centre = SIZE / 2
    for i, members in enumerate(communities):
        share = len(members) / total
        radius = max(12.0, math.sqrt(share) * SIZE * 0.28)
        distance = 0.0 if i == 0 else SIZE * 0.12 + SIZE * 0.26 * math.sqrt(i / len(communities))
        cx = centre + distance * math.cos(i * golden)
        cy = centre + distance * math.sin(i * golden)
        for j, node in enumerate(members):
            r = radius * math.sqrt((j + 0.5) / len(members))
            positions[node] = (cx + r * math.cos(j * golden), cy + r * math.sin(j * golden))
    for j, node in enumerate(isolated):
        angle = 2 * math.pi * j / max(1, len(isolated))
        positions[node] = (
            centre + SIZE * 0.47 * math.cos(angle),
            centre + SIZE * 0.47 * math.sin(angle),
        )
    return positions


SECTOR_COLOURS: dict[str, str] = {
    Sector.PUBLIC: "#1f5f99",
    Sector.CIVIL_SOCIETY: "#2e7d32",
    Sector.PRIVATE: "#b26a00",
    Sector.ACADEMIA: "#7b3f99",
}


LABEL_LIMIT = 20
BRIDGE_LIMIT = 5


def _short(label: str, length: int = 24) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def graph_svg(payload: dict[str, Any], *, limit: int = SVG_NODE_LIMIT) -> str:
    """An inline SVG of the busiest ``limit`` connected nodes (and the edges between them).

    Organisations are circles coloured by sector; networks are grey squares. The most
    connected nodes and the bridging actors (förmedlande aktörer: the highest betweenness) carry
    their short name; bridging actors are drawn larger with a dark ring. Organisations in no
    network are left out of the picture (the page lists them). Every node is a link with its
    full name as tooltip, reachable by keyboard.
    """
    nodes = payload["nodes"]
    connected = [i for i, node in enumerate(nodes) if node["degree"] > 0]
    shown = sorted(connected, key=lambda i: -nodes[i]["degree"])[:limit]
    keep = set(shown)
    bridges = {
        i
        for i in sorted(
            (i for i in shown if nodes[i]["type"] == "organisation"),
            key=lambda i: -nodes[i]["betweenness"],
        )[:BRIDGE_LIMIT]
        if nodes[i]["betweenness"] > 0
    }
    labelled = set(shown[:LABEL_LIMIT]) | bridges
    parts = [
        f'<svg viewBox="0 0 {SIZE} {SIZE}" class="network-map" role="group" '
        'aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="map-title">Nätverkskarta</title>',
        '<g class="edges">',
    ]
    for a, b in payload["edges"]:
        if a in keep and b in keep:
            parts.append(
                f'<line x1="{nodes[a]["x"]}" y1="{nodes[a]["y"]}" '
                f'x2="{nodes[b]["x"]}" y2="{nodes[b]["y"]}"/>'
            )
    parts.append('</g><g class="nodes">')
    for i in shown:
        node = nodes[i]
        size = 5 + min(12.0, math.sqrt(node["degree"]) * 2.5) + (6 if i in bridges else 0)
        role = " – förmedlande aktör" if i in bridges else ""
        title = escape(f"{node['label']} ({node['degree']} kopplingar){role}")
        if node["type"] == "organisation":
            href = f"/aktorer/{escape(node['code'])}/"
            colour = SECTOR_COLOURS.get(node["sector"], "#555")
            ring = ' class="bridge"' if i in bridges else ""
            shape = (
                f'<circle cx="{node["x"]}" cy="{node["y"]}" r="{size:.1f}" fill="{colour}"{ring}/>'
            )
        else:
            href = f"/aktorer/natverk/{escape(node['code'])}/"
            shape = (
                f'<rect x="{node["x"] - size:.1f}" y="{node["y"] - size:.1f}" '
                f'width="{2 * size:.1f}" height="{2 * size:.1f}" fill="#666"/>'
            )
        text = ""
        if i in labelled:
            anchor, dx = ("end", -size - 4) if node["x"] > SIZE * 0.62 else ("start", size + 4)
            text = (
                f'<text x="{node["x"] + dx:.1f}" y="{node["y"] + 8:.1f}" '
                f'text-anchor="{anchor}">{escape(_short(node["label"]))}</text>'
            )
        parts.append(f'<a href="{href}"><title>{title}</title>{shape}{text}</a>')
    parts.append("</g></svg>")
    return "".join(parts)


MEMBER_PICTURE_LIMIT = 60


def network_members_svg(network_name: str, members: list[tuple[str, str, str]]) -> str:
    """One network's picture: the network in the middle, its current members around it
    (coloured by sector, each labelled and linked). ``members`` holds (name, code, sector)."""
    shown = members[:MEMBER_PICTURE_LIMIT]
    # labels point outwards and fit inside the picture: radius + a 20-character name < SIZE / 2
    centre, radius = SIZE / 2, SIZE * 0.18
    parts = [
        f'<svg viewBox="0 0 {SIZE} {SIZE}" class="network-map" role="group" '
        'aria-labelledby="members-map-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="members-map-title">{escape(network_name)}: medlemmar</title><g class="edges">',
    ]
    points = []
    for j in range(len(shown)):
        angle = 2 * math.pi * j / max(1, len(shown)) - math.pi / 2
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    parts.extend(
        f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}"/>' for x, y in points
    )
    parts.append(
        '</g><g class="nodes">'
        f'<rect x="{centre - 18}" y="{centre - 18}" width="36" height="36" fill="#666"/>'
    )
    for (name, code, sector), (x, y) in zip(shown, points, strict=True):
        colour = SECTOR_COLOURS.get(sector, "#555")
        anchor, dx = ("end", -16) if x < centre - 1 else ("start", 16)
        label = _short(name, 20) if len(shown) <= 24 else ""
        text = (
            f'<text x="{x + dx:.1f}" y="{y + 8:.1f}" text-anchor="{anchor}">{escape(label)}</text>'
            if label
            else ""
        )
        parts.append(
            f'<a href="/aktorer/{escape(code)}/"><title>{escape(name)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{colour}"/>{text}</a>'
        )
    parts.append("</g></svg>")
    return "".join(parts)
