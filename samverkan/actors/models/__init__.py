"""Actors: organisations, networks, agreements and mandates, one module per concern; every
model is importable from ``samverkan.actors.models`` as before."""

from samverkan.actors.models.agreements import (  # noqa: F401
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementPrinciple,
    AgreementRole,
)
from samverkan.actors.models.mandates import (  # noqa: F401
    Interface,
    InterfaceKind,
    Mandate,
    Responsibility,
    ResponsibilityClaim,
)
from samverkan.actors.models.networks import (  # noqa: F401
    Meeting,
    Network,
    NetworkKind,
    NetworkLink,
    NetworkMembership,
    Scope,
)
from samverkan.actors.models.organisations import (  # noqa: F401
    DEFAULT_SECTOR,
    RIGHTS_KINDS,
    ContactAddress,
    ContactPurpose,
    Organisation,
    OrganisationKind,
    Sector,
    organisation_name_key,
)
from samverkan.actors.models.vocabularies import (  # noqa: F401
    NetworkRole,
    TargetGroup,
    Theme,
    Vocabulary,
)
