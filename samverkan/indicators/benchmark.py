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
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samverkan.core.params import query_id
from samverkan.geo.models import County
from samverkan.indicators import selectors
from samverkan.indicators.models import AreaType, Breakdown, Direction, Indicator
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


# The level a first view opens on: the finest that holds data (a ranking of municipalities
# says most), then counties, own areas and the nation.
LEVEL_PREFERENCE = (AreaType.MUNICIPALITY, AreaType.COUNTY, AreaType.OWN, AreaType.NATION)


def _level_with_data(
    indicator: Indicator, breakdown_id: int, latest: int, *, summarised: bool
) -> int:
    """The finest level that holds values in the latest period (a county series updated this
    year opens on the counties, not on an old municipal figure), else the finest with any."""
    levels = selectors.levels_for(indicator, breakdown_id=breakdown_id, summarised=summarised)
    current = {
        level
        for level in levels
        if latest
        in selectors.periods_for(
            indicator, breakdown_id=breakdown_id, area_type=level, summarised=summarised
        )[-1:]
    }
    return next(
        (level for level in LEVEL_PREFERENCE if level in (current or levels)),
        AreaType.MUNICIPALITY,
    )


def benchmark_query(indicator: Indicator, params: Any, *, user: Any = None) -> BenchmarkQuery:
    """Defaults (a first view with content): the total breakdown (or the first), the finest
    level that holds values for it, and the latest period of that level."""
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
    level = params.get("level")
    if level and level not in LEVELS:
        raise ValidationError({"level": _("Nivån ska vara kommun, lan, riket eller omrade.")})
    if query.breakdown is not None:
        # the periods of the chosen breakdown (one range of the index), all levels
        query.periods = selectors.periods_for(
            indicator, breakdown_id=query.breakdown.id, summarised=summarised
        )
    if level:
        query.area_type = LEVELS[level]
    elif query.breakdown is not None and query.periods:
        query.area_type = _level_with_data(
            indicator, query.breakdown.id, query.periods[-1], summarised=summarised
        )
    if params.get("period"):
        query.period = _period(params["period"], "period")
    elif query.breakdown is not None and query.periods:
        # the latest period that the level shown has values for, else the latest of all
        at_level = selectors.periods_for(
            indicator,
            breakdown_id=query.breakdown.id,
            area_type=query.area_type,
            summarised=summarised,
        )
        query.period = (at_level or query.periods)[-1]
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


# "av de 33 kommunerna": the definite plural of each level.
PLURAL_NOUNS: dict[int, Any] = {
    AreaType.MUNICIPALITY: gettext_lazy("kommunerna"),
    AreaType.COUNTY: gettext_lazy("länen"),
    AreaType.OWN: gettext_lazy("områdena"),
    AreaType.NATION: gettext_lazy("områdena"),
}


def ranking_summary(query: BenchmarkQuery, ranking: list[selectors.Ranked]) -> str:
    """One sentence that reads the ranking ("Malmö har högst värde (…) och Svedala lägst (…)
    av de 33 kommunerna i Skåne län som har värden för 2024"); empty with fewer than two
    values. Said in highest/lowest terms, with which way is better when the indicator says."""
    present = [r for r in ranking if r.value is not None]
    if len(present) < 2:
        return ""
    by_value = sorted(present, key=lambda r: (-(r.value or 0.0), r.area_name))
    top, bottom = by_value[0], by_value[-1]
    unit = "" if query.indicator.unit.lower() == "antal" else query.indicator.unit
    definite = PLURAL_NOUNS.get(query.area_type, PLURAL_NOUNS[AreaType.OWN])
    where = ""
    if query.area_type == AreaType.MUNICIPALITY:
        counties = {r.area_code[:2] for r in present}
        if len(counties) == 1:
            code = counties.pop()
            county = County.objects.filter(code=code).values_list("name", flat=True).first()
            where = " " + _("i %(county)s") % {"county": county or selectors.area_name(code)}
    sentence = _(
        "%(top)s har högst värde (%(top_value)s%(unit)s) och %(bottom)s lägst "
        "(%(bottom_value)s%(unit)s) av de %(count)s %(areas)s%(where)s som har värden för "
        "%(period)s."
    ) % {
        "top": top.area_name,
        "top_value": _number(top.value),
        "bottom": bottom.area_name,
        "bottom_value": _number(bottom.value),
        "unit": f" {unit}" if unit else "",
        "count": len(present),
        "areas": definite,
        "where": where,
        "period": query.period_label,
    }
    if query.indicator.direction == Direction.HIGHER:
        sentence += " " + _("Högre värden är bättre.")
    elif query.indicator.direction == Direction.LOWER:
        sentence += " " + _("Lägre värden är bättre.")
    return sentence


def _number(value: float | None) -> str:
    from samverkan.geo.maps import number

    return "" if value is None else number(value)


def map_areas(query: BenchmarkQuery, values: dict[str, float | None]) -> set[str] | None:
    """The municipalities a map of this query draws: those of the counties that hold values
    (one county's data is drawn as that county, zoomed in); ``None`` draws the whole level."""
    if query.area_type != AreaType.MUNICIPALITY:
        return None
    counties = {code[:2] for code, value in values.items() if value is not None}
    if not counties:
        return None
    codes = selectors.level_codes(AreaType.MUNICIPALITY) or []
    chosen = {code for code in codes if code[:2] in counties}
    return chosen if len(chosen) < len(codes) else None


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
