"""Choropleth maps of Sweden's counties or municipalities as SVG, drawn on the server.

One renderer for the whole service (indicators, projects, reports): areas shaded in equal-count
classes (quantiles) of their values, grey where there is no value, optionally a separate colour
for 0 ("gap"), each area with a ``<title>`` tooltip and optionally a link. Drawing a subset of
the areas (``only``, e.g. the municipalities of one county) zooms to that subset.

Shapes: ``samverkan/geo/data/swedish_counties.geojson`` (``l_id`` = county code) and
``swedish_municipalities.geojson`` (``id`` = municipality code); see ``geo/data/README.md``.
Longitude is scaled by cos(62°) so the country keeps its shape; rings are thinned to at most
``MAX_POINTS`` points, which is plenty for a map a few hundred pixels high.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr  # nosec B406 (escaping only, nothing is parsed)

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samverkan.core.numbers import number_short

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("county", "municipality")

SHADES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
MISSING = "#cccccc"
GAP = "#f4a6a6"
MAX_POINTS = {"county": 150, "municipality": 60}
X_SCALE = math.cos(math.radians(62))
MAP_WIDTH = 250  # the widest a map may be drawn, in SVG units, legend not counted
FONT_SIZE = 15  # SVG units; the picture is about 400 wide, so >= 12 px when 343 px wide


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (x, y) with x already scaled


@lru_cache(maxsize=2)
def areas(level: str) -> tuple[Area, ...]:
    """Every county (21) or municipality (290) with its outer rings, ordered by code."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use county or municipality")
    name = "swedish_counties.geojson" if level == "county" else "swedish_municipalities.geojson"
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    result = []
    for feature in data["features"]:
        props = feature["properties"]
        if level == "county":
            code, label = f"{int(props['l_id']):02d}", props["name"]
        else:
            code, label = str(props["id"]), props["kom_namn"]
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        step = MAX_POINTS[level]
        rings = tuple(
            tuple((x * X_SCALE, y) for x, y in ring[:: max(1, len(ring) // step)])
            for polygon in polygons
            for ring in polygon[:1]  # outer ring; holes are too small to matter here
        )
        result.append(Area(code, label, rings))
    return tuple(sorted(result, key=lambda a: a.code))


def quantile_cuts(values: Collection[float], classes: int = len(SHADES)) -> list[float]:
    """Upper bounds of the first ``classes - 1`` equal-count classes."""
    known = sorted(values)
    if not known:
        return []
    return [known[min(len(known) - 1, len(known) * k // classes)] for k in range(1, classes)]


def number(value: float) -> str:
    """A value on the map, in the language of the page (core.numbers)."""
    return number_short(value)


def choropleth(
    values: Mapping[str, float | None],
    *,
    level: str,
    title: str,
    only: Collection[str] | None = None,
    link: str | None = None,
    zero_is_gap: bool = False,
    tooltip_names: bool = True,
    height: int = 560,
    legend: bool = True,
) -> SafeString:
    """An SVG map of ``level`` areas shaded by ``values`` (area code → value).

    Areas without a value are grey ("saknas"); with ``zero_is_gap`` areas whose value is 0 get
    the gap colour (and stay out of the classes). ``only`` draws just those area codes, zoomed
    in. ``link`` + code becomes each area's link. Tooltips say "name: value" (or "code: value"
    with ``tooltip_names=False``). The result is a standalone SVG document (it can be served as
    a file) that can also be placed inline in HTML.
    """
    drawn = [a for a in areas(level) if only is None or a.code in only]
    if not drawn:
        return mark_safe("")  # noqa: S308 (empty) # nosec B308
    classed = [
        v for a in drawn if (v := values.get(a.code)) is not None and not (zero_is_gap and v == 0)
    ]
    cuts = quantile_cuts(classed)
    xs = [x for a in drawn for ring in a.rings for x, _y in ring]
    ys = [y for a in drawn for ring in a.rings for _x, y in ring]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    # The map fits a box MAP_WIDTH wide and ``height`` high, so that the whole picture (map and
    # legend) stays about 400 units wide whatever the shape drawn: scaled to a 343 px phone
    # column, FONT_SIZE still renders at 12 px or more; on a desktop it is drawn 480 px wide.
    margin, line = 6, FONT_SIZE + 4
    legend_rows = _legend_rows(cuts, classed, zero_is_gap, values, drawn) if legend else []
    legend_width = (
        max(120, int(max(len(text) for _f, text in legend_rows) * FONT_SIZE * 0.6) + 30)
        if legend_rows
        else 0
    )
    factor = min(
        (height - 40 - margin) / ((max_y - min_y) or 1),
        (MAP_WIDTH - 2 * margin) / ((max_x - min_x) or 1),
    )
    map_width = int((max_x - min_x) * factor) + 2 * margin
    width = max(map_width + legend_width, MAP_WIDTH)
    title_lines = _wrap(title, max(10, int(width / (FONT_SIZE * 0.62))))
    top = 8 + line * len(title_lines)
    map_height = int((max_y - min_y) * factor)
    height = max(top + map_height + margin, top + 16 + line * len(legend_rows) + margin)
    body = [
        f'<text x="4" y="{4 + line * (k + 1) - 4}" font-weight="bold">{escape(text)}</text>'
        for k, text in enumerate(title_lines)
    ]
    for area in drawn:
        value = values.get(area.code)
        if value is None:
            fill, label = MISSING, _("saknas")
        elif zero_is_gap and value == 0:
            fill, label = GAP, "0"
        else:
            fill, label = SHADES[sum(value > c for c in cuts)], number(value)
        d = "".join(
            "M"
            + "L".join(
                f"{(x - min_x) * factor + margin:.1f},{(max_y - y) * factor + top:.1f}"
                for x, y in ring
            )
            + "Z"
            for ring in area.rings
        )
        name = area.name if tooltip_names else area.code
        path = (
            f'<path d="{d}" fill="{fill}" stroke="#555" stroke-width="0.3">'
            f"<title>{escape(name)}: {label}</title></path>"
        )
        if link is not None:
            path = f"<a href={quoteattr(link + area.code)}>{path}</a>"
        body.append(path)
    for k, (fill, text) in enumerate(legend_rows):
        y = top + 16 + k * line
        text_x = map_width + FONT_SIZE + 10
        body.append(
            f'<rect x="{map_width + 4}" y="{y}" width="{FONT_SIZE}" height="{FONT_SIZE}" '
            f'fill="{fill}" stroke="#555" stroke-width="0.3"/>'
            f'<text x="{text_x}" y="{y + FONT_SIZE - 2}">{escape(text)}</text>'
        )
    role = "img" if link is None else "group"  # an image's links would not be reachable
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="choropleth" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-label={quoteattr(title)} font-family="sans-serif" font-size="{FONT_SIZE}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 (every text and attribute is escaped above) # nosec B308, B703


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _legend_rows(
    cuts: list[float],
    classed: list[float],
    zero_is_gap: bool,
    values: Mapping[str, float | None],
    drawn: list[Area],
) -> list[tuple[str, str]]:
    """(colour, text) of each legend row: the classes, then the gap and the missing colour."""
    rows: list[tuple[str, str]] = []
    if classed:
        bounds = [min(classed), *cuts, max(classed)]
        for k, shade in enumerate(SHADES):
            if k == 0 or bounds[k + 1] > bounds[k]:
                rows.append((shade, f"{number(bounds[k])}–{number(bounds[k + 1])}"))
    if zero_is_gap and any(values.get(a.code) == 0 for a in drawn):
        rows.append((GAP, _("0 (lucka)")))
    if any(values.get(a.code) is None for a in drawn):
        rows.append((MISSING, _("saknas")))
    return rows
