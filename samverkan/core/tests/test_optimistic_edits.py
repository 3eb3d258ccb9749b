"""Lost updates (red-team finding): a stale edit page wiped a concurrent API change, and two
PATCHes to different fields lost one. Every editable record now carries a version: an edit
started from an older version is refused (409 in the API; in the UI a page that shows both
versions and lets the editor save deliberately), and an edit changes only the fields it sends."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.actors import services as actor_services
from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.versioning import EditConflict
from samverkan.plans import services as plan_services
from samverkan.projects import services as project_services
from samverkan.projects.models import Project
from tests.factories import NetworkFactory, OrganisationFactory
from tests.pages import form_data_as_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organisation, owner):
    return project_services.project_create(
        user=owner,
        owner=organisation,
        title="Språkcafé",
        summary="Mötesplats",
        description="Samtal på svenska varje vecka.",
        budget=100_000,
    )


def test_a_stale_edit_page_no_longer_wipes_a_concurrent_api_change(owner_client, project):
    page = owner_client.get(reverse("projects:edit", args=[project.pk]))
    data = form_data_as_sent(page)
    assert data["version"] == "1"

    api = owner_client.patch(
        f"/api/projects/{project.pk}/",
        {"description": "Ny beskrivning från API:t", "budget": 250_000},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["version"] == 2

    data["title"] = "Språkcafé i Malmö"
    conflict = owner_client.post(reverse("projects:edit", args=[project.pk]), data)
    assert conflict.status_code == 409
    text = conflict.content.decode()
    assert "har ändrats sedan du öppnade den" in text
    assert "Ny beskrivning från API:t" in text  # the saved version beside the editor's
    project.refresh_from_db()
    assert (project.title, project.description, project.budget) == (
        "Språkcafé",
        "Ny beskrivning från API:t",
        250_000,
    )

    # Saving deliberately from the conflict page (it carries the current version) goes through.
    again = form_data_as_sent(conflict)
    assert again["version"] == "2"
    saved = owner_client.post(reverse("projects:edit", args=[project.pk]), again)
    assert saved.status_code == 302
    project.refresh_from_db()
    assert project.title == "Språkcafé i Malmö" and project.version == 3


def test_patches_to_different_fields_from_stale_copies_both_survive(owner, project):
    first = Project.objects.get(pk=project.pk)
    second = Project.objects.get(pk=project.pk)  # both loaded before either saves
    project_services.project_update(project=first, user=owner, summary="Ny sammanfattning")
    project_services.project_update(project=second, user=owner, budget=5)
    project.refresh_from_db()
    assert (project.summary, project.budget, project.version) == ("Ny sammanfattning", 5, 3)


def test_the_api_refuses_a_stale_version_with_409_and_saves_nothing(owner_client, project):
    url = f"/api/projects/{project.pk}/"
    version = owner_client.get(url).json()["version"]
    assert (
        owner_client.patch(url, {"summary": "A", "version": version}, "application/json").json()[
            "version"
        ]
        == version + 1
    )
    stale = owner_client.patch(url, {"budget": 1, "version": version}, "application/json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict" and body["errors"]["current_version"] == version + 1
    project.refresh_from_db()
    assert (project.summary, project.budget) == ("A", 100_000)


def test_a_record_restored_from_history_still_moves_its_version_forward(owner, project):
    project_services.project_update(project=project, user=owner, summary="Andra")
    oldest = project.history.order_by("history_id").first().instance  # version 1
    oldest.save()
    project.refresh_from_db()
    assert project.version == 3 and project.summary == "Mötesplats"


def _organisation_edit(organisation, owner):
    url = reverse("actors:organisation_edit", args=[organisation.code])

    def change_elsewhere():
        actor_services.organisation_update(
            organisation=Organisation.objects.get(pk=organisation.pk),
            user=tenancy.SYSTEM,
            description="Ändrad av någon annan",
        )

    return url, "website", "https://example.se/ny", change_elsewhere, organisation, "description"


def _network_edit(organisation, owner):
    network = NetworkFactory(owner=organisation, name="Integrationsnätverket")
    url = reverse("actors:network_edit", args=[network.slug])

    def change_elsewhere():
        actor_services.network_update(
            network=type(network).objects.get(pk=network.pk),
            user=tenancy.SYSTEM,
            purpose="Ändrad av någon annan",
        )

    return url, "name", "Integrationsnätverket Skåne", change_elsewhere, network, "purpose"


def _strategy_edit(organisation, owner):
    strategy = plan_services.strategy_create(
        user=owner, owner=organisation, title="Integrationsstrategi"
    )
    url = reverse("plans:strategy_edit", args=[strategy.pk])

    def change_elsewhere():
        plan_services.strategy_update(
            strategy=type(strategy).objects.get(pk=strategy.pk),
            user=tenancy.SYSTEM,
            summary="Ändrad av någon annan",
        )

    return url, "title", "Strategi för integration", change_elsewhere, strategy, "summary"


@pytest.mark.parametrize("setup", [_organisation_edit, _network_edit, _strategy_edit])
def test_each_edit_page_shows_a_conflict_instead_of_overwriting(owner_client, owner, setup):
    organisation = OrganisationFactory(kind="civil_society", name="Förvaltad förening")
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=organisation, user=owner, role="admin")
    url, field, value, change_elsewhere, record, other = setup(organisation, owner)
    data = form_data_as_sent(owner_client.get(url))
    change_elsewhere()
    data[field] = value
    response = owner_client.post(url, data)
    assert response.status_code == 409, response.content[:400]
    record.refresh_from_db()
    assert getattr(record, field) != value
    assert getattr(record, other) == "Ändrad av någon annan"
    resent = form_data_as_sent(response)
    assert resent[other] == "Ändrad av någon annan"  # the form again, with the saved change
    saved = owner_client.post(url, resent)
    assert saved.status_code == 302, (resent, saved.context["form"].errors)
    record.refresh_from_db()
    assert getattr(record, field) == value and getattr(record, other) == "Ändrad av någon annan"


def test_the_refusal_names_who_changed_the_record(owner, editor_client, project):
    editor_client.patch(
        f"/api/projects/{project.pk}/", {"summary": "Redaktörens"}, "application/json"
    )
    with pytest.raises(EditConflict) as conflict:
        project_services.project_update(
            project=project, user=owner, expected_version=1, summary="Ägarens"
        )
    assert "editor@example.se" in conflict.value.messages[0]


def test_a_version_sent_when_creating_is_ignored(outsider_client):
    """Found by schemathesis: the create endpoints share the edit's input, version included."""
    response = outsider_client.post(
        "/api/organisations/",
        {"name": "Ny förening", "kind": "civil_society", "version": 7},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
