"""REST API for applications: the applicant writes drafts, attaches files and submits; the
funder assesses and decides; both read the decision letter. Thin adapters over ``access``,
``selectors`` and the services.

Applications are read through ``access.applications_readable``: the applicant organisation
and the funder (once submitted) see them; everyone else gets 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core import tenancy
from samverkan.core.params import query_id
from samverkan.core.uploads import UploadRejected
from samverkan.funding import access, letters, selectors
from samverkan.funding.api.common import (
    applications_queryset,
    file_responses,
    read_refusals,
    refusals,
)
from samverkan.funding.api.serializers import (
    ApplicationInput,
    ApplicationOutput,
    AttachmentInput,
    AttachmentOutput,
    ConflictInput,
    DecisionInput,
    ScoreInput,
    WithdrawInput,
)
from samverkan.funding.downloads import file_response
from samverkan.funding.models import Application
from samverkan.funding.services import applications, assessment, decisions
from samverkan.funding.services import attachments as attachment_services


@extend_schema(tags=["finansiering"])
class FundingApplicationViewSet(viewsets.ViewSet):
    """Applications: the applicant writes drafts and submits; the funder assesses and decides."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def _get(self, request: Request, pk: str) -> Application:
        return access.application_get_readable(
            request.user, int(pk), applications_queryset(request.user)
        )

    @extend_schema(responses=ApplicationOutput(many=True))
    def list(self, request: Request) -> Response:
        readable = applications_queryset(request.user).order_by("pk")
        call = query_id(request.query_params.get("call"))
        if call is not None:
            readable = readable.filter(call_id=call)
        return Response(ApplicationOutput(readable[:500], many=True).data)

    @extend_schema(responses=ApplicationOutput)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ApplicationOutput(self._get(request, pk)).data)

    @extend_schema(request=ApplicationInput, responses={201: ApplicationOutput})
    def create(self, request: Request) -> Response:
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        call = arguments.pop("call")
        if not tenancy.can_read(request.user, call):
            raise serializers.ValidationError({"call_id": ["Okänd utlysning."]})
        application = applications.application_create(
            user=request.user, call=call, owner=arguments.pop("owner"), **arguments
        )
        return Response(ApplicationOutput(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationInput, responses=ApplicationOutput)
    def partial_update(self, request: Request, pk: str) -> Response:
        application = access.application_get_writable(request.user, int(pk))
        data = ApplicationInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        expected_version = data.validated_data.get("version")
        arguments = data.service_arguments()
        arguments.pop("call", None)
        arguments.pop("owner", None)
        applications.application_update(
            application=application,
            user=request.user,
            expected_version=expected_version,
            **arguments,
        )
        return Response(ApplicationOutput(application).data)

    @extend_schema(request=None, responses=ApplicationOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        application = access.application_get_writable(request.user, int(pk))
        applications.application_submit(application=application, user=request.user)
        return Response(ApplicationOutput(application).data)

    @extend_schema(
        request=WithdrawInput,
        responses={
            200: ApplicationOutput,
            **refusals(
                "Redan återtagen, eller finansiären har redan beslutat.",
                "Bara den sökande organisationens redaktörer kan återta ansökan.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw the application (the applicant, until the funder has decided), optionally
        with a reason. It is kept with status ``withdrawn``, left out of the ranking, and can be
        brought back with ``restore``."""
        application = access.application_get_writable(request.user, int(pk))
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        applications.application_withdraw(
            application=application, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(ApplicationOutput(self._get(request, pk)).data)

    @extend_schema(
        request=None,
        responses={
            200: ApplicationOutput,
            **refusals(
                "Ansökan är inte återtagen.",
                "Bara den sökande organisationens redaktörer kan återställa ansökan.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        """Bring a withdrawn application back as it was before the withdrawal (the same as
        restoring that version on the history page)."""
        application = access.application_get_writable(request.user, int(pk))
        applications.application_restore(application=application, user=request.user)
        return Response(ApplicationOutput(self._get(request, pk)).data)

    @extend_schema(
        responses=OpenApiResponse(
            OpenApiTypes.OBJECT, description="[{id, title, score, reasons}], best first."
        )
    )
    @action(detail=True, methods=["get"])
    def similar(self, request: Request, pk: str) -> Response:
        application = self._get(request, pk)
        return Response(
            [
                {
                    "id": s.project.pk,
                    "title": s.project.title,
                    "score": s.score,
                    "reasons": s.reasons,
                }
                for s in selectors.application_similar(user=request.user, application=application)
            ]
        )

    @extend_schema(request=ConflictInput, responses=ConflictInput)
    @action(detail=True, methods=["post"])
    def conflict(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        data = ConflictInput(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = assessment.conflict_declare(
            application=application, user=request.user, **data.validated_data
        )
        return Response({"has_conflict": declaration.has_conflict, "note": declaration.note})

    @extend_schema(request=ScoreInput(many=True), responses=ScoreInput(many=True))
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        reason = assessment.assessor_conflict_reason(application=application, user=request.user)
        if reason:
            raise ApiPermissionDenied(reason)
        data = ScoreInput(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        scores = {s["criterion_id"]: (s["score"], s["comment"]) for s in data.validated_data}  # type: ignore[union-attr]
        saved = assessment.scores_set(application=application, user=request.user, scores=scores)
        return Response(
            [
                {"criterion_id": s.criterion_id, "score": s.score, "comment": s.comment}
                for s in saved
            ]
        )

    @extend_schema(request=DecisionInput, responses=ApplicationOutput)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        application = access.application_get_for_funder(request.user, int(pk))
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decisions.decision_make(application=application, user=request.user, **data.validated_data)
        application.refresh_from_db()
        return Response(ApplicationOutput(application).data)

    @extend_schema(
        methods=["GET"],
        responses={200: AttachmentOutput(many=True), **read_refusals()},
        description="The application's attachments (whoever may read the application).",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentInput},
        responses={
            201: AttachmentOutput,
            **refusals(
                "Filen saknas, är tom, för stor (högst 10 MB), inte PDF, DOCX, XLSX, ODT, PNG "
                "eller JPEG, eller heter något annat än innehållet är (errors.file säger varför); "
                "eller ansökan är inskickad eller återtagen.",
                "Bara den sökande organisationens redaktörer lägger till bilagor.",
            ),
        },
        description="Upload an attachment to a draft (multipart, field ``file``). The type is "
        "read from the content, as on the page; a disguised file is refused with the reason.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            application = self._get(request, pk)
            listed = application.attachments.defer("content")
            return Response(AttachmentOutput(listed, many=True).data)
        application = access.application_get_writable(request.user, int(pk))
        data = AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attachment = attachment_services.attachment_upload(
                application=application, user=request.user, upload=data.validated_data["file"]
            )
        except UploadRejected as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)

    def _letter(self, request: Request, pk: str, fmt: str) -> HttpResponse:
        decision = selectors.decision_for_letter(user=request.user, pk=int(pk))
        return file_response(*letters.letter_file(decision, fmt))

    @extend_schema(
        responses={
            **file_responses("application/pdf", "Beslutsbrevet som PDF (PDF/UA)."),
            **read_refusals(),
        },
        description="The decision letter as PDF, for whoever may read the application; 404 "
        "until decided.",
    )
    @action(detail=True, methods=["get"], url_path="letter-pdf")
    def letter_pdf(self, request: Request, pk: str) -> HttpResponse:
        return self._letter(request, pk, "pdf")

    @extend_schema(
        responses={
            **file_responses(letters.DOCX_TYPE, "Beslutsbrevet som DOCX."),
            **read_refusals(),
        },
        description="The decision letter as DOCX, for whoever may read the application; 404 "
        "until decided.",
    )
    @action(detail=True, methods=["get"], url_path="letter-docx")
    def letter_docx(self, request: Request, pk: str) -> HttpResponse:
        return self._letter(request, pk, "docx")
