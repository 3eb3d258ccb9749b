import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from samverkan.env import env_bool, parse_email_url


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG", False)


def test_email_url_parsing():
    config = parse_email_url("smtp://user:p%40ss@mail.example.se:587?tls=1&from=noreply@example.se")
    assert config["EMAIL_HOST"] == "mail.example.se" and config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss" and config["EMAIL_USE_TLS"] is True
    assert config["DEFAULT_FROM_EMAIL"] == "noreply@example.se"
    with pytest.raises(ImproperlyConfigured):
        parse_email_url("carrier-pigeon://x")


def _django_check(env):
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'ERROR')"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "samverkan.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret():
    result = _django_check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_passes_with_production_settings():
    result = _django_check(
        {
            "DEBUG": "0",
            "SECRET_KEY": "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "samverkan.example.se",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "security." not in result.stderr + result.stdout
