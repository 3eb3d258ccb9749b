"""Funding on the hub (calls open to the area and what was granted to it) and on "Min
översikt" (submitted applications waiting for the user's assessment)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.hub import (
    Area,
    Figure,
    HubSection,
    TodoGroup,
    TodoItem,
    register_hub_section,
    register_todo,
)
from samverkan.core.numbers import kronor
from samverkan.funding import access, selectors
from samverkan.funding.models import Application, ApplicationStatus, CallStatus, Outcome


@register_hub_section("funding", position=60)
def funding_hub(area: Area, user: Any) -> HubSection:
    calls = selectors.calls_readable(user).filter(
        Q(eligible_counties__isnull=True) | Q(eligible_counties__code=area.county_code)
    )
    open_calls = list(calls.filter(status=CallStatus.OPEN).distinct().order_by("deadline")[:5])
    in_area = (
        Q(county__code=area.code) if area.is_county else Q(owner__municipality__code=area.code)
    )
    granted = access.applications_readable(Application.objects.all(), user).filter(
        in_area, decision__outcome__in=[Outcome.GRANTED, Outcome.PARTLY]
    )
    totals = granted.aggregate(n=Count("pk"), amount=Sum("decision__amount"))
    return HubSection(
        key="funding",
        title=_("Finansiering"),
        template="hub/funding.html",
        context={
            "open_calls": open_calls,
            "granted_count": totals["n"] or 0,
            "granted_amount": kronor(int(totals["amount"] or 0), keep_together=True),
        },
        figures=[Figure(len(open_calls), _("öppna utlysningar"), reverse("funding:list"))],
        more_label=_("Alla utlysningar"),
        more_href=reverse("funding:list"),
        empty=""
        if open_calls or totals["n"]
        else _("Inga utlysningar är öppna för länet och inget är beviljat hit än."),
    )


@register_todo("assessments", position=40)
def applications_to_assess(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    """Submitted, undecided applications to calls of the user's funder organisations that the
    user has not scored yet."""
    applications = (
        Application.objects.filter(
            call__owner_id__in=tenancy.organisation_ids(user, tenancy.WRITE_ROLES),
            status=ApplicationStatus.SUBMITTED,
            decision__isnull=True,
        )
        .exclude(scores__assessor_id=getattr(user, "pk", None))
        .select_related("call", "owner")
        .order_by("call__deadline", "title")[:50]
    )
    items = [
        TodoItem(
            title=application.title,
            href=application.get_absolute_url(),
            kind=_("Ansökan att bedöma"),
            organisation=application.owner.name,
            detail=application.call.title,
        )
        for application in applications
    ]
    return TodoGroup(
        key="assessments",
        title=_("Ansökningar att bedöma"),
        items=items,
        empty=_("Inga ansökningar väntar på din bedömning."),
    )
