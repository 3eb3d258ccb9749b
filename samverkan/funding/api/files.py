"""REST API for the files of the funding workflow: application attachments (read, download,
remove; uploaded at ``/api/funding-applications/{id}/attachments/``) and the status of a call's
decision-letters job (started at ``/api/funding-calls/{id}/letters/``)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.funding import access, selectors
from samverkan.funding.api.common import file_responses, read_refusals, refusals
from samverkan.funding.api.serializers import AttachmentOutput, LettersJobOutput
from samverkan.funding.downloads import file_response
from samverkan.funding.services import attachments


@extend_schema(tags=["finansiering"])
class FundingAttachmentViewSet(viewsets.ViewSet):
    """Attachments of applications, for whoever may read the application; removed by the
    applicant's editors while the application is a draft (as on the application page)."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    @extend_schema(responses={200: AttachmentOutput, **read_refusals()})
    def retrieve(self, request: Request, pk: str) -> Response:
        attachment = access.attachment_get_readable(request.user, int(pk))
        return Response(AttachmentOutput(attachment).data)

    @extend_schema(
        responses={
            **file_responses("application/octet-stream", "Filen, med sin egen Content-Type."),
            **read_refusals(),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> HttpResponse:
        """The file as uploaded, with the content type its checked content gave."""
        attachment = access.attachment_get_readable(request.user, int(pk), with_content=True)
        return file_response(
            attachment.content,
            attachment.filename,
            attachments.CONTENT_TYPES[attachment.file_type],
        )

    @extend_schema(
        responses={
            204: None,
            **refusals(
                "Ansökan är inskickad eller återtagen; bilagor tas bara bort från utkast.",
                "Bara den sökande organisationens redaktörer tar bort bilagor.",
            ),
        }
    )
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove an attachment of a draft (an audit entry keeps its name, type and size)."""
        attachment = access.attachment_get_readable(request.user, int(pk))
        attachments.attachment_remove(attachment=attachment, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["finansiering"])
class FundingLetterJobViewSet(viewsets.ViewSet):
    """Runs of a call's decision-letters job, for the funder who may start them: poll
    ``status`` (queued, running, done, failed) and ``progress`` until done."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    @extend_schema(responses={200: LettersJobOutput, **read_refusals()})
    def retrieve(self, request: Request, pk: str) -> Response:
        """404 for anyone but the funder's editors and admins, as for an unknown id."""
        return Response(
            LettersJobOutput(selectors.letter_job_get(user=request.user, pk=int(pk))).data
        )
