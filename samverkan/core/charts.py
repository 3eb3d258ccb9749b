"""Charts as inline SVG, drawn on the server (no JavaScript, downloadable as files)."""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape, quoteattr  # escapes output, parses nothing  # nosec B406

from samverkan.core.numbers import number_short

PALETTE = [
    "#1f5f8b",
    "#c0504d",
    "#4f8a3c",
    "#8064a2",
    "#d08b1c",
    "#2a9d8f",
    "#6c757d",
    "#b5179e",
    "#3a86ff",
    "#8d6e63",
]


def _number(value: float) -> str:
    return number_short(value, whole_bare=False)


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{quoteattr(title)[1:-1]}" '
        f'font-family="sans-serif" font-size="12"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


BREAK = "\u2026break"  # the marker row of a shortened ranking (compared by identity)


def ranked_bars(
    rows: list[tuple[str, float | None]],
    *,
    title: str,
    highlight: set[str] | None = None,
    break_after: int | None = None,
    break_text: str = "",
) -> str:
    """Horizontal bars, one per area, in the given (ranked) order. ``break_after``: a row
    with ``break_text`` ("… 270 kommuner till") is drawn after that many bars (a shortened
    ranking: the highest and the lowest)."""
    highlight = highlight or set()
    if break_after is not None:
        rows = [*rows[:break_after], (BREAK, None), *rows[break_after:]]
    values = [v for _l, v in rows if v is not None]
    top = max([0.0, *values]) or 1.0
    low = min([0.0, *values])
    span = (top - low) or 1.0
    label_w, bar_w, row_h = 170, 420, 16
    title_lines = textwrap.wrap(title, 95) or [""]
    head = 14 + 16 * len(title_lines)
    width, height = label_w + bar_w + 80, head + row_h * len(rows) + 10
    zero = label_w + bar_w * (0 - low) / span
    body = [
        f'<text x="4" y="{16 * (k + 1)}" font-weight="bold">{escape(line)}</text>'
        for k, line in enumerate(title_lines)
    ]
    for i, (label, value) in enumerate(rows):
        y = head + i * row_h
        body.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(label)}</text>'
        )
        if label is BREAK:
            body[-1] = f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">…</text>'
            body.append(
                f'<text x="{label_w + 4}" y="{y + 12}" fill="#444">{escape(break_text)}</text>'
            )
            continue
        if value is None:
            body.append(f'<text x="{zero + 4:.1f}" y="{y + 12}" fill="#666">saknas</text>')
            continue
        x = label_w + bar_w * (min(value, 0) - low) / span
        w = max(1.0, bar_w * abs(value) / span)
        color = PALETTE[1] if label in highlight else PALETTE[0]
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" fill="{color}"/>'
        )
        body.append(f'<text x="{x + w + 4:.1f}" y="{y + 12}">{_number(value)}</text>')
    return _svg(width, height, title, body)


def time_series(series: dict[str, list[tuple[str, float | None]]], *, title: str) -> str:
    """One line per area over the periods (x labels in order of first appearance)."""
    periods: list[str] = []
    for points in series.values():
        for label, _v in points:
            if label not in periods:
                periods.append(label)
    values = [v for points in series.values() for _l, v in points if v is not None]
    title_lines = textwrap.wrap(title, 100) or [""]
    extra = 16 * (len(title_lines) - 1)  # a long title wraps; the plot moves down
    width, height, left, right, top, bottom = 720, 360 + extra, 60, 160, 30 + extra, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    body = [
        f'<text x="4" y="{16 * (k + 1)}" font-weight="bold">{escape(line)}</text>'
        for k, line in enumerate(title_lines)
    ]
    if not values or not periods:
        body.append(f'<text x="{left}" y="{top + 20}">Inga värden</text>')
        return _svg(width, height, title, body)
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1

    def x(i: int) -> float:
        return left + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>'
    )
    for frac in (0, 0.5, 1):
        v = low + (high - low) * frac
        body.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{_number(v)}</text>'
        )
    step = max(1, len(periods) // 8)
    for i in range(0, len(periods), step):
        body.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{escape(periods[i])}</text>"
        )
    for n, (name, points) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        coords = [
            f"{x(periods.index(label)):.1f},{y(v):.1f}" for label, v in points if v is not None
        ]
        if coords:
            body.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                f'points="{" ".join(coords)}"/>'
            )
        body.append(
            f'<rect x="{width - right + 10}" y="{top + n * 18}" width="10" height="10" '
            f'fill="{color}"/>'
        )
        body.append(f'<text x="{width - right + 26}" y="{top + n * 18 + 10}">{escape(name)}</text>')
    return _svg(width, height, title, body)


def sparkline(
    area: list[tuple[str, float | None]],
    nation: list[tuple[str, float | None]],
    *,
    title: str,
    width: int = 200,
    height: int = 56,
) -> str:
    """A small chart for the hub: the area's values (solid) and the nation's (dashed) over the
    same periods, with the first and last period written under it. Scales with its box: the
    view box is narrow enough that its 12-unit text stays at least 12 px in a hub card."""
    periods = [label for label, _v in area]
    values = [v for points in (area, nation) for _l, v in points if v is not None]
    if len(periods) < 2 or not values:
        return ""
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    left, right, top, plot_h = 4, 4, 4, height - 24

    def x(i: int) -> float:
        return left + (width - left - right) * i / (len(periods) - 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    body = []
    for points, dash in ((nation, ' stroke-dasharray="4 3"'), (area, "")):
        coords = [
            f"{x(periods.index(label)):.1f},{y(v):.1f}"
            for label, v in points
            if v is not None and label in periods
        ]
        if len(coords) > 1:
            color = "#6c757d" if dash else PALETTE[0]
            body.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} '
                f'points="{" ".join(coords)}"/>'
            )
    body.append(f'<text x="{left}" y="{height - 4}">{escape(periods[0])}</text>')
    body.append(
        f'<text x="{width - right}" y="{height - 4}" text-anchor="end">{escape(periods[-1])}</text>'
    )
    svg = _svg(width, height, title, body)
    # The hub draws it as wide as its box: drop the fixed size, keep the viewBox.
    return svg.replace(f'width="{width}" height="{height}" ', 'class="sparkline" ', 1)
