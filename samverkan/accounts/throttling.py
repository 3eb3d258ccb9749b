"""Failed sign-ins counted per account, for every path that checks a password.

The per-address limit (``core.ops.rate_limit``) stops one client hammering the sign-in page;
it cannot stop many addresses guessing one account's password. This counts failures per
account in the shared cache: after ``LOGIN_FAILURES_PER_ACCOUNT`` failures within the period,
``ThrottledModelBackend`` refuses the account's sign-in, right password or not, until the period
is over. A successful sign-in clears the count. Because the check lives in the authentication
backend, the admin's sign-in form and any later password form are covered as well.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _account_key(username: str) -> str:
    period = settings.LOGIN_FAILURES_PER_ACCOUNT[1]
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{digest}:{int(time.time() // period)}"


def login_failures(*, username: str) -> int:
    try:
        return int(cache.get(_account_key(username), 0))
    except Exception as exc:  # the cache down must not lock everybody out
        logger.warning("sign-in failures not read, the cache is unavailable: %s", exc)
        return 0


def login_account_throttled(*, username: str) -> bool:
    return login_failures(username=username) >= settings.LOGIN_FAILURES_PER_ACCOUNT[0]


def login_failure_record(*, username: str) -> None:
    key = _account_key(username)
    timeout = settings.LOGIN_FAILURES_PER_ACCOUNT[1] + 1
    try:
        if not cache.add(key, 1, timeout=timeout):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=timeout)
    except Exception as exc:
        logger.warning("sign-in failure not counted, the cache is unavailable: %s", exc)


def login_failures_clear(*, username: str) -> None:
    try:
        cache.delete(_account_key(username))
    except Exception as exc:
        logger.warning("sign-in failures not cleared, the cache is unavailable: %s", exc)


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing accounts with too many recent failed sign-ins."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username and login_account_throttled(username=username):
            if request is not None:
                request.login_throttled = True  # type: ignore[attr-defined]
            logger.warning("sign-in refused: too many failed attempts for one account")
            raise PermissionDenied  # ends authenticate(); user_login_failed is sent
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="accounts.count_login_failure")
def _count_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = credentials.get("username") or credentials.get("email")
    if username:
        login_failure_record(username=str(username))


@receiver(user_logged_in, dispatch_uid="accounts.clear_login_failures")
def _clear_failures(sender: Any, user: Any, **kwargs: Any) -> None:
    login_failures_clear(username=user.get_username())
