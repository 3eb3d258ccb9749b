"""Issue 17, "bad input and edge cases": a user in no organisation, a county with nothing
registered, an organisation with 500 networks and a network with 400 members. Each page
renders, says plainly what is empty, and its number of queries does not grow with the data."""

from __future__ import annotations

import pytest
from django.test import Client

from samverkan.actors.models import Network, NetworkMembership, Organisation
from tests.factories import MembershipFactory, UserFactory


def test_a_user_in_no_organisation_is_told_what_to_do(client, db):
    client.force_login(UserFactory(email="ny@example.se"))
    page = client.get("/").content.decode()
    assert "Min översikt" in page
    assert "Du hör inte till någon organisation än" in page


def test_a_county_with_nothing_registered_says_so_in_every_section(client, db):
    response = client.get("/lan/25/")  # Norrbottens län: nothing in the test database
    assert response.status_code == 200
    page = response.content.decode()
    for empty in (
        "Inga nätverk",
        "Inga projekt",
        "Inga indikatorvärden finns för området än.",
        "Inga utlysningar",
    ):
        assert empty in page, empty


def _networks(owner: Organisation, count: int, county) -> list[Network]:
    return Network.objects.bulk_create(
        Network(
            name=f"Samverkansgrupp {n}",
            slug=f"grupp-{n}",
            owner=owner,
            convener=owner,
            county=county,
            scope="county",
            visibility="public",
        )
        for n in range(count)
    )


def _members(network: Network, count: int, county) -> None:
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Förening {n}",
            name_key=f"forening-{network.pk}-{n}",
            code=f"forening-{network.pk}-{n}",
            kind="civil_society",
            sector="civil_society",
            county=county,
            visibility="public",
            verified=True,
        )
        for n in range(count)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, organisation=o, owner=network.owner, visibility="public")
        for o in organisations
    )


def _queries(client: Client, url: str, django_assert_max_num_queries, limit: int) -> str:
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("networks", [5, 500])
def test_an_organisation_with_500_networks_renders_with_the_same_queries(
    client, skane, organisation, networks, django_assert_max_num_queries
):
    _networks(organisation, networks, skane)
    owner = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(owner)
    page = _queries(client, f"/aktorer/{organisation.code}/", django_assert_max_num_queries, 60)
    assert "Samverkansgrupp 4" in page
    hub = _queries(client, "/lan/12/", django_assert_max_num_queries, 120)
    assert "Samverkansgrupp" in hub
    assert len(hub) < 2_000_000


@pytest.mark.parametrize("members", [10, 400])
def test_a_network_with_400_members_renders_with_the_same_queries(
    client, skane, organisation, members, django_assert_max_num_queries
):
    (network,) = _networks(organisation, 1, skane)
    _members(network, members, skane)
    page = _queries(client, f"/aktorer/natverk/{network.slug}/", django_assert_max_num_queries, 60)
    assert f"Förening {members - 1}" in page  # the table lists every member
    assert page.count("<svg") <= 3  # one members picture, however many members
