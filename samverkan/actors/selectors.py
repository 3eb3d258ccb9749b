"""Reads of organisations, always through the tenancy rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.actors.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    ContactAddress,
    ContactPurpose,
    Meeting,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Responsibility,
    ResponsibilityClaim,
    Scope,
    Theme,
)
from samverkan.core import tenancy
from samverkan.geo.models import County


def organisation_list(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    sector: str = "",
    county_code: str = "",
    municipality_code: str = "",
) -> QuerySet[Organisation]:
    organisations = tenancy.readable(
        Organisation.objects.select_related("county", "municipality"), user
    )
    if query:
        organisations = organisations.filter(name__icontains=query.strip())
    if kind:
        organisations = organisations.filter(kind=kind)
    if sector:
        organisations = organisations.filter(sector=sector)
    if county_code:
        organisations = organisations.filter(county__code=county_code)
    if municipality_code:
        organisations = organisations.filter(municipality__code=municipality_code)
    return organisations.order_by("name")


def organisation_get(*, user: Any, code: str) -> Organisation:
    return tenancy.get_readable_or_404(
        Organisation.objects.select_related("county", "municipality", "steward"), user, code=code
    )


def contact_address_list(*, user: Any, organisation: Organisation) -> QuerySet[ContactAddress]:
    """The organisation's contact addresses that ``user`` may read (its members, its steward's
    members, superusers); nobody else sees them."""
    return tenancy.readable(ContactAddress.objects.filter(organisation=organisation), user)


def contact_address_editable_ids(*, user: Any, organisation_ids: set[int]) -> set[int]:
    """Which of these organisations' contact addresses ``user`` may edit (one query)."""
    return set(
        tenancy.writable(Organisation.objects.filter(pk__in=organisation_ids), user).values_list(
            "pk", flat=True
        )
    )


def organisation_contact_email(*, organisation: Organisation, purpose: str) -> str:
    """The organisation's first contact address for ``purpose`` (surveys or consultations),
    or empty. Used by the platform when it addresses an invitation, whoever sends it."""
    field = {
        ContactPurpose.SURVEYS: "for_surveys",
        ContactPurpose.CONSULTATIONS: "for_consultations",
    }[ContactPurpose(purpose)]
    return (
        ContactAddress.objects.filter(organisation=organisation, **{field: True})
        .order_by("pk")
        .values_list("email", flat=True)
        .first()
        or ""
    )


def organisation_claimable_list(*, user: Any) -> QuerySet[Organisation]:
    """Organisations whose responsibilities ``user`` may declare: those they write, their own
    and, for a steward, the organisations it stewards (``tenancy.writable``)."""
    return tenancy.writable(Organisation.objects.all(), user).order_by("name")


def organisation_writable_list(*, user: Any) -> QuerySet[Organisation]:
    """Organisations on whose behalf ``user`` may write (``tenancy.acting_organisations``)."""
    return tenancy.acting_organisations(user)


# --- Networks, memberships and the responsibility matrix --------------------------------------


def network_list(
    *,
    user: Any,
    county_code: str = "",
    kind: str = "",
    theme: str = "",
    query: str = "",
    include_national: bool = False,
) -> QuerySet[Network]:
    networks = tenancy.readable(
        Network.objects.select_related("county", "municipality", "convener", "owner"), user
    )
    if county_code:
        in_county = Q(county__code=county_code)
        if include_national:
            in_county |= Q(scope=Scope.NATIONAL)
        networks = networks.filter(in_county)
    if kind:
        networks = networks.filter(kind=kind)
    if theme:
        networks = networks.filter(themes__code=theme)
    if query:
        networks = networks.filter(name__icontains=query.strip())
    return networks.order_by("name").distinct()


def network_get(*, user: Any, slug: str) -> Network:
    return tenancy.get_readable_or_404(
        Network.objects.select_related("county", "municipality", "convener", "owner", "parent"),
        user,
        slug=slug,
    )


def membership_list(
    *, user: Any, network: Network | None = None, county_code: str = ""
) -> QuerySet[NetworkMembership]:
    memberships = tenancy.readable(
        NetworkMembership.objects.select_related(
            "organisation", "network", "owner"
        ).prefetch_related("roles"),
        user,
    )
    if network is not None:
        memberships = memberships.filter(network=network)
    if county_code:
        memberships = memberships.filter(network__county__code=county_code)
    return memberships.order_by("network__name", "organisation__name", "start_date")


def membership_is_current(membership: NetworkMembership, today: date | None = None) -> bool:
    today = today or date.today()
    return membership.end_date is None or membership.end_date >= today


LEADING = (Responsibility.LEADS, Responsibility.COORDINATES)


@dataclass
class ThemeSummary:
    theme: Theme
    leaders: list[Organisation] = field(default_factory=list)
    coordinators: list[Organisation] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        """No organisation leads or coordinates the theme."""
        return not self.leaders and not self.coordinators

    @property
    def overlap(self) -> bool:
        """Two or more organisations claim to lead the theme."""
        return len(self.leaders) >= 2


@dataclass
class MatrixRow:
    organisation: Organisation
    cells: list[list[str]]  # per theme (in column order), the responsibilities claimed
    roles: list[list[str]] = field(default_factory=list)  # per theme, the roles taken


@dataclass
class ResponsibilityMatrix:
    county: County
    themes: list[Theme]
    rows: list[MatrixRow]
    summaries: list[ThemeSummary]

    @property
    def gaps(self) -> list[ThemeSummary]:
        return [s for s in self.summaries if s.gap]

    @property
    def overlaps(self) -> list[ThemeSummary]:
        return [s for s in self.summaries if s.overlap]


def responsibility_matrix(*, user: Any, county: County) -> ResponsibilityMatrix:
    """Organisation × theme matrix of declared responsibilities in a county, with gaps
    (no one leads or coordinates) and overlaps (two or more lead)."""
    themes = list(Theme.objects.order_by("position", "name"))
    column = {theme.pk: index for index, theme in enumerate(themes)}
    claims = tenancy.readable(
        ResponsibilityClaim.objects.filter(county=county)
        .select_related("organisation")
        .prefetch_related("roles"),
        user,
    )
    rows: dict[int, MatrixRow] = {}
    summaries = [ThemeSummary(theme) for theme in themes]
    order = {value: index for index, value in enumerate(Responsibility.values)}
    for claim in claims.order_by("organisation__name"):
        row = rows.setdefault(
            claim.organisation_id,
            MatrixRow(claim.organisation, [[] for _t in themes], [[] for _t in themes]),
        )
        row.cells[column[claim.theme_id]].append(claim.responsibility)
        row.roles[column[claim.theme_id]] += [r.name for r in claim.roles.all()]
        summary = summaries[column[claim.theme_id]]
        if claim.responsibility == Responsibility.LEADS:
            summary.leaders.append(claim.organisation)
        elif claim.responsibility == Responsibility.COORDINATES:
            summary.coordinators.append(claim.organisation)
    for row in rows.values():
        for cell in row.cells:
            cell.sort(key=order.__getitem__)
    return ResponsibilityMatrix(county, themes, list(rows.values()), summaries)


def responsibility_matrix_records(matrix: ResponsibilityMatrix) -> list[dict[str, Any]]:
    """The matrix as flat rows (one per organisation) for tables and XLSX."""
    labels = dict(Responsibility.choices)
    records = []
    for row in matrix.rows:
        record: dict[str, Any] = {"organisation": row.organisation.name}
        for theme, cell, roles in zip(matrix.themes, row.cells, row.roles, strict=True):
            record[theme.code] = ", ".join(str(labels[c]) for c in cell)
            if roles:
                record[theme.code] += " (" + ", ".join(roles) + ")"
        records.append(record)
    return records


def responsibility_summary_records(matrix: ResponsibilityMatrix) -> list[dict[str, Any]]:
    return [
        {
            "theme": s.theme.code,
            "theme_name": s.theme.name,
            "leads": "; ".join(o.name for o in s.leaders),
            "coordinates": "; ".join(o.name for o in s.coordinators),
            "gap": s.gap,
            "overlap": s.overlap,
        }
        for s in matrix.summaries
    ]


POPOLO_CONTEXT = "http://www.popoloproject.com/specs/"


def network_popolo(*, user: Any, network: Network) -> dict[str, Any]:
    """The network as Popolo JSON: organisations (members and the network itself) and
    memberships whose member is an organisation (``member_id``), with role and dates."""
    return networks_popolo(
        networks=[network], memberships=list(membership_list(user=user, network=network))
    )


def networks_popolo(
    *, networks: list[Network], memberships: list[NetworkMembership]
) -> dict[str, Any]:
    organisations = {m.organisation_id: m.organisation for m in memberships}

    def org_record(org: Organisation) -> dict[str, Any]:
        return {
            "id": f"organization/{org.code}",
            "name": org.name,
            "classification": org.get_kind_display(),
            "identifiers": [{"scheme": "samverkan", "identifier": org.code}]
            + ([{"scheme": "orgnr", "identifier": org.org_number}] if org.org_number else []),
        }

    records = []
    for m in memberships:
        network_id = f"network/{m.network.slug}"
        roles = [r.name for r in m.roles.all()] or [""]
        for role in roles:
            member_id = f"organization/{m.organisation.code}"
            record = {
                "id": f"membership/{m.pk}" + (f"/{slugify(role)}" if role else ""),
                "member": {"@type": "Organization", "id": member_id},
                "member_id": member_id,
                "organization_id": network_id,
                "role": role,
            }
            if m.start_date:
                record["start_date"] = m.start_date.isoformat()
            if m.end_date:
                record["end_date"] = m.end_date.isoformat()
            records.append(record)
    return {
        "@context": POPOLO_CONTEXT,
        "organizations": [
            *(_popolo_network(n) for n in networks),
            *(org_record(o) for o in organisations.values()),
        ],
        "memberships": records,
    }


def _popolo_network(network: Network) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"network/{network.slug}",
        "name": network.name,
        "classification": network.get_kind_display(),
        "identifiers": [{"scheme": "samverkan", "identifier": network.slug}],
    }
    if network.start_date:
        record["founding_date"] = network.start_date.isoformat()
    if network.end_date:
        record["dissolution_date"] = network.end_date.isoformat()
    if network.parent_id:
        record["parent_id"] = f"network/{network.parent.slug}"  # type: ignore[union-attr]
    return record


SUMMARY_COLUMNS = ("theme", "theme_name", "leads", "coordinates", "gap", "overlap")


def responsibility_matrix_sheets(
    matrix: ResponsibilityMatrix,
) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
    """XLSX sheets: the matrix itself, then gaps and overlaps per theme."""
    columns = ("organisation", *(t.code for t in matrix.themes))
    return [
        ("Ansvarsmatris", columns, responsibility_matrix_records(matrix)),
        ("Luckor och överlapp", SUMMARY_COLUMNS, responsibility_summary_records(matrix)),
    ]


def county_overview(*, user: Any, county: County) -> dict[str, Any]:
    """The county's integration-policy situation ("det integrationspolitiska läget") as data:
    organisations by sector, networks with members, and the responsibility matrix."""
    organisations = organisation_list(user=user, county_code=county.code)
    networks = network_list(user=user, county_code=county.code).prefetch_related("themes")
    memberships = membership_list(user=user, county_code=county.code)
    matrix = responsibility_matrix(user=user, county=county)
    by_sector: dict[str, int] = {}
    for sector in organisations.values_list("sector", flat=True):
        by_sector[sector] = by_sector.get(sector, 0) + 1
    return {
        "county": {"code": county.code, "name": county.name},
        "organisations_by_sector": by_sector,
        "organisations": [
            {
                "code": o.code,
                "name": o.name,
                "kind": o.kind,
                "sector": o.sector,
                "municipality_code": o.municipality.code if o.municipality else "",
            }
            for o in organisations
        ],
        "networks": [network_record(n) for n in networks],
        "memberships": [membership_record(m) for m in memberships],
        "responsibility_matrix": responsibility_matrix_records(matrix),
        "themes": responsibility_summary_records(matrix),
        "gaps": [s.theme.code for s in matrix.gaps],
        "overlaps": [s.theme.code for s in matrix.overlaps],
    }


def network_record(network: Network) -> dict[str, Any]:
    return {
        "slug": network.slug,
        "name": network.name,
        "kind": network.kind,
        "scope": network.scope,
        "county_code": network.county.code if network.county else "",
        "municipality_code": network.municipality.code if network.municipality else "",
        "convener_code": network.convener.code if network.convener else "",
        "owner_code": network.owner.code,
        "themes": ";".join(t.code for t in network.themes.all()),
        "purpose": network.purpose,
        "start_date": network.start_date.isoformat() if network.start_date else "",
        "end_date": network.end_date.isoformat() if network.end_date else "",
        "parent_slug": network.parent.slug if network.parent_id else "",  # type: ignore[union-attr]
        "source": network.source,
    }


def membership_record(membership: NetworkMembership) -> dict[str, Any]:
    return {
        "network_slug": membership.network.slug,
        "organisation_code": membership.organisation.code,
        "organisation_name": membership.organisation.name,
        "roles": ";".join(r.code for r in membership.roles.all()),
        "start_date": membership.start_date.isoformat() if membership.start_date else "",
        "end_date": membership.end_date.isoformat() if membership.end_date else "",
        "note": membership.note,
        "source": membership.source,
    }


@dataclass
class InterfaceSide:
    mandate: Any
    actors: list[str]  # names of the organisations holding the mandate in the county


@dataclass
class CountyInterface:
    interface: Any
    side_a: InterfaceSide
    side_b: InterfaceSide


def _mandate_actors(mandate: Any, county: County, by_kind: dict[str, list[str]]) -> list[str]:
    """Who holds a mandate in the county: its named organisation, else the county's
    organisations of its kind (looked up once per kind, in ``by_kind``)."""
    if mandate.organisation_id:
        return [mandate.organisation.name]
    kind = mandate.holder_kind
    if kind not in by_kind:
        holders = Organisation.objects.filter(kind=kind, county=county)
        if kind == OrganisationKind.MUNICIPALITY:
            by_kind[kind] = [_("Länets %(n)d kommuner") % {"n": holders.count()}]
        else:
            by_kind[kind] = list(holders.order_by("name").values_list("name", flat=True))
    return by_kind[kind]


def county_mandates(*, user: Any, county: County) -> dict[str, Any]:
    """The mandates that reach into a county (national ones and the county's own), and the
    interfaces and gaps between them, each side named by the county's own actors."""
    from samverkan.actors.models import Interface, Mandate

    in_county = Q(county__isnull=True) | Q(county=county)
    mandates = tenancy.readable(
        Mandate.objects.filter(in_county).select_related("organisation"), user
    )
    interfaces = tenancy.readable(
        Interface.objects.filter(in_county).select_related(
            "side_a__organisation", "side_b__organisation"
        ),
        user,
    )
    by_kind: dict[str, list[str]] = {}
    rows = [
        CountyInterface(
            i,
            InterfaceSide(i.side_a, _mandate_actors(i.side_a, county, by_kind)),
            InterfaceSide(i.side_b, _mandate_actors(i.side_b, county, by_kind)),
        )
        for i in interfaces
    ]
    return {
        "mandates": [(m, _mandate_actors(m, county, by_kind)) for m in mandates],
        "interfaces": [r for r in rows if r.interface.kind == "interface"],
        "gaps": [r for r in rows if r.interface.kind == "gap"],
    }


# --- Agreements and the meetings held under them ----------------------------------------------

MEETING_SECTORS = (
    ("public", "attendance_public"),
    ("civil_society", "attendance_civil_society"),
    ("private", "attendance_private"),
    ("academia", "attendance_academia"),
)


def agreement_list(
    *, user: Any, kind: str = "", county_code: str = "", query: str = ""
) -> QuerySet[Agreement]:
    """Agreements ``user`` may read; a county's list includes the national agreements."""
    agreements = tenancy.readable(
        Agreement.objects.select_related("county", "municipality", "responsible", "owner"), user
    )
    if kind:
        agreements = agreements.filter(kind=kind)
    if county_code:
        agreements = agreements.filter(Q(county__code=county_code) | Q(kind=AgreementKind.NATIONAL))
    if query:
        agreements = agreements.filter(name__icontains=query.strip())
    return agreements.order_by("kind", "name")


def agreement_get(*, user: Any, slug: str) -> Agreement:
    return tenancy.get_readable_or_404(
        Agreement.objects.select_related(
            "county", "municipality", "responsible", "owner", "network"
        ),
        user,
        slug=slug,
    )


def agreement_parties(*, agreement: Agreement) -> list[AgreementParty]:
    return list(agreement.parties.select_related("organisation").order_by("pk"))


def meeting_list(
    *, user: Any, network: Network | None = None, county_code: str = ""
) -> QuerySet[Meeting]:
    """Meetings of the networks ``user`` may read."""
    meetings = Meeting.objects.filter(
        network__in=tenancy.readable(Network.objects.all(), user)
    ).select_related("network", "network__county")
    if network is not None:
        meetings = meetings.filter(network=network)
    if county_code:
        meetings = meetings.filter(network__county__code=county_code)
    return meetings.order_by(F("date").asc(nulls_last=True), "place")


def agreement_meetings(*, user: Any, agreement: Agreement) -> list[Meeting]:
    """The meetings and conferences held under the agreement (its network's), oldest first;
    none when the agreement has no network or ``user`` may not read it."""
    if agreement.network_id is None:
        return []
    return list(meeting_list(user=user, network=agreement.network))


@dataclass
class AttendanceSummary:
    """Attendance over several meetings, by sector: the sum of the counts given and how many
    meetings gave one. A count a meeting does not give is not taken as 0."""

    meetings: int
    by_sector: dict[str, tuple[int, int]]  # sector -> (sum of known counts, meetings counted)
    total: int
    total_counted: int
    approximate: bool
    notes: list[str]


def meeting_attendance_summary(meetings: list[Meeting]) -> AttendanceSummary:
    by_sector = {}
    for sector, field_name in MEETING_SECTORS:
        known = [getattr(m, field_name) for m in meetings if getattr(m, field_name) is not None]
        by_sector[sector] = (sum(known), len(known))
    totals = [m.attendance for m in meetings if m.attendance is not None]
    notes = list(dict.fromkeys(m.attendance_note for m in meetings if m.attendance_note))
    return AttendanceSummary(
        meetings=len(meetings),
        by_sector=by_sector,
        total=sum(totals),  # type: ignore[arg-type]
        total_counted=len(totals),
        approximate=any(m.attendance_approximate for m in meetings),
        notes=notes,
    )


def agreement_record(agreement: Agreement, *, meetings: list[Meeting]) -> dict[str, Any]:
    """One agreement as a flat record (CSV, XLSX) with its parties and principles joined."""
    summary = meeting_attendance_summary(meetings)
    return {
        "slug": agreement.slug,
        "name": agreement.name,
        "kind": agreement.kind,
        "county_code": agreement.county.code if agreement.county else "",
        "municipality_code": agreement.municipality.code if agreement.municipality else "",
        "responsible": agreement.responsible.code if agreement.responsible else "",
        "responsible_note": agreement.responsible_note,
        "start": agreement.start_label if agreement.start_date else "",
        "end": agreement.end_label if agreement.end_date else "",
        "period_note": agreement.period_note,
        "parties": "; ".join(
            f"{p.display_name} ({p.get_role_display()})" for p in agreement.parties.all()
        ),
        "principles": "; ".join(p.name for p in agreement.principles.all()),
        "network_slug": agreement.network.slug if agreement.network else "",
        "meetings": summary.meetings,
        "attendance_counted": summary.total if summary.total_counted else None,
        "illustrative": agreement.illustrative,
        "source": agreement.source,
    }


def meeting_record(meeting: Meeting) -> dict[str, Any]:
    """One meeting as a flat record; an unknown date or count is empty (null), never 0."""
    agreement = getattr(meeting.network, "agreement", None)

    def count(value: int | None) -> int | None:
        return value  # None (empty in CSV, null in JSON) when unknown, never 0

    return {
        "network_slug": meeting.network.slug,
        "agreement_slug": agreement.slug if agreement else "",
        "date": meeting.date.isoformat() if meeting.date else None,
        "place": meeting.place,
        "topic": meeting.topic,
        "arrangers": meeting.arrangers,
        "attendance_public": count(meeting.attendance_public),
        "attendance_civil_society": count(meeting.attendance_civil_society),
        "attendance_private": count(meeting.attendance_private),
        "attendance_academia": count(meeting.attendance_academia),
        "attendance_total": count(meeting.attendance),
        "attendance_approximate": meeting.attendance_approximate,
        "attendance_note": meeting.attendance_note,
        "source": meeting.source,
    }
