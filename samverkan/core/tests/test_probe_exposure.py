"""Red-team findings 11c and 11d: /readyz tells anyone only that something is wrong (the detail
goes to the log), and /metrics is not public behind a reverse proxy on the same host."""

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

DRIVER_ERROR = 'connection to server at "db.internal" (10.1.2.3), port 5432 failed: refused'


def _database_down(execute, sql, params, many, context):  # noqa: ANN001
    raise OperationalError(DRIVER_ERROR)


@pytest.mark.django_db
def test_readyz_reports_a_database_failure_without_its_detail(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR), connection.execute_wrapper(_database_down):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    assert "db.internal" not in response.content.decode()
    assert "5432" not in response.content.decode()
    assert DRIVER_ERROR in caplog.text  # for the operator


@pytest.mark.django_db
def test_readyz_reports_a_queue_failure_without_its_detail(caplog, monkeypatch):
    from samverkan.core import ops

    def broken():
        raise RuntimeError("relation core_job on db.internal:5432 is locked")

    monkeypatch.setattr(ops, "queue_figures", broken)
    with caplog.at_level(logging.ERROR):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["queue"] == "error"
    assert "db.internal" not in response.content.decode()
    assert "db.internal" in caplog.text


@pytest.mark.django_db
def test_metrics_through_the_proxy_are_refused_even_from_localhost(client, settings):
    """The proxy on the same host connects from 127.0.0.1; what it forwards is not local."""
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    assert client.get("/metrics").status_code == 200  # a direct scrape on the host
    for header in (
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_FORWARDED": "for=203.0.113.9"},
        {"HTTP_X_REAL_IP": "203.0.113.9"},
    ):
        response = client.get("/metrics", **header)
        assert response.status_code == 403, header
        assert b"samverkan_" not in response.content


@pytest.mark.django_db
def test_metrics_token_works_through_the_proxy(client, settings):
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    settings.METRICS_ALLOWED_IPS = []
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/metrics", **forwarded).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **forwarded).status_code == 403
    response = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus", **forwarded
    )
    assert response.status_code == 200
