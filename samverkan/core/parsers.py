"""The API's request parsers: JSON bodies are bounded like every JSON from outside.

Kept apart from ``core.api``: DRF reads ``DEFAULT_PARSER_CLASSES`` while ``rest_framework.views``
is imported, which ``core.api`` itself imports.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

from samverkan.core.jsonbounds import JsonRefused, json_loads, json_value_budget


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser behind ``core.jsonbounds``: a request body nested deeper than
    ``MAX_DEPTH`` or with more values than its size allows is a 400 naming the reason (``json``
    itself would raise RecursionError, a 500), a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a
    413."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or settings.MAX_UPLOAD_BYTES
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise BodyTooLarge(
                _("Anropets innehåll är större än %(max)d MB.") % {"max": limit // 2**20}
            )
        try:
            return json_loads(
                data,
                source=_("Anropets JSON"),
                max_values=json_value_budget(limit),
                parse_constant=drf_json.strict_constant if self.strict else None,
            )
        except JsonRefused as exc:
            raise exceptions.ParseError(str(exc)) from exc
