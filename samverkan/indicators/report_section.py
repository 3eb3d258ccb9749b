"""The "Indikatorer och mål" report section."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy

from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    COUNTY,
    NATIONAL,
    NETWORK,
    Period,
    Scope,
    add_chart,
    register_section,
)

logger = logging.getLogger(__name__)

# --- Indicators and targets ---------------------------------------------------------------------


# An indicator's table in a report holds its latest periods; its chart draws the whole period.
TABLE_PERIODS = 12


@register_section(
    "indicators",
    "Indikatorer och mål",
    position=50,
    summary=gettext_lazy(
        "Nyckelindikatorerna med områdets värde, kommunernas och rikets, ett diagram vardera "
        "och skillnaden mellan utrikes och inrikes födda där uppgifterna har den."
    ),
)
def indicators_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.core import charts
    from samverkan.indicators import selectors
    from samverkan.indicators.models import AreaType, Observation
    from samverkan.indicators.periods import period_format

    section = Section("indicators", "Indikatorer och mål")
    first, last = period.start * 100, period.end * 100 + 99
    area = scope.county.code if scope.kind == COUNTY and scope.county else "0000"
    shown = 0
    for indicator in selectors.indicator_list(user=user).order_by("title"):
        breakdown = selectors.total_breakdown_id(indicator)
        if breakdown is None:
            if scope.kind != NATIONAL and _breakdown_table(section, indicator, area, first, last):
                shown += 1
                section.cite(indicator.title, _indicator_source(indicator))
            continue
        observed = Observation.objects.filter(
            indicator=indicator,
            breakdown_id=breakdown,
            period__gte=first,
            period__lte=last,
            value__isnull=False,
        )
        if scope.kind == NATIONAL:
            latest = (
                observed.filter(area_type=AreaType.COUNTY)
                .order_by("-period")
                .values_list("period", flat=True)
            ).first()
            if latest is None:
                continue
            shown += 1
            ranked = selectors.ranking(
                indicator=indicator,
                period=latest,
                breakdown_id=breakdown,
                area_type=AreaType.COUNTY,
            )
            title = f"{indicator.title}, {period_format(latest)}"
            section.heading(indicator.title)
            if selectors.illustrative(indicator):
                title += f" ({ILLUSTRATIVE_NOTE})"
                section.paragraph(ILLUSTRATIVE_NOTE + ".", note=True)
            section.table(
                title,
                ["Rang", "Län", f"Värde ({indicator.unit})"],
                [[r.rank, r.area_name, r.value] for r in ranked],
            )
            add_chart(
                section,
                title,
                partial(charts.ranked_bars, [(r.area_name, r.value) for r in ranked], title=title),
                f"Stapeldiagram: {title} per län, samma värden som i tabellen.",
            )
        else:
            codes = [area, "0000"]
            if not observed.filter(area_code=area).exists():
                continue
            shown += 1
            values = selectors.series(
                indicator=indicator,
                area_codes=codes,
                breakdown_id=breakdown,
                first=first,
                last=last,
            )
            periods = sorted({p for points in values.values() for p, _v in points})
            section.heading(indicator.title)
            chart_title = indicator.title
            if selectors.illustrative(indicator):
                chart_title += f" ({ILLUSTRATIVE_NOTE})"
                section.paragraph(ILLUSTRATIVE_NOTE + ".", note=True)
            by_code = {code: dict(points) for code, points in values.items()}
            shown_periods = periods[-TABLE_PERIODS:]  # the chart below draws them all
            caption = f"{indicator.title} ({indicator.unit})"
            if len(periods) > len(shown_periods):
                caption += f", de senaste {len(shown_periods)} av {len(periods)} perioderna"
            columns = ["Period", *(selectors.area_name(c) for c in codes)]
            rows = [[period_format(p), *(by_code[c].get(p) for c in codes)] for p in shown_periods]
            gap = _birth_gap(indicator, area, first, last)
            if gap:
                name = selectors.area_name(area)
                columns += [
                    f"Född i Sverige ({name})",
                    f"Utrikes född ({name})",
                    "Skillnad (procentenheter)",
                ]
                for row, p in zip(rows, shown_periods, strict=True):
                    swedish, foreign = gap.get(p, (None, None))
                    difference = (
                        round(foreign - swedish, 1)
                        if swedish is not None and foreign is not None
                        else None
                    )
                    row += [swedish, foreign, difference]
            section.table(caption, columns, rows)
            named = {
                selectors.area_name(code): [(period_format(p), v) for p, v in points]
                for code, points in values.items()
            }
            if gap:  # the two groups as lines of their own beside the area and the nation
                name = selectors.area_name(area)
                for label, index in (("Född i Sverige", 0), ("Utrikes född", 1)):
                    named[f"{label} ({name})"] = [
                        (period_format(p), gap[p][index]) for p in periods if p in gap
                    ]
            add_chart(
                section,
                indicator.title,
                partial(charts.time_series, named, title=chart_title),
                f"Linjediagram: {indicator.title} över tid för "
                + " och ".join(named)
                + "; samma värden som i tabellen.",
            )
        section.cite(indicator.title, _indicator_source(indicator))
    if not shown:
        section.paragraph("Inga indikatorvärden finns för området under perioden.", note=True)
    targets = selectors.target_list(user=user)
    if scope.kind == COUNTY and scope.county is not None:
        municipalities = list(scope.county.municipalities.values_list("code", flat=True))
        targets = targets.filter(area_code__in=[scope.county.code, *municipalities])
    elif scope.kind == NETWORK and scope.network is not None:
        targets = targets.filter(owner__network_memberships__network=scope.network).distinct()
    rows = []
    for target in targets.filter(target_year__gte=period.start):
        progress = selectors.target_progress(target)
        rows.append(
            [
                target.title,
                target.indicator.title,
                selectors.area_name(target.area_code),
                f"{target.baseline_value} ({target.baseline_year})",
                f"{target.target_value} ({target.target_year})",
                progress["latest_value"],
                progress["label"],
            ]
        )
    section.heading("Mål")
    section.table(
        "Mål och måluppfyllelse",
        ["Mål", "Indikator", "Område", "Utgångsläge", "Målvärde", "Senaste värde", "Läge"],
        rows,
        "Inga mål är satta för området.",
    )
    return section


def _birth_gap(
    indicator: Any, area: str, first: int, last: int
) -> dict[int, tuple[float | None, float | None]]:
    """Period → (Swedish-born, foreign-born) values of the area, when the indicator has both
    groups for the whole population (all sexes and ages); empty otherwise."""
    from samverkan.indicators import selectors

    groups: dict[str, int] = {
        b.birth_region: b.id
        for b in selectors.breakdowns_for(indicator)
        if b.sex == "T" and not (b.age_band or b.extra) and b.birth_region in ("sverige", "utrikes")
    }
    if len(groups) < 2:
        return {}
    swedish, foreign = (
        dict(
            selectors.series(
                indicator=indicator,
                area_codes=[area],
                breakdown_id=groups[region],
                first=first,
                last=last,
            ).get(area, [])
        )
        for region in ("sverige", "utrikes")
    )
    return {p: (swedish.get(p), foreign.get(p)) for p in set(swedish) | set(foreign)}


ILLUSTRATIVE_NOTE = "Illustrativa värden, genererade för demonstrationen – inte statistik"


def _indicator_source(indicator: Any) -> str:
    """The source a report cites for an indicator's values: the generator, not the
    indicator's statistical source, when the values are illustrative."""
    from samverkan.indicators import selectors

    source = indicator.source_note or indicator.get_source_kind_display()
    if selectors.illustrative(indicator):
        return f"{ILLUSTRATIVE_NOTE}. Indikatorns källa för riktiga värden: {source}"
    return source


def _breakdown_table(section: Section, indicator: Any, area: str, first: int, last: int) -> bool:
    """An indicator without a value for the whole population (e.g. population by age band):
    the area's and the nation's values by breakdown in the latest period of the report."""
    from samverkan.indicators import selectors
    from samverkan.indicators.models import Observation
    from samverkan.indicators.periods import period_format

    observed = Observation.objects.filter(
        indicator=indicator, period__gte=first, period__lte=last, value__isnull=False
    )
    latest = (
        observed.filter(area_code=area).order_by("-period").values_list("period", flat=True).first()
    )
    if latest is None:
        return False
    values: dict[tuple[int, str], float | None] = {
        (b, code): v
        for b, code, v in observed.filter(period=latest, area_code__in=[area, "0000"]).values_list(
            "breakdown_id", "area_code", "value"
        )
    }
    from samverkan.indicators.models import Breakdown

    breakdowns = Breakdown.objects.filter(pk__in={b for b, _c in values}).order_by(
        "sex", "age_band", "birth_region", "extra"
    )
    codes = [area, "0000"]
    section.heading(indicator.title)
    section.table(
        f"{indicator.title} ({indicator.unit}), {period_format(latest)}, per uppdelning "
        "(indikatorn har inget värde för hela befolkningen)",
        ["Uppdelning", *(selectors.area_name(c) for c in codes)],
        [[str(b), *(values.get((b.pk, c)) for c in codes)] for b in breakdowns],
    )
    return True
