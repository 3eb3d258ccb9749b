"""Writes and rules for organisations."""

from __future__ import annotations

from collections.abc import Iterable
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
    Agreement,
    AgreementParty,
    AgreementPrinciple,
    ContactAddress,
    Meeting,
    Network,
    NetworkLink,
    NetworkMembership,
    NetworkRole,
    Organisation,
    OrganisationKind,
    ResponsibilityClaim,
    Scope,
    Theme,
)
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.models import Visibility
from samverkan.core.versioning import record_edit_begin
from samverkan.geo.models import County, Municipality

AUDIT_ORGANISATION_VERIFIED = audit_action("actors.organisation.verified")
AUDIT_PARTY_DELETED = audit_action("actors.agreementparty.deleted")
AUDIT_PRINCIPLE_DELETED = audit_action("actors.agreementprinciple.deleted")


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


# --- Networks, meetings, links, memberships and responsibility claims -------------------------

NETWORK_FIELDS = (
    "name",
    "slug",
    "kind",
    "scope",
    "county",
    "municipality",
    "convener",
    "purpose",
    "start_date",
    "end_date",
    "parent",
    "source",
    "visibility",
)
MEETING_FIELDS = (
    "date",
    "place",
    "topic",
    "arrangers",
    "attendance_public",
    "attendance_civil_society",
    "attendance_private",
    "attendance_academia",
    "attendance_total",
    "attendance_approximate",
    "attendance_note",
    "source",
)


def _check_dates(start: Any, end: Any) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})


def network_slug_for(name: str) -> str:
    base = slugify(name.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:70] or "natverk"
    candidate, suffix = base, 2
    while Network.objects.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def network_check_parent(*, network: Network, parent: Network | None) -> None:
    """Refuse a parent that is the network itself or one of its descendants."""
    seen: set[int] = set()
    current = parent
    while current is not None:
        if network.pk is not None and current.pk == network.pk:
            raise ValidationError(
                {
                    "parent": _(
                        "%(parent)s kan inte vara överordnat %(network)s: det skulle bli "
                        "en cirkel i nätverkshierarkin."
                    )
                    % {"parent": parent, "network": network}
                }
            )
        if current.pk in seen:  # an existing cycle further up; stop rather than loop
            break
        seen.add(current.pk)
        current = current.parent


def _network_prepare(network: Network) -> None:
    _check_dates(network.start_date, network.end_date)
    network_check_parent(network=network, parent=network.parent)
    if network.municipality is not None:
        network.county = network.municipality.county
    if network.scope == Scope.COUNTY and network.county is None:
        raise ValidationError({"county": _("Ett nätverk på länsnivå behöver ett län.")})
    if network.scope == Scope.MUNICIPALITY and network.municipality is None:
        raise ValidationError({"municipality": _("Ett nätverk på kommunnivå behöver en kommun.")})
    if not network.slug:
        network.slug = network_slug_for(network.name)
    network.full_clean()


@transaction.atomic
def network_create(
    *, user: Any, owner: Organisation, themes: Iterable[Theme] = (), **fields: Any
) -> Network:
    """Register a network on behalf of ``owner`` (normally the convening organisation)."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte registrera nätverk för %s.") % owner)
    unknown = set(fields) - set(NETWORK_FIELDS)
    if unknown:
        raise TypeError(f"unknown network fields: {sorted(unknown)}")
    fields.setdefault("convener", owner)
    network = Network(owner=owner, **fields)
    _network_prepare(network)
    network.save()
    network.themes.set(themes)
    return network


@transaction.atomic
def network_update(
    *,
    network: Network,
    user: Any,
    themes: Iterable[Theme] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Network:
    if not tenancy.can_write(user, network):
        raise PermissionDenied(_("Du får inte ändra %s.") % network)
    unknown = set(fields) - set(NETWORK_FIELDS)
    if unknown:
        raise TypeError(f"unknown network fields: {sorted(unknown)}")
    record_edit_begin(network, expected_version=expected_version)
    for name, value in fields.items():
        setattr(network, name, value)
    _network_prepare(network)
    network.save()
    if themes is not None:
        network.themes.set(themes)
    return network


@transaction.atomic
def network_delete(*, network: Network, user: Any) -> None:
    if not tenancy.can_write(user, network):
        raise PermissionDenied(_("Du får inte ta bort %s.") % network)
    network.delete()


@transaction.atomic
def meeting_create(*, network: Network, user: Any, **fields: Any) -> Meeting:
    """Record a meeting of a network; the network's editors write its meetings."""
    if not tenancy.can_write(user, network):
        raise PermissionDenied(_("Du får inte registrera möten i %s.") % network)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(network=network, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user: Any) -> None:
    if not tenancy.can_write(user, meeting.network):
        raise PermissionDenied(_("Du får inte ta bort möten i %s.") % meeting.network)
    meeting.delete()


@transaction.atomic
def link_create(*, network: Network, user: Any, title: str, url: str) -> NetworkLink:
    if not tenancy.can_write(user, network):
        raise PermissionDenied(_("Du får inte lägga till länkar i %s.") % network)
    link = NetworkLink(network=network, title=title, url=url)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def link_delete(*, link: NetworkLink, user: Any) -> None:
    if not tenancy.can_write(user, link.network):
        raise PermissionDenied(_("Du får inte ta bort länkar i %s.") % link.network)
    link.delete()


def membership_owner_for(
    *, user: Any, network: Network, organisation: Organisation
) -> Organisation:
    """Who owns a new membership: the network's owner when the user writes the network (the
    convener registers its members), else the member itself declaring its own membership."""
    if tenancy.can_write(user, network):
        return network.owner
    if tenancy.can_write(user, organisation) and tenancy.can_read(user, network):
        return organisation
    raise PermissionDenied(
        _(
            "Du kan bara registrera medlemskap i nätverk som din organisation förvaltar, eller "
            "din egen organisations medlemskap."
        )
    )


@transaction.atomic
def membership_create(
    *,
    user: Any,
    network: Network,
    organisation: Organisation,
    roles: Iterable[NetworkRole] = (),
    start_date: Any = None,
    end_date: Any = None,
    note: str = "",
    source: str = "",
    visibility: str | None = None,
) -> NetworkMembership:
    owner = membership_owner_for(user=user, network=network, organisation=organisation)
    _check_dates(start_date, end_date)
    membership_check_area(network=network, organisation=organisation)
    membership = NetworkMembership(
        owner=owner,
        network=network,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        note=note,
        source=source,
        visibility=visibility or network.visibility,
    )
    membership.full_clean()
    membership.save()
    membership.roles.set(roles)
    return membership


@transaction.atomic
def membership_update(
    *,
    membership: NetworkMembership,
    user: Any,
    roles: Iterable[NetworkRole] | None = None,
    **fields: Any,
) -> NetworkMembership:
    if not tenancy.can_write(user, membership):
        raise PermissionDenied(_("Du får inte ändra medlemskapet."))
    unknown = set(fields) - {"start_date", "end_date", "note", "source", "visibility"}
    if unknown:
        raise TypeError(f"unknown membership fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(membership, name, value)
    _check_dates(membership.start_date, membership.end_date)
    membership.full_clean()
    membership.save()
    if roles is not None:
        membership.roles.set(roles)
    return membership


@transaction.atomic
def membership_delete(*, membership: NetworkMembership, user: Any) -> None:
    if not tenancy.can_write(user, membership):
        raise PermissionDenied(_("Du får inte ta bort medlemskapet."))
    membership.delete()


@transaction.atomic
def responsibility_claim_create(
    *,
    user: Any,
    organisation: Organisation,
    theme: Theme,
    county: County,
    responsibility: str,
    note: str = "",
    source: str = "",
    visibility: str = Visibility.INTERNAL,
) -> ResponsibilityClaim:
    """Declare what ``organisation`` does for ``theme`` in ``county``. Written by the
    organisation itself or by its steward (a county board mapping its county's actors)."""
    if not tenancy.can_write(user, organisation):
        raise PermissionDenied(_("Du får inte ange ansvar för %s.") % organisation)
    owner = organisation
    if not tenancy.can_act_for(user, organisation.pk) and organisation.steward is not None:
        owner = organisation.steward  # the steward maps the actor on its behalf
    claim = ResponsibilityClaim(
        owner=owner,
        organisation=organisation,
        theme=theme,
        county=county,
        responsibility=responsibility,
        note=note,
        source=source,
        visibility=visibility,
    )
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def responsibility_claim_delete(*, claim: ResponsibilityClaim, user: Any) -> None:
    if not tenancy.can_write(user, claim):
        raise PermissionDenied(_("Du får inte ta bort ansvarsanspråket."))
    claim.delete()


def membership_check_area(*, network: Network, organisation: Organisation) -> None:
    """A county or municipal network takes members from its own county or national actors."""
    if network.county_id and organisation.county_id and organisation.county_id != network.county_id:
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s hör till %(org_county)s, men %(network)s är ett nätverk i "
                    "%(county)s."
                )
                % {
                    "organisation": organisation,
                    "org_county": organisation.county,
                    "network": network,
                    "county": network.county,
                }
            }
        )


# --- Contact addresses for surveys and consultations -------------------------------------------


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


# --- Agreements ---------------------------------------------------------------------------------

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
