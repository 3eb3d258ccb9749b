"""REST API for networks, memberships, the county overview and the network map."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.actors import graph, selectors, services
from samverkan.actors.models import (
    Network,
    NetworkKind,
    NetworkMembership,
    NetworkRole,
    Organisation,
    Scope,
    Theme,
)
from samverkan.core.models import Visibility
from samverkan.geo.models import County, Municipality


class NetworkOutput(serializers.Serializer):
    def to_representation(self, instance: Network) -> dict[str, Any]:
        return selectors.network_record(instance) | {"visibility": instance.visibility}


class NetworkInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=NetworkKind.choices)
    scope = serializers.ChoiceField(choices=Scope.choices)
    owner_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        source="owner",
        help_text="Organisationen som registrerar nätverket (du är redaktör där).",
    )
    county_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        source="county",
        required=False,
        allow_null=True,
    )
    municipality_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        source="municipality",
        required=False,
        allow_null=True,
    )
    convener_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        source="convener",
        required=False,
        allow_null=True,
    )
    themes = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False
    )
    purpose = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    parent_slug = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        source="parent",
        required=False,
        allow_null=True,
    )
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, max_length=300
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class MembershipOutput(serializers.Serializer):
    def to_representation(self, instance: NetworkMembership) -> dict[str, Any]:
        return selectors.membership_record(instance) | {"id": instance.pk}


class MembershipInput(serializers.Serializer):
    organisation_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="organisation"
    )
    roles = serializers.SlugRelatedField(
        slug_field="code", queryset=NetworkRole.objects.all(), many=True, required=False
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


@extend_schema(tags=["nätverk"])
class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Networks, councils, partnerships, working groups and agreements, with memberships."""

    lookup_field = "slug"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = NetworkOutput

    def get_queryset(self) -> QuerySet[Network]:
        params = self.request.query_params
        return (
            selectors.network_list(
                user=self.request.user,
                county_code=params.get("county", ""),
                kind=params.get("kind", ""),
                theme=params.get("theme", ""),
            )
            .prefetch_related("themes")
            .select_related("parent")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("county", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("theme", str),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=NetworkInput, responses={201: NetworkOutput})
    def create(self, request: Request) -> Response:
        data = NetworkInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        network = services.network_create(
            user=request.user, owner=fields.pop("owner"), themes=fields.pop("themes", []), **fields
        )
        return Response(NetworkOutput(network).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=MembershipOutput(many=True))
    @action(detail=True, methods=["get"])
    def memberships(self, request: Request, slug: str) -> Response:
        network = selectors.network_get(user=request.user, slug=slug)
        memberships = selectors.membership_list(user=request.user, network=network)
        return Response(MembershipOutput(memberships, many=True).data)

    @extend_schema(request=MembershipInput, responses={201: MembershipOutput})
    @memberships.mapping.post
    def add_membership(self, request: Request, slug: str) -> Response:
        network = selectors.network_get(user=request.user, slug=slug)
        data = MembershipInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_create(
            user=request.user, network=network, **data.validated_data
        )
        return Response(MembershipOutput(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def popolo(self, request: Request, slug: str) -> Response:
        network = selectors.network_get(user=request.user, slug=slug)
        return Response(selectors.network_popolo(user=request.user, network=network))


@extend_schema(tags=["nätverk"])
class CountyOverviewView(APIView):
    """The county overview: organisations by sector, networks, memberships, matrix."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, code: str) -> Response:
        county = get_object_or_404(County, code=code)
        return Response(selectors.county_overview(user=request.user, county=county))


@extend_schema(
    tags=["nätverk"],
    parameters=[OpenApiParameter(name, str) for name in ("county", "theme", "sector", "role")],
)
class NetworkGraphView(APIView):
    """The network map's data: nodes with degree, betweenness and community, and edges."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        params = request.query_params
        return Response(
            graph.graph_payload(
                user=request.user,
                county_code=params.get("county", ""),
                theme=params.get("theme", ""),
                sector=params.get("sector", ""),
                role=params.get("role", ""),
            )
        )
