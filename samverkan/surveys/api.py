"""REST API for campaigns: list, tracking and compilation, over the same selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core import tenancy
from samverkan.surveys import selectors, services
from samverkan.surveys.models import Campaign


class CampaignOutput(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code")
    questionnaire = serializers.CharField(source="questionnaire.title")
    links_valid_until = serializers.DateField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "questionnaire",
            "owner",
            "deadline",
            "grace_days",
            "links_valid_until",
            "status",
            "rule",
            "visibility",
        ]


class TrackingOutput(serializers.Serializer):
    total = serializers.IntegerField()
    opened = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    overdue = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()


class SendInput(serializers.Serializer):
    reminder = serializers.BooleanField(
        required=False, default=False, help_text="Påminn dem som inte har svarat."
    )


class SendOutput(serializers.Serializer):
    queued = serializers.IntegerField(help_text="Så många e-brev köades.")
    missing_email = serializers.ListField(
        child=serializers.CharField(),
        help_text="Mottagare (organisationens namn) som inte fick något: de saknar e-postadress.",
    )
    already = serializers.ListField(
        child=serializers.CharField(),
        help_text="Mottagare som redan är inbjudna eller i kö (påminnelse: som redan svarat).",
    )
    message = serializers.CharField()


@extend_schema(tags=["enkäter"])
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns (utskick) the user may read, with tracking and the compilation."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = CampaignOutput

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaign_list(user=self.request.user)

    @extend_schema(responses=TrackingOutput)
    @action(detail=True)
    def tracking(self, request: Request, pk: Any = None) -> Response:
        campaign = tenancy.get_readable_or_404(Campaign.objects.all(), request.user, pk=pk)
        return Response(TrackingOutput(selectors.campaign_tracking(campaign=campaign)).data)

    @extend_schema(request=SendInput, responses=SendOutput)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def send(self, request: Request, pk: Any = None) -> Response:
        """Queue the invitations (or reminders): the answer says how many were queued and
        which recipients were not, and why."""
        campaign = tenancy.get_writable_or_403(Campaign.objects.all(), request.user, pk=pk)
        data = SendInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.campaign_send(
            campaign=campaign, user=request.user, reminder=data.validated_data["reminder"]
        )
        return Response(
            SendOutput(
                {
                    "queued": result.queued,
                    "missing_email": result.missing_email,
                    "already": result.already,
                    "message": result.message(),
                }
            ).data
        )

    @extend_schema(responses={200: dict})
    @action(detail=True)
    def compilation(self, request: Request, pk: Any = None) -> Response:
        campaign = tenancy.get_readable_or_404(Campaign.objects.all(), request.user, pk=pk)
        compilation = selectors.campaign_compile(
            campaign=campaign,
            county=request.query_params.get("county", ""),
            kind=request.query_params.get("kind", ""),
            named=True,
        )
        for question in compilation["questions"]:
            question.pop("labels", None)
        return Response(compilation)
