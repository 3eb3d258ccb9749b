import pytest

from samverkan.actors.services import organisation_update

pytestmark = pytest.mark.django_db


def test_history_page_lists_changes_and_restores_an_earlier_version(
    owner_client, owner, organisation
):
    organisation_update(organisation=organisation, user=owner, description="Första")
    organisation_update(organisation=organisation, user=owner, description="Andra")
    page = owner_client.get(f"/historik/actors.organisation/{organisation.pk}/").content.decode()
    assert "Första → Andra" in page and owner.email in page
    first = organisation.history.get(description="Första")
    response = owner_client.post(
        f"/historik/actors.organisation/{organisation.pk}/{first.history_id}/aterstall/"
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Första"
    assert organisation.history.count() == 4  # created, two edits, the restore


def test_outsider_cannot_restore_and_cannot_read_private_history(
    outsider_client, owner, organisation
):
    organisation_update(organisation=organisation, user=owner, description="Ändrad")
    version = organisation.history.last()
    response = outsider_client.post(
        f"/historik/actors.organisation/{organisation.pk}/{version.history_id}/aterstall/"
    )
    assert response.status_code == 404  # may not read the version (finding 7)
    organisation.refresh_from_db()
    assert organisation.description == "Ändrad"
    organisation_update(organisation=organisation, user=owner, visibility="private")
    assert (
        outsider_client.get(f"/historik/actors.organisation/{organisation.pk}/").status_code == 404
    )


def test_history_of_unknown_model_is_404(owner_client):
    assert owner_client.get("/historik/auth.permission/1/").status_code == 404
    assert owner_client.get("/historik/nonsense/1/").status_code == 404
