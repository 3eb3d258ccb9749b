"""The "Enkäter och kartläggningar" report section: the period's survey rounds compiled."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy

from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    NETWORK,
    Period,
    Scope,
    register_section,
)

logger = logging.getLogger(__name__)

# --- Surveys ------------------------------------------------------------------------------------


@register_section(
    "surveys",
    "Enkäter och kartläggningar",
    position=30,
    summary=gettext_lazy(
        "Periodens utskick med svarsfrekvens och namngivna svarande, och kartläggningarna: "
        "vilka som tillfrågades och vilka som svarade."
    ),
)
def surveys_section(scope: Scope, period: Period, user: Any) -> Section:
    from samverkan.surveys import selectors

    section = Section("surveys", "Enkäter och kartläggningar")
    campaigns = selectors.campaign_list(user=user).filter(
        deadline__gte=period.first_day, deadline__lte=period.last_day
    )
    if scope.kind == NETWORK and scope.network is not None:
        campaigns = campaigns.filter(owner_id=scope.network.owner_id)
    county = scope.county.code if scope.county else ""
    shown = 0
    for campaign in campaigns.order_by("deadline", "pk"):
        compilation = selectors.campaign_compile(campaign=campaign, county=county)
        if not compilation["respondents_total"]:
            continue
        shown += 1
        section.heading(campaign.title)
        text = f"{compilation['responded']} av {compilation['respondents_total']} har svarat."
        if compilation["missing"]:
            text += " Saknas: " + ", ".join(compilation["missing"]) + "."
        section.paragraph(text)
        for question in compilation["questions"]:
            label = question["label"] or question["name"]
            if "counts" in question:
                rows = [
                    [
                        question["labels"][name],
                        count,
                        ", ".join(question["respondents"][name]),
                    ]
                    for name, count in question["counts"].items()
                ]
                section.table(label, ["Svar", "Antal", "Svarande"], rows, "Inga svar.")
            else:
                rows = [[who, str(text)] for who, text in question["answers"].items()]
                section.table(label, ["Svarande", "Svar"], rows, "Inga svar.")
        section.cite(campaign.title, campaign.source or f"Enkät i Samverkan: {campaign.title}")
    if not shown:
        section.paragraph(
            "Inga enkäter med svarande i området avslutades under perioden.", note=True
        )
    return section
