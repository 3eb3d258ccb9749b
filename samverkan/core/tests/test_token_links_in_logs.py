"""Red-team finding 11b: the secret in survey, consultation and password-reset links is not
written to the logs: neither gunicorn's access log nor Django's own log lines."""

import datetime
import io
import logging
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samverkan.core.logs import TokenMaskingFilter, mask_tokens

SECRET = "HemligNyckel123"


def _routes(patterns, ns=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(
                pattern.url_patterns, ns + (f"{pattern.namespace}:" if pattern.namespace else "")
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ns + pattern.name, pattern


def test_every_route_with_a_token_is_masked():
    """A new route with a ``token`` in its path must be added to ``core.logs``."""
    checked = []
    for name, pattern in _routes(get_resolver().url_patterns):
        params = set(pattern.pattern.regex.groupindex)
        if "token" not in params:
            continue
        kwargs = {p: "json" if p == "format" else SECRET for p in params}
        url = reverse(name, kwargs=kwargs)
        assert SECRET not in mask_tokens(f"GET {url}?page=2 HTTP/1.1"), name
        checked.append(name)
    assert {"surveys:answer", "plans:consultation_respond", "api:remissvar-detail"} <= set(checked)
    assert "accounts:password_reset_confirm" in checked


def test_masking_keeps_the_rest_of_the_line():
    line = f'10.0.0.1 "GET /enkater/svara/{SECRET}/villkor/?q=1 HTTP/1.1" 200'
    assert mask_tokens(line) == '10.0.0.1 "GET /enkater/svara/[dolt]/villkor/?q=1 HTTP/1.1" 200'
    assert mask_tokens("/konto/losenord/aterstall/skickat/") == "/konto/losenord/aterstall/skickat/"
    assert mask_tokens("/enkater/utskick/12/") == "/enkater/utskick/12/"


def test_gunicorn_access_log_masks_request_line_path_and_referrer():
    from gunicorn.config import Config

    from samverkan import gunicorn_conf

    assert gunicorn_conf.logger_class is gunicorn_conf.TokenMaskingLogger
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", gunicorn_conf.access_log_format + ' "%(f)s" %(U)s')
    log = gunicorn_conf.TokenMaskingLogger(cfg)
    stream = io.StringIO()
    log.access_log.handlers = [logging.StreamHandler(stream)]
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/strategier/remiss/{SECRET}/",
        "PATH_INFO": f"/strategier/remiss/{SECRET}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://samverkan.example.se/enkater/svara/{SECRET}/",
    }
    resp = SimpleNamespace(status="302 Found", sent=0, headers=[("X-Request-ID", "abc12345")])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    log.access(resp, req, environ, datetime.timedelta(milliseconds=12))
    line = stream.getvalue()
    assert "POST /strategier/remiss/[dolt]/ HTTP/1.1" in line
    assert SECRET not in line
    assert "id=abc12345" in line


@pytest.mark.django_db
def test_django_log_lines_of_token_links_are_masked(client):
    """A link with an unknown token is answered 404, which Django logs as a warning with the
    path; the console handler configured by the settings masks it."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, TokenMaskingFilter) for f in h.filters)
    ]
    assert handlers, "the console handler has the token-masking filter"
    handler = handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get(reverse("surveys:answer", args=[SECRET])).status_code == 404
        assert client.get(f"/api/consultation-responses/{SECRET}/").status_code == 404
    finally:
        handler.setStream(previous)
    output = stream.getvalue()
    assert "Not Found: /enkater/svara/[dolt]/" in output
    assert SECRET not in output
