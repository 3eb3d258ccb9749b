"""On "Min översikt": the reports the user ordered in the last 30 days, built or failed."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.hub import (
    Area,
    FrontBlock,
    HubSection,
    TodoGroup,
    TodoItem,
    register_front_block,
    register_hub_section,
    register_todo,
)
from samverkan.core.models import Job
from samverkan.reports import selectors
from samverkan.reports.models import GeneratedReport

RECENT_DAYS = 30


@register_todo("reports", position=50)
def reports_recent(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup | None:
    if not getattr(user, "is_authenticated", False):
        return None
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    reports = (
        GeneratedReport.objects.filter(created_by=user, snapshot_at__gte=since)
        .select_related("job")
        .order_by("-snapshot_at")[:10]
    )
    items = []
    for report in reports:
        failed = report.job is not None and report.job.status == Job.Status.FAILED
        detail = _("Klar") if report.is_done else _("Misslyckades") if failed else _("Byggs")
        items.append(
            TodoItem(
                title=report.title,
                href=report.get_absolute_url(),
                kind=_("Rapport"),
                detail=f"{detail} · {report.get_format_display()}",
                late=failed,
            )
        )
    return TodoGroup(
        key="reports",
        title=_("Dina rapporter de senaste 30 dagarna"),
        items=items,
        empty=_("Du har inte beställt några rapporter de senaste 30 dagarna."),
    )


@register_front_block("reports", position=30)
def reports_front(user: Any) -> FrontBlock:
    """The latest finished reports the visitor may read (for a visitor: the published ones)."""
    latest = list(
        selectors.generated_list(user=user)
        .exclude(content_hash="")
        .select_related("county")
        .order_by("-snapshot_at", "-pk")[:5]
    )
    return FrontBlock(
        key="reports",
        title=_("Senaste rapporterna"),
        template="hub/front_reports.html",
        context={"latest_reports": latest},
    )


@register_hub_section("reports", position=70)
def reports_hub(area: Area, user: Any) -> HubSection | None:
    """The county's finished reports the visitor may read, newest first (county hubs only)."""
    if not area.is_county:
        return None
    reports = list(
        selectors.generated_list(user=user)
        .filter(county__code=area.code)
        .exclude(content_hash="")
        .order_by("-snapshot_at", "-pk")[:5]
    )
    return HubSection(
        key="reports",
        title=_("Rapporter"),
        template="hub/front_reports.html",
        context={"latest_reports": reports},
        more_label=_("Alla rapporter och ny rapport"),
        more_href=reverse("reports:list") + "#ny",
        empty="" if reports else _("Inga rapporter om länet är byggda än."),
    )
