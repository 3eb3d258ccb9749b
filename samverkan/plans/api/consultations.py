"""The consultations API: the owner's consultations and the respondents' answers by token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from samverkan.core import tenancy
from samverkan.plans import mailings, selectors, services
from samverkan.plans.api.serializers import (
    CommentInput,
    ConsultationDraftOutput,
    ConsultationOutput,
)
from samverkan.plans.models import (
    Consultation,
    ConsultationComment,
    ConsultationInvite,
)


def _consultation_body(consultation: Any) -> dict[str, Any]:
    invites = list(
        consultation.invites.select_related("organisation").prefetch_related("reminders__by")
    )
    comments = ConsultationComment.objects.filter(invite__consultation=consultation).select_related(
        "invite__organisation"
    )
    by_section: dict[int | None, list[dict[str, Any]]] = {}
    for c in comments:
        by_section.setdefault(c.section_id, []).append(
            {
                "id": c.pk,
                "organisation": c.invite.organisation.code,
                "passage": c.passage,
                "text": c.text,
                "decision": c.decision,
                "decision_reason": c.decision_reason,
            }
        )
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "status": consultation.status,
        "deadline": consultation.deadline,
        "answered": [i.organisation.code for i in invites if i.responded_at],
        "not_answered": [i.organisation.code for i in invites if not i.responded_at],
        "no_comments": [i.organisation.code for i in invites if i.no_comments],
        "remind_days_before": consultation.remind_days_before,
        "invites": [
            {
                "organisation": i.organisation.code,
                "email": i.email,
                "responded_at": i.responded_at,
                "invited_at": i.invited_at,
                "delivery": i.delivery,
                "reminders": [
                    {
                        "kind": r.kind,
                        "by": r.by.email if r.by else None,
                        "queued_at": r.queued_at,
                        "sent_at": r.sent_at,
                        "delivery": r.delivery,
                        "error": r.delivery_error,
                    }
                    for r in i.reminders.all()
                ],
            }
            for i in invites
        ],
        "general_comments": by_section.get(None, []),
        "sections": [
            {"id": s.pk, "heading": s.heading, "text": s.text, "comments": by_section.get(s.pk, [])}
            for s in consultation.sections.all()
        ],
    }


@extend_schema(tags=["remisser"])
class ConsultationViewSet(viewsets.GenericViewSet):
    """Consultations (remisser) for their owner: comments per section, who has not answered."""

    lookup_value_regex = r"\d+"  # ids only: anything else is a 404, not a 500

    permission_classes = [permissions.IsAuthenticated]
    queryset = Consultation.objects.none()
    serializer_class = ConsultationOutput

    def _writable(self, request: Request, pk: str) -> Consultation:
        consultation = selectors.consultation_get(user=request.user, pk=int(pk))
        if not tenancy.can_write(request.user, consultation.strategy):
            raise DjangoPermissionDenied
        return consultation

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_consultation_body(self._writable(request, pk)))

    @action(detail=True, methods=["post"], url_path=r"comments/(?P<comment_id>\d+)/decision")
    def decide(self, request: Request, pk: str, comment_id: str) -> Response:
        consultation = self._writable(request, pk)
        payload = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        comment = get_object_or_404(
            ConsultationComment, pk=comment_id, invite__consultation=consultation
        )
        services.consultation_comment_decide(
            comment=comment,
            user=request.user,
            decision=str(payload.get("decision", "")),
            reason=str(payload.get("reason", "")),
        )
        return Response({"id": comment.pk, "decision": comment.decision})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: str) -> Response:
        """Remind those who have not answered (each at most once a day; queued as jobs)."""
        consultation = self._writable(request, pk)
        reminded = mailings.consultation_remind(consultation=consultation, user=request.user)
        return Response(
            {"reminded": [r.invite.organisation.code for r in reminded]},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(tags=["remisser"])
class ConsultationResponseViewSet(viewsets.GenericViewSet):
    """A respondent's personal link (the token is the key; no login needed)."""

    permission_classes = [permissions.AllowAny]
    queryset = ConsultationInvite.objects.none()
    serializer_class = ConsultationDraftOutput
    lookup_field = "token"

    def _invite(self, token: str) -> ConsultationInvite:
        return get_object_or_404(
            ConsultationInvite.objects.select_related("consultation"), token=token
        )

    def retrieve(self, request: Request, token: str) -> Response:
        invite = self._invite(token)
        return Response(
            {
                "consultation": invite.consultation.title,
                "deadline": invite.consultation.deadline,
                "status": invite.consultation.status,
                "sections": [
                    {"id": s.pk, "heading": s.heading, "text": s.text}
                    for s in invite.consultation.sections.all()
                ],
            }
        )

    @extend_schema(request=CommentInput)
    @action(detail=True, methods=["post"])
    def comments(self, request: Request, token: str) -> Response:
        invite = self._invite(token)
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        section = None
        if data.validated_data.get("section"):
            section = get_object_or_404(
                invite.consultation.sections, pk=data.validated_data["section"]
            )
        comment = services.consultation_comment_create(
            invite=invite,
            section=section,
            text=data.validated_data["text"],
            passage=data.validated_data.get("passage", ""),
        )
        return Response({"id": comment.pk}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="no-comments")
    def no_comments(self, request: Request, token: str) -> Response:
        services.consultation_no_comments(invite=self._invite(token))
        return Response({"no_comments": True})
