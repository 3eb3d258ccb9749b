"""Respondent set "the members of a network": current members by membership dates."""

import datetime
import zoneinfo
from datetime import date, timedelta

import pytest
import time_machine

from samverkan.actors.models import NetworkMembership
from samverkan.core.models import Visibility
from samverkan.surveys.models import Campaign
from samverkan.surveys.selectors import network_current_members, organisations_by_rule
from tests.factories import NetworkFactory, OrganisationFactory

# Membership dates are compared with Stockholm's calendar day: the clock is fixed at a moment
# when that day differs from UTC's (half past midnight), so a UTC "today" would fail here.
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _half_past_midnight_in_stockholm():
    moment = datetime.datetime(2026, 3, 10, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def network(organisation):
    network = NetworkFactory(name="Samverkansrådet i Skåne", owner=organisation)
    dates = {
        "Nuvarande utan datum": (None, None),
        "Nuvarande med datum": (TODAY - timedelta(days=30), TODAY + timedelta(days=30)),
        "Slutar i dag": (None, TODAY),
        "Har lämnat": (TODAY - timedelta(days=400), TODAY - timedelta(days=1)),
        "Börjar i morgon": (TODAY + timedelta(days=1), None),
    }
    for name, (start, end) in dates.items():
        NetworkMembership.objects.create(
            network=network,
            organisation=OrganisationFactory(name=name),
            owner=organisation,
            visibility=Visibility.PUBLIC,
            start_date=start,
            end_date=end,
        )
    return network


def test_current_members_follow_membership_dates(network):
    names = [o.name for o in network_current_members(network=network)]
    assert names == ["Nuvarande med datum", "Nuvarande utan datum", "Slutar i dag"]
    later = network_current_members(network=network, on=TODAY + timedelta(days=1))
    assert "Börjar i morgon" in {o.name for o in later}
    assert "Slutar i dag" not in {o.name for o in later}
    assert [o.name for o in organisations_by_rule(rule="network", network=network)] == names
    assert organisations_by_rule(rule="network") == []


def test_owner_sends_a_campaign_to_the_members_of_a_network(
    owner_client, organisation, questionnaire, network
):
    page = owner_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "Rådets enkät",
            "deadline": "2030-10-31",
            "rule": "network",
            "network": network.pk,
            "grace_days": 0,
        },
    )
    assert page.status_code == 302
    campaign = Campaign.objects.get(title="Rådets enkät")
    assert campaign.recipients.count() == 3
    assert campaign.rule.startswith("Medlemmarna i Samverkansrådet i Skåne")


def test_network_rule_needs_a_network(owner_client, organisation, questionnaire, network):
    page = owner_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": organisation.pk,
            "title": "Utan nätverk",
            "deadline": "2030-10-31",
            "rule": "network",
            "grace_days": 0,
        },
    )
    assert page.status_code == 200
    assert "Välj nätverket" in page.content.decode()
    assert not Campaign.objects.filter(title="Utan nätverk").exists()


def test_a_private_network_of_another_organisation_cannot_be_chosen(
    outsider_client, other_organisation, questionnaire, network
):
    network.visibility = Visibility.PRIVATE
    network.save()
    questionnaire.visibility = Visibility.PUBLIC
    questionnaire.save()
    page = outsider_client.post(
        f"/enkater/{questionnaire.pk}/utskick/nytt/",
        {
            "owner": other_organisation.pk,
            "title": "Smygtitt",
            "deadline": "2030-10-31",
            "rule": "network",
            "network": network.pk,
            "grace_days": 0,
        },
    )
    assert page.status_code == 200
    assert "network" in page.context["form"].errors
    assert not Campaign.objects.filter(title="Smygtitt").exists()
