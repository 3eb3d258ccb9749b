"""The summary of an indicator's observations (breakdowns, levels, periods, data version) stays
equal to what the observations say after imports, replacing imports and deletes; charts are
cached under the data version, so an import is visible at once."""

import io

import pytest

from samverkan.core import tenancy
from samverkan.indicators import selectors
from samverkan.indicators.importing import observations_import
from samverkan.indicators.loading import summary_rebuild
from samverkan.indicators.models import (
    AreaType,
    Breakdown,
    Indicator,
    IndicatorData,
    Observation,
    ObservationKey,
)


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        code="sysselsattning",
        title="Sysselsättning",
        definition="Andel",
        unit="procent",
        source_kind="own",
        visibility="public",
    )


def run(indicator, text, **kw):
    return observations_import(
        user=tenancy.SYSTEM,
        indicator=indicator,
        stream=io.BytesIO(text.encode()),
        filename="test.csv",
        fmt="csv",
        **kw,
    )


def keys(indicator):
    return set(
        ObservationKey.objects.filter(indicator=indicator).values_list(
            "breakdown_id", "area_type", "period"
        )
    )


def truth(indicator):
    return set(
        Observation.objects.filter(indicator=indicator)
        .values_list("breakdown_id", "area_type", "period")
        .distinct()
    )


def test_import_fills_the_summary_and_bumps_the_version(indicator):
    assert selectors.data_version(indicator) is None
    run(indicator, "area_code,period,sex,value\n0114,2023,T,1\n0114,2024,K,2\n01,2024,T,3\n")
    first = selectors.data_version(indicator)
    assert first
    assert keys(indicator) == truth(indicator)
    women = Breakdown.objects.get(sex="K", age_band="", birth_region="", extra="")
    assert (women.id, AreaType.MUNICIPALITY, 202400) in keys(indicator)
    run(indicator, "area_code,period,sex,value\n0127,2025,M,4\n")
    assert selectors.data_version(indicator) not in (None, first)
    assert keys(indicator) == truth(indicator)
    assert {b.sex for b in selectors.breakdowns_for(indicator)} == {"T", "K", "M"}
    total = selectors.total_breakdown_id(indicator)
    assert selectors.periods_for(indicator, breakdown_id=total) == [202300, 202400]
    assert selectors.periods_for(indicator) == [202300, 202400, 202500]


def test_replacing_import_removes_what_is_gone(indicator):
    run(indicator, "area_code,period,sex,value\n0114,2024,T,1\n0114,2024,K,2\n0114,2023,K,5\n")
    run(indicator, "area_code,period,sex,value\n01,2024,M,3\n", replace=True)
    # 2024 now only has men in a county; 2023 is untouched
    assert keys(indicator) == truth(indicator)
    assert len(keys(indicator)) == 2
    assert selectors.periods_for(indicator) == [202300, 202400]


def test_rejected_import_leaves_summary_and_version_alone(indicator):
    from samverkan.core.exchange import ImportRejected

    run(indicator, "area_code,period,value\n0114,2024,1\n")
    version, before = selectors.data_version(indicator), keys(indicator)
    with pytest.raises(ImportRejected):
        run(indicator, "area_code,period,value\n0127,2025,1\n0114,2024,2\n")
    assert selectors.data_version(indicator) == version
    assert keys(indicator) == before == truth(indicator)


def test_deleting_the_indicator_deletes_its_summary(indicator):
    run(indicator, "area_code,period,value\n0114,2024,1\n")
    indicator.delete()
    assert not ObservationKey.objects.exists()
    assert not IndicatorData.objects.exists()


def test_rows_written_before_the_summary_are_summarised_on_the_next_import(indicator):
    total = Breakdown.objects.get_or_create(sex="T", age_band="", birth_region="", extra="")[0]
    Observation.objects.create(
        indicator=indicator,
        area_type=AreaType.MUNICIPALITY,
        area_code="0114",
        period=202000,
        breakdown=total,
        value=1,
    )
    # no summary: read from the observations, nothing cached
    assert selectors.periods_for(indicator) == [202000]
    assert selectors.data_version(indicator) is None
    run(indicator, "area_code,period,value\n0114,2024,1\n")
    assert keys(indicator) == truth(indicator)
    assert selectors.periods_for(indicator) == [202000, 202400]
    summary_rebuild(indicator)
    assert keys(indicator) == truth(indicator)


def test_charts_are_cached_until_the_next_import(client, indicator):
    run(indicator, "area_code,period,value\n0114,2024,1\n0127,2024,2\n")
    url = f"/indikatorer/{indicator.code}/rankning.svg?period=2024"
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url).content == first.content
    assert client.get(f"/indikatorer/{indicator.code}/rankning.png?period=2024").status_code == 200
    run(indicator, "area_code,period,value\n0114,2024,7\n", replace=True)
    after = client.get(url).content
    assert after != first.content
    assert b"7,0" in after
    assert b"2,0" not in after
