"""The network map: figures computed with networkx, cached, and filtered by access."""

import pytest

from samverkan.actors import graph, services
from tests.factories import OrganisationFactory


@pytest.fixture
def small_graph(network, organisation, owner, skane):
    """Two networks bridged by the county board; one isolated municipality."""
    other = services.network_create(
        user=owner,
        owner=organisation,
        name="Andra nätverket",
        scope="county",
        county=skane,
        visibility="public",
    )
    a = OrganisationFactory(name="Förening A", county=skane, sector="civil_society")
    b = OrganisationFactory(name="Företaget B", county=skane, sector="private", kind="business")
    OrganisationFactory(name="Ensam kommun", county=skane, sector="public", kind="municipality")
    for org, net in ((a, network), (organisation, network), (organisation, other), (b, other)):
        services.membership_create(user=owner, network=net, organisation=org)
    return network, other


def test_metrics(small_graph, owner):
    payload = graph.graph_payload(user=owner, county_code="12", use_cache=False)
    nodes = {n["label"]: n for n in payload["nodes"]}
    assert payload["summary"]["memberships"] == 4
    assert nodes["Länsstyrelsen Testlän"]["degree"] == 2
    assert payload["top_bridges"][0]["label"] == "Länsstyrelsen Testlän"
    assert nodes["Länsstyrelsen Testlän"]["sectors_reached"] == 3
    assert payload["isolated"] == ["Ensam kommun"]
    assert payload["summary"]["communities"] >= 1
    assert len(payload["edges"]) == 4
    svg = graph.graph_svg(payload)
    assert svg.startswith("<svg") and "Förening A" in svg


def test_cache_is_refreshed_when_data_change(small_graph, owner, organisation):
    first = graph.graph_payload(user=owner, county_code="12")
    assert graph.graph_payload(user=owner, county_code="12") is not None
    newcomer = OrganisationFactory(name="Nykomling", county=organisation.county)
    services.membership_create(user=owner, network=small_graph[0], organisation=newcomer)
    second = graph.graph_payload(user=owner, county_code="12")
    assert second["summary"]["memberships"] == first["summary"]["memberships"] + 1


def test_private_memberships_not_on_outsiders_map(small_graph, owner, outsider, organisation):
    hidden = OrganisationFactory(name="Hemlig", county=organisation.county)
    services.membership_create(
        user=owner, network=small_graph[0], organisation=hidden, visibility="private"
    )
    outsider_view = graph.graph_payload(user=outsider, county_code="12")
    hemlig = next(n for n in outsider_view["nodes"] if n["label"] == "Hemlig")
    assert hemlig["degree"] == 0  # listed as a county actor, but its private membership is not
    assert graph.graph_payload(user=owner, county_code="12")["isolated"] == ["Ensam kommun"]
    outsider_edges = graph.graph_payload(user=outsider, county_code="12")["summary"]
    owner_edges = graph.graph_payload(user=owner, county_code="12")["summary"]
    assert outsider_edges["memberships"] == owner_edges["memberships"] - 1


def test_filters_and_json_endpoint(client, small_graph):
    response = client.get("/aktorer/natverk/karta.json?county=12&sector=private")
    assert response.status_code == 200
    data = response.json()
    assert {n["label"] for n in data["nodes"] if n["type"] == "organisation"} == {"Företaget B"}
    assert client.get("/api/network-graph/?county=12").status_code == 200
