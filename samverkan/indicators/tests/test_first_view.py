"""An indicator page's first view has content (issue 21, part 3), and the demo's integration
indicators hold illustrative values that say so wherever they are shown (part 4)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from samverkan.core.reporting.registry import COUNTY, SECTIONS, Period, Scope
from samverkan.geo.models import County
from samverkan.indicators import selectors
from samverkan.indicators.illustrative import (
    SHAPES,
    indicator_illustrative_values_create,
    indicators_load_illustrative,
)
from samverkan.indicators.models import (
    AreaType,
    Indicator,
    Observation,
    ObservationStatus,
)
from samverkan.indicators.reference import indicators_load_reference
from samverkan.indicators.report_section import ILLUSTRATIVE_NOTE
from samverkan.indicators.tests.conftest import observe


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _indicator(code: str = "egen", **fields) -> Indicator:
    values = dict(title="Egen indikator", definition="d", unit="procent", source_kind="own")
    values.update(fields)
    return Indicator.objects.create(code=code, **values)


def test_first_view_opens_on_the_level_and_period_that_hold_data(client, db):
    """County values only (and an older municipal one): the page opens on the counties and
    their latest period, not on an empty municipal ranking."""
    indicator = _indicator()
    observe(
        indicator,
        [
            (AreaType.COUNTY, "12", 202300, 70.0),
            (AreaType.COUNTY, "01", 202300, 75.0),
            (AreaType.COUNTY, "12", 202400, 71.0),
            (AreaType.COUNTY, "01", 202400, 74.0),
            (AreaType.MUNICIPALITY, "1280", 202000, 60.0),
        ],
    )
    page = client.get(f"/indikatorer/{indicator.code}/").content.decode()
    assert '<option value="lan" selected>' in page
    assert '<option value="2024" selected>' in page
    assert "Stockholm har högst värde (74 procent) och Skåne lägst (71 procent)" in page
    assert "av de 2 länen som har värden för 2024" in page
    # asked for explicitly, the municipalities open on their own latest period
    municipal = client.get(f"/indikatorer/{indicator.code}/?level=kommun").content.decode()
    assert '<option value="2020" selected>' in municipal


def test_one_countys_municipalities_are_summarised_and_mapped_as_that_county(client, db):
    indicator = _indicator(direction="lower")
    observe(
        indicator,
        [
            (AreaType.MUNICIPALITY, "1280", 202400, 12.5),
            (AreaType.MUNICIPALITY, "1281", 202400, 6.0),
            (AreaType.MUNICIPALITY, "1283", 202400, 9.0),
        ],
    )
    page = client.get(f"/indikatorer/{indicator.code}/").content.decode()
    assert (
        "Malmö har högst värde (12,5 procent) och Lund lägst (6 procent) av de 3 kommunerna "
        "i Skåne län som har värden för 2024. Lägre värden är bättre."
    ) in page
    svg = client.get(f"/indikatorer/{indicator.code}/karta.svg").content.decode()
    skåne = County.objects.get(code="12").municipalities.count()
    assert svg.count("<path") == skåne == 33
    assert 'font-size="15"' in svg  # legend text stays >= 12 px at the page's 420 px


def test_a_long_ranking_is_charted_as_its_ends_and_tabled_in_full(client, db):
    indicator = _indicator()
    codes = (selectors.level_codes(AreaType.MUNICIPALITY) or [])[:60]
    observe(indicator, [(AreaType.MUNICIPALITY, c, 202400, float(n)) for n, c in enumerate(codes)])
    page = client.get(f"/indikatorer/{indicator.code}/").content.decode()
    chart = page.split('aria-label="Rangordning">', 1)[1].split("</figure>", 1)[0]
    assert chart.count("<rect") == 20
    assert "40 till: se tabellen nedan" in chart
    assert "de 10 högsta och de 10 lägsta av 60" in chart
    table = page.split("<caption>Rangordning", 1)[1]
    assert table.count("<tr>") >= 60
    download = client.get(f"/indikatorer/{indicator.code}/rankning.svg").content.decode()
    assert download.count("<rect") == 60  # the downloaded chart draws every area


def test_illustrative_values_cover_every_area_and_say_so_everywhere(client, db):
    indicators_load_reference()
    indicator = Indicator.objects.get(code="sysselsattning-utrikes-fodda")
    written = indicator_illustrative_values_create(indicator=indicator)
    areas = 1 + 21 + 290
    assert written == areas * 10 * 3  # 2015–2024, total, women, men
    assert (
        not Observation.objects.filter(indicator=indicator)
        .exclude(status=ObservationStatus.ILLUSTRATIVE)
        .exists()
    )
    assert selectors.illustrative(indicator)

    page = client.get(f"/indikatorer/{indicator.code}/").content.decode()
    assert "Illustrativa värden" in page and "är inte statistik" in page
    assert "illustrativa värden, inte statistik" in page  # the chart's own title
    csv = client.get(f"/indikatorer/{indicator.code}/rankning.csv").content.decode()
    assert all(line.endswith(",Illustrativt värde") for line in csv.splitlines()[1:])
    svg = client.get(f"/indikatorer/{indicator.code}/karta.svg").content.decode()
    assert "illustrativa värden" in svg
    api = client.get(f"/api/indicators/{indicator.code}/ranking/").json()
    assert {row["status"] for row in api["rows"]} == {"Illustrativt värde"}
    hub = client.get("/lan/12/").content.decode()
    assert "Illustrativa värden" in hub


def test_illustrative_values_are_never_added_to_an_indicator_with_data(db):
    indicators_load_reference()
    real = Indicator.objects.get(code="valdeltagande")
    observe(real, [(AreaType.MUNICIPALITY, "1280", 202200, 78.0)])
    first = indicators_load_illustrative()
    assert first > 0
    assert indicators_load_illustrative() == 0  # idempotent
    assert Observation.objects.filter(indicator=real).count() == 1
    assert not selectors.illustrative(real)
    assert set(
        Indicator.objects.filter(
            pk__in=Observation.objects.filter(status=ObservationStatus.ILLUSTRATIVE).values(
                "indicator"
            )
        ).values_list("code", flat=True)
    ) == set(SHAPES) - {"valdeltagande"}


def test_every_catalogue_indicator_with_data_opens_on_a_ranking(client, db):
    indicators_load_reference()
    indicators_load_illustrative()
    for indicator in Indicator.objects.filter(owner=None):
        if not Observation.objects.filter(indicator=indicator).exists():
            continue
        page = client.get(f"/indikatorer/{indicator.code}/").content.decode()
        assert 'class="lead"' in page, indicator.code
        assert "Inga observationer" not in page, indicator.code


def test_the_county_report_marks_illustrative_values_and_shows_the_birth_gap(db):
    indicators_load_reference()
    indicator = Indicator.objects.get(code="behorighet-gymnasiet")
    indicator_illustrative_values_create(indicator=indicator)
    county = County.objects.get(code="12")
    section = SECTIONS["indicators"].func(
        Scope(COUNTY, county=county), Period(2015, 2024), _anonymous()
    )
    notes = [b.text for b in section.blocks if b.kind == "paragraph"]
    assert ILLUSTRATIVE_NOTE + "." in notes
    table = next(b for b in section.blocks if b.kind == "table" and indicator.title in b.caption)
    assert table.columns[-3:] == [
        "Född i Sverige (Skåne)",
        "Utrikes född (Skåne)",
        "Skillnad (procentenheter)",
    ]
    for row in table.rows:
        swedish, foreign, difference = row[-3:]
        assert difference == round(foreign - swedish, 1)
    assert any(ILLUSTRATIVE_NOTE in source.origin for source in section.sources)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_a_hub_nobody_chose_for_opens_on_employment_as_the_catalogue_runs(client, db):
    indicators_load_reference()
    indicators_load_illustrative()
    page = client.get("/lan/12/").content.decode()
    first = page.split('<li class="key-figure"><a href="/indikatorer/', 1)[1].split("/", 1)[0]
    assert first == "sysselsattningsgrad-20-64"  # the catalogue's first, employment
