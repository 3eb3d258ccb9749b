"""The "Strategier och handlingsplaner" report section."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    COUNTY,
    NETWORK,
    Period,
    Scope,
    add_chart,
    register_section,
)

logger = logging.getLogger(__name__)

# --- Strategies and action plans ----------------------------------------------------------------


@register_section(
    "plans",
    "Strategier och handlingsplaner",
    position=40,
    summary=gettext_lazy(
        "Strategier och handlingsplaner med uppföljningsstatus och framsteg, och de "
        "försenade aktiviteterna med ansvarig och hur sena de är."
    ),
)
def plans_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.core.charts import ranked_bars
    from samverkan.plans import selectors
    from samverkan.plans.models import ActionPlan, ActivityStatus

    section = Section("plans", "Strategier och handlingsplaner")
    strategies = selectors.strategy_list(user=user).filter(
        (Q(period_start__isnull=True) | Q(period_start__lte=period.end))
        & (Q(period_end__isnull=True) | Q(period_end__gte=period.start))
    )
    if scope.kind == COUNTY and scope.county is not None:
        strategies = strategies.filter(Q(county=scope.county) | Q(owner__county=scope.county))
    elif scope.kind == NETWORK and scope.network is not None:
        strategies = strategies.filter(owner__network_memberships__network=scope.network).distinct()
    found = list(strategies.order_by("owner__name", "title"))
    if not found:
        section.paragraph("Inga strategier gäller för området under perioden.", note=True)
        return section
    section.table(
        "Strategier",
        ["Strategi", "Ägare", "Typ", "Nivå", "Status", "Period"],
        [
            [
                s.title,
                s.owner.name,
                s.get_kind_display(),
                s.get_level_display(),
                s.get_status_display(),
                s.period,
            ]
            for s in found
        ],
    )
    for s in found:
        section.cite(s.title, s.source)
    plans = ActionPlan.objects.filter(
        strategy__in=[s.pk for s in found],
        year_start__lte=period.end,
        year_end__gte=period.start,
    ).select_related("strategy", "strategy__owner")
    today = min(period.last_day, datetime.date.today())
    rows: list[list[Any]] = []
    bars: list[tuple[str, float | None]] = []
    late: list[tuple[Any, Any]] = []
    for plan in plans.order_by("strategy__title", "year_start", "pk"):
        activities = selectors.plan_activities(plan=plan)
        rollup = selectors.plan_rollup(plan=plan, activities=activities, today=today)
        late.extend((plan, a) for a in activities if a.is_overdue(today))
        rows.append(
            [
                plan.title,
                plan.strategy.title,
                plan.years,
                rollup.progress,
                rollup.counted,
                rollup.by_status.get(ActivityStatus.DONE, 0),
                rollup.by_status.get(ActivityStatus.STARTED, 0),
                rollup.by_status.get(ActivityStatus.PLANNED, 0),
                rollup.overdue,
            ]
        )
        bars.append((plan.title, rollup.progress))
    section.heading("Handlingsplanernas status")
    section.table(
        "Handlingsplaner",
        [
            "Plan",
            "Strategi",
            "År",
            "Framsteg (%)",
            "Aktiviteter",
            "Genomförda",
            "Påbörjade",
            "Planerade",
            "Försenade",
        ],
        rows,
        "Inga handlingsplaner gäller under perioden.",
    )
    _late_activities_table(section, late, today)
    if bars:
        add_chart(
            section,
            "Handlingsplanernas framsteg (%)",
            lambda: ranked_bars(bars, title="Handlingsplanernas framsteg (%)"),
            "Stapeldiagram över framsteg per handlingsplan; samma värden som i tabellen ovan.",
        )
    return section


# Late activities are listed one by one up to this many, the longest overdue first.
MAX_LATE_LISTED = 100


def _late_activities_table(
    section: Section, late: list[tuple[Any, Any]], today: datetime.date
) -> None:
    """The activities whose end date has passed unfinished, by how late they are."""
    if not late:
        return
    late.sort(key=lambda pair: (pair[1].end_date, pair[0].title, pair[1].title))
    section.heading("Försenade aktiviteter")
    section.table(
        "Försenade aktiviteter",
        ["Aktivitet", "Handlingsplan", "Ansvarig", "Slutdatum", "Dagar sen", "Status"],
        [
            [
                activity.title,
                plan.title,
                activity.responsible_organisation.name
                if activity.responsible_organisation
                else "–",
                activity.end_date.isoformat(),
                (today - activity.end_date).days,
                activity.get_status_display(),
            ]
            for plan, activity in late[:MAX_LATE_LISTED]
        ],
    )
    if len(late) > MAX_LATE_LISTED:
        section.paragraph(
            f"{len(late) - MAX_LATE_LISTED} försenade aktiviteter till visas på "
            "handlingsplanernas sidor i Samverkan.",
            note=True,
        )
