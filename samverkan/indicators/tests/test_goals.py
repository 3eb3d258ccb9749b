"""Indicator targets that follow up strategy goals (plans): linked from the target form and
API, shown with their progress on the goal (strategy page) and on the indicator page."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.indicators import services
from samverkan.indicators.models import Target
from samverkan.plans import services as plans


@pytest.fixture
def goal(organisation):
    strategy = plans.strategy_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Integrationsstrategi 2022–2026",
        period_start=2022,
        period_end=2026,
        visibility=Visibility.PUBLIC,
    )
    return plans.goal_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        title="Fler utrikes födda i arbete",
        measure="Förvärvsarbetande utrikes födda 20–64 år",
        target="65 %",
        target_date=datetime.date(2026, 12, 31),
    )


@pytest.fixture
def other_goal(other_organisation):
    strategy = plans.strategy_create(
        user=tenancy.SYSTEM, owner=other_organisation, title="Annan kommuns strategi"
    )
    return plans.goal_create(strategy=strategy, user=tenancy.SYSTEM, title="Annat mål")


def test_editor_follows_up_a_goal_with_an_indicator(editor_client, employment, goal):
    chooser = editor_client.get(f"/indikatorer/?goal={goal.pk}").content.decode()
    assert f"/indikatorer/{employment.code}/mal/nytt/?goal={goal.pk}" in chooser
    form = editor_client.get(f"/indikatorer/{employment.code}/mal/nytt/?goal={goal.pk}")
    assert "selected>Integrationsstrategi 2022–2026 › Fler utrikes födda i arbete" in (
        form.content.decode()
    )
    response = editor_client.post(
        f"/indikatorer/{employment.code}/mal/nytt/",
        {
            "owner": goal.strategy.owner_id,
            "title": "Förvärvsarbetande utrikes födda i Botkyrka",
            "area_code": "0127",
            "sex": "T",
            "baseline_year": 2022,
            "baseline_value": 57.0,
            "target_year": 2026,
            "target_value": 65.0,
            "goal": goal.pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(goal=goal)
    assert target.indicator == employment and target.area_code == "0127"
    # the goal on the strategy page shows the indicator, its latest value and progress
    page = editor_client.get(goal.strategy.get_absolute_url()).content.decode()
    assert employment.title in page and "senast 2023 59,2" in page
    assert '<span class="progress-on_track">I fas</span>' in page
    # the indicator page names the goal it follows up
    detail = editor_client.get(f"/indikatorer/{employment.code}/").content.decode()
    assert "Integrationsstrategi 2022–2026</a> › Fler utrikes födda i arbete" in detail


def test_goal_must_belong_to_a_strategy_of_the_target_owner(
    editor, organisation, employment, goal, other_goal
):
    fields = dict(
        title="Mål",
        area_code="0127",
        breakdown=employment.total,
        baseline_year=2022,
        baseline_value=57.0,
        target_year=2026,
        target_value=65.0,
    )
    with pytest.raises(ValidationError) as error:
        services.target_create(
            user=editor, owner=organisation, indicator=employment, goal=other_goal, **fields
        )
    assert "goal" in error.value.message_dict
    target = services.target_create(
        user=editor, owner=organisation, indicator=employment, goal=goal, **fields
    )
    assert list(goal.indicator_targets.all()) == [target]


def test_api_links_only_goals_of_writable_strategies(
    editor_client, outsider_client, employment, goal, other_goal, organisation
):
    body = {
        "indicator": employment.code,
        "owner_code": organisation.code,
        "title": "Mål",
        "area_code": "0127",
        "baseline_year": 2022,
        "baseline_value": 57.0,
        "target_year": 2026,
        "target_value": 65.0,
    }
    created = editor_client.post(
        "/api/indicator-targets/", {**body, "goal": goal.pk}, "application/json"
    )
    assert created.status_code == 201 and created.json()["goal"] == goal.pk
    assert created.json()["progress"]["status"] == "on_track"
    foreign = editor_client.post(
        "/api/indicator-targets/", {**body, "goal": other_goal.pk}, "application/json"
    )
    assert foreign.status_code == 404  # another organisation's goal is not offered
    outsider = outsider_client.post(
        "/api/indicator-targets/", {**body, "goal": goal.pk}, "application/json"
    )
    assert outsider.status_code in (403, 404)
    assert Target.objects.filter(goal=goal).count() == 1


def test_private_target_on_a_public_goal_is_hidden_from_outsiders(
    editor, outsider_client, viewer_client, organisation, employment, goal
):
    services.target_create(
        user=editor,
        owner=organisation,
        indicator=employment,
        goal=goal,
        title="Internt mål",
        area_code="0127",
        breakdown=employment.total,
        baseline_year=2022,
        baseline_value=57.0,
        target_year=2026,
        target_value=65.0,
        visibility=Visibility.PRIVATE,
    )
    url = goal.strategy.get_absolute_url()
    link = f'href="/indikatorer/{employment.code}/?areas=0127"'
    assert link in viewer_client.get(url).content.decode()
    outsider_page = outsider_client.get(url)
    assert outsider_page.status_code == 200 and link not in outsider_page.content.decode()
    # and an outsider is not offered the goal to follow up
    assert "Följ upp med indikator" not in outsider_page.content.decode()
    assert (
        "Följ upp målet"
        not in outsider_client.get(f"/indikatorer/?goal={goal.pk}").content.decode()
    )
