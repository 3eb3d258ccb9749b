"""The regional development strategy (RUS) and growth agreements as strategy kinds that
integration strategies, plans and projects take their starting point in (issue 22, item 8)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.plans import services
from samverkan.plans.models import Strategy, StrategyKind
from samverkan.projects.models import Project


@pytest.fixture
def demo(db, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()


def test_jamtland_integration_strategy_builds_on_the_rus(demo):
    # KSL 2016: the strategy "ska … kopplas an till den övergripande regionala
    # utvecklingsstrategin (RUS)"
    rus = Strategy.objects.get(owner__code="region-23", kind=StrategyKind.REGIONAL_DEVELOPMENT)
    integration = Strategy.objects.get(
        owner__code="region-23", title__startswith="Regional strategi för ökad inflyttning"
    )
    assert list(integration.builds_on.all()) == [rus]
    assert rus.adopted_on is None  # not given in the report
    assert "seed" not in rus.source.lower()


def test_uppsala_model_builds_on_the_growth_agreement(demo):
    # Integrationsverket 2000: "Inom ramen för tillväxtavtalet har förslaget konkretiserats …
    # och kommer att genomföras med början år 2000"; "Integrationsområdet har tagits upp som ett
    # av tre insatsområden i Tillväxtavtalet för Uppsala län."
    agreement = Strategy.objects.get(title="Tillväxtavtalet för Uppsala län")
    assert agreement.kind == StrategyKind.GROWTH_AGREEMENT
    assert list(agreement.focus_areas.values_list("title", flat=True)) == ["Integration"]
    model = Project.objects.get(title="Modell för effektivare integration")
    assert list(model.builds_on.all()) == [agreement]
    assert model.start_date.year == 2000 and model.start_precision == "year"
    assert model.end_date is None
    assert Strategy.objects.filter(kind=StrategyKind.GROWTH_AGREEMENT).count() == 3


def test_hub_and_pages_show_what_takes_its_starting_point_in_the_rus(demo, client):
    html = client.get(reverse("geo:county", args=["23"])).content.decode()
    assert "Utgår från den regionala utvecklingsstrategin" in html
    assert "Regional utvecklingsstrategi (RUS) för Jämtland Härjedalen" in html
    assert "Regional strategi för ökad inflyttning" in html
    html = client.get(reverse("geo:county", args=["03"])).content.decode()
    assert "Modell för effektivare integration" in html
    rus = Strategy.objects.get(kind=StrategyKind.REGIONAL_DEVELOPMENT, owner__code="region-23")
    page = client.get(reverse("plans:strategy", args=[rus.pk])).content.decode()
    assert "Integrationsarbete som tar sin utgångspunkt här" in page
    model = Project.objects.get(title="Modell för effektivare integration")
    page = client.get(reverse("projects:detail", args=[model.pk])).content.decode()
    assert "Tillväxtavtalet för Uppsala län" in page


def test_only_rus_and_growth_agreements_can_be_built_on(organisation, owner):
    other = services.strategy_create(user=owner, owner=organisation, title="Annan strategi")
    with pytest.raises(ValidationError):
        services.strategy_create(user=owner, owner=organisation, title="Ny", builds_on=[other])
    rus = services.strategy_create(
        user=owner, owner=organisation, title="RUS", kind=StrategyKind.REGIONAL_DEVELOPMENT
    )
    strategy = services.strategy_create(
        user=owner, owner=organisation, title="Integration", builds_on=[rus]
    )
    assert list(strategy.builds_on.all()) == [rus]


def test_a_private_rus_stays_with_its_organisation(organisation, owner, outsider, client):
    rus = services.strategy_create(
        user=owner,
        owner=organisation,
        title="Intern RUS",
        kind=StrategyKind.REGIONAL_DEVELOPMENT,
        visibility=Visibility.PRIVATE,
        county=organisation.county,
    )
    from samverkan.plans.selectors import development_uptake

    assert [u.strategy for u in development_uptake(user=owner)] == [rus]
    assert development_uptake(user=outsider) == []
    assert not tenancy.can_read(outsider, rus)


def test_plans_and_projects_take_their_starting_point_through_the_forms(
    organisation, owner, owner_client
):
    rus = services.strategy_create(
        user=owner,
        owner=organisation,
        title="RUS för länet",
        kind=StrategyKind.REGIONAL_DEVELOPMENT,
        county=organisation.county,
    )
    strategy = services.strategy_create(user=owner, owner=organisation, title="Integration")
    response = owner_client.post(
        reverse("plans:plan_create", args=[strategy.pk]),
        {
            "title": "Handlingsplan 2025",
            "year_start": "2025",
            "year_end": "2025",
            "weighting": "budget",
            "builds_on": [rus.pk],
        },
    )
    assert response.status_code == 302
    plan = strategy.plans.get()
    assert list(plan.builds_on.all()) == [rus]
    rolled = services.plan_roll_over(plan=plan, user=owner)
    assert list(rolled.builds_on.all()) == [rus]
    from samverkan.plans.selectors import development_uptake

    (uptake,) = development_uptake(user=owner, county_code=organisation.county.code)
    assert {p.pk for p in uptake.plans} == {plan.pk, rolled.pk}
    response = owner_client.post(
        reverse("projects:create"),
        {
            "owner": organisation.pk,
            "title": "Språkvänner",
            "status": "ongoing",
            "visibility": "public",
            "builds_on": [rus.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(title="Språkvänner")
    assert list(project.builds_on.all()) == [rus]
