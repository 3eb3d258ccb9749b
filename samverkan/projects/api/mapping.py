"""REST API for mapping rounds (kartläggningar): list, read, register and change a round with its
groups of respondents, under the same rules as the pages (``core.tenancy``: anyone reads a
public round, signed-in users internal ones, members their own organisation's; only the owner's
admins and editors write). An unknown count is null, never 0."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors.models import Organisation, OrganisationKind
from samverkan.core import tenancy
from samverkan.core.api import ErrorOutput
from samverkan.core.models import Visibility
from samverkan.geo.models import County
from samverkan.projects import selectors, services
from samverkan.projects.models import DatePrecision, MappingGroup, MappingRound
from samverkan.surveys.models import Campaign

CODES_MAX = 1000  # named organisations per list in one group


class MappingGroupOutput(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    respondent_kind = serializers.CharField(
        help_text="Tom när gruppen blandar olika slags aktörer."
    )
    asked = serializers.IntegerField(allow_null=True)
    answered = serializers.IntegerField(allow_null=True)
    answered_percent = serializers.IntegerField(allow_null=True)
    approximate = serializers.BooleanField()
    respondent_codes = serializers.ListField(
        child=serializers.CharField(), help_text="De tillfrågade, när de namnges."
    )
    answered_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="De namngivna tillfrågade som svarade (tillfrågade utom de som inte svarade).",
    )
    non_respondent_codes = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    text = serializers.CharField(help_text="T.ex. ”31 av 33 svarade”.")


class MappingRoundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner_code = serializers.CharField()
    county_code = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    start_precision = serializers.CharField()
    when = serializers.CharField(help_text="Så noga som det är känt: ”1999”, ”november 1999”.")
    description = serializers.CharField()
    projects_reported = serializers.IntegerField(allow_null=True)
    projects_selected = serializers.IntegerField(allow_null=True)
    selection_note = serializers.CharField()
    result = serializers.CharField()
    campaign = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source
    visibility = serializers.CharField()
    groups = MappingGroupOutput(many=True)
    updated_at = serializers.DateTimeField()


def _group_body(group: MappingGroup) -> dict[str, Any]:
    return {
        "label": group.label,
        "respondent_kind": group.respondent_kind,
        "asked": group.asked,
        "answered": group.answered,
        "answered_percent": group.answered_percent,
        "approximate": group.approximate,
        "respondent_codes": [o.code for o in group.respondents.all()],
        "answered_codes": [o.code for o in selectors.mapping_group_answered(group)],
        "non_respondent_codes": [o.code for o in group.non_respondents.all()],
        "note": group.note,
        "text": selectors.mapping_group_text(group),
    }


def mapping_round_body(mapping: MappingRound) -> dict[str, Any]:
    """The round as the API gives it; the named organisations are those the reader may read
    (``selectors.mapping_round_list`` prefetches them so)."""
    return {
        "id": mapping.pk,
        "title": mapping.title,
        "owner_code": mapping.owner.code,
        "county_code": mapping.county.code if mapping.county else None,
        "start_date": mapping.start_date,
        "start_precision": mapping.start_precision,
        "when": mapping.start_label if mapping.start_date else "",
        "description": mapping.description,
        "projects_reported": mapping.projects_reported,
        "projects_selected": mapping.projects_selected,
        "selection_note": mapping.selection_note,
        "result": mapping.result,
        "campaign": mapping.campaign_id,
        "source": mapping.source,
        "visibility": mapping.visibility,
        "groups": [_group_body(g) for g in mapping.groups.all()],
        "updated_at": mapping.updated_at,
    }


def _count(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=services.MAPPING_COUNT_MAX,
        help_text="Null (eller utelämnad) när antalet är okänt.",
        **kwargs,
    )


class MappingGroupInput(serializers.Serializer):
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]  # a field
    respondent_kind = serializers.ChoiceField(
        choices=[("", "blandat"), *OrganisationKind.choices], required=False, allow_blank=True
    )
    asked = _count()
    answered = _count()
    answered_percent = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    approximate = serializers.BooleanField(required=False, default=False)
    respondent_codes = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=CODES_MAX,
        help_text="Organisationskoder för de tillfrågade, när de namnges.",
    )
    non_respondent_codes = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=CODES_MAX,
        help_text="Organisationskoder för dem som inte svarade, när de namnges.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MappingRoundInput(serializers.Serializer):
    owner_code = serializers.CharField(
        max_length=60,
        required=False,
        help_text="Krävs när kartläggningen registreras; kan inte ändras efteråt.",
    )
    title = serializers.CharField(max_length=300)
    county_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        source="county",
        required=False,
        allow_null=True,
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    start_date = serializers.DateField(required=False, allow_null=True)
    start_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    projects_reported = _count()
    projects_selected = _count()
    selection_note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    result = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    campaign = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)  # type: ignore[assignment]
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    groups = MappingGroupInput(  # type: ignore[call-arg]  # max_length goes to the list
        many=True,
        required=False,
        max_length=services.MAPPING_GROUPS_MAX,
        help_text="Ersätter kartläggningens alla grupper när den skickas.",
    )


def _organisations(user: Any, codes: list[str], field: str) -> list[Organisation]:
    """The organisations named by ``codes``; an unknown or unreadable code is an error that
    does not tell the two apart."""
    found = {o.code: o for o in tenancy.readable(Organisation.objects.filter(code__in=codes), user)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise serializers.ValidationError(
            {field: [_("Okänd organisation ”%s”.") % ", ".join(unknown[:10])]}
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _service_arguments(
    user: Any, data: dict[str, Any], *, keep: set[int] | None = None
) -> dict[str, Any]:
    """The validated input as the service's arguments: codes resolved to organisations (those
    already linked to the round, ``keep``, resolve even if the user cannot read them)."""
    arguments = dict(data)
    arguments.pop("owner_code", None)
    if "campaign" in arguments:
        pk = arguments.pop("campaign")
        campaign = None
        if pk is not None:
            campaign = tenancy.readable(Campaign.objects.filter(pk=pk), user).first()
            if campaign is None:
                raise serializers.ValidationError({"campaign": [_("Utskicket finns inte.")]})
        arguments["campaign"] = campaign
    if "groups" in arguments:
        groups = []
        for number, group in enumerate(arguments.pop("groups"), start=1):
            named: dict[str, list[Organisation]] = {}
            for key in ("respondent_codes", "non_respondent_codes"):
                codes = list(group.get(key) or [])
                kept = {
                    o.code: o
                    for o in Organisation.objects.filter(code__in=codes, pk__in=keep or set())
                }
                rest = _organisations(
                    user, [c for c in codes if c not in kept], f"groups[{number}].{key}"
                )
                by_code = {**kept, **{o.code: o for o in rest}}
                named[key] = [by_code[c] for c in dict.fromkeys(codes)]
            groups.append(
                services.MappingGroupData(
                    label=group["label"],
                    respondent_kind=group.get("respondent_kind", ""),
                    asked=group.get("asked"),
                    answered=group.get("answered"),
                    answered_percent=group.get("answered_percent"),
                    approximate=group.get("approximate", False),
                    respondents=named["respondent_codes"],
                    non_respondents=named["non_respondent_codes"],
                    note=group.get("note", ""),
                )
            )
        arguments["groups"] = groups
    return arguments


# What PUT gives the fields it is not sent (the owner cannot be changed).
PUT_DEFAULTS: dict[str, Any] = {
    "county": None,
    "description": "",
    "start_date": None,
    "start_precision": DatePrecision.DAY,
    "projects_reported": None,
    "projects_selected": None,
    "selection_note": "",
    "result": "",
    "campaign": None,
    "source": "",
    "visibility": MappingRound._meta.get_field("visibility").default,
    "groups": [],
}

LIST_PARAMETERS = [
    OpenApiParameter("county", str, description="Länskod, t.ex. 12"),
    OpenApiParameter("owner", str, description="Den genomförande organisationens kod"),
]
ERRORS = {400: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput}


@extend_schema(tags=["projekt"])
class MappingRoundViewSet(viewsets.GenericViewSet):
    """Mapping rounds: a county board (or another organisation) asking the county's
    municipalities, city districts or other actors about their projects, with how many were
    asked and answered, who when named, and who did not answer."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = MappingRoundOutput
    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MappingRound]:
        params = self.request.query_params
        return selectors.mapping_round_list(
            user=self.request.user,
            county_code=str(params.get("county", ""))[:10],
            owner_code=str(params.get("owner", ""))[:60],
        )

    @extend_schema(parameters=LIST_PARAMETERS)
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rounds = page if page is not None else list(self.get_queryset())
        body = MappingRoundOutput([mapping_round_body(m) for m in rounds], many=True).data
        return self.get_paginated_response(body) if page is not None else Response(body)

    @extend_schema(responses={200: MappingRoundOutput, 404: ErrorOutput})
    def retrieve(self, request: Request, pk: str) -> Response:
        mapping = selectors.mapping_round_get(user=request.user, pk=int(pk))
        return Response(MappingRoundOutput(mapping_round_body(mapping)).data)

    def _answer(self, request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
        mapping = selectors.mapping_round_get(user=request.user, pk=pk)
        return Response(MappingRoundOutput(mapping_round_body(mapping)).data, status=code)

    @extend_schema(request=MappingRoundInput, responses={201: MappingRoundOutput, **ERRORS})
    def create(self, request: Request) -> Response:
        data = MappingRoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        validated = dict(data.validated_data)
        code = validated.get("owner_code")
        if not code:
            raise serializers.ValidationError({"owner_code": [_("Ange ägarens organisationskod.")]})
        owner = tenancy.readable(Organisation.objects.filter(code=code), request.user).first()
        if owner is None:
            raise serializers.ValidationError(
                {"owner_code": [_("Okänd organisation ”%s”.") % code]}
            )
        mapping = services.mapping_round_create(
            user=request.user, owner=owner, **_service_arguments(request.user, validated)
        )
        return self._answer(request, mapping.pk, status.HTTP_201_CREATED)

    def _change(self, request: Request, pk: str, *, partial: bool) -> Response:
        mapping = tenancy.get_writable_or_403(MappingRound.objects.all(), request.user, pk=int(pk))
        data = MappingRoundInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        keep = {
            o
            for g in mapping.groups.all()
            for o in [
                *g.respondents.values_list("pk", flat=True),
                *g.non_respondents.values_list("pk", flat=True),
            ]
        }
        arguments = _service_arguments(request.user, dict(data.validated_data), keep=keep)
        if not partial:
            arguments = {**PUT_DEFAULTS, **arguments}
        services.mapping_round_update(mapping=mapping, user=request.user, **arguments)
        return self._answer(request, mapping.pk)

    @extend_schema(request=MappingRoundInput, responses={200: MappingRoundOutput, **ERRORS})
    def update(self, request: Request, pk: str) -> Response:
        """Replace the round: fields left out get their defaults and the groups those sent."""
        return self._change(request, pk, partial=False)

    @extend_schema(request=MappingRoundInput, responses={200: MappingRoundOutput, **ERRORS})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the fields sent; ``groups``, when sent, replaces all groups."""
        return self._change(request, pk, partial=True)
