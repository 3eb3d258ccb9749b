"""Demo users for a new installation, so that `make run` opens a usable application."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samverkan.accounts.models import Membership, Role, User

DEMO_PASSWORD = "samverkan-demo"  # noqa: S105  (development demo only; setup --no-demo skips it) # nosec B105
DEMO_USERS = [
    # (e-mail, organisation code, role, superuser)
    ("demo@samverkan.localhost", "lst-12", Role.ADMIN, False),
    ("kommun@samverkan.localhost", "kommun-1280", Role.EDITOR, False),
    ("lasare@samverkan.localhost", "lst-12", Role.VIEWER, False),
    ("admin@samverkan.localhost", None, None, True),
]


@dataclass(frozen=True)
class DemoLoadResult:
    users_created: int


@transaction.atomic
def demo_users_load() -> DemoLoadResult:
    """Create the demo accounts if missing; never changes an existing account's password."""
    created = 0
    for email, org_code, role, superuser in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            factory = User.objects.create_superuser if superuser else User.objects.create_user
            user = factory(email=email, password=DEMO_PASSWORD)
            created += 1
        if org_code and role:
            organisation = _organisation_model()._default_manager.get(code=org_code)
            Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": role}
            )
    return DemoLoadResult(created)


def _organisation_model() -> Any:
    """The organisation model a membership points at (accounts sits below actors in the layers
    and names it only through the foreign key)."""
    return Membership._meta.get_field("organisation").related_model
