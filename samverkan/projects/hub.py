"""The projects section of a county's or municipality's hub page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core.hub import Area, Figure, HubSection, register_hub_section
from samverkan.projects import selectors
from samverkan.projects.models import Project, ProjectStatus


def _in_area(projects: QuerySet[Project], area: Area) -> QuerySet[Project]:
    if area.is_county:
        return projects.filter(county__code=area.code)
    return projects.filter(municipalities__code=area.code).distinct()


@register_hub_section("projects", position=20)
def projects_hub(area: Area, user: Any) -> HubSection:
    projects = _in_area(selectors.project_list(user=user), area)
    counts = projects.aggregate(
        ongoing=Count("pk", filter=Q(status=ProjectStatus.ONGOING), distinct=True),
        total=Count("pk", distinct=True),
        good=Count("pk", filter=Q(good_example=True), distinct=True),
    )
    themes = list(
        projects.filter(status=ProjectStatus.ONGOING)
        .values("themes__name")
        .exclude(themes__name=None)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "themes__name")[:6]
    )
    good = list(projects.filter(good_example=True).select_related("owner").order_by("title")[:5])
    latest = list(projects.select_related("owner").order_by("-updated_at", "-pk")[:5])
    url = reverse("projects:list") + f"?county={area.county_code}"
    return HubSection(
        key="projects",
        title=_("Projekt"),
        template="hub/projects.html",
        context={
            "themes": themes,
            "good": good,
            "latest": latest,
            "counts": counts,
            "coverage_url": reverse("projects:coverage") + f"?county={area.county_code}",
        },
        figures=[Figure(counts["ongoing"], _("pågående projekt"), url)],
        more_label=_("Alla %(n)d projekt i %(area)s") % {"n": counts["total"], "area": area.name},
        more_href=url,
        empty=_("Inga projekt är registrerade här än.") if not counts["total"] else "",
    )
