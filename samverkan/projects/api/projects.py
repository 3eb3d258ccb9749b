"""REST API for projects: search with facets, CRUD and similar projects, over the services."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors.models import Organisation, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.api import version_field
from samverkan.core.models import Visibility
from samverkan.core.params import query_int
from samverkan.geo.models import County, Municipality
from samverkan.projects import duplicates as duplicate_reports
from samverkan.projects import selectors, services, similarity
from samverkan.projects.models import ParticipantRole, Project, ProjectStatus
from samverkan.projects.parsing import FundingLine


def code_list(objects: Any) -> list[str]:
    return [o.code for o in objects.all()]


class ProjectOutput(serializers.ModelSerializer):
    owner_code = serializers.CharField(source="owner.code")
    county_code = serializers.CharField(source="county.code", default=None)
    municipality_codes = serializers.SerializerMethodField()
    theme_codes = serializers.SerializerMethodField()
    target_group_codes = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    fundings = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "summary",
            "description",
            "owner_code",
            "county_code",
            "municipality_codes",
            "theme_codes",
            "target_group_codes",
            "start_date",
            "end_date",
            "status",
            "budget",
            "fundings",
            "participants",
            "expected_results",
            "achieved_results",
            "evaluation",
            "lessons",
            "links",
            "good_example",
            "visibility",
            "source",
            "updated_at",
            "version",
        ]

    def get_municipality_codes(self, project: Project) -> list[str]:
        return code_list(project.municipalities)

    def get_theme_codes(self, project: Project) -> list[str]:
        return code_list(project.themes)

    def get_target_group_codes(self, project: Project) -> list[str]:
        return code_list(project.target_groups)

    def get_participants(self, project: Project) -> list[dict[str, str]]:
        return [
            {"organisation_code": p.organisation.code, "role": p.role}
            for p in project.participants.select_related("organisation")
        ]

    def get_fundings(self, project: Project) -> list[dict[str, Any]]:
        return [{"funder": f.funder, "amount": f.amount} for f in project.fundings.all()]


class HitOutput(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    title = serializers.CharField(source="project.title")
    owner = serializers.CharField(source="project.owner.name")
    county_code = serializers.CharField(source="project.county.code", default=None)
    status = serializers.CharField(source="project.status")
    good_example = serializers.BooleanField(source="project.good_example")
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="HTML-escaped excerpt, matches in <mark>")


class ParticipantInput(serializers.Serializer):
    organisation_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="organisation"
    )
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class FundingInput(serializers.Serializer):
    funder = serializers.CharField(max_length=200)
    amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class ProjectInput(serializers.Serializer):
    owner_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), source="owner", required=False
    )
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    county_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        source="county",
        required=False,
        allow_null=True,
    )
    municipality_codes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        many=True,
        required=False,
        source="municipalities",
    )
    theme_codes = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False, source="themes"
    )
    target_group_codes = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TargetGroup.objects.all(),
        many=True,
        required=False,
        source="target_groups",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    budget = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    participants = ParticipantInput(many=True, required=False)
    fundings = FundingInput(many=True, required=False)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    achieved_results = serializers.CharField(required=False, allow_blank=True)
    evaluation = serializers.CharField(required=False, allow_blank=True)
    lessons = serializers.CharField(required=False, allow_blank=True)
    links = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    version = version_field()

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "participants" in data:
            data["participants"] = [(p["organisation"], p["role"]) for p in data["participants"]]
        if "fundings" in data:
            data["fundings"] = [FundingLine(f["funder"], f.get("amount")) for f in data["fundings"]]
        return data


SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Sökord (svensk ordstamning, alla ord måste finnas)"),
    OpenApiParameter("county", str, description="Länskod, t.ex. 12"),
    OpenApiParameter("municipality", str, description="Kommunkod, t.ex. 1280"),
    OpenApiParameter("theme", str),
    OpenApiParameter("target_group", str),
    OpenApiParameter("status", str, enum=ProjectStatus.values),
    OpenApiParameter("funder", str),
    OpenApiParameter("year", int),
    OpenApiParameter("good_example", bool),
    OpenApiParameter("offset", int),
    OpenApiParameter("limit", int),
    OpenApiParameter(
        "facets", str, description="0 = without facet counts (faster, e.g. when paging)"
    ),
]


FacetValueOutput = inline_serializer(  # a class attribute "label" would shadow Field.label
    name="FacetValue",
    fields={
        "code": serializers.CharField(),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(),
    },
    many=True,
)


@extend_schema_serializer(many=False)  # the list action answers one envelope, not a list
class SearchResultOutput(serializers.Serializer):
    """The search envelope: total, the query's words, one page of hits and the facet counts
    (facet name → values; empty with ``facets=0``)."""

    count = serializers.IntegerField()
    words = serializers.ListField(child=serializers.CharField())
    results = HitOutput(many=True)
    facets = serializers.DictField(child=FacetValueOutput)


class SimilarOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField()
    text = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicatePairOutput(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    score = serializers.FloatField()
    text = serializers.FloatField()
    duplicate = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


def _int(value: str, default: int, maximum: int) -> int:
    return query_int(value, default=default, maximum=maximum)


@extend_schema(tags=["projekt"])
class ProjectViewSet(viewsets.ViewSet):
    """Projects in the knowledge bank. Anyone reads published ones; editors write their own."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_value_regex = r"\d+"

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=SearchResultOutput)
    def list(self, request: Request) -> Response:
        params = request.query_params
        result = selectors.project_search(
            user=request.user,
            filters=selectors.SearchFilters.from_params(params),
            offset=_int(params.get("offset", ""), 0, 10**6),
            limit=_int(params.get("limit", ""), 20, 100),
            facets=params.get("facets", "1") not in ("0", "false", "nej"),
        )
        return Response(
            {
                "count": result.total,
                "words": result.words,
                "results": HitOutput(result.hits, many=True).data,
                "facets": {
                    name: [{"code": c, "label": label, "count": n} for c, label, n in values]
                    for name, values in result.facets.items()
                },
            }
        )

    @extend_schema(responses=ProjectOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        project = selectors.project_get(user=request.user, pk=int(pk))
        return Response(ProjectOutput(project).data)

    @extend_schema(request=ProjectInput, responses={201: ProjectOutput})
    def create(self, request: Request) -> Response:
        data = ProjectInput(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        arguments.pop("version", None)
        owner = arguments.pop("owner", None)
        if owner is None:
            raise serializers.ValidationError({"owner_code": ["Ange ägarens organisationskod."]})
        project = services.project_create(user=request.user, owner=owner, **arguments)
        return Response(ProjectOutput(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectInput, responses=ProjectOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        project = tenancy.get_writable_or_403(Project.objects.all(), request.user, pk=int(pk))
        data = ProjectInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        arguments.pop("owner", None)
        services.project_update(
            project=project,
            user=request.user,
            expected_version=arguments.pop("version", None),
            **arguments,
        )
        return Response(ProjectOutput(project).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        project = tenancy.get_writable_or_403(Project.objects.all(), request.user, pk=int(pk))
        services.project_delete(project=project, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=SimilarOutput(many=True))
    @action(detail=True, methods=["get"])
    def similar(self, request: Request, pk: str) -> Response:
        project = selectors.project_get(user=request.user, pk=int(pk))
        return Response(
            [
                {
                    "id": s.project.pk,
                    "title": s.project.title,
                    "score": s.score,
                    "text": s.text,
                    "reasons": s.reasons,
                }
                for s in similarity.project_similar(user=request.user, project=project, limit=10)
            ]
        )

    @extend_schema(
        parameters=[OpenApiParameter("county", str, required=True)],
        responses={200: DuplicatePairOutput(many=True), 409: dict},
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request: Request) -> Response:
        """The 200 likeliest pairs of a county with at most ``INLINE_MAX_PROJECTS`` readable
        projects; a larger county answers 409: start a full report in the background."""
        county = get_object_or_404(County, code=request.query_params.get("county", ""))
        if not duplicate_reports.duplicate_report_is_inline(user=request.user, county=county):
            return Response(
                {
                    "status": 409,
                    "code": "too_large",
                    "message": (
                        f"Länet har fler än {duplicate_reports.INLINE_MAX_PROJECTS} projekt; "
                        "starta en fullständig rapport i bakgrunden med POST till start_url."
                    ),
                    "start_url": reverse("api:project-duplicate-report-list"),
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            [
                {
                    "first": p.first.pk,
                    "second": p.second.pk,
                    "score": p.score,
                    "text": p.text,
                    "duplicate": p.duplicate,
                    "reasons": p.reasons,
                }
                for p in similarity.project_duplicate_report(
                    user=request.user, county_code=county.code
                )
            ]
        )
