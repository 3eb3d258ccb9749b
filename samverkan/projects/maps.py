"""A choropleth map of Sweden's counties as inline SVG, drawn server-side (no JavaScript).

County shapes: ``samverkan/geo/data/swedish_counties.geojson`` (``l_id`` is the county
code). Longitude is scaled by cos(62°) so the country keeps its shape.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GEOJSON = Path(__file__).resolve().parent.parent / "geo" / "data" / "swedish_counties.geojson"
WIDTH, HEIGHT = 260, 560
SHADES = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"]
GAP = "#fde8e8"


@lru_cache(maxsize=1)
def _shapes() -> list[tuple[str, str, list[list[tuple[float, float]]]]]:
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    shapes = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = [ring for polygon in polygons for ring in polygon[:1]]
        code = f"{int(feature['properties']['l_id']):02d}"
        shapes.append((code, feature["properties"]["name"], rings))
    return shapes


@lru_cache(maxsize=1)
def _paths() -> list[tuple[str, str, str]]:
    shapes = _shapes()
    k = math.cos(math.radians(62))
    points = [(x * k, y) for _c, _n, rings in shapes for ring in rings for x, y in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = min(WIDTH / (max_x - min_x), HEIGHT / (max_y - min_y))
    paths = []
    for code, name, rings in shapes:
        d = []
        for ring in rings:
            step = max(1, len(ring) // 150)  # simplify: the map is small
            coords = [
                f"{(x * k - min_x) * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring[::step]
            ]
            d.append("M" + "L".join(coords) + "Z")
        paths.append((code, name, "".join(d)))
    return paths


def county_choropleth(values: dict[str, int], *, label: str, link: str = "?county=") -> SafeString:
    """Counties shaded by ``values`` (county code → count); counties with 0 are marked as gaps."""
    top = max(values.values(), default=0) or 1
    parts = [
        f'<svg class="choropleth" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for code, name, d in _paths():
        n = values.get(code, 0)
        fill = GAP if n == 0 else SHADES[min(len(SHADES) - 1, int(n / top * len(SHADES)))]
        parts.append(
            f'<a href="{escape(link + code)}"><path d="{d}" fill="{fill}" stroke="#555" '
            f'stroke-width="0.5"><title>{escape(name)}: {n}</title></path></a>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped values) # nosec B308, B703
