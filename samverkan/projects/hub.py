"""The projects section of a county's or municipality's hub page."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.hub import (
    Area,
    Figure,
    FrontBlock,
    HubSection,
    TodoGroup,
    TodoItem,
    register_front_block,
    register_hub_section,
    register_todo,
)
from samverkan.geo.models import County
from samverkan.projects import selectors
from samverkan.projects.models import Project, ProjectStatus


def _in_area(projects: QuerySet[Project], area: Area) -> QuerySet[Project]:
    if area.is_county:
        # By id, not by a join on the code: the planner then walks the county's indexes.
        county_id = County.objects.filter(code=area.code).values_list("pk", flat=True).first()
        return projects.filter(county_id=county_id or 0)
    return projects.filter(municipalities__code=area.code).distinct()


def _may_register_mapping(user: Any) -> bool:
    """Whether the hub offers to register a mapping round: to those who write for some
    organisation (the form then offers those organisations as the round's owner)."""
    if getattr(user, "is_superuser", False):
        return True
    if tenancy.db_user(user) is None:  # anonymous, or the command line acting through no one
        return False
    return bool(tenancy.organisation_ids(user, tenancy.WRITE_ROLES))


@register_hub_section("projects", position=20)
def projects_hub(area: Area, user: Any) -> HubSection:
    # tenancy on the projects themselves (no search entries needed: nothing is searched)
    projects = _in_area(tenancy.readable(Project.objects.all(), user), area)
    distinct = not area.is_county  # a municipality's projects come through a many-to-many join
    counts = projects.aggregate(
        ongoing=Count("pk", filter=Q(status=ProjectStatus.ONGOING), distinct=distinct),
        total=Count("pk", distinct=distinct),
        good=Count("pk", filter=Q(good_example=True), distinct=distinct),
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
    mapping_count = (
        selectors.mapping_round_list(user=user, county_code=area.code).count()
        if area.is_county
        else 0
    )
    mapping_url = reverse("projects:mapping_rounds") + f"?county={area.county_code}"
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
            "mapping_count": mapping_count,
            "mapping_url": mapping_url if area.is_county else "",
            "mapping_create_url": (
                reverse("projects:mapping_round_create") + f"?county={area.county_code}"
                if area.is_county and _may_register_mapping(user)
                else ""
            ),
        },
        figures=[
            Figure(counts["ongoing"], _("pågående projekt"), url),
            *(
                [Figure(mapping_count, _("kartläggningar"), mapping_url)]
                if area.is_county and mapping_count
                else []
            ),
        ],
        more_label=_("Alla %(n)d projekt i %(area)s") % {"n": counts["total"], "area": area.name},
        more_href=url,
        empty=_("Inga projekt är registrerade här än.") if not counts["total"] else "",
    )


@register_todo("news_projects", position=70)
def projects_news(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    """Projects registered in the user's counties since their previous visit."""
    counties = tenancy.organisation_counties(user)
    projects = (
        tenancy.readable(Project.objects.all(), user)
        .filter(county_id__in=counties, created_at__gt=since)
        .select_related("owner", "county")
        .order_by("-created_at")[:20]
    )
    return TodoGroup(
        key="news_projects",
        title=_("Nya projekt i ditt län sedan förra besöket"),
        items=[
            TodoItem(
                title=project.title,
                href=project.get_absolute_url(),
                kind=_("Nytt projekt"),
                organisation=project.owner.name,
                detail=project.county.name if project.county else "",
            )
            for project in projects
        ],
        empty=_("Inga nya projekt i ditt län sedan förra besöket."),
    )


@register_front_block("projects", position=10)
def projects_front(user: Any) -> FrontBlock:
    """The knowledge bank on the front page: the latest projects the visitor may read and how
    many each county has."""
    latest = list(
        tenancy.readable(Project.objects.all(), user)
        .select_related("owner", "county")
        .order_by("-created_at", "-pk")[:6]
    )
    counts = selectors.project_counts_by_county(user=user)
    return FrontBlock(
        key="projects",
        title=_("Senast registrerade projekt"),
        template="hub/front_projects.html",
        context={"latest": latest},
        county_label=_("projekt"),
        county_figures={code: n for code, (n, _budget) in counts.items()},
    )
