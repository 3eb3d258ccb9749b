"""Networks: creation, dates, hierarchy cycles and who may write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.actors import services
from samverkan.actors.models import Network


def test_editor_registers_network_convened_by_own_organisation(network, organisation):
    assert network.owner == organisation
    assert network.convener == organisation
    assert network.slug == "integrationsradet-i-testlan"


def test_end_before_start_is_refused_and_nothing_stored(organisation, editor, skane):
    with pytest.raises(ValidationError) as exc:
        services.network_create(
            user=editor,
            owner=organisation,
            name="Bakvänt",
            scope="county",
            county=skane,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2019, 1, 1),
        )
    assert exc.value.message_dict["end_date"] == ["Slutdatum kan inte vara före startdatum."]
    assert not Network.objects.filter(name="Bakvänt").exists()


def test_cycle_in_hierarchy_is_refused(network, organisation, owner, skane):
    child = services.network_create(
        user=owner,
        owner=organisation,
        name="Arbetsgrupp",
        kind="working_group",
        scope="county",
        county=skane,
        parent=network,
    )
    with pytest.raises(ValidationError) as exc:
        services.network_update(network=network, user=owner, parent=child)
    assert "cirkel i nätverkshierarkin" in exc.value.message_dict["parent"][0]
    network.refresh_from_db()
    assert network.parent is None
    with pytest.raises(ValidationError):
        services.network_update(network=network, user=owner, parent=network)


def test_county_scope_needs_county(organisation, owner):
    with pytest.raises(ValidationError) as exc:
        services.network_create(user=owner, owner=organisation, name="Utan län", scope="county")
    assert exc.value.message_dict["county"] == ["Ett nätverk på länsnivå behöver ett län."]


def test_outsider_cannot_create_for_or_change_another_organisation(network, organisation, outsider):
    with pytest.raises(PermissionDenied):
        services.network_create(user=outsider, owner=organisation, name="Kapat", scope="national")
    with pytest.raises(PermissionDenied):
        services.network_update(network=network, user=outsider, name="Kapat")
    with pytest.raises(PermissionDenied):
        services.meeting_create(network=network, user=outsider, date=datetime.date(2024, 1, 1))
    network.refresh_from_db()
    assert network.name == "Integrationsrådet i Testlän"
    assert not network.meetings.exists()


def test_viewer_cannot_write(network, viewer):
    with pytest.raises(PermissionDenied):
        services.network_update(network=network, user=viewer, name="Ändrat")


def test_meeting_attendance_total_defaults_to_sum(network, owner):
    meeting = services.meeting_create(
        network=network,
        user=owner,
        date=datetime.date(2011, 10, 1),
        place="Boden",
        attendance_public=25,
        attendance_civil_society=40,
        attendance_private=5,
    )
    assert meeting.attendance == 70
