"""Reads for users: the invitations waiting for a person's answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samverkan.accounts.models import Invitation


def invitation_list_for_user(*, user: Any) -> QuerySet[Invitation]:
    """The invitations waiting for ``user``'s answer."""
    if user is None or not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(user=user).select_related("organisation", "invited_by")


def invitation_get_for_invitee(*, user: Any, pk: int) -> Invitation:
    """``user``'s own invitation; 404 for anybody else's (its existence is not revealed)."""
    invitation = invitation_list_for_user(user=user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation
