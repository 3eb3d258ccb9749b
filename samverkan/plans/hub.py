"""Strategies and plans on the hub (with their late activities) and on "Min översikt"
(consultations to respond to, the user's own activities due within 30 days or late)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
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
from samverkan.plans import selectors
from samverkan.plans.models import (
    UNFINISHED_STATUSES,
    Activity,
    ConsultationInvite,
    ConsultationStatus,
    Strategy,
)

DUE_WITHIN_DAYS = 30


def _strategies_in(area: Area, user: Any) -> Any:
    strategies = selectors.strategy_list(user=user)
    if area.is_county:
        return strategies.filter(Q(county__code=area.code) | Q(owner__county__code=area.code))
    return strategies.filter(owner__municipality__code=area.code)


@register_hub_section("plans", position=40)
def plans_hub(area: Area, user: Any) -> HubSection:
    today = datetime.date.today()
    strategies = _strategies_in(area, user)
    readable_ids = strategies.values("pk")
    late = Activity.objects.filter(
        plan__strategy__in=readable_ids, status__in=UNFINISHED_STATUSES, end_date__lt=today
    )
    late_count = late.count()
    listed = list(strategies.order_by("-period_end", "title")[:6])
    return HubSection(
        key="plans",
        title=_("Strategier och handlingsplaner"),
        template="hub/plans.html",
        context={
            "strategies": listed,
            "late": list(late.select_related("plan").order_by("end_date", "title")[:5]),
            "late_count": late_count,
            "uptake": selectors.development_uptake(user=user, county_code=area.code)
            if area.is_county
            else [],
        },
        figures=[
            Figure(strategies.count(), _("strategier"), reverse("plans:list")),
            Figure(late_count, _("försenade aktiviteter")),
        ],
        more_label=_("Alla strategier och planer"),
        more_href=reverse("plans:list"),
        empty="" if listed else _("Inga strategier är registrerade här än."),
    )


@register_todo("consultations", position=20)
def consultations_to_answer(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    invites = (
        ConsultationInvite.objects.filter(
            organisation_id__in=tenancy.organisation_ids(user, tenancy.WRITE_ROLES),
            consultation__status=ConsultationStatus.OPEN,
            responded_at__isnull=True,
        )
        .select_related("consultation", "organisation")
        .order_by("consultation__deadline", "pk")[:50]
    )
    items = []
    for invite in invites:
        deadline = invite.consultation.deadline
        due = deadline.date() if deadline else None
        items.append(
            TodoItem(
                title=invite.consultation.title,
                href=reverse("plans:consultation_respond", args=[invite.token]),
                kind=_("Remiss att besvara"),
                organisation=invite.organisation.name,
                due=due,
                late=due is not None and due < today,
            )
        )
    return TodoGroup(
        key="consultations",
        title=_("Remisser att besvara"),
        items=items,
        empty=_("Inga remisser väntar på svar från dina organisationer."),
    )


@register_todo("activities", position=30)
def activities_due(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    """Unfinished activities the user's organisations are responsible for, ending within 30
    days or already past their end."""
    visible = tenancy.readable(Strategy.objects.all(), user).values("pk")
    activities = (
        Activity.objects.filter(
            plan__strategy__in=visible,
            responsible_organisation_id__in=tenancy.organisation_ids(user),
            status__in=UNFINISHED_STATUSES,
            end_date__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS),
        )
        .select_related("plan", "responsible_organisation")
        .order_by("end_date", "title")[:50]
    )
    items = [
        TodoItem(
            title=activity.title,
            href=activity.get_absolute_url(),
            kind=_("Aktivitet i handlingsplan"),
            organisation=activity.responsible_organisation.name
            if activity.responsible_organisation
            else "",
            detail=f"{activity.plan.title} · {activity.get_status_display()}",
            due=activity.end_date,
            late=activity.end_date is not None and activity.end_date < today,
        )
        for activity in activities
    ]
    return TodoGroup(
        key="activities",
        title=_("Aktiviteter som ska vara klara inom 30 dagar eller är försenade"),
        items=items,
        empty=_("Inga av era aktiviteter ska vara klara inom 30 dagar."),
    )
