"""The "Aktörer" and "Nätverk och ansvarsfördelning" report sections."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from samverkan.actors.models import OrganisationKind, Sector
from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    NATIONAL,
    NETWORK,
    Period,
    Scope,
    label_of,
    register_section,
)
from samverkan.geo.models import County

logger = logging.getLogger(__name__)

# --- Organisations ------------------------------------------------------------------------------


@register_section(
    "organisations",
    "Aktörer",
    position=10,
    summary=gettext_lazy("Organisationerna per sektor och slag; för ett nätverk dess medlemmar."),
)
def organisations_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.actors import selectors

    section = Section("organisations", "Aktörer")
    if scope.kind == NETWORK and scope.network is not None:
        members = selectors.membership_list(user=user, network=scope.network).filter(
            period.dates_overlap_q("start_date", "end_date")
        )
        rows = [
            [
                m.organisation.name,
                label_of(OrganisationKind.choices, m.organisation.kind),
                ", ".join(r.name for r in m.roles.all()),
                m.start_date,
                m.end_date,
            ]
            for m in members
        ]
        section.paragraph(f"{len(rows)} organisationer var medlemmar i nätverket under perioden.")
        section.table(
            "Medlemmar",
            ["Organisation", "Typ", "Roller", "Från", "Till"],
            rows,
            "Nätverket har inga registrerade medlemmar under perioden.",
        )
        for m in members:
            section.cite(f"Medlemskap: {m.organisation.name}", m.source)
        return section
    organisations = selectors.organisation_list(
        user=user, county_code=scope.county.code if scope.county else ""
    )
    total = organisations.count()
    if not total:
        section.paragraph("Inga aktörer är registrerade för området.", note=True)
        return section
    section.paragraph(f"{total} aktörer är registrerade.")
    by_sector = dict(
        organisations.order_by()
        .values_list("sector")
        .annotate(n=Count("id"))
        .values_list("sector", "n")
    )
    section.table(
        "Aktörer per sektor",
        ["Sektor", "Antal"],
        [[label, by_sector.get(value, 0)] for value, label in Sector.choices],
    )
    if scope.kind == NATIONAL:
        per_county = dict(
            organisations.order_by()
            .values_list("county__short_name")
            .annotate(n=Count("id"))
            .values_list("county__short_name", "n")
        )
        section.table(
            "Aktörer per län",
            ["Län", "Antal"],
            [[c.name, per_county.get(c.short_name, 0)] for c in County.objects.order_by("code")],
        )
        return section
    section.table(
        "Aktörer",
        ["Organisation", "Typ", "Sektor", "Kommun"],
        [
            [
                o.name,
                label_of(OrganisationKind.choices, o.kind),
                label_of(Sector.choices, o.sector),
                o.municipality.name if o.municipality else "",
            ]
            for o in organisations
        ],
    )
    for o in organisations:
        section.cite(o.name, o.source)
    return section


# --- Networks and the responsibility matrix ----------------------------------------------------


@register_section(
    "networks",
    "Nätverk och ansvarsfördelning",
    position=20,
    summary=gettext_lazy(
        "Nätverken, ansvarsmatrisen (tema × målgrupp) med luckor och överlapp, avtal och "
        "möten under perioden."
    ),
)
def networks_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.actors import selectors

    section = Section("networks", "Nätverk och ansvarsfördelning")
    networks = selectors.network_list(
        user=user, county_code=scope.county.code if scope.county else ""
    ).filter(period.dates_overlap_q("start_date", "end_date"))
    if scope.kind == NETWORK and scope.network is not None:
        networks = networks.filter(Q(pk=scope.network.pk) | Q(parent=scope.network))
    networks = networks.prefetch_related("themes").annotate(
        members=Count("memberships", distinct=True)
    )
    rows = [
        [
            n.name,
            n.get_kind_display(),
            n.convener.name if n.convener else "",
            ", ".join(t.name for t in n.themes.all()),
            n.members,
        ]
        for n in networks
    ]
    section.table(
        "Nätverk, råd och partnerskap",
        ["Namn", "Typ", "Sammankallande", "Teman", "Medlemmar"],
        rows,
        "Inga nätverk är registrerade för området under perioden.",
    )
    for n in networks:
        section.cite(n.name, n.source)
    if scope.kind != NETWORK:
        _agreements_table(section, scope, period, user)
    if scope.kind == NETWORK and scope.network is not None:
        meetings = scope.network.meetings.filter(
            date__gte=period.first_day, date__lte=period.last_day
        )
        section.heading("Möten")
        section.table(
            "Möten under perioden",
            ["Datum", "Plats", "Ämne", "Deltagare"],
            [[m.date, m.place, m.topic, m.attendance] for m in meetings],
            "Inga möten är registrerade under perioden.",
        )
        return section
    counties = [scope.county] if scope.county else list(County.objects.order_by("code"))
    if scope.kind == NATIONAL:
        section.heading("Luckor i ansvarsfördelningen per län")
        gap_rows = []
        unmapped = []  # counties where no organisation has stated a responsibility
        for county in counties:
            matrix = selectors.responsibility_matrix(user=user, county=county)
            if not matrix.rows:
                unmapped.append(county.name.removesuffix(" län"))
                continue
            gap_rows.append(
                [
                    county.name,
                    len(matrix.rows),
                    ", ".join(s.theme.name for s in matrix.gaps) or "–",
                    ", ".join(s.theme.name for s in matrix.overlaps) or "–",
                ]
            )
        section.table(
            "Luckor och överlapp per län",
            ["Län", "Organisationer med ansvar", "Luckor (ingen leder)", "Överlapp"],
            gap_rows,
            "Inget län har någon ansvarsfördelning registrerad.",
        )
        if unmapped:
            section.paragraph(
                f"Ingen ansvarsfördelning är registrerad i {len(unmapped)} av {len(counties)} "
                f"län: {', '.join(unmapped)}. Där är varje tema en lucka tills organisationerna "
                "anger sitt ansvar.",
                note=True,
            )
        return section
    matrix = selectors.responsibility_matrix(user=user, county=counties[0])
    section.heading("Ansvarsmatris")
    if not matrix.rows:
        section.paragraph("Inga organisationer har angett ansvar för något tema.", note=True)
    else:
        labels = {value: str(label) for value, label in selectors.Responsibility.choices}
        section.table(
            "Ansvar per organisation och tema",
            ["Organisation", *(t.name for t in matrix.themes)],
            [
                [row.organisation.name, *(", ".join(labels[c] for c in cell) for cell in row.cells)]
                for row in matrix.rows
            ],
        )
    if matrix.gaps:
        section.paragraph(
            "Luckor – ingen organisation leder eller samordnar: "
            + ", ".join(s.theme.name for s in matrix.gaps)
            + "."
        )
    if matrix.overlaps:
        section.paragraph(
            "Överlapp – flera organisationer leder: "
            + "; ".join(
                f"{s.theme.name} ({', '.join(o.name for o in s.leaders)})" for s in matrix.overlaps
            )
            + "."
        )
    return section


def _agreements_table(section: Section, scope: Scope, period: Period, user: Any) -> None:
    """The agreements in force in the area during the period (a county's list includes the
    national ones), with their parties and the meetings held under them."""
    from samverkan.actors import selectors

    agreements = (
        selectors.agreement_list(user=user, county_code=scope.county.code if scope.county else "")
        .filter(period.dates_overlap_q("start_date", "end_date"))
        .prefetch_related("parties__organisation")
    )
    rows = []
    for a in agreements:
        meetings = [
            m
            for m in selectors.agreement_meetings(user=user, agreement=a)
            if m.date is not None and period.first_day <= m.date <= period.last_day
        ]
        rows.append(
            [
                a.name,
                a.get_kind_display(),
                ", ".join(p.display_name for p in a.parties.all() if p.role == "party") or "okänt",
                a.start_label if a.start_date else "okänt",
                len(meetings),
            ]
        )
        section.cite(a.name, a.source)
    section.heading("Överenskommelser")
    section.table(
        "Överenskommelser (nationella, RÖK, LÖK och IOP)",
        ["Överenskommelse", "Typ", "Parter", "Från", "Möten under perioden"],
        rows,
        "Inga överenskommelser är registrerade för området under perioden.",
    )
