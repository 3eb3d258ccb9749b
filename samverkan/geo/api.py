from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from samverkan.geo import selectors
from samverkan.geo.models import County, Municipality


class CountyOutput(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["code", "name", "short_name"]


class MunicipalityOutput(serializers.ModelSerializer):
    county_code = serializers.CharField(source="county.code")

    class Meta:
        model = Municipality
        fields = ["code", "name", "county_code"]


@extend_schema(tags=["geografi"])
class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    """Sweden's 21 counties (län) with their SCB codes."""

    serializer_class = CountyOutput
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self) -> QuerySet[County]:
        return selectors.county_list()


@extend_schema(tags=["geografi"])
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Sweden's 290 municipalities; filter by ``county``."""

    serializer_class = MunicipalityOutput
    lookup_field = "code"
    filterset_fields: list[str] = []

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_list(county_code=self.request.query_params.get("county"))
