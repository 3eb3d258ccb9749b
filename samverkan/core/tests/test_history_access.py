"""Red-team finding 7: a record's history (each version's contents and who wrote it) is read by
the owner organisation's members and superusers; others who read the record see when it changed
and which organisation owned it. The restore endpoint answers 404 to those who may not read the
version, and the recycle bin lists only what the visitor may restore."""

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.projects.models import Project
from samverkan.projects.services import project_create, project_delete, project_update

pytestmark = pytest.mark.django_db


def _history_url(project):
    return reverse("core:history", args=["projects.project", project.pk])


def _restore_url(project, version):
    return reverse("core:restore", args=["projects.project", project.pk, version.history_id])


@pytest.fixture
def made_public(organisation, editor):
    """A project first saved private, with a text meant for the organisation only, then
    rewritten and published; the editor wrote every version."""
    project = project_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Mottagande i Testlän",
        summary="Hemlig budgetdiskussion med kommunerna",
        visibility="private",
    )
    project_update(
        project=project,
        user=tenancy.SYSTEM,
        summary="Ett projekt om mottagande",
        visibility="public",
    )
    project.history.update(history_user=editor)
    return project


@pytest.mark.parametrize("who", ["client", "outsider_client"])
def test_history_of_a_public_project_hides_authors_and_private_versions(request, who, made_public):
    response = request.getfixturevalue(who).get(_history_url(made_public))
    assert response.status_code == 200
    page = response.content.decode()
    assert "editor@example.se" not in page
    assert "Hemlig budgetdiskussion" not in page
    assert "Ett projekt om mottagande" not in page  # no version contents at all
    assert "Länsstyrelsen Testlän" in page  # the owner organisation, with the dates
    # The page shows the Stockholm day (just after midnight it is not UTC's).
    written = timezone.localtime(made_public.history.first().history_date)
    assert written.strftime("%Y-%m-%d") in page
    assert "aterstall" not in page


def test_members_read_the_whole_history(viewer_client, made_public):
    page = viewer_client.get(_history_url(made_public)).content.decode()
    assert "editor@example.se" in page
    assert "Hemlig budgetdiskussion med kommunerna → Ett projekt om mottagande" in page
    assert "aterstall" not in page  # a viewer restores nothing


def test_superuser_reads_the_whole_history(made_public, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    page = client.get(_history_url(made_public)).content.decode()
    assert "editor@example.se" in page and "Hemlig budgetdiskussion" in page


def test_a_version_the_visitor_may_not_read_is_not_diffed_against(
    organisation, other_organisation, outsider, outsider_client
):
    """A project handed over to another organisation: its new owner's members read the
    versions since, not what the former owner wrote before."""
    project = project_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Överlämnat projekt",
        summary="Den förra ägarens interna anteckning",
        visibility="private",
    )
    project.owner = other_organisation  # handed over (an operator's change)
    project.summary = "Den nya ägarens text"
    project.visibility = "internal"
    project.save()
    page = outsider_client.get(_history_url(project)).content.decode()
    assert "Den förra ägarens interna anteckning" not in page
    assert "Länsstyrelsen Testlän" in page  # the former owner, named on its version


def test_restore_answers_404_to_those_who_may_not_read_the_version(
    outsider_client, owner_client, viewer_client, made_public
):
    first = made_public.history.order_by("history_id").first()
    assert outsider_client.post(_restore_url(made_public, first)).status_code == 404
    assert viewer_client.post(_restore_url(made_public, first)).status_code == 403
    made_public.refresh_from_db()
    assert made_public.summary == "Ett projekt om mottagande"
    assert owner_client.post(_restore_url(made_public, first)).status_code == 302
    made_public.refresh_from_db()
    assert made_public.summary.startswith("Hemlig")


def test_restore_of_an_unknown_version_and_a_deleted_record_is_404(
    outsider_client, owner, made_public
):
    pk, version = made_public.pk, made_public.history.first()
    missing = reverse("core:restore", args=["projects.project", pk, 10**9])
    assert outsider_client.post(missing).status_code == 404
    project_delete(project=made_public, user=owner)
    deletion = Project.history.filter(id=pk, history_type="-").get()
    for history_id in (deletion.history_id, version.history_id):
        url = reverse("core:restore", args=["projects.project", pk, history_id])
        assert outsider_client.post(url).status_code == 404
    assert (
        outsider_client.get(reverse("core:history", args=["projects.project", pk])).status_code
        == 404
    )
    assert not Project.objects.filter(pk=pk).exists()


def test_the_recycle_bin_lists_only_what_the_visitor_may_restore(
    owner, owner_client, viewer_client, outsider_client, made_public
):
    project_delete(project=made_public, user=owner)
    assert "Mottagande i Testlän" in owner_client.get(reverse("core:trash")).content.decode()
    for client in (viewer_client, outsider_client):
        assert "Mottagande i Testlän" not in client.get(reverse("core:trash")).content.decode()
