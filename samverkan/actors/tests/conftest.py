import pytest

from samverkan.actors import services
from samverkan.actors.models import NetworkRole
from samverkan.geo.models import County


@pytest.fixture
def network(organisation, owner):
    return services.network_create(
        user=owner,
        owner=organisation,
        name="Integrationsrådet i Testlän",
        kind="council",
        scope="county",
        county=County.objects.get(code="12"),
        visibility="public",
    )


@pytest.fixture
def coordinator_role(db):
    return NetworkRole.objects.get(code="coordinator")
