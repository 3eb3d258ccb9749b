"""Services of organisations: create, change, verify and delete them, and their contact
addresses. Typed keyword-only functions; tenancy decides who may write."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from samverkan.actors.models import (
    DEFAULT_SECTOR,
    ContactAddress,
    Organisation,
    OrganisationKind,
)
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.versioning import record_edit_begin
from samverkan.geo.models import County, Municipality

AUDIT_ORGANISATION_VERIFIED = audit_action("actors.organisation.verified")


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
    """A free code derived from the name: ``Rädda Barnen Malmö`` → ``radda-barnen-malmo``.

    ``taken``, when given, holds every code in use (an import loads them once), so no query
    is made per name; without it the database is asked."""
    base = slugify(name.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:50] or "org"

    def in_use(code: str) -> bool:
        if taken is not None:
            return code in taken
        return Organisation.objects.filter(code=code).exists()

    candidate, suffix = base, 2
    while in_use(candidate):
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


def _is_superuser(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def organisation_check_rights_kind(
    *, user: Any, organisation: Organisation, before: Organisation | None = None
) -> None:
    """Organisations of a kind that carries rights (county board, region, municipality, state
    agency) come from the reference data or a superuser: nobody else registers one, turns an
    organisation into one (or one into something else), or moves one to another county or
    municipality. ``before`` is the organisation as stored, when it is being changed."""
    if _is_superuser(user):
        return
    if before is None or before.kind != organisation.kind:
        if organisation.carries_rights or (before is not None and before.carries_rights):
            raise ValidationError(
                {
                    "kind": _(
                        "Länsstyrelser, regioner, kommuner och statliga myndigheter finns redan "
                        "i Samverkan och läggs bara till eller ändras av en systemadministratör. "
                        "Be organisationens administratör om en inbjudan i stället."
                    )
                }
            )
        return
    if organisation.carries_rights:
        for name in ("municipality", "county"):
            if getattr(organisation, f"{name}_id") != getattr(before, f"{name}_id"):
                raise ValidationError(
                    {
                        name: _(
                            "Bara en systemadministratör flyttar en länsstyrelse, region, "
                            "kommun eller statlig myndighet till ett annat län eller en annan "
                            "kommun."
                        )
                    }
                )


def organisation_check_steward(*, steward: Organisation | None) -> None:
    """Only a verified organisation registers and keeps other organisations (stewardship)."""
    if steward is not None and not steward.verified:
        raise ValidationError(
            {
                "steward": _(
                    "%s är inte verifierad och kan inte registrera organisationer för andras "
                    "räkning."
                )
                % steward
            }
        )


@transaction.atomic
def organisation_create(
    *, user: Any, steward: Organisation | None = None, **fields: Any
) -> Organisation:
    """Register an organisation. The registering user becomes its admin unless a steward
    organisation (which the user edits) registers it on the actor's behalf.

    A kind that carries rights is registered only by a superuser. The new organisation is
    verified when its registrant may verify it (a superuser, or the verified county board of
    its county); otherwise it is unverified until someone who may does."""
    if steward is not None and not tenancy.can_act_for(user, steward.pk):
        raise PermissionDenied(_("Du kan inte registrera organisationer för %s.") % steward)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    organisation_check_steward(steward=steward)
    organisation = Organisation(steward=steward, **fields)
    organisation_check_rights_kind(user=user, organisation=organisation)
    _prepare(organisation)
    if organisation_can_verify(user=user, organisation=organisation):
        organisation.verified, organisation.verified_at = True, timezone.now()
    organisation.save()
    if steward is None and user is not None and user.is_authenticated:
        from samverkan.accounts.services import membership_create

        membership_create(organisation=organisation, user=user, role="admin", by=None)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    user: Any,
    expected_version: int | None = None,
    **fields: Any,
) -> Organisation:
    if not tenancy.can_write(user, organisation):
        raise PermissionDenied(_("Du får inte ändra %s.") % organisation)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    record_edit_begin(organisation, expected_version=expected_version)
    before = Organisation.objects.get(pk=organisation.pk)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _prepare(organisation)  # a municipality implies its county: compare what would be stored
    organisation_check_rights_kind(user=user, organisation=organisation, before=before)
    organisation.save()
    return organisation


def organisation_can_verify(*, user: Any, organisation: Organisation) -> bool:
    """A superuser verifies any organisation; the verified county board of an organisation's
    county (its admins and editors) verifies the organisations of its county whose kind
    carries no rights."""
    if _is_superuser(user):
        return True
    if organisation.carries_rights:
        return False
    return tenancy.can_act_for_verified(
        user, kind=OrganisationKind.COUNTY_BOARD, county_id=organisation.county_id
    )


@transaction.atomic
def organisation_verify(*, organisation: Organisation, user: Any) -> Organisation:
    """Mark an organisation as verified (audited; the change is also in its history)."""
    if not organisation_can_verify(user=user, organisation=organisation):
        raise PermissionDenied(
            _(
                "Bara en systemadministratör eller länsstyrelsen i organisationens län kan "
                "verifiera %s."
            )
            % organisation
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified:
        return organisation
    organisation.verified, organisation.verified_at = True, timezone.now()
    organisation._change_reason = _("verifierad")  # type: ignore[attr-defined]
    organisation.save(update_fields=["verified", "verified_at", "updated_at"])
    audit_log(
        AUDIT_ORGANISATION_VERIFIED,
        user=user,
        organisation=organisation,
        data={"organisation": organisation.pk, "code": organisation.code},
    )
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


def contact_address_may_edit(*, user: Any, organisation: Organisation) -> bool:
    """Those who write the organisation (its admins and editors, its verified steward's)."""
    return tenancy.can_write(user, organisation)


def contact_address_create(
    *,
    organisation: Organisation,
    user: Any,
    email: str,
    name: str = "",
    role: str = "",
    for_surveys: bool = True,
    for_consultations: bool = True,
) -> ContactAddress:
    """Add an address where the organisation receives surveys and/or consultations; later
    campaigns and consultations to it use the address when no other is given."""
    if not contact_address_may_edit(user=user, organisation=organisation):
        raise PermissionDenied(_("Du får inte ändra kontaktadresserna för %s.") % organisation)
    contact = ContactAddress(
        organisation=organisation,
        email=email.strip().lower(),
        name=" ".join(name.split()),
        role=" ".join(role.split()),
        for_surveys=for_surveys,
        for_consultations=for_consultations,
    )
    contact.full_clean()
    contact.save()
    return contact


def contact_address_delete(*, contact: ContactAddress, user: Any) -> None:
    """Remove an address (it stays in the history and the recycle bin)."""
    if not contact_address_may_edit(user=user, organisation=contact.organisation):
        raise PermissionDenied(
            _("Du får inte ändra kontaktadresserna för %s.") % contact.organisation
        )
    contact.delete()
