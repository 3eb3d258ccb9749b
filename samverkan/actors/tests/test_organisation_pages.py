import pytest

from samverkan.actors.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_list_filters_by_kind_county_and_name(client, organisation, other_organisation):
    body = client.get("/aktorer/?county=12").content.decode()
    assert "Länsstyrelsen Testlän" in body and "Annan förening" not in body
    body = client.get("/aktorer/?q=annan").content.decode()
    assert "Annan förening" in body and "Testlän" not in body
    body = client.get("/aktorer/?kind=county_board").content.decode()
    assert "Testlän" in body and "Annan förening" not in body


def test_anonymous_does_not_see_unpublished_organisation(client):
    OrganisationFactory(name="Hemlig förening", code="hemlig", visibility="internal")
    assert client.get("/aktorer/hemlig/").status_code == 404
    assert "Hemlig förening" not in client.get("/aktorer/").content.decode()


def test_signed_in_user_reads_internal_organisation(outsider_client):
    OrganisationFactory(name="Intern förening", code="intern", visibility="internal")
    assert outsider_client.get("/aktorer/intern/").status_code == 200


def test_private_organisation_is_read_only_by_its_members(
    viewer_client, outsider_client, organisation
):
    organisation.visibility = "private"
    organisation.save()
    assert viewer_client.get("/aktorer/lst-test/").status_code == 200
    assert outsider_client.get("/aktorer/lst-test/").status_code == 404


def test_editor_edits_own_organisation_and_history_records_it(editor_client, editor, organisation):
    response = editor_client.post(
        "/aktorer/lst-test/redigera/",
        {
            "name": "Länsstyrelsen Testlän",
            "kind": "county_board",
            "sector": "public",
            "county": organisation.county_id,
            "description": "Ny beskrivning",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Ny beskrivning"
    last = organisation.history.first()
    assert last.history_user == editor


@pytest.mark.parametrize("who", ["viewer_client", "outsider_client"])
def test_viewer_and_outsider_cannot_edit(request, who, organisation):
    client = request.getfixturevalue(who)
    response = client.post(
        "/aktorer/lst-test/redigera/",
        {"name": "Kapad", "kind": "other", "sector": "public", "visibility": "public"},
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Länsstyrelsen Testlän"


def test_anonymous_edit_redirects_to_login(client, organisation):
    response = client.post("/aktorer/lst-test/redigera/", {"name": "Kapad"})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_registering_an_organisation_makes_the_user_its_admin(outsider_client, outsider):
    response = outsider_client.post(
        "/aktorer/ny/",
        {
            "name": "Nya föreningen",
            "kind": "civil_society",
            "municipality": "",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Nya föreningen")
    assert org.sector == "civil_society" and org.code == "nya-foreningen"
    assert org.user_memberships.get(user=outsider).role == "admin"


def test_municipality_outside_county_is_refused(owner_client, organisation, skane):
    from samverkan.geo.models import Municipality

    response = owner_client.post(
        "/aktorer/lst-test/redigera/",
        {
            "name": "Länsstyrelsen Testlän",
            "kind": "county_board",
            "sector": "public",
            "county": skane.pk,
            "municipality": Municipality.objects.get(code="0114").pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Upplands Väsby ligger inte i Skåne län" in response.content.decode()


def test_duplicate_name_is_refused(owner_client, organisation, other_organisation):
    response = owner_client.post(
        "/aktorer/ny/", {"name": "annan FÖRENING", "kind": "civil_society", "visibility": "public"}
    )
    assert response.status_code == 200
    assert "Det finns redan en organisation med det namnet" in response.content.decode()
    assert Organisation.objects.filter(name__iexact="annan förening").count() == 1


def test_delete_is_recoverable_from_history(owner_client, owner, organisation):
    pk = organisation.pk
    assert owner_client.post("/aktorer/lst-test/ta-bort/").status_code == 302
    assert not Organisation.objects.filter(pk=pk).exists()
    trash = owner_client.get("/papperskorg/").content.decode()
    assert "Länsstyrelsen Testlän" in trash
    deletion = Organisation.history.filter(id=pk, history_type="-").get()
    response = owner_client.post(
        f"/historik/actors.organisation/{pk}/{deletion.history_id}/aterstall/"
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=pk).name == "Länsstyrelsen Testlän"


def test_forged_csrf_token_is_refused(owner, organisation):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        "/aktorer/lst-test/redigera/",
        {
            "name": "Kapad",
            "kind": "other",
            "sector": "public",
            "visibility": "public",
            "csrfmiddlewaretoken": "forged",
        },
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Länsstyrelsen Testlän"


def test_admin_invites_and_outsider_cannot_invite_members(
    owner_client, outsider_client, organisation
):
    response = owner_client.post(
        "/aktorer/lst-test/medlemmar/", {"email": "ny@example.se", "role": "editor"}
    )
    assert response.status_code == 302
    assert organisation.invitations.filter(user__email="ny@example.se", role="editor").exists()
    assert not organisation.user_memberships.filter(user__email="ny@example.se").exists()
    response = outsider_client.post(
        "/aktorer/lst-test/medlemmar/", {"email": "x@example.se", "role": "admin"}
    )
    assert response.status_code == 403
    assert not organisation.invitations.filter(user__email="x@example.se").exists()
    assert not organisation.user_memberships.filter(user__email="x@example.se").exists()


def test_last_admin_cannot_be_removed(owner_client, owner, organisation):
    membership = organisation.user_memberships.get(user=owner)
    owner_client.post(f"/aktorer/lst-test/medlemmar/{membership.pk}/", {"action": "remove"})
    assert organisation.user_memberships.filter(user=owner, role="admin").exists()


def test_deleting_a_steward_keeps_the_organisations_it_mapped(owner_client, organisation):
    from samverkan.geo.models import Municipality

    child = OrganisationFactory(name="Kartlagd", code="kartlagd", steward=organisation)
    assert owner_client.post("/aktorer/lst-test/ta-bort/").status_code == 302
    child.refresh_from_db()
    assert child.steward is None
    assert Municipality.objects.count() == 290
