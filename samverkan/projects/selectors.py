"""Reads of projects, always through the tenancy rules: search with facets, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, OrganisationKind, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.replica import read_connection, replica_reads
from samverkan.geo.models import County, Municipality
from samverkan.projects import search, text
from samverkan.projects.models import (
    MappingGroup,
    MappingRound,
    Project,
    ProjectFunding,
    ProjectParticipant,
    ProjectSearchEntry,
    ProjectStatus,
)


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
    words = search.query_terms(f.query)
    tags = _filter_tags(f) if words else []
    entries = search.search_filter(_filtered(user=user, filters=f), words, tags=tags)
    return project_queryset().filter(pk__in=entries.order_by().values("pk"))


_TAGGED_CLEARED: dict[str, Any] = {
    "county": "",
    "municipality": "",
    "theme": "",
    "target_group": "",
    "owner": "",
    "status": "",
    "good_example": None,
}


def _filter_tags(f: SearchFilters) -> list[str]:
    """The facet filters as search tags (``search.project_tags``), for SQLite's FTS5; a value
    that names nothing gives no tag (the filter itself then finds nothing)."""
    if search.is_postgres():
        return []
    tags = []
    for value, model, prefix in (
        (f.county, County, "c"),
        (f.municipality, Municipality, "m"),
        (f.theme, Theme, "t"),
        (f.target_group, TargetGroup, "p"),
        (f.owner, Organisation, "o"),
    ):
        if value:
            pk = model.objects.filter(code=value).values_list("pk", flat=True).first()
            if pk is not None:
                tags.append(f"{prefix}{pk}")
    if f.status in ProjectStatus.values:
        tags.append(f"s{f.status}")
    if f.good_example is not None:
        tags.append(f"g{int(f.good_example)}")
    return tags


def _filtered(*, user: Any, filters: SearchFilters) -> QuerySet[ProjectSearchEntry]:
    """Search entries of readable projects passing the facet filters (the query words not
    applied). Relations (municipalities, funders) are tested by project id in their link
    tables, so no filter joins the wide project table."""
    f = filters
    entries = tenancy.readable(ProjectSearchEntry.objects.all(), user)
    if f.county:
        entries = entries.filter(county__code=f.county)
    if f.municipality:
        entries = entries.filter(
            pk__in=Project.municipalities.through.objects.filter(
                municipality__code=f.municipality
            ).values("project_id")
        )
    if f.theme:
        entries = _with_term(entries, Theme, f.theme, "theme_mask", Project.themes.through)
    if f.target_group:
        entries = _with_term(
            entries, TargetGroup, f.target_group, "group_mask", Project.target_groups.through
        )
    if f.status:
        entries = entries.filter(status=f.status)
    if f.owner:
        entries = entries.filter(owner__code=f.owner)
    if f.funder:
        entries = entries.filter(
            pk__in=ProjectFunding.objects.filter(funder__icontains=f.funder).values("project_id")
        )
    if f.good_example is not None:
        entries = entries.filter(good_example=f.good_example)
    if f.year:
        entries = entries.filter(
            Q(start_date__year__lte=f.year) | Q(start_date__isnull=True),
            Q(end_date__year__gte=f.year) | Q(end_date__isnull=True),
        )
    return entries


def _with_term(
    entries: QuerySet[ProjectSearchEntry], model: Any, code: str, mask: str, through: Any
) -> QuerySet[ProjectSearchEntry]:
    """Entries with this theme or target group: a test of the row's bit (no join, so the
    planner keeps driving from the full-text match), or the link table for a term without one."""
    pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        return entries.none()
    if pk <= search.MASK_BITS:
        return entries.alias(_term_bit=F(mask).bitand(1 << (pk - 1))).exclude(_term_bit=0)
    column = through._meta.get_field(model._meta.model_name).attname
    return entries.filter(pk__in=through.objects.filter(**{column: pk}).values("project_id"))


_MASK_FACETS = {"tm": "theme", "gm": "group"}

_FACET_GROUPS = {
    # PostgreSQL: every facet in one pass over the matches (a hash aggregate per grouping set;
    # the empty set is the total). GROUPING(...) tells the sets apart (bit set: not grouped).
    True: " SELECT CASE GROUPING(county_id, status, good, tm, gm) WHEN 15 THEN 'county' "
    "WHEN 23 THEN 'status' WHEN 27 THEN 'good' WHEN 29 THEN 'tm' WHEN 30 THEN 'gm' ELSE 'n' END, "
    "COALESCE(CAST(county_id AS TEXT), status, CAST(good AS TEXT), CAST(tm AS TEXT), "
    "CAST(gm AS TEXT), ''), COUNT(*) FROM m "
    "GROUP BY GROUPING SETS ((county_id), (status), (good), (tm), (gm), ())",
    # SQLite has no grouping sets: one aggregate per facet over the materialised matches.
    False: " SELECT 'n', '', COUNT(*) FROM m "
    "UNION ALL SELECT 'county', CAST(county_id AS TEXT), COUNT(*) FROM m GROUP BY county_id "
    "UNION ALL SELECT 'status', status, COUNT(*) FROM m GROUP BY status "
    "UNION ALL SELECT 'good', CAST(good AS TEXT), COUNT(*) FROM m GROUP BY good "
    "UNION ALL SELECT 'tm', CAST(tm AS TEXT), COUNT(*) FROM m GROUP BY tm "
    "UNION ALL SELECT 'gm', CAST(gm AS TEXT), COUNT(*) FROM m GROUP BY gm",
}
"""The facet part of the facet statement, by database (PostgreSQL or not). Theme and target
group counts come back per distinct bit mask (a few hundred combinations) and are split into
terms in Python (``_count_bits``), instead of one sum per term over every match."""
COUNT_ONLY = " SELECT 'n', '', COUNT(*) FROM m"


def _count_bits(counts: dict[str, int], mask: int, n: int) -> None:
    """Add ``n`` projects to every term whose bit is set in ``mask`` (bit ``pk - 1``)."""
    mask &= (1 << search.MASK_BITS) - 1
    while mask:
        low = mask & -mask
        pk = str(low.bit_length())
        counts[pk] = counts.get(pk, 0) + n
        mask ^= low


def _facet_counts(
    entries: QuerySet[ProjectSearchEntry],
    *,
    title_tier_of: list[search.Term] | None = None,
    need: int = 0,
    rank_all: bool = False,
    facets: bool = True,
    title_source: QuerySet[ProjectSearchEntry] | None = None,
) -> tuple[
    int, dict[str, dict[str, int]], list[tuple[int, float]] | None, list[tuple[int, float]] | None
]:
    """The total and every facet's counts in ONE statement: the matching rows are found once
    (a CTE: one full-text match, one pass over the filters; stored only when read more than
    once) and grouped (``_FACET_GROUPS``); themes and target groups are counted from the rows'
    bit masks (terms without a bit, pk > 63, join their link table instead). Values come back
    as text (county and term ids, status codes, good example as true/1 or false/0).

    PostgreSQL, with ``title_tier_of`` (the query words) and a page within the first ranking
    window: the same statement ranks the first window of the title tier (``search``) and
    returns its best ``need`` as (id, score), so the page needs no second pass over the
    matches. With ``rank_all`` (facet filters: the matches are few and the title tier often
    too short) it ranks the first window of the other matches as well. Without ``facets``
    only the total (and the ranked rows) come back: on PostgreSQL, one pass over the matches
    instead of one to count them and one per tier to rank them. Without ``rank_all`` the title
    tier is read through its own index from ``title_source`` (the entries before the text
    match; a title match implies it) rather than by testing the title of every match."""
    ranked = bool(title_tier_of) and search.is_postgres() and need <= search.RANK_WINDOW
    if entries.query.is_empty():  # a filter naming nothing (an unknown theme code)
        return 0, {}, ([] if ranked else None), ([] if ranked and rank_all else None)
    columns = ["pk", "county_id", "status", "good_example", "theme_mask", "group_mask"]
    if not facets:
        columns = ["pk"]
    matches = entries.order_by()
    query = search.tsquery(title_tier_of or [], weights="A")
    full_query = search.tsquery(title_tier_of or [])
    flagged = ranked and rank_all
    if flagged:
        matches = matches.annotate(in_title=search.TitleMatchFlag(query))
        columns.append("in_title")
    sql, params = matches.values_list(*columns).query.sql_with_params()
    tiers_from = [("hit", "SELECT id FROM m WHERE it"), ("rest", "SELECT id FROM m WHERE NOT it")]
    title_cte = ""
    if ranked and not flagged:
        title_tier = (title_source if title_source is not None else entries).filter(
            search.TitleMatches(query)
        )
        title_sql, title_params = title_tier.order_by().values_list("pk").query.sql_with_params()
        title_cte, params = f", t (id) AS MATERIALIZED ({title_sql})", (*params, *title_params)
        tiers_from = [("hit", "SELECT id FROM t")]
    linked: list[str] = []
    for facet, model, through, column in (
        ("theme", Theme, Project.themes.through, "theme_id"),
        ("group", TargetGroup, Project.target_groups.through, "targetgroup_id"),
    )[: 2 if facets else 0]:
        for pk in model.objects.filter(pk__gt=search.MASK_BITS).values_list("pk", flat=True):
            table = through._meta.db_table
            linked.append(
                f" UNION ALL SELECT '{facet}', CAST(x.{column} AS TEXT), COUNT(*) "  # noqa: S608 # nosec B608
                f"FROM {table} x WHERE x.{column} = {int(pk)} "
                f"AND x.project_id IN (SELECT id FROM m) GROUP BY x.{column}"
            )
    # ``sql`` is Django's own SQL for the filtered entries; every value is a parameter, the
    # rest are integers and table names from the models.
    head = "WITH m (id" + (", county_id, status, good, tm, gm" if facets else "")
    head += ", it" if flagged else ""
    # Read more than once, the matches are kept; read once (PostgreSQL's grouping sets or the
    # bare count), PostgreSQL streams them into the aggregate instead of storing them first.
    once = search.is_postgres() and not linked and not flagged
    head += ") AS (" if once else ") AS MATERIALIZED ("
    groups = _FACET_GROUPS[search.is_postgres()] if facets else COUNT_ONLY
    statement = head + sql + ")" + title_cte + groups
    statement += "".join(linked)
    if ranked:
        for name, source in tiers_from:
            rank = search.pg_rank(title=name == "hit")
            # float4 as text is exact (shortest round-trip form), so the order survives parsing.
            statement += (
                f" UNION ALL (SELECT '{name}', CAST(w.id AS TEXT) || ' ' || CAST({rank} AS TEXT), "  # noqa: S608 # nosec B608
                f"0 FROM ({source} ORDER BY id DESC LIMIT {search.RANK_WINDOW}) w "
                f"JOIN projects_searchentry e ON e.project_id = w.id ORDER BY {rank} DESC, w.id "
                "LIMIT %s)"
            )
            tier_query = query if name == "hit" else full_query
            params = (*params, tier_query, tier_query, need)
    total, counts = 0, dict[str, dict[str, int]]()
    tiers: dict[str, list[tuple[int, float]]] = {"hit": [], "rest": []}
    with read_connection().cursor() as cursor:
        cursor.execute(statement, params)
        for facet, value, n in cursor.fetchall():
            if facet in tiers:
                pk, score = value.split(" ")
                tiers[facet].append((int(pk), float(score)))
            elif facet == "n":
                total = n
            elif facet in _MASK_FACETS:
                _count_bits(counts.setdefault(_MASK_FACETS[facet], {}), int(value), n)
            elif value not in ("", None):  # projects without a county
                counts.setdefault(facet, {})[value] = n
    for tier in tiers.values():
        tier.sort(key=lambda hit: (-hit[1], hit[0]))
    return (
        total,
        counts,
        tiers["hit"] if ranked else None,
        tiers["rest"] if ranked and rank_all else None,
    )


@lru_cache(maxsize=1)
def _statuses() -> dict[str, str]:
    return {code: str(label) for code, label in ProjectStatus.choices}


def _facets(counts: dict[str, dict[str, int]]) -> dict[str, list[tuple[str, str, int]]]:
    """(code, name, count) per facet value, most frequent first. The vocabularies (21 counties,
    themes, target groups) are read in three small queries by primary key."""

    def named(facet: str, model: Any) -> list[tuple[str, str, int]]:
        found = counts.get(facet, {})
        terms = model.objects.filter(pk__in=[int(pk) for pk in found]).only("code", "name")
        return sorted(
            ((t.code, t.name, found[str(t.pk)]) for t in terms), key=lambda f: (-f[2], f[1])
        )

    statuses = _statuses()
    good = {"1": True, "true": True, "0": False, "false": False}
    return {
        "county": named("county", County),
        "theme": named("theme", Theme),
        "target_group": named("group", TargetGroup),
        "status": sorted(
            ((code, statuses.get(code, code), n) for code, n in counts.get("status", {}).items()),
            key=lambda f: -f[2],
        ),
        "good_example": sorted(
            (
                ("1" if good.get(v) else "0", "Ja" if good.get(v) else "Nej", n)
                for v, n in counts.get("good", {}).items()
            ),
            key=lambda f: -f[2],
        ),
    }


@replica_reads()
def project_search(
    *,
    user: Any,
    filters: SearchFilters,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
    prefix_last: bool = False,
) -> SearchResult:
    """Ranked hits (best first) with highlighted snippets, the total and the facet counts.
    ``prefix_last``: the last query word may be half typed (the search box) and matches the
    words it begins (``search.query_terms``)."""
    words = search.query_terms(filters.query, prefix_last=prefix_last)
    tags = _filter_tags(filters) if words else []
    filtered = _filtered(user=user, filters=filters)
    entries = search.search_filter(filtered, words, tags=tags)
    # With tags, FTS5 applies the tagged filters itself; the rest (tenancy, period, funder) is
    # checked per match, and nothing when nothing is left.
    residual = (
        _filtered(user=user, filters=replace(filters, **_TAGGED_CLEARED)) if tags else filtered
    )
    title_tier = rest_tier = None
    if facets or (words and search.is_postgres()):
        total, counts, title_tier, rest_tier = _facet_counts(
            entries,
            title_tier_of=words,
            need=offset + limit,
            rank_all=replace(filters, query="") != SearchFilters(),
            facets=facets,
            title_source=filtered,
        )
    elif words:
        total, counts = search.search_count(residual, words, tags=tags), {}
    else:
        total, counts = entries.count(), {}
    if words:
        page = (
            search.search_page(
                residual,
                words,
                offset=offset,
                limit=limit,
                tags=tags,
                title_tier=title_tier,
                rest_tier=rest_tier,
            )
            if offset < total  # past the last match there is nothing to rank
            else []
        )
    else:
        newest = entries.order_by("-updated_at", "pk").values_list("pk", flat=True)
        page = [(pk, 0.0) for pk in newest[offset : offset + limit]]
    by_pk = project_queryset().in_bulk([pk for pk, _score in page])
    ranked = []
    for pk, score in page:
        if pk in by_pk:
            by_pk[pk].score = score  # type: ignore[attr-defined]
            ranked.append(by_pk[pk])
    query_stems = {lexeme for term in words for lexeme in term.lexemes}
    hits = []
    for project in ranked:
        body = project.summary or project.description
        for candidate in (project.summary, project.description, project.lessons):
            if query_stems and text.first_match(candidate, query_stems):
                body = candidate
                break
        hits.append(
            SearchHit(
                project,
                float(getattr(project, "score", 0.0) or 0.0),
                text.highlight(body, query_stems),
            )
        )
    return SearchResult(
        total, hits, _facets(counts) if facets and total else {}, [t.word for t in words]
    )


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


def project_counts_by_municipality(*, user: Any, county_code: str = "") -> dict[str, int]:
    """Municipality code → readable projects working there (a project may name several)."""
    links = Project.municipalities.through.objects.filter(
        project__in=tenancy.readable(Project.objects.all(), user).values("pk")
    )
    if county_code:
        links = links.filter(municipality__county__code=county_code)
    rows = links.values("municipality__code").annotate(n=Count("project_id"))
    return {r["municipality__code"]: r["n"] for r in rows}


# --- Mapping rounds (kartläggningar) -----------------------------------------------------------


def mapping_round_list(
    *, user: Any, county_code: str = "", owner_code: str = ""
) -> QuerySet[MappingRound]:
    """Mapping rounds ``user`` may read, with their respondent groups; the organisations named
    in a group are those the user may read."""
    rounds = tenancy.readable(
        MappingRound.objects.select_related("county", "owner", "campaign"), user
    )
    if county_code:
        rounds = rounds.filter(county__code=county_code)
    if owner_code:
        rounds = rounds.filter(owner__code=owner_code)
    organisations = tenancy.readable(
        Organisation.objects.select_related("county").order_by("name"), user
    )
    return rounds.prefetch_related(
        Prefetch(
            "groups",
            queryset=MappingGroup.objects.prefetch_related(
                Prefetch("respondents", queryset=organisations),
                Prefetch("non_respondents", queryset=organisations),
            ),
        )
    ).order_by("county__code", "start_date", "title", "pk")


def mapping_round_get(*, user: Any, pk: int) -> MappingRound:
    """One round ``user`` may read (404 otherwise), prefetched as the list is."""
    return tenancy.get_readable_or_404(mapping_round_list(user=user), user, pk=pk)


def mapping_group_answered(group: MappingGroup) -> list[Organisation]:
    """The named respondents that answered: those asked less those that did not answer (empty
    when the respondents are not named)."""
    missing = {o.pk for o in group.non_respondents.all()}
    return [o for o in group.respondents.all() if o.pk not in missing]


def mapping_group_text(group: MappingGroup) -> str:
    """How a group answered, as far as it is known: "31 av 33 svarade", "cirka 60 % av 64
    svarade", "okänt antal svar"."""
    about = "cirka " if group.approximate else ""
    if group.answered is not None and group.asked is not None:
        return _("%(about)s%(answered)d av %(asked)d svarade") % {
            "about": about,
            "answered": group.answered,
            "asked": group.asked,
        }
    if group.answered_percent is not None and group.asked is not None:
        return _("%(about)s%(percent)d %% av %(asked)d svarade") % {
            "about": about,
            "percent": group.answered_percent,
            "asked": group.asked,
        }
    if group.asked is not None:
        return _("%(asked)d tillfrågade; antalet svar är okänt") % {"asked": group.asked}
    return _("antalet tillfrågade och svar är okänt")


def mapping_round_record(mapping: MappingRound) -> dict[str, Any]:
    """One round as a flat record; unknown counts are empty, never 0."""
    kinds = dict(OrganisationKind.choices)

    def count(value: int | None) -> int | None:
        return value  # None (empty in CSV, null in JSON) when unknown, never 0

    groups = list(mapping.groups.all())
    return {
        "title": mapping.title,
        "county_code": mapping.county.code if mapping.county else "",
        "owner": mapping.owner.code,
        "when": mapping.start_label if mapping.start_date else "",
        "groups": "; ".join(
            f"{g.label} ({kinds.get(g.respondent_kind, '') or '-'}): {mapping_group_text(g)}"
            for g in groups
        ),
        "asked": count(sum(g.asked for g in groups if g.asked is not None) or None),
        "answered": count(
            sum(g.answered for g in groups if g.answered is not None)
            if groups and all(g.answered is not None for g in groups)
            else None
        ),
        "respondents": "; ".join(o.code for g in groups for o in g.respondents.all()),
        "non_respondents": "; ".join(o.code for g in groups for o in g.non_respondents.all()),
        "projects_reported": count(mapping.projects_reported),
        "projects_selected": count(mapping.projects_selected),
        "result": mapping.result,
        "source": mapping.source,
    }
