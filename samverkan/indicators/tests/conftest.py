import pytest

from samverkan.indicators.models import Breakdown, Indicator, Observation


def observe(indicator, rows, breakdown=None):
    """rows: (area_type, area_code, period, value)."""
    breakdown = (
        breakdown
        or Breakdown.objects.get_or_create(sex="T", age_band="", birth_region="", extra="")[0]
    )
    Observation.objects.bulk_create(
        [
            Observation(
                indicator=indicator,
                area_type=t,
                area_code=c,
                period=p,
                value=v,
                status=0 if v is not None else 2,
                breakdown=breakdown,
            )
            for t, c, p, v in rows
        ]
    )
    return breakdown


@pytest.fixture
def employment(db):
    indicator = Indicator.objects.create(
        code="forvarv-utrikes",
        title="Förvärvsarbetande utrikes födda",
        definition="Andel",
        unit="%",
        source_kind="kolada",
        source_id="N02268",
    )
    total = observe(
        indicator,
        [
            (2, "0127", 202300, 59.2),
            (2, "0662", 202300, 60.5),
            (2, "0114", 202300, 60.5),
            (2, "0180", 202300, None),
            (2, "0127", 202200, 57.0),
            (2, "0662", 202200, 61.0),
            (1, "01", 202300, 65.0),
            (1, "06", 202300, 66.0),
            (0, "0000", 202300, 64.0),
        ],
    )
    women = Breakdown.objects.create(sex="K")
    observe(indicator, [(2, "0127", 202300, 55.1), (2, "0662", 202300, 52.0)], women)
    indicator.total, indicator.women = total, women
    return indicator
