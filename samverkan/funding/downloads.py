"""File downloads of the funding pages and API (attachments, decision letters)."""

from __future__ import annotations

from django.http import HttpResponse


def file_response(data: bytes | memoryview, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    safe = filename.replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
