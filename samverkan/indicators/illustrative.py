"""Illustrative values for the demo: every integration indicator of the catalogue that holds no
statistics gets generated values for Sweden, its 21 counties and (for indicators published per
municipality) its 290 municipalities, 2015–2024, so that every view of the demo has content.

They are not statistics and are never shown as such: each observation carries the status
``ILLUSTRATIVE`` ("Illustrativt värde"), which the ranking tables, the downloads and the API
print in their status column, and every page, chart and report that shows an indicator holding
such values says "illustrativa värden" (``selectors.illustrative``). Real values imported later
for the same area, period and breakdown replace them (an import with replace), and an indicator
that already holds observations is never given any.

The numbers are drawn from a seeded generator (the same on every machine): a level per
indicator near what the published series show in rough terms, a spread between areas, a small
trend per area and the gap between groups (women and men, Swedish- and foreign-born) that the
indicator is about. Counts (population, citizenships) are never generated.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from django.db import transaction

from samverkan.core import tenancy
from samverkan.core.audit import audit_log
from samverkan.indicators import selectors
from samverkan.indicators.authoring import OBSERVATIONS_IMPORTED
from samverkan.indicators.loading import BreakdownCache, observations_write
from samverkan.indicators.models import AreaType, Indicator, Observation, ObservationStatus
from samverkan.indicators.periods import period_parse

YEARS = range(2015, 2025)
FILENAME = "Illustrativa värden (genererade för demonstrationen)"


@dataclass(frozen=True)
class Shape:
    """How an indicator's illustrative values look: the national level, the spread between
    areas, the gap women − men and the gaps Swedish-born and foreign-born − all."""

    level: float
    spread: float
    women: float = 0.0
    swedish_born: float | None = None
    foreign_born: float | None = None
    municipalities: bool = True  # published per municipality (Kolada) or only nationally/per county


SHAPES: dict[str, Shape] = {
    "sysselsattningsgrad-20-64": Shape(82, 2.5, -3, 4, -13, municipalities=False),
    "forvarvsarbetande-20-64": Shape(80, 4, -3),
    "sysselsattning-utrikes-fodda": Shape(64, 8, -7),
    "sysselsattning-inrikes-fodda": Shape(85, 3, -2),
    "nyanlanda-arbete-studier": Shape(36, 10, -12),
    "forvarvsarbetande-flyktingar": Shape(56, 9, -10),
    "behorighet-gymnasiet": Shape(85, 5, 2, 4, -16),
    "betyg-ak9-alla-amnen": Shape(75, 7, 4),
    "sfi-klarat-tva-kurser": Shape(46, 12, 3),
    "tidiga-avhoppare": Shape(8, 2, -2, -2, 6, municipalities=False),
    "eftergymnasial-utbildning": Shape(45, 6, 8, 1, -2, municipalities=False),
    "risk-for-fattigdom": Shape(17, 3, 2, -4, 14, municipalities=False),
    "valdeltagande": Shape(84, 4),
}


def _generator(*parts: str) -> random.Random:
    seed = hashlib.sha256("|".join(parts).encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))  # nosec B311 (not security)


def _clamp(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def _area_values(indicator: Indicator, shape: Shape) -> dict[str, dict[int, float]]:
    """Area code → year → value of the whole population (total breakdown)."""
    municipalities = selectors.level_codes(AreaType.MUNICIPALITY) or []
    counties = selectors.level_codes(AreaType.COUNTY) or []
    county_offset = {c: _generator(indicator.code, c).gauss(0, shape.spread / 2) for c in counties}
    values: dict[str, dict[int, float]] = {}
    for code in municipalities:
        rng = _generator(indicator.code, code)
        start = shape.level + county_offset.get(code[:2], 0.0) + rng.gauss(0, shape.spread / 2)
        trend = rng.uniform(-0.3, 0.5)
        values[code] = {
            year: _clamp(start + trend * (year - YEARS[0]) + rng.gauss(0, 0.6)) for year in YEARS
        }
    for county in counties:
        members = [values[m] for m in municipalities if m[:2] == county]
        values[county] = {
            year: _clamp(sum(m[year] for m in members) / len(members)) for year in YEARS
        }
    values["0000"] = {
        year: _clamp(sum(values[c][year] for c in counties) / len(counties)) for year in YEARS
    }
    if not shape.municipalities:
        for code in municipalities:
            del values[code]
    return values


def _groups(indicator: Indicator, shape: Shape) -> list[tuple[str, str, float]]:
    """(sex, birth region, offset from the total) of each breakdown generated."""
    groups = [("T", "", 0.0)]
    if indicator.by_sex:
        groups += [("K", "", shape.women / 2), ("M", "", -shape.women / 2)]
    regions = set(indicator.birth_regions or [])
    if shape.swedish_born is not None and "sverige" in regions:
        groups.append(("T", "sverige", shape.swedish_born))
    if shape.foreign_born is not None and "utrikes" in regions:
        groups.append(("T", "utrikes", shape.foreign_born))
    return groups


def _level(code: str) -> int:
    if code == "0000":
        return AreaType.NATION
    return AreaType.COUNTY if len(code) == 2 else AreaType.MUNICIPALITY


def indicator_illustrative_values_create(*, indicator: Indicator) -> int:
    """Write the illustrative values of one catalogue indicator (none if it holds any
    observation or has no shape here); returns the number written."""
    shape = SHAPES.get(indicator.code)
    if shape is None or indicator.owner_id is not None:
        return 0
    if Observation.objects.filter(indicator=indicator).exists():
        return 0
    breakdowns = BreakdownCache()
    periods = {year: period_parse(str(year)) for year in YEARS}
    jitter = _generator(indicator.code, "groups")  # the gaps between groups vary a little
    rows = [
        (
            _level(code),
            code,
            periods[year],
            breakdowns.key(sex, "", birth, ""),
            _clamp(value + offset + (jitter.gauss(0, 0.4) if offset else 0.0)),
            ObservationStatus.ILLUSTRATIVE,
        )
        for code, series in _area_values(indicator, shape).items()
        for sex, birth, offset in _groups(indicator, shape)
        for year, value in series.items()
    ]
    with transaction.atomic():
        count = observations_write(
            indicator=indicator, rows=rows, periods=set(periods.values()), replace=False
        )
        audit_log(
            OBSERVATIONS_IMPORTED,
            user=tenancy.SYSTEM,
            organisation=None,
            data={"indicator": indicator.code, "filename": FILENAME, "rows": count},
        )
    return count


def indicators_load_illustrative() -> int:
    """Illustrative values for every catalogue indicator that has a shape and no data."""
    return sum(
        indicator_illustrative_values_create(indicator=indicator)
        for indicator in Indicator.objects.filter(code__in=SHAPES, owner=None)
    )
