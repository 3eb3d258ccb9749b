"""Password guessing is limited per client address (as the trusted proxy saw it) and per
account, on every sign-in path: the site's own form and the admin's."""

import datetime

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def _stopped_clock():
    """Limits count in fixed windows: a stopped clock keeps each test inside one window."""
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def superuser():
    user = UserFactory(email="root@example.se", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def one_proxy(settings):
    """Deployed as docs/deploy.md says: one reverse proxy, connecting from 127.0.0.1."""
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (10, 60)}
    settings.LOGIN_FAILURES_PER_ACCOUNT = (1000, 900)  # only the address limit in play


def _through_proxy(client_address: str, forged: str = "") -> dict[str, str]:
    """Headers as the proxy forwards them: whatever the client sent, then the client's address."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"HTTP_X_FORWARDED_FOR": chain, "REMOTE_ADDR": "127.0.0.1"}


def test_rotating_a_forged_forwarded_for_entry_does_not_escape_the_limit(client, owner, one_proxy):
    statuses = [
        client.post(
            "/konto/logga-in/",
            {"username": "owner@example.se", "password": f"guess-{n}"},
            **_through_proxy("203.0.113.7", forged=f"10.0.0.{n}"),
        ).status_code
        for n in range(30)
    ]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}


def test_another_client_behind_the_same_proxy_is_not_limited(client, owner, one_proxy):
    for n in range(11):
        client.post(
            "/konto/logga-in/",
            {"username": "owner@example.se", "password": f"guess-{n}"},
            **_through_proxy("203.0.113.7"),
        )
    response = client.post(
        "/konto/logga-in/",
        {"username": "owner@example.se", "password": PASSWORD},
        **_through_proxy("198.51.100.4"),
    )
    assert response.status_code == 302


def test_a_forwarded_for_header_shorter_than_the_proxy_chain_counts_the_connection(
    client, owner, settings
):
    settings.RATELIMIT_TRUSTED_PROXIES = 2
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 60)}
    statuses = [
        client.post(
            "/konto/logga-in/",
            {"username": "x@example.se", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            REMOTE_ADDR="127.0.0.1",
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429


def test_the_admin_sign_in_is_limited_per_address(superuser, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (10, 60)}
    settings.LOGIN_FAILURES_PER_ACCOUNT = (1000, 900)
    client = Client()
    for n in range(10):
        client.post("/admin/login/", {"username": "root@example.se", "password": f"guess-{n}"})
    response = client.post("/admin/login/", {"username": "root@example.se", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_guessing_one_account_from_many_addresses_locks_that_account_only(owner, editor, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (1000, 60)}
    settings.LOGIN_FAILURES_PER_ACCOUNT = (5, 900)
    client = Client()
    for n in range(5):
        client.post(
            "/konto/logga-in/",
            {"username": "OWNER@example.se", "password": f"guess-{n}"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
    refused = client.post(
        "/konto/logga-in/",
        {"username": "owner@example.se", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )
    assert refused.status_code == 200
    assert "För många misslyckade inloggningar" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # The admin's form checks the same backend.
    admin = Client()
    admin.post("/admin/login/", {"username": "owner@example.se", "password": PASSWORD})
    assert "_auth_user_id" not in admin.session
    # Another account is unaffected.
    other = client.post("/konto/logga-in/", {"username": "editor@example.se", "password": PASSWORD})
    assert other.status_code == 302


def test_a_successful_sign_in_clears_the_failures(owner, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = (3, 900)
    client = Client()
    for n in range(2):
        client.post("/konto/logga-in/", {"username": "owner@example.se", "password": f"g{n}"})
    assert (
        client.post(
            "/konto/logga-in/", {"username": "owner@example.se", "password": PASSWORD}
        ).status_code
        == 302
    )
    client.post("/konto/logga-ut/")
    for n in range(2):
        client.post("/konto/logga-in/", {"username": "owner@example.se", "password": f"h{n}"})
    assert (
        client.post(
            "/konto/logga-in/", {"username": "owner@example.se", "password": PASSWORD}
        ).status_code
        == 302
    )
