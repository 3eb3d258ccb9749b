"""The "Projekt" report section, registered with the reports app's section registry."""

from __future__ import annotations

from typing import Any

from samverkan.core.reach import reach_summary
from samverkan.projects import selectors
from samverkan.reports.document import Section
from samverkan.reports.sections import COUNTY, NETWORK, Period, Scope, register_section

CODE, TITLE = "projects", "Projekt"
GAP = "–"


def _kronor(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


@register_section(CODE, TITLE, position=25)
def projects_section(scope: Scope, period: Period, user: Any) -> Section:
    """Readable projects running during the period in the county, the country or (for a
    network) owned by the network's member organisations."""
    section = Section(CODE, TITLE)
    projects = selectors.project_list(user=user).filter(
        period.dates_overlap_q("start_date", "end_date")
    )
    county_code = ""
    if scope.kind == COUNTY and scope.county is not None:
        county_code = scope.county.code
        projects = projects.filter(county=scope.county)
    elif scope.kind == NETWORK and scope.network is not None:
        projects = projects.filter(owner__network_memberships__network=scope.network).distinct()
    found = list(projects.order_by("title", "pk"))
    if not found:
        empty = (
            "Nätverkets medlemmar har inga registrerade projekt som pågick under perioden."
            if scope.kind == NETWORK
            else "Inga projekt är registrerade för området under perioden."
        )
        section.paragraph(empty, note=True)
        return section
    budget = sum(p.budget or 0 for p in found)
    section.paragraph(
        f"{len(found)} projekt pågick under perioden, med en sammanlagd budget på "
        f"{_kronor(budget)}."
    )

    coverage = selectors.project_coverage(user=user, county_code=county_code, within=projects)
    section.heading("Projekt per tema och målgrupp")
    section.table(
        "Antal projekt per tema och målgrupp",
        ["Tema", *(g.name for g in coverage.target_groups)],
        [
            [theme.name, *(GAP if cell.gap else cell.count for cell in cells)]
            for theme, cells in coverage.rows()
        ],
        "Inga teman eller målgrupper finns.",
    )
    section.paragraph(
        f"{GAP} betyder en lucka: inget projekt med det temat riktade sig till den målgruppen "
        f"({len(coverage.gaps)} luckor)."
    )

    reach = reach_summary(found)
    section.heading("Vilka nåddes? Deltagare och medel per kön och bakgrund")
    if reach.projects:
        section.table(
            "Deltagare och medel per grupp",
            [
                "Grupp",
                "Deltagare",
                "Projekt som anger antalet",
                "Medel (kr)",
                "Projekt som anger beloppet",
            ],
            [
                [
                    row.label,
                    row.participants if row.participants_reported else "okänt",
                    row.participants_reported,
                    _kronor(row.money) if row.money_reported else "okänt",
                    row.money_reported,
                ]
                for row in reach.rows
            ],
        )
        section.paragraph(
            f"Enligt {reach.projects} av {len(found)} projekt som redovisat deltagare eller medel "
            "per grupp; en siffra som ett projekt inte anger räknas som okänd, inte som noll."
        )
    else:
        section.paragraph(
            "Inget av projekten har redovisat deltagare eller medel per kön eller bakgrund.",
            note=True,
        )

    examples = [p for p in found if p.good_example]
    section.heading("Lärande exempel")
    section.table(
        "Lärande exempel",
        ["Projekt", "Ägare", "Sammanfattning"],
        [[p.title, p.owner.name, p.summary] for p in examples],
        "Inga projekt är utvalda som lärande exempel.",
    )

    section.paragraph(
        f"Källor: projektbanken i Samverkan ({len(found)} projekt som du har behörighet att läsa)."
    )
    for p in found:
        section.cite(p.title, p.source or f"Projektbanken i Samverkan: {p.title}")
    return section
