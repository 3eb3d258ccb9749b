"""Reads of the geography."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from samverkan.geo.models import County, Municipality


def county_list() -> QuerySet[County]:
    return County.objects.annotate(municipality_count=Count("municipalities")).order_by("code")


def county_get(*, code: str) -> County:
    return get_object_or_404(County, code=code)


def municipality_list(*, county_code: str | None = None) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("county").order_by("code")
    if county_code:
        municipalities = municipalities.filter(county__code=county_code)
    return municipalities


def municipality_get(*, code: str) -> Municipality:
    return get_object_or_404(Municipality.objects.select_related("county"), code=code)
