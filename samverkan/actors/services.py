"""Writes and rules for organisations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from samverkan.actors.models import DEFAULT_SECTOR, Organisation
from samverkan.core import tenancy
from samverkan.geo.models import County, Municipality

EDITABLE_FIELDS = (
    "name",
    "code",
    "org_number",
    "kind",
    "sector",
    "county",
    "municipality",
    "description",
    "website",
    "visibility",
    "source",
)


def organisation_code_for(name: str, *, taken: set[str] | None = None) -> str:
    """A free code derived from the name: ``Rädda Barnen Malmö`` → ``radda-barnen-malmo``."""
    base = slugify(name.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:50] or "org"
    taken = taken if taken is not None else set()
    candidate, suffix = base, 2
    while candidate in taken or Organisation.objects.filter(code=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def organisation_clean_area(
    *, county: County | None, municipality: Municipality | None
) -> County | None:
    """The county an organisation belongs to; a municipality implies its county."""
    if municipality is None:
        return county
    if county is not None and municipality.county_id != county.pk:
        raise ValidationError(
            {
                "municipality": _("%(municipality)s ligger inte i %(county)s.")
                % {"municipality": municipality.name, "county": county.name}
            }
        )
    return municipality.county


def _prepare(organisation: Organisation) -> None:
    organisation.county = organisation_clean_area(
        county=organisation.county, municipality=organisation.municipality
    )
    if not organisation.sector:
        organisation.sector = DEFAULT_SECTOR.get(organisation.kind, "")  # type: ignore[call-overload]
    if not organisation.code:
        organisation.code = organisation_code_for(organisation.name)
    organisation.full_clean()


@transaction.atomic
def organisation_create(
    *, user: Any, steward: Organisation | None = None, **fields: Any
) -> Organisation:
    """Register an organisation. The registering user becomes its admin unless a steward
    organisation (which the user edits) registers it on the actor's behalf."""
    if steward is not None and not tenancy.can_act_for(user, steward.pk):
        raise PermissionDenied(_("Du kan inte registrera organisationer för %s.") % steward)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    organisation = Organisation(steward=steward, **fields)
    _prepare(organisation)
    organisation.save()
    if steward is None and user is not None and user.is_authenticated:
        from samverkan.accounts.services import membership_create

        membership_create(organisation=organisation, user=user, role="admin", by=None)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, user: Any, **fields: Any) -> Organisation:
    if not tenancy.can_write(user, organisation):
        raise PermissionDenied(_("Du får inte ändra %s.") % organisation)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(organisation, name, value)
    _prepare(organisation)
    organisation.save()
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, user: Any) -> None:
    """Delete an organisation; its history keeps every version, so it can be restored."""
    if not tenancy.can_write(user, organisation):
        raise PermissionDenied(_("Du får inte ta bort %s.") % organisation)
    organisation._change_reason = "deleted"  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            organisation.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("%(name)s äger eller är kopplad till poster (%(kinds)s) och kan inte tas bort.")
            % {"name": organisation.name, "kinds": ", ".join(kinds)}
        ) from exc


def organisation_set_change_reason(organisation: Organisation, reason: str) -> None:
    update_change_reason(organisation, reason)
