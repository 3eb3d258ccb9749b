import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_login_with_email_and_logout(client, owner):
    response = client.post(
        "/konto/logga-in/", {"username": "owner@example.se", "password": "test-password-123"}
    )
    assert response.status_code == 302
    assert client.get("/konto/profil/").status_code == 200
    client.post("/konto/logga-ut/")
    assert client.get("/konto/profil/").status_code == 302


def test_wrong_password_is_refused(client, owner):
    response = client.post(
        "/konto/logga-in/", {"username": "owner@example.se", "password": "wrong"}
    )
    assert response.status_code == 200
    assert client.get("/konto/profil/").status_code == 302


def test_password_reset_by_email(client, owner):
    client.post("/konto/losenord/aterstall/", {"email": "owner@example.se"})
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/konto/losenord/aterstall/\S+/)", mail.outbox[0].body
    ).group(1)
    form_url = client.get(link).url
    response = client.post(
        form_url,
        {"new_password1": "ett-nytt-langt-losen-42", "new_password2": "ett-nytt-langt-losen-42"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("ett-nytt-langt-losen-42")


def test_api_token_can_be_created(owner_client, owner):
    owner_client.post("/konto/profil/api-nyckel/")
    from rest_framework.authtoken.models import Token

    assert Token.objects.filter(user=owner).count() == 1
