"""Surveys on the hub (rounds sent to the area's organisations and how many answered) and on
"Min översikt" (invitations the user's organisations have to answer)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from samverkan.surveys import selectors
from samverkan.surveys.models import Campaign, Response


@register_hub_section("surveys", position=30)
def surveys_hub(area: Area, user: Any) -> HubSection:
    """Campaigns the user may read with recipients in the area: "x av y har svarat"."""
    where = (
        Q(recipients__organisation__county__code=area.code)
        if area.is_county
        else Q(recipients__organisation__municipality__code=area.code)
    )
    submitted = Q(recipients__response__status=Response.Status.SUBMITTED)
    campaigns = list(
        selectors.campaign_list(user=user)
        .filter(where)
        .annotate(
            asked=Count("recipients", filter=where, distinct=True),
            answered=Count("recipients", filter=where & submitted, distinct=True),
        )
        .order_by("-deadline", "title")[:6]
    )
    open_rounds = [c for c in campaigns if c.status == Campaign.Status.OPEN]
    asked = sum(c.asked for c in open_rounds)
    answered = sum(c.answered for c in open_rounds)
    figures = [Figure(len(open_rounds), _("öppna enkätomgångar"), reverse("surveys:list"))]
    if asked:
        figures.append(Figure(f"{round(100 * answered / asked)} %", _("har svarat på dem")))
    return HubSection(
        key="surveys",
        title=_("Enkäter och kartläggningar"),
        template="hub/surveys.html",
        context={"campaigns": campaigns},
        figures=figures,
        more_label=_("Alla enkäter och utskick"),
        more_href=reverse("surveys:list"),
        empty="" if campaigns else _("Inga enkätomgångar har gått till organisationer här."),
    )


@register_todo("surveys", position=10)
def survey_invitations(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    """Open invitations to the organisations the user answers for, not yet submitted."""
    recipients = (
        selectors.recipients_for_user(user=user)
        .exclude(response__status=Response.Status.SUBMITTED)
        .select_related("response")
        .order_by("campaign__deadline", "campaign__title")[:50]
    )
    items = []
    for recipient in recipients:
        response = getattr(recipient, "response", None)
        started = response is not None and bool(response.answers)
        items.append(
            TodoItem(
                title=recipient.campaign.title,
                href=recipient.get_answer_url(),
                kind=_("Enkät att besvara"),
                organisation=recipient.organisation.name,
                detail=_("Utkast sparat") if started else _("Inte påbörjad"),
                due=recipient.campaign.deadline,
                late=recipient.campaign.deadline < today,
            )
        )
    return TodoGroup(
        key="surveys",
        title=_("Enkäter att besvara"),
        items=items,
        empty=_("Inga enkäter väntar på svar från dina organisationer."),
    )


@register_todo("news_answers", position=75)
def answers_news(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    """Answers submitted since the previous visit to campaigns the user's organisations run."""
    campaigns = (
        tenancy.writable(Campaign.objects.all(), user)
        .filter(recipients__response__submitted_at__gt=since)
        .annotate(
            new=Count(
                "recipients",
                filter=Q(recipients__response__submitted_at__gt=since),
                distinct=True,
            )
        )
        .order_by("-deadline")[:20]
    )
    return TodoGroup(
        key="news_answers",
        title=_("Nya svar på era utskick sedan förra besöket"),
        items=[
            TodoItem(
                title=campaign.title,
                href=campaign.get_absolute_url(),
                kind=_("Nya svar"),
                detail=ngettext("%(n)d nytt svar", "%(n)d nya svar", campaign.new)
                % {"n": campaign.new},
            )
            for campaign in campaigns
        ],
        empty=_("Inga nya svar på era utskick sedan förra besöket."),
    )
