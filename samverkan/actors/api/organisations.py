"""REST API for organisations: the same selectors and services as the web pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.actors import selectors, services
from samverkan.actors.models import ContactAddress, Organisation, OrganisationKind, Sector
from samverkan.core import tenancy
from samverkan.core.api import ErrorOutput, version_field
from samverkan.core.models import Visibility
from samverkan.geo.models import County, Municipality


class ContactAddressOutput(serializers.ModelSerializer):
    class Meta:
        model = ContactAddress
        fields = ["id", "email", "name", "role", "for_surveys", "for_consultations"]


class ContactAddressInput(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    for_surveys = serializers.BooleanField(required=False, default=True)
    for_consultations = serializers.BooleanField(required=False, default=True)


class OrganisationOutput(serializers.ModelSerializer):
    county_code = serializers.CharField(source="county.code", default=None)
    municipality_code = serializers.CharField(source="municipality.code", default=None)
    contact_addresses = serializers.SerializerMethodField(
        help_text="Adresser för enkäter och remisser; bara för organisationens och dess "
        "förvaltares medlemmar (annars tom)."
    )

    @extend_schema_field(ContactAddressOutput(many=True))
    def get_contact_addresses(self, organisation: Organisation) -> list[dict[str, Any]]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return []
        contacts = selectors.contact_address_list(user=request.user, organisation=organisation)
        return list(ContactAddressOutput(contacts, many=True).data)

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "kind",
            "sector",
            "county_code",
            "municipality_code",
            "org_number",
            "description",
            "website",
            "visibility",
            "verified",
            "verified_at",
            "updated_at",
            "version",
            "contact_addresses",
        ]
        read_only_fields = ["verified", "verified_at"]


class OrganisationInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    code = serializers.SlugField(max_length=60, required=False)
    county_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=County.objects.all(),
        required=False,
        allow_null=True,
        source="county",
    )
    municipality_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        source="municipality",
    )
    org_number = serializers.CharField(max_length=11, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    version = version_field()
    steward_code = serializers.SlugField(
        required=False,
        write_only=True,
        help_text="Registrera organisationen för en organisation du är redaktör i.",
    )


# The services name model fields; the API names them as its input does.
_API_FIELD_NAMES = {
    "county": "county_code",
    "municipality": "municipality_code",
    "steward": "steward_code",
}


@contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {_API_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()}
        ) from exc


ORG_FILTERS = [
    OpenApiParameter("q", str, description="Del av namnet"),
    OpenApiParameter("kind", str, enum=OrganisationKind.values),
    OpenApiParameter("sector", str, enum=Sector.values),
    OpenApiParameter("county", str, description="Länskod, t.ex. 12"),
    OpenApiParameter("municipality", str, description="Kommunkod, t.ex. 1280"),
]


@extend_schema(tags=["organisationer"])
class OrganisationViewSet(viewsets.ModelViewSet):
    """Organisations (aktörer). Anyone reads published ones; editors write their own."""

    lookup_field = "code"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = OrganisationOutput

    def get_queryset(self) -> QuerySet[Organisation]:
        params = self.request.query_params
        return selectors.organisation_list(
            user=self.request.user,
            query=params.get("q", ""),
            kind=params.get("kind", ""),
            sector=params.get("sector", ""),
            county_code=params.get("county", ""),
            municipality_code=params.get("municipality", ""),
        )

    @extend_schema(parameters=ORG_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OrganisationInput, responses={201: OrganisationOutput})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = OrganisationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("version", None)  # only an edit starts from a version
        steward = None
        if "steward_code" in fields:
            steward = get_object_or_404(Organisation, code=fields.pop("steward_code"))
        with _api_field_names():
            organisation = services.organisation_create(
                user=request.user, steward=steward, **fields
            )
        return Response(
            OrganisationOutput(organisation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=OrganisationInput, responses=OrganisationOutput)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = tenancy.get_writable_or_403(
            Organisation.objects.all(), request.user, code=kwargs["code"]
        )
        data = OrganisationInput(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("steward_code", None)
        with _api_field_names():
            services.organisation_update(
                organisation=organisation,
                user=request.user,
                expected_version=fields.pop("version", None),
                **fields,
            )
        return Response(
            OrganisationOutput(organisation, context=self.get_serializer_context()).data
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = tenancy.get_writable_or_403(
            Organisation.objects.all(), request.user, code=kwargs["code"]
        )
        services.organisation_delete(organisation=organisation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={
            200: OrganisationOutput,
            403: OpenApiResponse(
                ErrorOutput,
                description="Bara en systemadministratör eller den verifierade länsstyrelsen i "
                "organisationens län verifierar den (län, regioner, kommuner och statliga "
                "myndigheter: bara en systemadministratör).",
            ),
            404: OpenApiResponse(
                ErrorOutput, description="Ingen sådan organisation som du kan läsa."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, code: str) -> Response:
        """Verify a self-registered organisation: it then holds the rights its kind carries
        and may register organisations on others' behalf (audited)."""
        organisation = selectors.organisation_get(user=request.user, code=code)
        organisation = services.organisation_verify(organisation=organisation, user=request.user)
        return Response(
            OrganisationOutput(organisation, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=ContactAddressInput,
        responses={200: ContactAddressOutput(many=True), 201: ContactAddressOutput},
    )
    @action(detail=True, methods=["get", "post"], url_path="contacts", url_name="contacts")
    def contacts(self, request: Request, code: str) -> Response:
        """The organisation's addresses for surveys and consultations (members of the
        organisation and of its steward read them; its admins and editors and its verified
        steward's add them)."""
        organisation = selectors.organisation_get(user=request.user, code=code)
        if request.method == "GET":
            contacts = selectors.contact_address_list(user=request.user, organisation=organisation)
            return Response(ContactAddressOutput(contacts, many=True).data)
        data = ContactAddressInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.contact_address_create(
            organisation=organisation, user=request.user, **data.validated_data
        )
        return Response(ContactAddressOutput(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"contacts/(?P<contact_id>\d+)",
        url_name="contact-detail",
    )
    def contact_delete(self, request: Request, code: str, contact_id: str) -> Response:
        organisation = selectors.organisation_get(user=request.user, code=code)
        contact = get_object_or_404(
            selectors.contact_address_list(user=request.user, organisation=organisation),
            pk=contact_id,
        )
        services.contact_address_delete(contact=contact, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
