"""Log records with the request id, as text or one JSON object per line (``LOG_FORMAT=json``).

Imported by the settings, so it imports nothing from Django beyond exceptions.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# URLs whose path carries a secret: the personal links to answer a survey or a consultation
# (web and API) and the password-reset link. Anyone holding such a link may act with it, so it is
# never written to a log (the access log, Django's "Not Found: …" warnings, error messages).
_SEGMENT = r"[^/?#\s\"']+"
_TOKEN_PATHS = re.compile(
    r"(/(?:enkater/svara|strategier/remiss|api/consultation-responses)/)"
    + _SEGMENT
    + r"|(/konto/losenord/aterstall/)(?!skickat/|klart/)"
    + _SEGMENT
    + "/"
    + _SEGMENT
)
MASK = "[dolt]"


def mask_tokens(text: str) -> str:
    """``text`` with the secret segments of token links replaced by ``[dolt]``."""
    if "/" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1) + MASK
        return match.group(2) + MASK + "/" + MASK

    return _TOKEN_PATHS.sub(replace, text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class TokenMaskingFilter(logging.Filter):
    """Mask token links in every log record's message (see ``mask_tokens``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            body["status"] = status
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False, default=str)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    if log_format not in {"text", "json"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json'; got {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "samverkan.core.logs.RequestIdFilter"},
            "mask_tokens": {"()": "samverkan.core.logs.TokenMaskingFilter"},
        },
        "formatters": {
            "json": {"()": "samverkan.core.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id", "mask_tokens"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
