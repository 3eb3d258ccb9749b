"""Attachments of an application, recognised by their content (``core.uploads``, the check
every upload in the project goes through): added and removed by the applicant while the
application is a draft."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_action, audit_log
from samverkan.core.uploads import bytes_check, upload_check
from samverkan.funding import access
from samverkan.funding.models import Application, Attachment
from samverkan.funding.services.applications import withdrawn_message

AUDIT_ATTACHMENT_REMOVED = audit_action("funding.attachment_removed")


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


def attachment_type(data: bytes, filename: str = "") -> str:
    """The file type read from the content itself (magic bytes, and the parts of a zip
    package for DOCX/XLSX/ODT); a name claiming another type than the content is refused.
    Raises ``core.uploads.UploadRejected`` (a ``ValidationError``) with the reason."""
    return bytes_check(
        data, filename or _("bilagan"), kinds=ALLOWED_TYPES, max_bytes=MAX_ATTACHMENT_BYTES
    )


def _check_changeable(application: Application, user: Any, refusal: str) -> None:
    if not access.is_applicant(user, application):
        raise PermissionDenied(refusal)
    if application.is_submitted:
        raise ValidationError(_("Ansökan är redan inskickad och kan inte ändras."))
    if application.is_withdrawn:
        raise ValidationError(withdrawn_message())


@transaction.atomic
def attachment_add(
    *, application: Application, user: Any, filename: str, data: bytes
) -> Attachment:
    _check_changeable(
        application, user, _("Bara den sökande organisationen kan lägga till bilagor.")
    )
    kind = attachment_type(data, filename)
    return Attachment.objects.create(
        application=application,
        filename=filename.replace("/", "_").replace("\\", "_")[:200],
        file_type=kind,
        size=len(data),
        content=data,
    )


def attachment_upload(*, application: Application, user: Any, upload: Any) -> Attachment:
    """``attachment_add`` for an uploaded file (page or API): size and content are checked on
    the upload before it is read into memory."""
    _check_changeable(
        application, user, _("Bara den sökande organisationen kan lägga till bilagor.")
    )
    upload_check(upload, kinds=ALLOWED_TYPES, max_bytes=MAX_ATTACHMENT_BYTES)
    return attachment_add(
        application=application, user=user, filename=upload.name, data=upload.read()
    )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user: Any) -> None:
    """Remove an attachment of a draft (the applicant's editors, as for adding one); an audit
    entry keeps the file's name, type and size."""
    application = attachment.application
    _check_changeable(application, user, _("Bara den sökande organisationen kan ta bort bilagor."))
    audit_log(
        AUDIT_ATTACHMENT_REMOVED,
        user=user,
        organisation=application.owner,
        data={
            "application": application.pk,
            "attachment": attachment.pk,
            "filename": attachment.filename,
            "file_type": attachment.file_type,
            "size": attachment.size,
        },
    )
    attachment.delete()
