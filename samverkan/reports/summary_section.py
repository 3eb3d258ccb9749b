"""The county report's opening chapter: the hub's key figures (registered by the reports app)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _lazy

from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    COUNTY,
    Period,
    Scope,
    register_section,
)

logger = logging.getLogger(__name__)

# --- Summary ------------------------------------------------------------------------------------


@register_section(
    "summary",
    "Sammanfattning",
    kinds=(COUNTY,),
    position=5,
    summary=_lazy(
        "Länets nyckeltal som länssidan visar dem, och vilka områden som saknar uppgifter."
    ),
)
def summary_section(scope: Scope, period: Period, user: Any) -> Section:
    """The county's key figures as its hub shows them (at the report's data state), and
    which of the hub's areas have nothing registered."""
    from samverkan.core.hub import COUNTY as HUB_COUNTY
    from samverkan.core.hub import Area, hub_sections

    section = Section("summary", "Sammanfattning")
    county = scope.county
    if county is None:
        return section
    area = Area(kind=HUB_COUNTY, code=county.code, name=county.name, county_code=county.code)
    hub = [s for s in hub_sections(area=area, user=user) if s.key != "reports"]
    figures = [(f.label[:1].upper() + f.label[1:], f.value) for s in hub for f in s.figures]
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
