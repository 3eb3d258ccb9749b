from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.actors.selectors import organisation_list
from samverkan.geo import selectors


def county_list(request: HttpRequest) -> HttpResponse:
    return render(request, "geo/county_list.html", {"counties": selectors.county_list()})


def county_detail(request: HttpRequest, code: str) -> HttpResponse:
    county = selectors.county_get(code=code)
    organisations = organisation_list(user=request.user, county_code=county.code)
    return render(
        request,
        "geo/county_detail.html",
        {
            "county": county,
            "municipalities": selectors.municipality_list(county_code=county.code),
            "organisations": organisations,
            "organisation_count": organisations.count(),
        },
    )


def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = selectors.municipality_get(code=code)
    return render(
        request,
        "geo/municipality_detail.html",
        {
            "municipality": municipality,
            "organisations": organisation_list(
                user=request.user, municipality_code=municipality.code
            ),
        },
    )
