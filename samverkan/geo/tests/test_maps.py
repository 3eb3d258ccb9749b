"""The one choropleth renderer (counties and municipalities) shared by indicators and projects."""

from xml.etree import ElementTree

from samverkan.geo import maps


def _svg(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)  # noqa: S314 (our own output)


def test_every_county_and_municipality_is_drawn_with_its_value():
    counties = maps.choropleth({"12": 5, "01": 0}, level="county", title="Län", zero_is_gap=True)
    assert counties.count("<path ") == 21
    assert "<title>Skåne: 5</title>" in counties and "<title>Stockholm: 0</title>" in counties
    assert maps.GAP in counties and maps.MISSING in counties  # 0 is a gap, no value is grey
    municipalities = maps.choropleth(
        {"0180": 12.5, "1280": 3}, level="municipality", title="Kommuner", tooltip_names=False
    )
    assert municipalities.count("<path ") == 290 and "<title>0180: 12,5</title>" in municipalities
    _svg(municipalities)  # well-formed


def test_quantile_classes_links_and_subset():
    values = {a.code: float(i) for i, a in enumerate(maps.areas("municipality"))}
    skåne = {a.code for a in maps.areas("municipality") if a.code.startswith("12")}
    svg = maps.choropleth(values, level="municipality", title="Skåne", only=skåne, link="/k/")
    assert svg.count("<path ") == len(skåne) == 33
    assert 'href="/k/1280"' in svg
    for shade in maps.SHADES:  # five equal-count classes, all used
        assert shade in svg
    assert maps.quantile_cuts([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [3, 5, 7, 9]


def test_titles_are_escaped():
    svg = maps.choropleth({}, level="county", title='<script>"x"</script>')
    assert "<script>" not in svg
    _svg(svg)
