"""An agreement's parties (with their role) and principles edited and removed on their own pages
(issue 22, item 6): only the owner's admins and editors, removal after a confirmation page and
only by POST, every change kept in the history and every removal in the audit log."""

import pytest
from django.urls import reverse

from samverkan.actors.models import Agreement, AgreementKind, AgreementParty, AgreementPrinciple
from samverkan.core.models import AuditEntry, Visibility


@pytest.fixture
def agreement(organisation, other_organisation):
    agreement = Agreement.objects.create(
        owner=organisation,
        name="IOP om språkvänner",
        slug="iop-sprakvanner",
        kind=AgreementKind.IOP,
        visibility=Visibility.INTERNAL,
    )
    AgreementParty.objects.create(agreement=agreement, organisation=organisation, role="party")
    AgreementParty.objects.create(agreement=agreement, name="Föreningen Språkvän", role="party")
    for position, name in enumerate(["Dialog", "Kvalitet", "Mångfald"], start=1):
        AgreementPrinciple.objects.create(agreement=agreement, name=name, position=position)
    return agreement


def _party(agreement, name="Föreningen Språkvän"):
    return agreement.parties.get(name=name)


def _url(name, agreement, record):
    return reverse(f"actors:{name}", args=[agreement.slug, record.pk])


def test_owner_changes_a_partys_role_and_actor(agreement, other_organisation, owner_client):
    party = _party(agreement)
    url = _url("agreement_party_edit", agreement, party)
    page = owner_client.get(url)
    assert page.status_code == 200 and "Föreningen Språkvän" in page.content.decode()
    response = owner_client.post(
        url,
        {
            "organisation": other_organisation.pk,
            "name": "ignoreras när organisationen anges",
            "role": "coordinator",
            "note": "Samordnar läxhjälpen",
            "source": "Avtalet § 3",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#parties-heading")
    party.refresh_from_db()
    assert party.organisation == other_organisation and party.name == ""
    assert (party.role, party.note, party.source) == (
        "coordinator",
        "Samordnar läxhjälpen",
        "Avtalet § 3",
    )
    assert [h.history_type for h in party.history.order_by("history_id")] == ["+", "~"]
    assert party.history.latest().history_user.email == "owner@example.se"
    html = owner_client.get(agreement.get_absolute_url()).content.decode()
    assert "Samordnare" in html and url in html


def test_owner_removes_a_party_after_confirming(agreement, owner_client):
    party = _party(agreement)
    url = _url("agreement_party_delete", agreement, party)
    page = owner_client.get(url)
    assert page.status_code == 200
    assert "Föreningen Språkvän" in page.content.decode() and agreement.parties.count() == 2
    assert owner_client.post(url).status_code == 302
    assert list(agreement.parties.values_list("organisation__code", flat=True)) == ["lst-test"]
    entry = AuditEntry.objects.get(action="actors.agreementparty.deleted")
    assert entry.data["name"] == "Föreningen Språkvän" and entry.data["agreement"] == agreement.slug
    assert AgreementParty.history.filter(id=party.pk, history_type="-").exists()


def test_owner_edits_and_removes_a_principle(agreement, editor_client):
    kvalitet = agreement.principles.get(name="Kvalitet")
    url = _url("agreement_principle_edit", agreement, kvalitet)
    response = editor_client.post(
        url, {"name": "  Kvalitet  i  arbetet ", "description": "Uppföljning", "source": "§ 2"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#principles-heading")
    kvalitet.refresh_from_db()
    assert (kvalitet.name, kvalitet.description, kvalitet.source) == (
        "Kvalitet i arbetet",
        "Uppföljning",
        "§ 2",
    )
    dialog = agreement.principles.get(name="Dialog")
    delete = _url("agreement_principle_delete", agreement, dialog)
    assert "Dialog" in editor_client.get(delete).content.decode()
    assert editor_client.post(delete).status_code == 302
    # the rest move up: numbered 1..n in their order
    assert list(agreement.principles.values_list("name", "position")) == [
        ("Kvalitet i arbetet", 1),
        ("Mångfald", 2),
    ]
    assert AuditEntry.objects.get(action="actors.agreementprinciple.deleted").data["name"] == (
        "Dialog"
    )
    assert AgreementPrinciple.history.filter(id=dialog.pk, history_type="-").exists()


def test_bad_input_is_shown_in_the_error_summary(agreement, owner_client):
    party = _party(agreement)
    url = _url("agreement_party_edit", agreement, party)
    # neither an organisation nor a name
    response = owner_client.post(url, {"organisation": "", "name": " ", "role": "party"})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in html
    assert "Ange organisationen eller ett namn." in html
    # an unknown role
    response = owner_client.post(url, {"name": "Föreningen", "role": "kung"})
    assert response.status_code == 200 and 'href="#id_role"' in response.content.decode()
    party.refresh_from_db()
    assert (party.name, party.role) == ("Föreningen Språkvän", "party")
    # a principle the agreement already has, and an empty one
    mangfald = agreement.principles.get(name="Mångfald")
    url = _url("agreement_principle_edit", agreement, mangfald)
    response = owner_client.post(url, {"name": "Dialog"})
    assert "Överenskommelsen har redan den principen." in response.content.decode()
    response = owner_client.post(url, {"name": ""})
    assert response.status_code == 200 and 'href="#id_name"' in response.content.decode()
    mangfald.refresh_from_db()
    assert mangfald.name == "Mångfald"
    # a party or principle of another agreement is not found through this one
    other = Agreement.objects.create(
        owner=agreement.owner, name="Annat avtal", slug="annat-avtal", kind="iop"
    )
    assert owner_client.get(_url("agreement_party_edit", other, party)).status_code == 404
    assert owner_client.post(_url("agreement_principle_delete", other, mangfald)).status_code == 404
    assert agreement.principles.count() == 3 and agreement.parties.count() == 2


@pytest.mark.parametrize("who", ["viewer_client", "outsider_client"])
def test_members_without_write_rights_and_other_organisations_change_nothing(
    agreement, request, who
):
    visitor = request.getfixturevalue(who)
    party, principle = _party(agreement), agreement.principles.get(name="Dialog")
    page = visitor.get(agreement.get_absolute_url()).content.decode()
    assert _url("agreement_party_edit", agreement, party) not in page
    assert _url("agreement_principle_delete", agreement, principle) not in page
    for name, record, data in [
        ("agreement_party_edit", party, {"name": "Inkräktare", "role": "party"}),
        ("agreement_party_delete", party, {}),
        ("agreement_principle_edit", principle, {"name": "Inkräktare"}),
        ("agreement_principle_delete", principle, {}),
    ]:
        url = _url(name, agreement, record)
        assert visitor.get(url).status_code == 403
        assert visitor.post(url, data).status_code == 403
    assert agreement.parties.count() == 2 and agreement.principles.count() == 3
    assert _party(agreement).role == "party"
    assert not AuditEntry.objects.filter(action__startswith="actors.agreement").exists()


def test_a_private_agreements_parts_are_not_found_by_others(agreement, outsider_client, client):
    agreement.visibility = Visibility.PRIVATE
    agreement.save()
    party = _party(agreement)
    for name in ("agreement_party_edit", "agreement_party_delete"):
        assert outsider_client.get(_url(name, agreement, party)).status_code == 404
        assert outsider_client.post(_url(name, agreement, party)).status_code == 404
    # anonymous visitors are sent to sign in
    response = client.post(_url("agreement_party_delete", agreement, party))
    assert response.status_code == 302 and "logga-in" in response["Location"]
    assert agreement.parties.count() == 2
