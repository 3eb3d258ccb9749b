"""REST API for indicators: the catalogue, the benchmarking numbers and targets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected
from samverkan.core.models import Visibility
from samverkan.indicators import importing, selectors, services
from samverkan.indicators.benchmark import benchmark_query
from samverkan.indicators.importing import IMPORT_FORMATS
from samverkan.indicators.models import Direction, Indicator, Sex, SourceKind, Target
from samverkan.indicators.periods import period_format


class IndicatorOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code", default=None)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "definition",
            "unit",
            "area",
            "source_kind",
            "source_id",
            "source_note",
            "direction",
            "by_sex",
            "age_bands",
            "birth_regions",
            "extra_dimensions",
            "owner_code",
            "visibility",
        ]


BENCH_PARAMS = [
    OpenApiParameter("period", str, description="t.ex. 2024, 2024M03, 2024K1 (standard: senaste)"),
    OpenApiParameter("breakdown", int, description="uppdelningens id (standard: totalt)"),
    OpenApiParameter(
        "level",
        str,
        enum=["kommun", "lan", "riket", "omrade"],
        description="standard: den finaste nivån som har värden (kommun, län, eget område, riket)",
    ),
    OpenApiParameter("areas", str, description="områdeskoder för tidsserie, kommaseparerade"),
    OpenApiParameter("base", str, description="basår för förändring"),
    OpenApiParameter("other", int, description="uppdelning att jämföra med (gap)"),
    OpenApiParameter("like", str, description="jämförelsegrupp: området och de 9 mest lika"),
    OpenApiParameter("like_indicator", str, description="indikator som avgör likhet"),
]


@extend_schema(tags=["indikatorer"])
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue and, per indicator, rankings, series, gaps and change."""

    lookup_field = "code"
    serializer_class = IndicatorOutput
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(
            user=self.request.user, query=self.request.query_params.get("q", "")
        )

    def _query(self, request: Request, code: str):
        indicator = selectors.indicator_get(user=request.user, code=code)
        try:
            return benchmark_query(indicator, request.query_params, user=request.user)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc

    @staticmethod
    def _head(query) -> dict[str, Any]:
        return {
            "indicator": query.indicator.code,
            "period": query.period_label,
            "breakdown": query.breakdown.id if query.breakdown else None,
            "breakdown_label": str(query.breakdown) if query.breakdown else None,
        }

    @extend_schema(parameters=BENCH_PARAMS)
    @action(detail=True)
    def ranking(self, request: Request, code: str) -> Response:
        query = self._query(request, code)
        rows = [
            {
                "rank": r.rank,
                "area_code": r.area_code,
                "area_name": r.area_name,
                "value": r.value,
                "status": r.status_label,
            }
            for r in query.ranking()
        ]
        return Response({**self._head(query), "rows": rows})

    @extend_schema(parameters=BENCH_PARAMS)
    @action(detail=True)
    def series(self, request: Request, code: str) -> Response:
        query = self._query(request, code)
        return Response(
            {
                **self._head(query),
                "series": {
                    area: [{"period": period_format(p), "value": v} for p, v in points]
                    for area, points in query.series().items()
                },
            }
        )

    @extend_schema(parameters=BENCH_PARAMS)
    @action(detail=True)
    def gap(self, request: Request, code: str) -> Response:
        query = self._query(request, code)
        return Response(
            {
                **self._head(query),
                "other": query.other.id if query.other else None,
                "rows": query.gap(),
            }
        )

    @extend_schema(parameters=BENCH_PARAMS)
    @action(detail=True)
    def change(self, request: Request, code: str) -> Response:
        query = self._query(request, code)
        return Response(
            {
                **self._head(query),
                "base": period_format(query.base) if query.base else None,
                "rows": query.change(),
            }
        )


class TargetOutput(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    owner_code = serializers.CharField(source="owner.code")
    sex = serializers.CharField(source="breakdown.sex")
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "owner_code",
            "title",
            "area_code",
            "sex",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "goal",
            "goal_reference",
            "visibility",
            "progress",
        ]

    def get_progress(self, target: Target) -> dict[str, Any]:
        return selectors.target_progress(target)


class TargetInput(serializers.Serializer):
    indicator = serializers.SlugField()
    owner_code = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    area_code = serializers.CharField(max_length=40)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.TOTAL)
    baseline_year = serializers.IntegerField(min_value=1900, max_value=2100)
    baseline_value = serializers.FloatField()
    target_year = serializers.IntegerField(min_value=1900, max_value=2100)
    target_value = serializers.FloatField()
    goal = serializers.IntegerField(
        required=False, allow_null=True, help_text="id of the strategy goal it follows up"
    )
    goal_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.INTERNAL)


@extend_schema(tags=["indikatorer"])
class TargetViewSet(viewsets.ModelViewSet):
    """Targets for indicators with computed progress (on track / at risk / off track)."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    serializer_class = TargetOutput
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Target]:
        return selectors.target_list(user=self.request.user)

    @extend_schema(request=TargetInput, responses={201: TargetOutput})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TargetInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        indicator = selectors.indicator_get(user=request.user, code=fields.pop("indicator"))
        owner = get_object_or_404(Organisation, code=fields.pop("owner_code"))
        breakdown = services.breakdown_get(sex=fields.pop("sex"))
        goal_id = fields.pop("goal", None)
        if goal_id is not None:
            fields["goal"] = get_object_or_404(
                selectors.goals_for_targets(user=request.user), pk=goal_id
            )
        target = services.target_create(
            user=request.user, owner=owner, indicator=indicator, breakdown=breakdown, **fields
        )
        return Response(TargetOutput(target).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = tenancy.get_writable_or_403(Target.objects.all(), request.user, pk=kwargs["pk"])
        services.target_delete(user=request.user, target=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndicatorInput(serializers.Serializer):
    owner_code = serializers.SlugField()
    code = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=200)
    definition = serializers.CharField()
    unit = serializers.CharField(max_length=40)
    area = serializers.CharField(max_length=40, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.HIGHER)
    by_sex = serializers.BooleanField(default=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=IMPORT_FORMATS, default="auto")
    replace = serializers.BooleanField(default=False)
    metric = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["indikatorer"])
class OwnIndicatorViewSet(viewsets.GenericViewSet):
    """An organisation's own indicators: create them and import observations into them."""

    lookup_field = "code"
    serializer_class = IndicatorOutput
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(user=self.request.user)

    @extend_schema(request=IndicatorInput, responses={201: IndicatorOutput})
    def create(self, request: Request) -> Response:
        data = IndicatorInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        owner = get_object_or_404(Organisation, code=fields.pop("owner_code"))
        indicator = services.indicator_create(
            user=request.user, owner=owner, source_kind=SourceKind.OWN, **fields
        )
        return Response(IndicatorOutput(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ImportInput})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def observations(self, request: Request, code: str) -> Response:
        indicator = tenancy.get_writable_or_403(Indicator.objects.all(), request.user, code=code)
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            result = importing.observations_import(
                user=request.user,
                indicator=indicator,
                stream=upload,
                filename=upload.name,
                fmt=data.validated_data["format"],
                replace=data.validated_data["replace"],
                metric=data.validated_data["metric"],
            )
        except ImportRejected as exc:
            raise serializers.ValidationError({"file": [str(e) for e in exc.errors[:50]]}) from exc
        return Response(
            {"indicator": indicator.code, "created": result.created}, status=status.HTTP_201_CREATED
        )
