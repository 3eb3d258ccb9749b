"""Services of networks: the networks, their meetings, links and members, and the
responsibilities members claim."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.actors.models import (
    Meeting,
    Network,
    NetworkLink,
    NetworkMembership,
    NetworkRole,
    Organisation,
    ResponsibilityClaim,
    Scope,
    Theme,
)
from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.core.versioning import record_edit_begin
from samverkan.geo.models import County

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
