import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.geo.models import Municipality
from samverkan.plans import selectors, services
from tests.factories import OrganisationFactory


@pytest.fixture
def regional(db):
    region = OrganisationFactory(
        name="Region Testlän", code="region-test", kind="region", sector="public"
    )
    strategy = services.strategy_create(
        user=tenancy.SYSTEM,
        owner=region,
        title="Regional strategi",
        level="regional",
        county=Municipality.objects.get(code="2380").county,
    )
    area = services.focus_area_create(strategy=strategy, user=tenancy.SYSTEM, title="Utbildning")
    g1 = services.goal_create(
        strategy=strategy, user=tenancy.SYSTEM, focus_area=area, title="Högre betyg åk 9"
    )
    g2 = services.goal_create(
        strategy=strategy, user=tenancy.SYSTEM, focus_area=area, title="Fler klarar gymnasiet"
    )
    return strategy, g1, g2


def test_municipal_goal_hooks_into_regional_goal(regional, editor, strategy, goal):
    regional_strategy, g1, g2 = regional
    services.goal_set_contributions(goal=goal, user=editor, regional_goals=[g1])
    municipality = Municipality.objects.get(code="2380")
    Organisation.objects.filter(pk=strategy.owner_id).update(municipality=municipality)
    hook = selectors.regional_hook_in(strategy=regional_strategy, user=editor)
    assert [(g.title, [c.title for c in cs]) for g, cs in hook.goals] == [
        ("Högre betyg åk 9", ["Fler i arbete"]),
        ("Fler klarar gymnasiet", []),
    ]
    assert hook.unaddressed == [g2]
    assert hook.strategies == [strategy]
    assert municipality not in hook.municipalities_without
    assert len(hook.municipalities_without) == 7  # Jämtlands län has 8 municipalities


def test_cannot_hook_into_non_regional_or_own_goal(editor, strategy, goal, organisation):
    own = services.goal_create(strategy=strategy, user=tenancy.SYSTEM, title="Eget mål")
    with pytest.raises(ValidationError):
        services.goal_set_contributions(goal=goal, user=editor, regional_goals=[own])
    other = services.strategy_create(user=tenancy.SYSTEM, owner=organisation, title="Kommunal 2")
    municipal_goal = services.goal_create(
        strategy=other, user=tenancy.SYSTEM, title="Kommunalt mål"
    )
    with pytest.raises(ValidationError):
        services.goal_set_contributions(goal=goal, user=editor, regional_goals=[municipal_goal])


def test_hook_in_page(client, viewer_client, regional, strategy, goal):
    regional_strategy, g1, _ = regional
    services.goal_set_contributions(goal=goal, user=tenancy.SYSTEM, regional_goals=[g1])
    body = viewer_client.get(f"/strategier/{regional_strategy.pk}/kommuner/").content.decode()
    assert "Fler i arbete" in body and "Ingen adresserar målet" in body
    # Anonymous visitors see only public strategies; the internal one is not there.
    assert client.get(f"/strategier/{regional_strategy.pk}/kommuner/").status_code == 404
    assert (
        viewer_client.get(f"/strategier/{strategy.pk}/kommuner/").status_code == 404
    )  # not regional


def test_outsider_cannot_change_contributions(outsider_client, outsider, regional, goal):
    _, g1, _ = regional
    with pytest.raises(PermissionDenied):
        services.goal_set_contributions(goal=goal, user=outsider, regional_goals=[g1])
    response = outsider_client.post(
        f"/strategier/mal/{goal.pk}/regionala-mal/", {"regional_goals": [g1.pk]}
    )
    assert response.status_code == 403
    assert goal.contributes_to.count() == 0
