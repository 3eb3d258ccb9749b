"""Services of agreements (RÖK, LÖK, IOP): the agreements, their parties and principles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.actors.models import (
    Agreement,
    AgreementParty,
    AgreementPrinciple,
    Organisation,
)
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.versioning import record_edit_begin

AUDIT_PARTY_DELETED = audit_action("actors.agreementparty.deleted")
AUDIT_PRINCIPLE_DELETED = audit_action("actors.agreementprinciple.deleted")


AGREEMENT_FIELDS = (
    "name",
    "slug",
    "kind",
    "county",
    "municipality",
    "responsible",
    "responsible_note",
    "purpose",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "period_note",
    "network",
    "website",
    "source",
    "visibility",
)


def _agreement_prepare(agreement: Agreement, user: Any) -> None:
    if not agreement.slug:
        base = slugify(agreement.name)[:70] or "overenskommelse"
        if base == "ny":  # "ny/" is the page for registering a new agreement
            base = "ny-overenskommelse"
        slug, n = base, 1
        while Agreement.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        agreement.slug = slug
    if agreement.municipality_id and agreement.county_id is None:
        agreement.county_id = agreement.municipality.county_id  # type: ignore[union-attr]
    if agreement.network is not None and not tenancy.can_read(user, agreement.network):
        raise PermissionDenied(_("Du kan inte läsa nätverket."))
    agreement.full_clean()


def _agreement_write_check(user: Any, agreement: Agreement) -> None:
    if not tenancy.can_write(user, agreement):
        raise PermissionDenied(_("Du får inte ändra %s.") % agreement)


@transaction.atomic
def agreement_create(*, user: Any, owner: Organisation, **fields: Any) -> Agreement:
    """Register an agreement on behalf of ``owner`` (one of its parties, or the organisation
    that keeps track of it)."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte registrera överenskommelser för %s.") % owner)
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    agreement = Agreement(owner=owner, **fields)
    _agreement_prepare(agreement, user)
    agreement.save()
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, user: Any, expected_version: int | None = None, **fields: Any
) -> Agreement:
    _agreement_write_check(user, agreement)
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    record_edit_begin(agreement, expected_version=expected_version)
    for name, value in fields.items():
        setattr(agreement, name, value)
    _agreement_prepare(agreement, user)
    agreement.save()
    return agreement


@transaction.atomic
def agreement_party_add(
    *,
    agreement: Agreement,
    user: Any,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
    note: str = "",
    source: str = "",
) -> AgreementParty:
    """Add a party (or another actor with a role) to the agreement: a registered organisation,
    or a name when the actor is not registered (e.g. a group of organisations)."""
    _agreement_write_check(user, agreement)
    party = AgreementParty(
        agreement=agreement,
        organisation=organisation,
        name="" if organisation else " ".join(name.split()),
        role=role,
        note=note,
        source=source,
    )
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def agreement_party_update(
    *,
    party: AgreementParty,
    user: Any,
    role: str,
    organisation: Organisation | None = None,
    name: str = "",
    note: str = "",
    source: str = "",
) -> AgreementParty:
    """Change a party: which actor it is and its role in the agreement. The party's history
    keeps the version before."""
    _agreement_write_check(user, party.agreement)
    party.organisation = organisation
    party.name = "" if organisation else " ".join(name.split())
    party.role, party.note, party.source = role, note.strip(), source.strip()
    party.full_clean()
    party._change_reason = _("ändrad")  # type: ignore[attr-defined]
    party.save()
    return party


def _agreement_audit(user: Any, agreement: Agreement, action: str, **data: Any) -> None:
    audit_log(
        action,
        user=user,
        organisation=agreement.owner,
        data={"agreement": agreement.slug, **data},
    )


@transaction.atomic
def agreement_party_remove(*, party: AgreementParty, user: Any) -> None:
    """Remove a party from the agreement; the deletion is a history row and an audit entry."""
    _agreement_write_check(user, party.agreement)
    _agreement_audit(
        user,
        party.agreement,
        AUDIT_PARTY_DELETED,
        pk=party.pk,
        organisation=party.organisation.code if party.organisation else None,
        name=party.display_name,
        role=party.role,
    )
    party._change_reason = _("borttagen")  # type: ignore[attr-defined]
    party.delete()


@transaction.atomic
def agreement_principle_add(
    *, agreement: Agreement, user: Any, name: str, description: str = "", source: str = ""
) -> AgreementPrinciple:
    _agreement_write_check(user, agreement)
    position = agreement.principles.count() + 1
    principle = AgreementPrinciple(
        agreement=agreement,
        position=position,
        name=" ".join(name.split()),
        description=description,
        source=source,
    )
    principle.full_clean()
    principle.save()
    return principle


@transaction.atomic
def agreement_principle_update(
    *,
    principle: AgreementPrinciple,
    user: Any,
    name: str,
    description: str = "",
    source: str = "",
) -> AgreementPrinciple:
    """Change a principle's wording; its history keeps the version before."""
    _agreement_write_check(user, principle.agreement)
    principle.name = " ".join(name.split())
    principle.description, principle.source = description.strip(), source.strip()
    principle.full_clean()
    principle._change_reason = _("ändrad")  # type: ignore[attr-defined]
    principle.save()
    return principle


@transaction.atomic
def agreement_principle_remove(*, principle: AgreementPrinciple, user: Any) -> None:
    """Remove a principle (a history row and an audit entry); the ones after it move up, so
    the agreement's principles stay numbered 1..n."""
    agreement = principle.agreement
    _agreement_write_check(user, agreement)
    _agreement_audit(
        user,
        agreement,
        AUDIT_PRINCIPLE_DELETED,
        pk=principle.pk,
        name=principle.name,
        position=principle.position,
    )
    principle._change_reason = _("borttagen")  # type: ignore[attr-defined]
    principle.delete()
    remaining = AgreementPrinciple.objects.select_for_update().filter(agreement=agreement)
    for position, other in enumerate(remaining.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            other._change_reason = _("ordning ändrad")  # type: ignore[attr-defined]
            other.save(update_fields=["position"])
