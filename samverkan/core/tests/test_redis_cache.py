"""The Redis cache (CACHE_URL / REDIS_URL): rate limits are shared by every web process, and an
unreachable cache lets requests through instead of failing them.

Runs against the machine's Redis at 127.0.0.1:6379 (database 13, a key prefix of its own per
run); skipped when no Redis answers there, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 13
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def _redis_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_prefix():
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_HOST}:{REDIS_PORT} is unreachable under CI=true")
        pytest.skip(f"no Redis at {REDIS_HOST}:{REDIS_PORT}")
    prefix = f"samverkan-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


HIT = (
    "import django, json; django.setup(); from samverkan.core.ops import rate_limited; "
    "from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]] + "
    "[rate_limited(scope='login', key='203.0.113.7', limit=5, period=10**7) for _ in range(4)]))"
)


def _hits_in_new_process(prefix: str) -> list:
    import json

    env = {
        **os.environ,
        "DEBUG": "1",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
    }
    env.pop("CACHE_URL", None)
    result = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", HIT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_rate_limits_are_shared_by_processes_through_redis(redis_prefix):
    first = _hits_in_new_process(redis_prefix)
    second = _hits_in_new_process(redis_prefix)
    assert first == ["RedisCache", False, False, False, False]  # hits 1-4 of 5
    assert second == ["RedisCache", False, True, True, True]  # hits 5-8: the 6th is limited
    # Another installation (prefix) on the same Redis counts on its own.
    assert _hits_in_new_process(redis_prefix + "-other")[1:] == [False] * 4


def test_login_is_limited_across_cache_clients(redis_prefix, db, client, settings, monkeypatch):
    """Two cache clients (as two web processes have) see the same count."""
    from samverkan.core import ops

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (3, 3600)}
    options = {"KEY_PREFIX": redis_prefix, "OPTIONS": {"socket_timeout": 2}}
    web1 = RedisCache(REDIS_URL, options)
    web2 = RedisCache(REDIS_URL, options)
    statuses = []
    for number in range(5):
        monkeypatch.setattr(ops, "cache", web1 if number % 2 == 0 else web2)
        statuses.append(
            client.post(
                "/konto/logga-in/", {"username": "x@example.se", "password": "fel"}
            ).status_code
        )
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.faults
def test_an_unreachable_cache_lets_requests_through(db, client, settings, monkeypatch, caplog):
    from samverkan.core import ops

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = RedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    monkeypatch.setattr(ops, "cache", dead)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (1, 3600)}
    for _ in range(3):
        response = client.post("/konto/logga-in/", {"username": "x@example.se", "password": "f"})
        assert response.status_code == 200
    assert "the cache is unavailable" in caplog.text
