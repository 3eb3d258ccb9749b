"""The opening chapter of county and national reports: the hubs' key figures (registered by
the reports app)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from samverkan.core.hub import COUNTY as HUB_COUNTY
from samverkan.core.hub import Area, HubSection, hub_sections
from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import COUNTY, NATIONAL, Period, Scope, register_section
from samverkan.geo.models import County

GAP = "–"


def _county_hub(county: County, user: Any) -> list[HubSection]:
    area = Area(kind=HUB_COUNTY, code=county.code, name=county.name, county_code=county.code)
    return [s for s in hub_sections(area=area, user=user) if s.key != "reports"]


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


@register_section(
    "summary",
    "Sammanfattning",
    kinds=(COUNTY, NATIONAL),
    position=5,
    summary=gettext_lazy(
        "Nyckeltalen som länssidan visar dem och vilka områden som saknar uppgifter; i en "
        "nationell rapport samma nyckeltal för vart och ett av länen."
    ),
)
def summary_section(scope: Scope, period: Period, user: Any) -> Section:
    """The key figures as the county hub shows them (at the report's data state): for a
    county its own, with the areas that have nothing registered; for the nation one row per
    county, as the regions' reports were compiled into one national text."""
    section = Section("summary", "Sammanfattning")
    if scope.kind == NATIONAL:
        _national_summary(section, period, user)
        return section
    county = scope.county
    if county is None:
        return section
    hub = _county_hub(county, user)
    figures = [(_capitalised(f.label), f.value) for s in hub for f in s.figures]
    section.paragraph(
        f"Nyckeltalen visar läget i {county.name} vid rapportens dataläge; avsnitten som följer "
        f"gäller perioden {period.label}."
    )
    section.table(
        "Nyckeltal för länet", ["Nyckeltal", "Antal"], [[label, value] for label, value in figures]
    )
    empty = [s.title for s in hub if s.empty]
    if empty:
        section.paragraph("Inget registrerat ännu: " + ", ".join(empty) + ".", note=True)
    return section


def _national_summary(section: Section, period: Period, user: Any) -> None:
    """One row per county with the figures its hub shows; a figure a county's hub does not
    show is a gap, not 0."""
    labels: dict[str, None] = {}
    rows: list[tuple[str, dict[str, Any], list[str]]] = []
    for county in County.objects.order_by("code"):
        hub = _county_hub(county, user)
        values = {}
        for hub_section in hub:
            for figure in hub_section.figures:
                label = _capitalised(figure.label)
                labels.setdefault(label, None)
                values[label] = figure.value
        rows.append((county.name, values, [s.title for s in hub if s.empty]))
    section.paragraph(
        "Nyckeltalen visar läget i varje län vid rapportens dataläge, som länssidorna visar "
        f"dem; avsnitten som följer gäller perioden {period.label}. Ett streck betyder att "
        "länssidan inte visar nyckeltalet för länet."
    )
    section.table(
        "Nyckeltal per län",
        ["Län", *labels],
        [[name, *(values.get(label, GAP) for label in labels)] for name, values, _empty in rows],
    )
    by_area: dict[str, list[str]] = {}
    for name, _values, areas in rows:
        for area in areas:
            by_area.setdefault(area, []).append(name.removesuffix(" län"))
    if by_area:
        section.table(
            "Områden där inget är registrerat ännu",
            ["Område", "Län utan uppgifter"],
            [
                [
                    area,
                    "Alla län"
                    if len(names) == len(rows)
                    else f"{', '.join(names)} ({len(names)} av {len(rows)} län)",
                ]
                for area, names in by_area.items()
            ],
        )
