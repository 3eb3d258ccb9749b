"""Project results by sex and background (issue 22, item 9)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.projects.services import project_create, project_update


def test_project_reach_is_recorded_shown_and_checked(organisation, owner, owner_client):
    project = project_create(
        user=owner,
        owner=organisation,
        title="Språkcafé",
        participants_total=30,
        participants_women=18,
        participants_foreign_born=25,
    )
    html = owner_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Vilka nåddes?" in html and "18" in html and "okänt" in html
    with pytest.raises(ValidationError):
        project_update(project=project, user=owner, participants_men=20)
