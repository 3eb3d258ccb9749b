"""Network pages and API: reading, writing, and denial for outsiders."""

import datetime

import pytest

from samverkan.actors import services
from samverkan.actors.models import Meeting, Network, NetworkLink, NetworkMembership, NetworkRole


@pytest.fixture
def private_network(organisation, owner, skane):
    return services.network_create(
        user=owner,
        owner=organisation,
        name="Internt råd",
        kind="council",
        scope="county",
        county=skane,
        visibility="private",
    )


def test_pages_render(client, owner_client, network, other_organisation, owner):
    services.membership_create(
        user=owner,
        network=network,
        organisation=other_organisation,
        roles=[NetworkRole.objects.get(code="financier")],
    )
    assert client.get("/aktorer/natverk/").status_code == 200
    page = owner_client.get(network.get_absolute_url())
    assert page.status_code == 200
    assert "Annan förening" in page.content.decode()
    assert "Finansiär" in page.content.decode()
    assert owner_client.get("/aktorer/natverk/ny/").status_code == 200
    assert owner_client.get(f"/aktorer/natverk/{network.slug}/redigera/").status_code == 200
    assert client.get(f"/aktorer/natverk/{network.slug}/popolo.json").json()["memberships"]
    assert client.get("/aktorer/natverk/karta/?county=12").status_code == 200


def test_editor_creates_network_in_browser(editor_client, organisation, skane):
    response = editor_client.post(
        "/aktorer/natverk/ny/",
        {
            "owner": organisation.pk,
            "name": "Nytt råd",
            "kind": "council",
            "scope": "county",
            "county": skane.pk,
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    assert Network.objects.get(name="Nytt råd").owner == organisation


def test_private_network_hidden_from_outsider(outsider_client, client, private_network):
    assert outsider_client.get(private_network.get_absolute_url()).status_code == 404
    assert client.get(private_network.get_absolute_url()).status_code == 404
    assert "Internt råd" not in outsider_client.get("/aktorer/natverk/").content.decode()


def test_outsider_cannot_edit_delete_or_add_to_network(outsider_client, network):
    url = network.get_absolute_url()
    assert outsider_client.post(f"{url}redigera/", {"name": "Kapat"}).status_code == 403
    assert outsider_client.post(f"{url}ta-bort/").status_code == 403
    assert outsider_client.post(f"{url}moten/", {"date": "2024-01-01"}).status_code == 403
    assert (
        outsider_client.post(f"{url}lankar/", {"title": "x", "url": "https://x.se"}).status_code
        == 403
    )
    network.refresh_from_db()
    assert network.name == "Integrationsrådet i Testlän"
    assert not Meeting.objects.exists() and not NetworkLink.objects.exists()


def test_outsider_cannot_add_third_party_member_or_delete_membership(
    outsider_client, network, owner, other_organisation
):
    from tests.factories import OrganisationFactory

    third = OrganisationFactory(name="Tredje")
    response = outsider_client.post(
        f"{network.get_absolute_url()}medlemmar/", {"organisation": third.pk}
    )
    assert response.status_code == 403
    membership = services.membership_create(
        user=owner, network=network, organisation=other_organisation
    )
    response = outsider_client.post(
        f"{network.get_absolute_url()}medlemmar/{membership.pk}/ta-bort/"
    )
    assert response.status_code == 403
    assert NetworkMembership.objects.filter(pk=membership.pk).exists()
    assert NetworkMembership.objects.count() == 1


def test_owner_adds_meeting_and_link(owner_client, network):
    url = network.get_absolute_url()
    owner_client.post(
        f"{url}moten/",
        {
            "date": "2011-10-01",
            "place": "Boden",
            "attendance_public": 25,
            "attendance_civil_society": 40,
            "attendance_private": 5,
            "attendance_academia": 0,
        },
    )
    owner_client.post(f"{url}lankar/", {"title": "Överenskommelsen", "url": "https://ex.se/a"})
    assert Meeting.objects.get(network=network).attendance == 70
    assert NetworkLink.objects.get(network=network).url == "https://ex.se/a"


def test_api_lists_creates_and_denies(
    client,
    owner_client,
    outsider_client,
    network,
    organisation,
    other_organisation,
    private_network,
):
    slugs = {n["slug"] for n in client.get("/api/networks/").json()["results"]}
    assert network.slug in slugs and private_network.slug not in slugs
    created = owner_client.post(
        "/api/networks/",
        {
            "name": "API-nätverket",
            "kind": "network",
            "scope": "national",
            "owner_code": organisation.code,
            "themes": ["housing"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["themes"] == "housing"
    denied = outsider_client.post(
        "/api/networks/",
        {"name": "Kapat", "kind": "network", "scope": "national", "owner_code": organisation.code},
        content_type="application/json",
    )
    assert denied.status_code == 403
    denied = outsider_client.post(
        f"/api/networks/{network.slug}/memberships/",
        {"organisation_code": organisation.code},
        content_type="application/json",
    )
    assert denied.status_code == 403
    bad = owner_client.post(
        f"/api/networks/{network.slug}/memberships/",
        {"organisation_code": other_organisation.code, "roles": ["kung"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    good = owner_client.post(
        f"/api/networks/{network.slug}/memberships/",
        {
            "organisation_code": other_organisation.code,
            "roles": ["coordinator"],
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
        },
        content_type="application/json",
    )
    assert good.status_code == 400
    assert not NetworkMembership.objects.exists()
    assert client.get("/api/county-overview/12/").json()["county"]["code"] == "12"
    assert (
        outsider_client.get(f"/api/networks/{private_network.slug}/memberships/").status_code == 404
    )


def test_api_end_date_membership_keeps_history(owner_client, network, other_organisation, owner):
    membership = services.membership_create(
        user=owner,
        network=network,
        organisation=other_organisation,
        start_date=datetime.date(2018, 1, 1),
    )
    services.membership_update(
        membership=membership, user=owner, end_date=datetime.date(2020, 1, 1)
    )
    assert membership.history.count() == 2


def test_owner_ends_membership_outsider_cannot(
    owner_client, outsider_client, network, owner, other_organisation
):
    membership = services.membership_create(
        user=owner,
        network=network,
        organisation=other_organisation,
        start_date=datetime.date(2018, 1, 1),
    )
    url = f"{network.get_absolute_url()}medlemmar/{membership.pk}/avsluta/"
    assert outsider_client.post(url, {"end_date": "2020-01-01"}).status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None
    owner_client.post(url, {"end_date": "2017-01-01"})  # before the start: refused
    membership.refresh_from_db()
    assert membership.end_date is None
    owner_client.post(url, {"end_date": "2020-01-01"})
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2020, 1, 1)
    page = owner_client.get(network.get_absolute_url()).content.decode()
    assert "Tidigare medlemmar" in page


def test_organisation_page_lists_its_networks(client, network, owner, other_organisation):
    services.membership_create(user=owner, network=network, organisation=other_organisation)
    page = client.get(other_organisation.get_absolute_url()).content.decode()
    assert "Integrationsrådet i Testlän" in page


def test_meeting_and_link_deletion_only_by_network_writers(
    owner_client, outsider_client, network, owner
):
    meeting = services.meeting_create(network=network, user=owner, date=datetime.date(2012, 11, 19))
    link = services.link_create(
        network=network, user=owner, title="Rapport", url="https://example.se/r"
    )
    base = network.get_absolute_url()
    assert outsider_client.post(f"{base}moten/{meeting.pk}/ta-bort/").status_code == 403
    assert outsider_client.post(f"{base}lankar/{link.pk}/ta-bort/").status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert NetworkLink.objects.filter(pk=link.pk).exists()
    assert "Ta bort" in owner_client.get(base).content.decode()
    owner_client.post(f"{base}moten/{meeting.pk}/ta-bort/")
    owner_client.post(f"{base}lankar/{link.pk}/ta-bort/")
    assert not Meeting.objects.exists() and not NetworkLink.objects.exists()
