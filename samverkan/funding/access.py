"""Who may read, change, assess and decide an application: the one place for these rules.

Built on ``samverkan.core.tenancy``:
- the applicant organisation owns its application: its members read it, its editors change it
  (while it is a draft) and submit it;
- the funder organisation (owner of the call) reads the *submitted* applications to its calls;
  its editors and admins assess and decide them;
- nobody else sees an application (applications are never internal or public).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.funding.models import Application, Attachment, Call, Criterion


def applications_readable(queryset: QuerySet[Application], user: Any) -> QuerySet[Application]:
    """Applications ``user`` may read: their own organisation's, and submitted ones to calls
    their organisation funds."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    ids = tenancy.organisation_ids(user)
    return queryset.filter(Application.owned_by_q(ids) | Application.funder_q(ids))


def application_get_readable(user: Any, pk: int, queryset: Any = None) -> Application:
    queryset = queryset if queryset is not None else Application.objects.all()
    try:
        return applications_readable(queryset.select_related("call", "owner"), user).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def is_applicant(user: Any, application: Application) -> bool:
    """May ``user`` change and submit ``application`` for the applicant organisation?"""
    return tenancy.can_write(user, application)


def is_funder(user: Any, call: Call) -> bool:
    """May ``user`` assess and decide for the funder of ``call`` (editor or admin there)?"""
    return tenancy.can_write(user, call)


def application_get_writable(user: Any, pk: int) -> Application:
    """The application if ``user`` may change it as applicant; 404 if unreadable, else 403."""
    application = application_get_readable(user, pk)
    if not is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan ändra ansökan."))
    return application


def application_get_for_funder(user: Any, pk: int) -> Application:
    """The application if ``user`` may assess or decide it; 404 if unreadable, else 403."""
    application = application_get_readable(user, pk)
    if not application.is_submitted or not is_funder(user, application.call):
        raise PermissionDenied(_("Bara finansiären kan bedöma och besluta om ansökan."))
    return application


def call_get_for_funder(user: Any, pk: int) -> Call:
    return tenancy.get_writable_or_403(Call.objects.select_related("owner"), user, pk=pk)


def criterion_get_for_funder(user: Any, pk: int) -> Criterion:
    """A criterion of a call ``user`` may change (with ``call`` loaded); 404 if the call is
    unreadable, 403 if it is readable but not the user's to change."""
    try:
        criterion = Criterion.objects.get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    criterion.call = call_get_for_funder(user, criterion.call_id)
    return criterion


def attachment_get_readable(user: Any, pk: int, *, with_content: bool = False) -> Attachment:
    """An attachment of an application ``user`` may read (with its ``application`` loaded);
    404 otherwise. The content is loaded only when asked for."""
    attachments = Attachment.objects.all() if with_content else Attachment.objects.defer("content")
    try:
        attachment = attachments.get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    attachment.application = application_get_readable(user, attachment.application_id)
    return attachment
