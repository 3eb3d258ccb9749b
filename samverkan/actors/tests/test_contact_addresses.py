"""Contact addresses for surveys and consultations: kept by those who write the organisation
(its admins and editors, its verified steward's), read by its and its steward's members only,
on the organisation page and through the API."""

import pytest

from samverkan.actors.models import ContactAddress
from tests.factories import OrganisationFactory

PAGE_DATA = {
    "email": "Registrator@Example.se",
    "name": "Registraturen",
    "role": "registrator",
    "for_surveys": "on",
    "for_consultations": "on",
}
API_DATA = {"email": "registrator@example.se", "role": "registrator", "for_consultations": False}


@pytest.fixture
def stewarded(organisation):
    """An association the (verified) fixture organisation registered and keeps."""
    return OrganisationFactory(name="Föreningen Kvarnen", code="kvarnen", steward=organisation)


@pytest.fixture
def contact(organisation):
    return ContactAddress.objects.create(organisation=organisation, email="lst@example.se")


def test_admin_adds_an_address_on_the_organisation_page(owner_client, organisation):
    response = owner_client.post(f"/aktorer/{organisation.code}/kontaktadresser/", PAGE_DATA)
    assert response.status_code == 302
    contact = ContactAddress.objects.get(organisation=organisation)
    assert (contact.email, contact.role, contact.for_surveys, contact.for_consultations) == (
        "registrator@example.se",
        "registrator",
        True,
        True,
    )
    assert contact.history.count() == 1
    page = owner_client.get(f"/aktorer/{organisation.code}/").content.decode()
    assert "registrator@example.se" in page
    assert "Lägg till kontaktadress" in page


def test_the_stewards_editor_adds_an_address(editor_client, stewarded):
    response = editor_client.post(f"/aktorer/{stewarded.code}/kontaktadresser/", PAGE_DATA)
    assert response.status_code == 302
    assert ContactAddress.objects.filter(organisation=stewarded).count() == 1
    api = editor_client.post(
        f"/api/organisations/{stewarded.code}/contacts/", API_DATA, content_type="application/json"
    )
    assert api.status_code == 400  # the same address twice
    assert ContactAddress.objects.filter(organisation=stewarded).count() == 1


def test_viewer_and_outsider_may_not_add_on_the_page(
    viewer_client, outsider_client, organisation, stewarded
):
    url = f"/aktorer/{organisation.code}/kontaktadresser/"
    assert viewer_client.post(url, PAGE_DATA).status_code == 403
    assert outsider_client.post(url, PAGE_DATA).status_code == 403
    assert (
        outsider_client.post(f"/aktorer/{stewarded.code}/kontaktadresser/", PAGE_DATA).status_code
        == 403
    )
    assert not ContactAddress.objects.exists()


def test_viewer_reads_but_outsider_does_not_see_the_addresses(
    viewer_client, outsider_client, organisation, contact
):
    viewer_page = viewer_client.get(f"/aktorer/{organisation.code}/").content.decode()
    assert "lst@example.se" in viewer_page
    assert "Lägg till kontaktadress" not in viewer_page
    outsider_page = outsider_client.get(f"/aktorer/{organisation.code}/").content.decode()
    assert "lst@example.se" not in outsider_page


def test_delete_on_the_page_needs_write_access(
    owner_client, viewer_client, outsider_client, organisation, contact
):
    url = f"/aktorer/{organisation.code}/kontaktadresser/{contact.pk}/ta-bort/"
    assert outsider_client.post(url).status_code == 404
    assert viewer_client.post(url).status_code == 403
    assert ContactAddress.objects.filter(pk=contact.pk).exists()
    assert owner_client.post(url).status_code == 302
    assert not ContactAddress.objects.filter(pk=contact.pk).exists()
    assert contact.history.count() == 2  # kept in the history (and the recycle bin)


def test_api_admin_and_stewards_editor_add_viewer_and_outsider_refused(
    owner_client, editor_client, viewer_client, outsider_client, organisation, stewarded
):
    url = f"/api/organisations/{organisation.code}/contacts/"
    added = owner_client.post(url, API_DATA, content_type="application/json")
    assert added.status_code == 201
    assert added.json()["email"] == "registrator@example.se"
    assert added.json()["for_consultations"] is False
    stewarded_url = f"/api/organisations/{stewarded.code}/contacts/"
    assert (
        editor_client.post(stewarded_url, API_DATA, content_type="application/json").status_code
        == 201
    )
    other = {**API_DATA, "email": "annan@example.se"}
    assert viewer_client.post(url, other, content_type="application/json").status_code == 403
    assert outsider_client.post(url, other, content_type="application/json").status_code == 403
    assert (
        outsider_client.post(stewarded_url, other, content_type="application/json").status_code
        == 403
    )
    assert ContactAddress.objects.count() == 2


def test_api_nested_field_and_list_only_for_members(
    owner_client, viewer_client, outsider_client, client, organisation, contact
):
    detail = f"/api/organisations/{organisation.code}/"
    owner_view = owner_client.get(detail).json()["contact_addresses"]
    assert [c["email"] for c in owner_view] == ["lst@example.se"]
    assert [c["email"] for c in viewer_client.get(detail).json()["contact_addresses"]] == [
        "lst@example.se"
    ]
    assert outsider_client.get(detail).json()["contact_addresses"] == []
    assert client.get(detail).json()["contact_addresses"] == []
    assert outsider_client.get(f"{detail}contacts/").json() == []


def test_api_delete_needs_write_access(
    owner_client, viewer_client, outsider_client, organisation, contact
):
    url = f"/api/organisations/{organisation.code}/contacts/{contact.pk}/"
    assert outsider_client.delete(url).status_code == 404
    assert viewer_client.delete(url).status_code == 403
    assert owner_client.delete(url).status_code == 204
    assert not ContactAddress.objects.exists()


def test_an_address_serves_surveys_consultations_or_both(owner_client, organisation):
    data = {**API_DATA, "for_surveys": False, "for_consultations": False}
    response = owner_client.post(
        f"/api/organisations/{organisation.code}/contacts/", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert not ContactAddress.objects.exists()
