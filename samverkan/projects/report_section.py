"""The "Projekt" report section, and the mapping rounds of the surveys chapter (core.reporting)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from samverkan.core.models import REACH_FIELDS
from samverkan.core.numbers import kronor
from samverkan.core.reach import reach_summary
from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    COUNTY,
    NETWORK,
    Period,
    Scope,
    register_section,
    register_section_part,
)
from samverkan.projects import selectors

CODE, TITLE = "projects", "Projekt"
# The projects are listed one by one up to this many (a county's own, a few dozen to a few
# hundred); beyond it the report lists the first by theme and points to the knowledge bank.
MAX_LISTED = 300
GAP = "–"


def _period(project: Any) -> str:
    """ "2011-09-01 – 2013-06-30"; a date the source does not give is "okänt", never invented."""
    start = project.start_date.isoformat() if project.start_date else "okänt"
    if project.end_date:
        end = project.end_date.isoformat()
    else:
        end = "pågår" if project.status == "ongoing" else "okänt"
    return f"{start} – {end}"


def _first_theme(project: Any) -> str:
    names = sorted(t.name for t in project.themes.all())
    return names[0] if names else "Utan tema"


@register_section(
    CODE,
    TITLE,
    position=25,
    summary=gettext_lazy(
        "Projekten under perioden per tema med ägare, period, budget och status, de goda "
        "exemplen beskrivna, och deltagare och medel per kön och bakgrund."
    ),
)
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
    totals = projects.aggregate(n=Count("pk", distinct=True), budget=Sum("budget"))
    count = totals["n"] or 0
    found = list(
        projects.select_related("owner")
        .prefetch_related("themes")
        .order_by("title", "pk")[:MAX_LISTED]
    )
    if not found:
        empty = (
            "Nätverkets medlemmar har inga registrerade projekt som pågick under perioden."
            if scope.kind == NETWORK
            else "Inga projekt är registrerade för området under perioden."
        )
        section.paragraph(empty, note=True)
        return section
    section.paragraph(
        f"{count} projekt pågick under perioden, med en sammanlagd budget på "
        f"{kronor(int(totals['budget'] or 0), keep_together=True)}."
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

    any_reach = Q()
    for name in REACH_FIELDS:
        any_reach |= Q(**{f"{name}__isnull": False})
    with_reach = projects.filter(any_reach).select_related(None).prefetch_related(None)
    reach = reach_summary(with_reach.only(*REACH_FIELDS))
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
                    kronor(row.money, keep_together=True) if row.money_reported else "okänt",
                    row.money_reported,
                ]
                for row in reach.rows
            ],
        )
        section.paragraph(
            f"Enligt {reach.projects} av {count} projekt som redovisat deltagare eller medel "
            "per grupp; en siffra som ett projekt inte anger räknas som okänd, inte som noll."
        )
    else:
        section.paragraph(
            "Inget av projekten har redovisat deltagare eller medel per kön eller bakgrund.",
            note=True,
        )

    section.heading("Projekten")
    listed = sorted(((_first_theme(p), p) for p in found), key=lambda tp: (tp[0], tp[1].title))
    section.table(
        "Projekt per tema (ett projekt står under sitt första tema)",
        ["Tema", "Projekt", "Ägare", "Period", "Budget", "Status"],
        [
            [
                theme,
                p.title,
                p.owner.name,
                _period(p),
                kronor(p.budget, keep_together=True) if p.budget else "okänd",
                p.get_status_display(),
            ]
            for theme, p in listed
        ],
    )
    if count > MAX_LISTED:
        section.paragraph(
            f"Tabellen visar de första {MAX_LISTED} av {count} projekt i bokstavsordning; "
            "alla finns i kunskapsbanken i Samverkan, där de kan filtreras och laddas ner.",
            note=True,
        )

    examples = list(
        projects.filter(good_example=True).select_related("owner").order_by("title")[:MAX_LISTED]
    )
    section.heading("Lärande exempel")
    section.table(
        "Lärande exempel",
        ["Projekt", "Ägare", "Sammanfattning"],
        [[p.title, p.owner.name, p.summary] for p in examples],
        "Inga projekt är utvalda som lärande exempel.",
    )

    section.paragraph(
        f"Källor: projektbanken i Samverkan ({count} projekt som du har behörighet att läsa)."
    )
    for p in found:
        section.cite(p.title, p.source or f"Projektbanken i Samverkan: {p.title}")
    return section


# --- Mapping rounds, a part of the surveys chapter ---


@register_section_part("surveys", position=10)
def mapping_rounds_part(section: Section, scope: Scope, period: Period, user: Any) -> None:
    """Mapping rounds held during the period, in the surveys chapter of county and national
    reports: who was asked, who answered, what came of it."""
    if scope.kind == NETWORK:
        return
    rounds = selectors.mapping_round_list(
        user=user, county_code=scope.county.code if scope.county else ""
    ).filter(start_date__gte=period.first_day, start_date__lte=period.last_day)
    rows = []
    for mapping in rounds:
        answered = "; ".join(
            f"{g.label}: {selectors.mapping_group_text(g)}"
            + (
                " (svarade inte: " + ", ".join(o.name for o in g.non_respondents.all()) + ")"
                if g.non_respondents.all()
                else ""
            )
            for g in mapping.groups.all()
        )
        reported = mapping.projects_reported
        rows.append(
            [
                mapping.title,
                mapping.owner.name,
                answered,
                "okänt" if reported is None else reported,
            ]
        )
        section.cite(mapping.title, mapping.source)
    if rows:
        section.heading("Kartläggningar")
        section.table(
            "Kartläggningar under perioden",
            ["Kartläggning", "Genomförd av", "Tillfrågade och svar", "Inrapporterade projekt"],
            rows,
        )
