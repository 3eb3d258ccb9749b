"""Rankings, series, gaps and change since a base year: the numbers and their views."""

import re

import pytest

from samverkan.indicators import selectors
from samverkan.indicators.models import Direction


def test_ranking_best_first_with_shared_ranks_and_missing_last(employment):
    rows = selectors.ranking(indicator=employment, period=202300, breakdown_id=employment.total.id)
    assert [(r.rank, r.area_code, r.value) for r in rows] == [
        (1, "0114", 60.5),
        (1, "0662", 60.5),
        (3, "0127", 59.2),
        (None, "0180", None),
    ]
    assert rows[0].area_name == "Upplands Väsby"


def test_ranking_lower_is_better_and_counties(employment):
    employment.direction = Direction.LOWER
    rows = selectors.ranking(
        indicator=employment, period=202300, breakdown_id=employment.total.id, area_type=1
    )
    assert [(r.rank, r.area_code) for r in rows] == [(1, "01"), (2, "06")]


def test_series_gap_and_change(employment):
    series = selectors.series(
        indicator=employment, area_codes=["0127", "0662"], breakdown_id=employment.total.id
    )
    assert series == {
        "0127": [(202200, 57.0), (202300, 59.2)],
        "0662": [(202200, 61.0), (202300, 60.5)],
    }
    gap = {
        r["area_code"]: r["gap"]
        for r in selectors.gap(
            indicator=employment,
            period=202300,
            group_a=employment.total.id,
            group_b=employment.women.id,
        )
    }
    assert gap["0127"] == 4.1
    assert gap["0114"] is None
    change = {
        r["area_code"]: (r["change"], r["change_pct"])
        for r in selectors.change(
            indicator=employment,
            base_period=202200,
            period=202300,
            breakdown_id=employment.total.id,
        )
    }
    assert change["0127"] == (2.2, 3.86)


def test_detail_page_and_downloads_show_the_same_numbers(client, employment):
    page = client.get(
        f"/indikatorer/{employment.code}/?period=2023&areas=0127,0662&base=2022"
        f"&other={employment.women.id}"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Upplands Väsby" in text and "polyline" in text
    csv = client.get(f"/indikatorer/{employment.code}/rankning.csv?period=2023").content.decode()
    assert csv.splitlines()[1] == "1,0114,Upplands Väsby,2023,Totalt,60.5,"
    xlsx = client.get(f"/indikatorer/{employment.code}/rankning.xlsx?period=2023")
    assert xlsx.content[:2] == b"PK"
    svg = client.get(f"/indikatorer/{employment.code}/serie.svg?areas=0127")
    assert svg["Content-Type"] == "image/svg+xml"
    api = client.get(f"/api/indicators/{employment.code}/ranking/?period=2023").json()
    assert [(r["rank"], r["area_code"], r["value"]) for r in api["rows"]][:3] == [
        (1, "0114", 60.5),
        (1, "0662", 60.5),
        (3, "0127", 59.2),
    ]
    assert client.get(f"/api/indicators/{employment.code}/ranking/?period=20x3").status_code == 400


def test_list_page(client, employment):
    assert employment.title in client.get("/indikatorer/").content.decode()


def test_choropleth_zooms_to_the_counties_holding_values(client, employment):
    """Values in Stockholm (01) and Jönköping (06) counties only: the map draws those
    counties' municipalities (every one of them, grey where a value is missing), not Sweden."""
    svg = client.get(f"/indikatorer/{employment.code}/karta.svg?period=2023").content.decode()
    drawn = [m for m in selectors.level_codes(2) or [] if m[:2] in ("01", "06")]
    assert svg.count("<path") == len(drawn) == 26 + 13
    assert "<title>0127: 59,2</title>" in svg
    assert "<title>1280:" not in svg  # Malmö (Skåne) is not drawn
    counties = client.get(f"/indikatorer/{employment.code}/karta.svg?period=2023&level=lan")
    assert counties.content.decode().count("<path") == 21


def test_similar_municipalities_comparison_group(client, employment):
    group = selectors.similar_areas(
        indicator=employment,
        area_code="0127",
        period=202300,
        breakdown_id=employment.total.id,
        count=2,
    )
    assert group == ["0114", "0662"]
    api = client.get(f"/api/indicators/{employment.code}/series/?like=0662").json()
    assert list(api["series"]) == ["0662", "0114", "0127"]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize(
    ("what", "query"),
    [("rankning", "period=2023"), ("serie", "areas=0127,0662"), ("karta", "period=2023")],
)
def test_png_downloads_are_the_svg_charts_rasterised(client, employment, what, query):
    svg = client.get(f"/indikatorer/{employment.code}/{what}.svg?{query}").content.decode()
    response = client.get(f"/indikatorer/{employment.code}/{what}.png?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f'filename="{employment.code}-{what}.png"' in response["Content-Disposition"]
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    assert _png_size(response.content) == (2 * width, 2 * height)  # drawn at twice the size
    assert len(response.content) > 2000  # bars, lines, shapes and text, not an empty canvas


def test_tall_chart_png_is_kept_within_the_pixel_budget():
    from samverkan.core import charts
    from samverkan.indicators.raster import MAX_PIXELS, svg_to_png

    svg = charts.ranked_bars([(f"Kommun {n}", float(n)) for n in range(290)], title="Rankning")
    width, height = _png_size(svg_to_png(svg))
    assert width * height <= MAX_PIXELS * 1.01 and width >= 670  # never below the SVG size
