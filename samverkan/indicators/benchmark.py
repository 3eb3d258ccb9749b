"""Reading the benchmarking choices (period, breakdown, level, areas) from a query string.

The web pages, the downloads and the API all use ``BenchmarkQuery`` so they show the same numbers.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.core.params import query_id
from samverkan.indicators import selectors
from samverkan.indicators.models import AreaType, Breakdown, Indicator
from samverkan.indicators.periods import PeriodError, period_format, period_parse

LEVELS = {
    "kommun": AreaType.MUNICIPALITY,
    "municipality": AreaType.MUNICIPALITY,
    "lan": AreaType.COUNTY,
    "county": AreaType.COUNTY,
    "riket": AreaType.NATION,
    "omrade": AreaType.OWN,
}


@dataclass
class BenchmarkQuery:
    indicator: Indicator
    periods: list[int]
    breakdowns: list[Breakdown]
    period: int | None = None
    breakdown: Breakdown | None = None
    area_type: int = AreaType.MUNICIPALITY
    areas: list[str] = field(default_factory=list)
    base: int | None = None
    other: Breakdown | None = None
    version: str | None = None  # the indicator's data version (``selectors.data_version``)

    def cache_key(self, what: str) -> str | None:
        """A cache key for something drawn from this query's numbers (a chart): the data
        version, the indicator's own edits, the language and every choice that changes the
        drawing. ``None`` (do not cache) when the indicator has no data version."""
        if self.version is None:
            return None
        choices = repr(
            (
                what,
                self.indicator.pk,
                self.indicator.updated_at.isoformat() if self.indicator.updated_at else "",
                get_language(),
                self.period,
                self.breakdown.id if self.breakdown else None,
                self.area_type,
                tuple(self.areas),
            )
        )
        digest = hashlib.sha256(choices.encode()).hexdigest()[:32]
        return f"indicators:{self.indicator.pk}:{self.version}:{digest}"

    @property
    def period_label(self) -> str:
        return period_format(self.period) if self.period else ""

    def ranking(self) -> list[selectors.Ranked]:
        if self.period is None or self.breakdown is None:
            return []
        return selectors.ranking(
            indicator=self.indicator,
            period=self.period,
            breakdown_id=self.breakdown.id,
            area_type=self.area_type,
        )

    def series(self) -> dict[str, list[tuple[int, float | None]]]:
        if not self.areas or self.breakdown is None:
            return {}
        return selectors.series(
            indicator=self.indicator, area_codes=self.areas, breakdown_id=self.breakdown.id
        )

    def change(self) -> list[dict[str, Any]]:
        if self.base is None or self.period is None or self.breakdown is None:
            return []
        return selectors.change(
            indicator=self.indicator,
            base_period=self.base,
            period=self.period,
            breakdown_id=self.breakdown.id,
            area_type=self.area_type,
        )

    def gap(self) -> list[dict[str, Any]]:
        if self.other is None or self.period is None or self.breakdown is None:
            return []
        return selectors.gap(
            indicator=self.indicator,
            period=self.period,
            group_a=self.breakdown.id,
            group_b=self.other.id,
            area_type=self.area_type,
        )


def _period(text: str, name: str) -> int:
    try:
        return period_parse(text)
    except PeriodError as exc:
        raise ValidationError({name: _("Okänd period: %s") % text}) from exc


def benchmark_query(indicator: Indicator, params: Any, *, user: Any = None) -> BenchmarkQuery:
    """Defaults: the latest period, the total breakdown (or the first), municipalities."""
    version = selectors.data_version(indicator)
    summarised = version is not None
    query = BenchmarkQuery(
        indicator, [], selectors.breakdowns_for(indicator, summarised=summarised), version=version
    )
    by_id = {b.id: b for b in query.breakdowns}
    wanted = params.get("breakdown")
    if wanted:
        breakdown_id = query_id(str(wanted))
        if breakdown_id not in by_id:
            raise ValidationError({"breakdown": _("Okänd uppdelning: %s") % wanted})
        query.breakdown = by_id[breakdown_id]
    elif query.breakdowns:
        plain = [
            b
            for b in query.breakdowns
            if b.sex == "T" and not (b.age_band or b.birth_region or b.extra)
        ]
        query.breakdown = (plain or query.breakdowns)[0]
    other = params.get("other")
    if other:
        other_id = query_id(str(other))
        if other_id not in by_id:
            raise ValidationError({"other": _("Okänd uppdelning: %s") % other})
        query.other = by_id[other_id]
    level = params.get("level") or "kommun"
    if level not in LEVELS:
        raise ValidationError({"level": _("Nivån ska vara kommun, lan, riket eller omrade.")})
    query.area_type = LEVELS[level]
    if query.breakdown is not None:
        # the periods of the chosen breakdown (one range of the index), all levels
        query.periods = selectors.periods_for(
            indicator, breakdown_id=query.breakdown.id, summarised=summarised
        )
    query.period = (
        _period(params["period"], "period")
        if params.get("period")
        else (query.periods[-1] if query.periods else None)
    )
    query.areas = [a.strip() for a in str(params.get("areas") or "").split(",") if a.strip()][:10]
    like = str(params.get("like") or "").strip()
    if like and query.period is not None and query.breakdown is not None:
        reference = indicator
        if params.get("like_indicator"):
            found = Indicator.objects.filter(
                pk__in=selectors.indicator_list(user=user).values("pk"),
                code=params["like_indicator"],
            ).first()
            if found is None:
                raise ValidationError({"like_indicator": _("Okänd indikator.")})
            reference = found
        total = selectors.total_breakdown_id(reference) or query.breakdown.id
        reference_period = max(
            (p for p in selectors.periods_for(reference, breakdown_id=total) if p <= query.period),
            default=None,
        )
        if reference_period is not None:
            query.areas = [like] + selectors.similar_areas(
                indicator=reference,
                area_code=like,
                period=reference_period,
                breakdown_id=total,
            )
    if params.get("base"):
        query.base = _period(params["base"], "base")
    return query


RANKING_COLUMNS = ("rank", "area_code", "area_name", "period", "breakdown", "value", "status")


def ranking_records(query: BenchmarkQuery) -> list[dict[str, Any]]:
    return [
        dict(
            zip(
                RANKING_COLUMNS,
                (
                    row.rank or "",
                    row.area_code,
                    row.area_name,
                    query.period_label,
                    str(query.breakdown),
                    "" if row.value is None else row.value,
                    row.status_label,
                ),
                strict=True,
            )
        )
        for row in query.ranking()
    ]


def ranking_xlsx(query: BenchmarkQuery) -> bytes:
    from samverkan.core.tables import write_xlsx

    out = io.BytesIO()
    write_xlsx([(query.indicator.code, RANKING_COLUMNS, ranking_records(query))], out)
    return out.getvalue()


def ranking_csv(query: BenchmarkQuery) -> str:
    from samverkan.core.tables import write_csv

    out = io.StringIO()
    write_csv(RANKING_COLUMNS, ranking_records(query), out)
    return out.getvalue()


def series_csv(query: BenchmarkQuery) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area_code", "area_name", "period", "value"])
    for code, points in query.series().items():
        for period, value in points:
            writer.writerow(
                [
                    code,
                    selectors.area_name(code),
                    period_format(period),
                    "" if value is None else value,
                ]
            )
    return out.getvalue()
