"""Attachments of an application, recognised by their content."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.funding import access
from samverkan.funding.models import Application, Attachment
from samverkan.funding.services.applications import withdrawn_message

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
]
ZIP_KINDS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
}
ALLOWED_TYPES = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")


def attachment_type(data: bytes) -> str | None:
    """The file type read from the content itself (magic bytes, and the parts of a zip
    package for DOCX/XLSX/ODT), never from the file name."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").strip()
                    return "odt" if mimetype == b"application/vnd.oasis.opendocument.text" else None
                for part, kind in ZIP_KINDS.items():
                    if part in names:
                        return kind
        except zipfile.BadZipFile:
            return None
    return None


@transaction.atomic
def attachment_add(
    *, application: Application, user: Any, filename: str, data: bytes
) -> Attachment:
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan lägga till bilagor."))
    if application.is_submitted:
        raise ValidationError(_("Ansökan är redan inskickad och kan inte ändras."))
    if application.is_withdrawn:
        raise ValidationError(withdrawn_message())
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(file)s är %(size).1f MB; en bilaga får vara högst %(max)d MB.")
            % {"file": filename, "size": len(data) / 2**20, "max": MAX_ATTACHMENT_BYTES // 2**20}
        )
    if not data:
        raise ValidationError(_("%s är tom.") % filename)
    kind = attachment_type(data)
    if kind is None:
        raise ValidationError(
            _("%(file)s är inte en tillåten filtyp (innehållet är inte %(types)s).")
            % {"file": filename, "types": "PDF, DOCX, XLSX, ODT, PNG eller JPEG"}
        )
    return Attachment.objects.create(
        application=application,
        filename=filename.replace("/", "_").replace("\\", "_")[:200],
        file_type=kind,
        size=len(data),
        content=data,
    )
