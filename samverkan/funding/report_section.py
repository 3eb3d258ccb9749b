"""The "Finansiering" report section: what was granted in the report's area during its
period, call by call (registered with the reports app's section registry)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from samverkan.core.numbers import kronor
from samverkan.core.reporting.document import Section
from samverkan.core.reporting.registry import (
    COUNTY,
    NETWORK,
    Period,
    Scope,
    register_section,
)
from samverkan.funding import access
from samverkan.funding.models import Application, Outcome

CODE, TITLE = "funding", "Finansiering"


@register_section(
    CODE,
    TITLE,
    position=45,
    summary=gettext_lazy("Beviljade medel under perioden, utlysning för utlysning."),
)
def funding_section(scope: Scope, period: Period, user: Any) -> Section:
    """Applications decided during the period (readable to the reader): per call the number
    of applications decided, granted, and the sum granted."""
    section = Section(CODE, TITLE)
    decided = access.applications_readable(Application.objects.all(), user).filter(
        decision__decided_at__date__gte=period.first_day,
        decision__decided_at__date__lte=period.last_day,
    )
    if scope.kind == COUNTY and scope.county is not None:
        decided = decided.filter(county=scope.county)
    elif scope.kind == NETWORK and scope.network is not None:
        decided = decided.filter(owner__network_memberships__network=scope.network).distinct()
    granted_q = Q(decision__outcome__in=[Outcome.GRANTED, Outcome.PARTLY])
    rows = list(
        decided.values("call__title", "call__owner__name")
        .annotate(
            n=Count("pk", distinct=True),
            granted=Count("pk", filter=granted_q, distinct=True),
            amount=Sum("decision__amount", filter=granted_q),
        )
        .order_by("call__title")
    )
    if not rows:
        section.paragraph("Inga ansökningar i området beslutades under perioden.", note=True)
        return section
    total = sum(int(r["amount"] or 0) for r in rows)
    section.paragraph(
        f"{sum(r['granted'] for r in rows)} av {sum(r['n'] for r in rows)} beslutade ansökningar "
        f"beviljades under perioden, sammanlagt {kronor(total, keep_together=True)}."
    )
    section.table(
        "Beviljade medel per utlysning",
        ["Utlysning", "Finansiär", "Beslutade ansökningar", "Beviljade", "Beviljat belopp"],
        [
            [
                r["call__title"],
                r["call__owner__name"],
                r["n"],
                r["granted"],
                kronor(int(r["amount"] or 0), keep_together=True),
            ]
            for r in rows
        ],
    )
    for call_title, source in decided.values_list("call__title", "call__source").distinct():
        section.cite(call_title, source or f"Utlysning i Samverkan: {call_title}")
    return section
