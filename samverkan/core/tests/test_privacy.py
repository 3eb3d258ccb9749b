"""`samverkan person export|erase EMAIL`: one person's data out, and their identity gone."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from samverkan.accounts.models import Membership, User
from samverkan.actors.models import Organisation
from samverkan.core.models import AuditEntry
from samverkan.core.privacy import person_pseudonym
from samverkan.surveys.models import Recipient
from samverkan.surveys.tests.conftest import (  # noqa: F401 (fixtures)
    campaign,
    questionnaire,
    recipient,
    respondents,
)


@pytest.fixture
def person_data(organisation, owner, recipient):  # noqa: F811
    owner.first_name, owner.last_name = "Anna", "Andersson"
    owner.save()
    Token.objects.create(user=owner)
    organisation.description = "Ändrad av Anna"
    organisation._history_user = owner
    organisation.save()
    Recipient.objects.filter(pk=recipient.pk).update(email=owner.email.upper())
    recipient.refresh_from_db()
    recipient.save()  # a history row with the address
    AuditEntry.objects.create(
        action="import", user=owner, data={"note": f"skickat till {owner.email}"}
    )
    return owner


@pytest.mark.django_db
def test_export_lists_everything_held(person_data, client):
    out = io.StringIO()
    call_command("person", "export", person_data.email, stdout=out)
    data = json.loads(out.getvalue())
    assert data["person"]["email"] == "owner@example.se"
    assert data["person"]["first_name"] == "Anna"
    assert "accounts.membership" in data["records"]
    assert "surveys.recipient" in data["records"]
    assert "surveys.historicalrecipient" in data["records"]
    assert any(r["model"] == "actors.historicalorganisation" for r in data["references"])
    assert data["audit"][0]["action"] == "import"


@pytest.mark.django_db
def test_erase_pseudonymises_and_keeps_the_trail(person_data, organisation):
    user_id = person_data.pk
    history_by_person = Organisation.history.filter(history_user_id=user_id).count()
    assert history_by_person >= 1
    call_command("person", "erase", "Owner@Example.se", "--yes", stdout=io.StringIO())

    pseudonym = person_pseudonym("owner@example.se")
    user = User.objects.get(pk=user_id)
    assert user.email == f"{pseudonym}@raderad.invalid"
    assert (user.first_name, user.last_name, user.is_active) == ("", "", False)
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user_id=user_id).exists()
    assert not Token.objects.filter(user_id=user_id).exists()
    # no copy of the address or name is left, history included
    assert not Recipient.objects.filter(email__iexact="owner@example.se").exists()
    assert not Recipient.history.filter(email__iexact="owner@example.se").exists()
    assert not any(
        "owner@example.se" in json.dumps(e.data).lower() for e in AuditEntry.objects.all()
    )
    # what the person did stays attributed to the pseudonymous account
    assert Organisation.history.filter(history_user_id=user_id).count() == history_by_person
    assert AuditEntry.objects.filter(action="import", user_id=user_id).exists()
    erased = AuditEntry.objects.get(action="person.erase")
    assert erased.data["pseudonym"] == pseudonym
    assert "owner@example.se" not in json.dumps(erased.data)
    # the old address can no longer be found
    with pytest.raises(CommandError, match="Ingen användare"):
        call_command("person", "export", "owner@example.se", stdout=io.StringIO())


@pytest.mark.django_db
def test_unknown_person(db):
    with pytest.raises(CommandError, match="Ingen användare"):
        call_command("person", "erase", "nobody@example.se", "--yes")
