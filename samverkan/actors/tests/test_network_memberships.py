"""Memberships with roles: who may register them, dates, Popolo export."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.actors import selectors, services
from samverkan.actors.models import NetworkMembership
from tests.factories import OrganisationFactory


def test_convener_registers_any_member_with_roles(network, owner, coordinator_role):
    member = OrganisationFactory(name="Arbetsförmedlingen Test")
    membership = services.membership_create(
        user=owner,
        network=network,
        organisation=member,
        roles=[coordinator_role],
        start_date=datetime.date(2019, 1, 1),
    )
    assert membership.owner == network.owner
    assert list(membership.roles.values_list("code", flat=True)) == ["coordinator"]


def test_member_declares_own_membership(network, other_organisation, outsider):
    membership = services.membership_create(
        user=outsider, network=network, organisation=other_organisation
    )
    assert membership.owner == other_organisation


def test_editor_of_one_organisation_cannot_add_another(network, outsider):
    third = OrganisationFactory(name="Tredje part")
    with pytest.raises(PermissionDenied):
        services.membership_create(user=outsider, network=network, organisation=third)
    assert not NetworkMembership.objects.exists()


def test_end_before_start_is_refused(network, owner, other_organisation):
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            user=owner,
            network=network,
            organisation=other_organisation,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2010, 1, 1),
        )
    assert exc.value.message_dict["end_date"] == ["Slutdatum kan inte vara före startdatum."]
    assert not NetworkMembership.objects.exists()


def test_popolo_export_names_member_organisation_and_role(
    network, owner, coordinator_role, other_organisation
):
    services.membership_create(
        user=owner,
        network=network,
        organisation=other_organisation,
        roles=[coordinator_role],
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    popolo = selectors.network_popolo(user=owner, network=network)
    (membership,) = popolo["memberships"]
    assert membership["member_id"] == "organization/annan-forening"
    assert membership["organization_id"] == f"network/{network.slug}"
    assert membership["role"] == "Samordnare"
    assert membership["start_date"] == "2019-03-01"
    assert membership["end_date"] == "2021-01-01"
    assert {o["id"] for o in popolo["organizations"]} == {
        f"network/{network.slug}",
        "organization/annan-forening",
    }


def test_private_membership_hidden_from_outsider(network, owner, outsider, other_organisation):
    third = OrganisationFactory(name="Hemlig medlem")
    services.membership_create(
        user=owner, network=network, organisation=third, visibility="private"
    )
    assert selectors.membership_list(user=owner, network=network).count() == 1
    assert selectors.membership_list(user=outsider, network=network).count() == 0


def test_member_from_another_county_is_refused(network, owner):
    from samverkan.geo.models import County

    halland_municipality = OrganisationFactory(
        name="Kommun i Halland", county=County.objects.get(code="13")
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_create(user=owner, network=network, organisation=halland_municipality)
    assert "Hallands län" in exc.value.message_dict["organisation"][0]
    assert not NetworkMembership.objects.exists()


def test_popolo_export_of_all_networks(network, owner, other_organisation):
    import json

    from samverkan.core.exchange import data_export

    services.membership_create(user=owner, network=network, organisation=other_organisation)
    (document,) = json.loads(
        data_export(kind="popolo", fmt="json", user=owner, options={"county": "12"})
    )
    assert document["memberships"][0]["organization_id"] == f"network/{network.slug}"
