"""API keys that expire: ``Authorization: Token <key>`` is refused once the key is older than
``API_TOKEN_DAYS`` days (a new key is made on the profile page)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expires_at(created: datetime.datetime) -> datetime.datetime:
    return created + datetime.timedelta(days=settings.API_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token.created) <= timezone.now():
            raise AuthenticationFailed(_("API-nyckeln har gått ut. Skapa en ny på din profilsida."))
        return user, token
