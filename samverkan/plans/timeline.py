"""The plan's timeline (Gantt) as inline SVG generated on the server: one bar per activity
from start to end, coloured by status, with year and quarter ticks and a line for today."""

from __future__ import annotations

import datetime
from html import escape

from samverkan.plans.models import ActionPlan, Activity

ROW, LABEL_W, CHART_W, TOP = 22, 260, 640, 30
COLOURS = {
    "planned": "#6b7a8f",
    "started": "#1f6fb2",
    "done": "#2e7d32",
    "paused": "#b26a00",
    "cancelled": "#9e9e9e",
}


def _x(day: datetime.date, first: datetime.date, days: int) -> float:
    return LABEL_W + (day - first).days / days * CHART_W


def timeline_bounds(
    plan: ActionPlan, activities: list[Activity]
) -> tuple[datetime.date, datetime.date]:
    """The first and last day shown: the plan's years, widened to every activity."""
    starts = [a.start_date for a in activities if a.start_date is not None]
    ends = [a.end_date or a.start_date for a in activities if a.start_date is not None]
    first: datetime.date = min([datetime.date(plan.year_start, 1, 1), *starts])
    last: datetime.date = max([datetime.date(plan.year_end, 12, 31), *(e for e in ends if e)])
    return first, last


def plan_timeline_svg(
    plan: ActionPlan,
    activities: list[Activity],
    today: datetime.date | None = None,
    *,
    bounds: tuple[datetime.date, datetime.date] | None = None,
    part: int = 0,
) -> str:
    """The timeline of ``activities``; ``bounds`` keeps one time axis over several parts (the
    PDF draws a long plan in page-sized parts, ``part`` names each one)."""
    today = today or datetime.date.today()
    first, last = bounds or timeline_bounds(plan, activities)
    days = max((last - first).days, 1)
    suffix = f"-{part}" if part else ""
    height = TOP + ROW * max(len(activities), 1) + 10
    width = LABEL_W + CHART_W + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="timeline-title{suffix}">'
        f'<title id="timeline-title{suffix}">{escape(plan.title)}: tidslinje'
        f"{f' (del {part})' if part else ''}</title>"
    ]
    for year in range(first.year, last.year + 1):
        for quarter in range(4):
            tick = datetime.date(year, 1 + 3 * quarter, 1)
            if not first <= tick <= last:
                continue
            x = _x(tick, first, days)
            stroke = "#999" if quarter == 0 else "#ddd"
            parts.append(
                f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height}" stroke="{stroke}"/>'
            )
            if quarter == 0:
                parts.append(f'<text x="{x + 3:.1f}" y="{TOP - 12}" font-size="12">{year}</text>')
    if first <= today <= last:
        x = _x(today, first, days)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height}" stroke="#c62828" '
            f'stroke-dasharray="4 3"><title>idag {today}</title></line>'
        )
    for row, activity in enumerate(activities):
        y = TOP + row * ROW
        label = activity.title if len(activity.title) <= 38 else activity.title[:37] + "…"
        parts.append(f'<text x="4" y="{y + 15}" font-size="12">{escape(label)}</text>')
        if not activity.start_date:
            continue
        end = activity.end_date or activity.start_date
        x1, x2 = _x(activity.start_date, first, days), _x(end, first, days)
        colour = COLOURS.get(activity.status, "#666")
        overdue = activity.is_overdue(today)
        outline = ' stroke="#c62828" stroke-width="2"' if overdue else ""
        late = " (försenad)" if overdue else ""
        parts.append(
            f'<rect x="{x1:.1f}" y="{y + 4}" width="{max(x2 - x1, 3):.1f}" height="{ROW - 8}" '
            f'fill="{colour}"{outline}>'
            f"<title>{escape(activity.title)}: {activity.start_date} – {end}, "
            f"{escape(str(activity.get_status_display()))}, {activity.progress} %"
            f"{late}</title></rect>"
        )
        if activity.progress and activity.status != "cancelled":
            done_w = max(x2 - x1, 3) * activity.progress / 100
            parts.append(
                f'<rect x="{x1:.1f}" y="{y + ROW - 7}" width="{done_w:.1f}" height="3" '
                f'fill="#000" opacity="0.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
