"""Reads of projects, always through the tenancy rules: search with facets, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.replica import replica_reads
from samverkan.geo.models import County
from samverkan.projects import search, text
from samverkan.projects.models import Project, ProjectParticipant, ProjectStatus


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    county: str = ""
    municipality: str = ""
    theme: str = ""
    target_group: str = ""
    status: str = ""
    funder: str = ""
    year: int | None = None
    good_example: bool | None = None
    owner: str = ""

    @classmethod
    def from_params(cls, params: Any) -> SearchFilters:
        year = params.get("year", "")
        good = params.get("good_example", "")
        return cls(
            query=params.get("q", "")[:1000],
            county=params.get("county", ""),
            municipality=params.get("municipality", ""),
            theme=params.get("theme", ""),
            target_group=params.get("target_group", ""),
            status=params.get("status", ""),
            funder=params.get("funder", "")[:200],
            owner=params.get("owner", ""),
            year=int(year) if str(year).isdigit() and len(str(year)) == 4 else None,
            good_example={
                "1": True,
                "true": True,
                "ja": True,
                "0": False,
                "false": False,
                "nej": False,
            }.get(str(good).lower()),
        )


@dataclass
class SearchHit:
    project: Project
    score: float
    snippet: str


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)


def project_queryset() -> QuerySet[Project]:
    return Project.objects.select_related("owner", "county")


def project_list(*, user: Any, filters: SearchFilters | None = None) -> QuerySet[Project]:
    """Readable projects passing the facet filters and matching every query word."""
    f = filters or SearchFilters()
    projects = tenancy.readable(project_queryset(), user)
    if f.county:
        projects = projects.filter(county__code=f.county)
    if f.municipality:
        projects = projects.filter(municipalities__code=f.municipality)
    if f.theme:
        projects = projects.filter(themes__code=f.theme)
    if f.target_group:
        projects = projects.filter(target_groups__code=f.target_group)
    if f.status:
        projects = projects.filter(status=f.status)
    if f.owner:
        projects = projects.filter(owner__code=f.owner)
    if f.funder:
        projects = projects.filter(fundings__funder__icontains=f.funder)
    if f.good_example is not None:
        projects = projects.filter(good_example=f.good_example)
    if f.year:
        projects = projects.filter(
            Q(start_date__year__lte=f.year) | Q(start_date__isnull=True),
            Q(end_date__year__gte=f.year) | Q(end_date__isnull=True),
        )
    if f.municipality or f.funder:
        projects = projects.distinct()
    return search.search_filter(projects, text.query_words(f.query))


def _facets(projects: QuerySet[Project]) -> dict[str, list[tuple[str, str, int]]]:
    """Facet counts in three grouped queries: one over the project rows (county, status, good
    example) and one per vocabulary over its link table, all restricted to the matching ids."""
    ids = projects.order_by().values("pk")
    counties = {c.pk: c for c in County.objects.all()}
    statuses = dict(ProjectStatus.choices)
    by_county: dict[int, int] = {}
    by_status: dict[str, int] = {}
    by_good: dict[bool, int] = {}
    rows = (
        Project.objects.filter(pk__in=ids)
        .order_by()
        .values("county_id", "status", "good_example")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        if row["county_id"] is not None:
            by_county[row["county_id"]] = by_county.get(row["county_id"], 0) + row["n"]
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_good[row["good_example"]] = by_good.get(row["good_example"], 0) + row["n"]

    def vocabulary(through: Any, key: str, model: Any) -> list[tuple[str, str, int]]:
        terms = {t.pk: t for t in model.objects.all()}
        rows = (
            through.objects.filter(project_id__in=ids)
            .order_by()
            .values(key)
            .annotate(n=Count("project_id"))
        )
        found = [(terms[r[key]].code, terms[r[key]].name, r["n"]) for r in rows]
        return sorted(found, key=lambda f: (-f[2], f[1]))

    return {
        "county": sorted(
            ((counties[pk].code, counties[pk].name, n) for pk, n in by_county.items()),
            key=lambda f: (-f[2], f[1]),
        ),
        "theme": vocabulary(Project.themes.through, "theme_id", Theme),
        "target_group": vocabulary(Project.target_groups.through, "targetgroup_id", TargetGroup),
        "status": sorted(
            ((code, str(statuses[code]), n) for code, n in by_status.items()), key=lambda f: -f[2]
        ),
        "good_example": sorted(
            (("1" if good else "0", "Ja" if good else "Nej", n) for good, n in by_good.items()),
            key=lambda f: -f[2],
        ),
    }


@replica_reads()
def project_search(
    *, user: Any, filters: SearchFilters, offset: int = 0, limit: int = 20, facets: bool = True
) -> SearchResult:
    """Ranked hits (best first) with highlighted snippets, the total and the facet counts."""
    words = text.query_words(filters.query)
    projects = project_list(user=user, filters=filters)
    total = projects.count()
    if words:
        page = search.search_page(projects, words, offset=offset, limit=limit)
        by_pk = project_queryset().in_bulk([pk for pk, _score in page])
        ranked = []
        for pk, score in page:
            if pk in by_pk:
                by_pk[pk].score = score  # type: ignore[attr-defined]
                ranked.append(by_pk[pk])
    else:
        ranked = list(projects.order_by("-updated_at", "pk")[offset : offset + limit])
    query_stems = {text.stem(w) for w in words}
    hits = []
    for project in ranked:
        body = project.summary or project.description
        for candidate in (project.summary, project.description, project.lessons):
            if query_stems and text.highlight(candidate, query_stems).count("<mark>"):
                body = candidate
                break
        hits.append(
            SearchHit(
                project,
                float(getattr(project, "score", 0.0) or 0.0),
                text.highlight(body, query_stems),
            )
        )
    return SearchResult(total, hits, _facets(projects) if facets and total else {}, words)


def project_get(*, user: Any, pk: int) -> Project:
    return tenancy.get_readable_or_404(
        project_queryset().prefetch_related(
            "municipalities",
            "themes",
            "target_groups",
            "fundings",
            Prefetch("participants", ProjectParticipant.objects.select_related("organisation")),
        ),
        user,
        pk=pk,
    )


@dataclass
class CoverageCell:
    count: int
    budget: int

    @property
    def gap(self) -> bool:
        return self.count == 0


@dataclass
class Coverage:
    county: County | None
    themes: list[Theme]
    target_groups: list[TargetGroup]
    cells: dict[tuple[int, int], CoverageCell]
    total_projects: int
    gaps: list[tuple[Theme, TargetGroup]]

    def rows(self) -> list[tuple[Theme, list[CoverageCell]]]:
        return [(t, [self.cells[(t.pk, g.pk)] for g in self.target_groups]) for t in self.themes]


def project_coverage(
    *, user: Any, county_code: str = "", within: QuerySet[Project] | None = None
) -> Coverage:
    """Projects and budget by theme × target group, in one county or nationally; gaps are 0.

    ``within`` narrows it further to a subset of projects (e.g. those running in a report's
    period, or a network's members' projects); tenancy still applies."""
    county = County.objects.filter(code=county_code).first() if county_code else None
    projects = tenancy.readable(Project.objects.all(), user)
    if county is not None:
        projects = projects.filter(county=county)
    if within is not None:
        projects = projects.filter(pk__in=within.order_by().values("pk"))
    themes, groups = list(Theme.objects.all()), list(TargetGroup.objects.all())
    cells = {(t.pk, g.pk): CoverageCell(0, 0) for t in themes for g in groups}
    rows = Project.themes.through.objects.filter(project__in=projects.values("pk")).values(
        "theme_id", "project_id", "project__budget"
    )
    groups_of: dict[int, list[int]] = {}
    for link in Project.target_groups.through.objects.filter(
        project__in=projects.values("pk")
    ).values("project_id", "targetgroup_id"):
        groups_of.setdefault(link["project_id"], []).append(link["targetgroup_id"])
    for row in rows:
        for group_id in groups_of.get(row["project_id"], []):
            cell = cells[(row["theme_id"], group_id)]
            cell.count += 1
            cell.budget += row["project__budget"] or 0
    gaps = [(t, g) for t in themes for g in groups if cells[(t.pk, g.pk)].gap]
    return Coverage(county, themes, groups, cells, projects.count(), gaps)


def project_counts_by_county(*, user: Any) -> dict[str, tuple[int, int]]:
    """County code → (projects, total budget), for the map and the national table."""
    rows = (
        tenancy.readable(Project.objects.all(), user)
        .exclude(county__isnull=True)
        .values("county__code")
        .annotate(n=Count("pk"), budget=Sum("budget"))
    )
    return {r["county__code"]: (r["n"], r["budget"] or 0) for r in rows}
