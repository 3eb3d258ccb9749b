"""Red-team finding 7 on the activity page: its change history (versions and who changed them)
is shown to the owner organisation's members only."""

import pytest
from django.urls import reverse

from samverkan.plans.models import Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_activity(activity, strategy, editor):
    Strategy.objects.filter(pk=strategy.pk).update(visibility="public")
    activity.history.update(history_user=editor)
    return activity


@pytest.mark.parametrize("who", ["client", "outsider_client"])
def test_the_activity_history_is_not_shown_to_others(request, who, public_activity):
    response = request.getfixturevalue(who).get(
        reverse("plans:activity", args=[public_activity.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Språkcafé" in page
    assert "editor@example.se" not in page
    assert "Ändringshistorik" not in page


def test_members_see_the_activity_history(viewer_client, public_activity):
    page = viewer_client.get(reverse("plans:activity", args=[public_activity.pk])).content.decode()
    assert "Ändringshistorik" in page and "editor@example.se" in page
