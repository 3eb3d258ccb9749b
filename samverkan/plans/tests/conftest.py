import datetime

import pytest

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.plans import services


@pytest.fixture
def strategy(organisation):
    return services.strategy_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Strategi för integration",
        period_start=2015,
        period_end=2018,
        vision="Alla ska vara delaktiga.",
    )


@pytest.fixture
def private_strategy(organisation):
    return services.strategy_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Intern mångfaldsplan",
        kind="diversity_plan",
        level="organisation",
        visibility=Visibility.PRIVATE,
    )


@pytest.fixture
def area(strategy):
    return services.focus_area_create(strategy=strategy, user=tenancy.SYSTEM, title="Arbete")


@pytest.fixture
def goal(strategy, area):
    return services.goal_create(
        strategy=strategy,
        user=tenancy.SYSTEM,
        focus_area=area,
        title="Fler i arbete",
        measure="Andel förvärvsarbetande",
        baseline="50 %",
        target="60 %",
        target_date=datetime.date(2018, 12, 31),
    )


@pytest.fixture
def plan(strategy):
    return services.plan_create(
        strategy=strategy, user=tenancy.SYSTEM, title="Handlingsplan 2016", year_start=2016
    )


@pytest.fixture
def activity(plan, goal):
    return services.activity_create(
        plan=plan,
        user=tenancy.SYSTEM,
        title="Språkcafé",
        start_date=datetime.date(2016, 3, 1),
        duration_months=6,
        budget=10000,
        goals=[goal],
    )
