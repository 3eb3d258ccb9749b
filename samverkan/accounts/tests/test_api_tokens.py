"""Red-team finding 11a: the API key is shown once on the response page (not through the
messages cookie), expires after API_TOKEN_DAYS and is revoked by a new password."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _api_as(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _authenticated(key) -> int:
    """The status of a request that needs a signed-in user."""
    return _api_as(key).post("/api/organisations/", {}, format="json").status_code


def test_the_new_key_is_on_the_page_and_not_in_the_messages_cookie(owner_client, owner):
    response = owner_client.post(reverse("accounts:token_regenerate"))
    assert response.status_code == 200
    key = Token.objects.get(user=owner).key
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert key not in str(response.cookies.get("messages", ""))
    assert key not in str(owner_client.cookies.get("messages", ""))
    profile = owner_client.get(reverse("accounts:profile")).content.decode()
    assert key not in profile  # shown once only


def test_the_profile_shows_when_the_key_expires(owner_client, owner, settings):
    settings.API_TOKEN_DAYS = 90
    token = Token.objects.create(user=owner)
    page = owner_client.get(reverse("accounts:profile")).content.decode()
    expires = (token.created + datetime.timedelta(days=90)).astimezone(
        timezone.get_current_timezone()
    )
    assert f"gäller till {expires:%Y-%m-%d}" in page
    assert "En ny nyckel gäller i 90 dagar." in page


def test_an_expired_key_is_refused(owner, settings):
    settings.API_TOKEN_DAYS = 90
    token = Token.objects.create(user=owner)
    assert _authenticated(token.key) == 400  # signed in: the empty body is invalid
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=91))
    response = _api_as(token.key).post("/api/organisations/", {}, format="json")
    assert response.status_code == 401
    assert "API-nyckeln har gått ut" in response.json()["message"]


def test_a_password_reset_revokes_the_keys(client, owner):
    token = Token.objects.create(user=owner)
    client.post("/konto/losenord/aterstall/", {"email": "owner@example.se"})
    link = re.search(
        r"http://testserver(/konto/losenord/aterstall/\S+/)", mail.outbox[0].body
    ).group(1)
    form_url = client.get(link).url
    client.post(
        form_url,
        {"new_password1": "ett-nytt-langt-losen-42", "new_password2": "ett-nytt-langt-losen-42"},
    )
    assert not Token.objects.filter(user=owner).exists()
    assert _authenticated(token.key) == 401


def test_a_password_change_revokes_the_keys_and_other_saves_do_not(owner):
    Token.objects.create(user=owner)
    owner.first_name = "Ägare"
    owner.save()
    assert Token.objects.filter(user=owner).exists()
    owner.set_password("ett-annat-langt-losen-43")
    owner.save()
    assert not Token.objects.filter(user=owner).exists()
