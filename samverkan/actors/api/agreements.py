"""REST API for agreements (read): parties, principles and the meetings held under each."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors import selectors
from samverkan.actors.exchange.agreements import AgreementExporter
from samverkan.actors.models import Agreement


class AgreementOutput(serializers.Serializer):
    """The agreement as `samverkan export agreements --format json` gives it."""

    def to_representation(self, instance: Agreement) -> dict[str, Any]:
        user = self.context["request"].user
        return AgreementExporter().record(instance, user=user)


@extend_schema(tags=["nätverk"])
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """Agreements (överenskommelser): the national agreement, RÖK, LÖK and IOP, with their
    parties and roles, principles, period and the meetings held under them with attendance by
    sector (an unknown count is null, never 0)."""

    lookup_field = "slug"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = AgreementOutput

    def get_queryset(self) -> QuerySet[Agreement]:
        params = self.request.query_params
        return selectors.agreement_list(
            user=self.request.user,
            county_code=params.get("county", ""),
            kind=params.get("kind", ""),
        ).prefetch_related("parties__organisation", "principles")

    @extend_schema(parameters=[OpenApiParameter("county", str), OpenApiParameter("kind", str)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
