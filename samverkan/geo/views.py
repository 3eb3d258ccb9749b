"""The county and municipality pages: each is a hub composed of the sections the domain apps
register (``samverkan.core.hub``), with the area's key figures at the top."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.core.hub import COUNTY, MUNICIPALITY, Area, hub_sections
from samverkan.geo import selectors


def county_list(request: HttpRequest) -> HttpResponse:
    return render(request, "geo/county_list.html", {"counties": selectors.county_list()})


def _hub_context(request: HttpRequest, area: Area) -> dict:
    sections = hub_sections(area=area, user=request.user)
    return {
        "area": area,
        "sections": sections,
        "figures": [figure for section in sections for figure in section.figures],
    }


def county_detail(request: HttpRequest, code: str) -> HttpResponse:
    county = selectors.county_get(code=code)
    area = Area(COUNTY, county.code, county.name, county.code)
    return render(
        request,
        "geo/county_detail.html",
        {
            "county": county,
            "municipalities": selectors.municipality_list(county_code=county.code),
            **_hub_context(request, area),
        },
    )


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = selectors.municipality_get(code=code)
    area = Area(MUNICIPALITY, municipality.code, municipality.name, municipality.county.code)
    return render(
        request,
        "geo/municipality_detail.html",
        {"municipality": municipality, **_hub_context(request, area)},
    )
