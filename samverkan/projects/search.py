"""Full-text search of projects on PostgreSQL (``swedish`` tsvector + GIN) and SQLite (FTS5).

Both backends index the same words (``text.words``: letters and digits, Swedish stop words
dropped) and both stem them with Snowball Swedish: PostgreSQL through its ``swedish``
configuration, SQLite in Python before the words are stored in FTS5. A query is split into
words the same way and every word must match (AND). Raw query text never reaches SQL or FTS
syntax: words contain only letters and digits and are passed as parameters.

Ranking (the same rule on both databases): projects with every query word in the TITLE come
first, then the other matches; within each tier by relevance (``ts_rank`` over the weighted
vector on PostgreSQL, ``bm25`` with column weights 10/4/1 on SQLite). The tiers make the work
bounded: a page is ranked from the title tier alone whenever that tier fills it (a title index:
``title_vector`` with its own GIN index on PostgreSQL, FTS5's ``title`` column filter on
SQLite), so a broad query does not score tens of thousands of matches to show twenty.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, connections
from django.db.models import BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import Expression, RawSQL

from samverkan.core.replica import read_connection
from samverkan.projects import text
from samverkan.projects.models import Project

BATCH = 500
MASK_BITS = 63  # terms with pk 1..63 have a bit in theme_mask / group_mask (signed 64-bit)


def term_mask(term_ids: Iterable[int]) -> int:
    return sum(1 << (pk - 1) for pk in set(term_ids) if 1 <= pk <= MASK_BITS)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def project_document(project: Project) -> tuple[str, str, str]:
    """(title, summary, rest) of a project as plain words; organisation names go in ``rest``."""
    organisations = [project.owner.name] + [p.organisation.name for p in project.participants.all()]
    rest = " ".join([project.description, project.lessons, " ".join(organisations)])
    return (
        " ".join(text.words(project.title)),
        " ".join(text.words(project.summary)),
        " ".join(text.words(rest)),
    )


def project_tags(project: Project) -> str:
    """The facet values of a project as FTS5 tokens (SQLite): county, status, good example,
    owner, themes, target groups and municipalities by id (``c12 songoing g0 o7 t3 p8 m140``).
    A filtered search then intersects posting lists inside FTS5 instead of checking every
    match of a common word against the projects table."""
    tags = [
        f"s{project.status}",
        f"g{int(project.good_example)}",
        f"o{project.owner_id}",
        *(f"t{t.pk}" for t in project.themes.all()),
        *(f"p{g.pk}" for g in project.target_groups.all()),
        *(f"m{m.pk}" for m in project.municipalities.all()),
    ]
    if project.county_id:
        tags.append(f"c{project.county_id}")
    return " ".join(tags)


def project_index(project_ids: Iterable[int]) -> None:
    """(Re)build the search entries of these projects; call after every write."""
    ids = list(project_ids)
    for start in range(0, len(ids), BATCH):
        projects = (
            Project.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("owner")
            .prefetch_related(
                "participants__organisation", "themes", "target_groups", "municipalities"
            )
        )
        documents = [(p.pk, *project_document(p)) for p in projects]
        masks = [
            (
                term_mask(t.pk for t in p.themes.all()),
                term_mask(g.pk for g in p.target_groups.all()),
                p.pk,
            )
            for p in projects
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE projects_project SET theme_mask = %s, group_mask = %s WHERE id = %s", masks
            )
            if is_postgres():
                cursor.executemany(
                    "UPDATE projects_project SET search_vector = "
                    "setweight(to_tsvector('swedish', %s), 'A') || "
                    "setweight(to_tsvector('swedish', %s), 'B') || "
                    "setweight(to_tsvector('swedish', %s), 'C'), "
                    "title_vector = to_tsvector('swedish', %s) WHERE id = %s",
                    [(title, summary, rest, title, pk) for pk, title, summary, rest in documents],
                )
            else:
                cursor.executemany(
                    "DELETE FROM projects_search WHERE rowid = %s", [(pk,) for pk, *_ in documents]
                )
                tags = {p.pk: project_tags(p) for p in projects}
                cursor.executemany(
                    "INSERT INTO projects_search (rowid, title, summary, rest, tags) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        (
                            pk,
                            *(" ".join(text.stem(w) for w in part.split()) for part in parts),
                            tags[pk],
                        )
                        for pk, *parts in documents
                    ],
                )


def project_unindex(project_ids: Iterable[int]) -> None:
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM projects_search WHERE rowid = %s", [(pk,) for pk in project_ids]
            )


def project_reindex_all() -> int:
    ids = list(Project.objects.values_list("pk", flat=True))
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM projects_search")
    project_index(ids)
    return len(ids)


def tsquery(words: list[str]) -> str:
    return " & ".join(words)


TEXT_COLUMNS = "{title summary rest}"


def _fts_match(words: list[str], tags: Sequence[str] = ()) -> str:
    """Every word in the text columns, and every facet tag (``project_tags``) in ``tags``."""
    terms = [f'{TEXT_COLUMNS} : "{text.stem(w)}"' for w in words]
    return " AND ".join(terms + [f'tags : "{tag}"' for tag in tags])


class _OnVector(Expression):
    """An expression over the ``search_vector`` column of the queryset's own table alias
    (PostgreSQL). Written into the query's WHERE/ORDER BY rather than as ``id IN (subquery)``,
    so the planner can combine the GIN index with the other filters (a bitmap AND with the
    county index) instead of probing the match for every row of a county."""

    template = ""

    def __init__(self, tsquery: str, output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.tsquery = tsquery
        self.pk: Any = F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.pk)
        table, _dot, _column = sql.rpartition(".")  # "alias"."id" → "alias"
        column = f'{table}."search_vector"'
        return self.template.format(column=column, table=table), [*params, self.tsquery]


class VectorMatches(_OnVector):
    template = "{column} @@ to_tsquery('swedish', %s)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleMatches(_OnVector):
    template = "{table}.\"title_vector\" @@ to_tsquery('swedish', %s)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleMisses(_OnVector):
    template = "NOT COALESCE({table}.\"title_vector\" @@ to_tsquery('swedish', %s), false)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleTierRank(_OnVector):
    """``ts_rank`` for a title-tier row, NULL for the others (PostgreSQL), so that one pass
    over the matches can both count them and pick the best of the title tier."""

    template = (
        "CASE WHEN {table}.\"title_vector\" @@ to_tsquery('swedish', %s) "
        "THEN ts_rank({column}, to_tsquery('swedish', %s)) END"
    )

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, FloatField())

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = super().as_sql(compiler, connection)
        return sql, [*params, self.tsquery]


class TitleMatchFlag(_OnVector):
    """Whether every query word is in the title (PostgreSQL), as a selected value."""

    template = "COALESCE({table}.\"title_vector\" @@ to_tsquery('swedish', %s), false)"

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class VectorRank(_OnVector):
    template = "ts_rank({column}, to_tsquery('swedish', %s))"

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, FloatField())


def search_filter(
    projects: QuerySet[Project], words: list[str], *, tags: Sequence[str] = ()
) -> QuerySet[Project]:
    """Only the projects matching every word (``words`` from ``text.query_words``). ``tags``
    (``project_tags`` tokens of filters ``projects`` already applies) let SQLite intersect
    them inside FTS5; PostgreSQL combines its indexes by itself and ignores them."""
    if not words:
        return projects
    if is_postgres():
        return projects.filter(VectorMatches(tsquery(words)))
    return projects.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM projects_search WHERE projects_search MATCH %s",
            [_fts_match(words, tags)],
        )
    )


def search_count(filtered: QuerySet[Project], words: list[str], *, tags: Sequence[str] = ()) -> int:
    """How many of ``filtered`` match (``tags`` as in ``search_filter``). On SQLite, when
    nothing but the tags restricts the projects, FTS5 counts its own matches (no row reads)."""
    if is_postgres() or filtered.query.where:
        return search_filter(filtered, words, tags=tags).count()
    with connections[filtered.db].cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM projects_search WHERE projects_search MATCH %s",
            [_fts_match(words, tags)],
        )
        return int(cursor.fetchone()[0])


def search_page(
    filtered: QuerySet[Project],
    words: list[str],
    *,
    offset: int,
    limit: int,
    tags: Sequence[str] = (),
    title_tier: list[tuple[int, float]] | None = None,
    rest_tier: list[tuple[int, float]] | None = None,
    total: int | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of one page of the best matches of ``words`` among ``filtered`` (the
    readable projects passing the facet filters, NOT yet matched), title tier first (see the
    module docstring). The rest is ranked only when the title tier is shorter than the page.
    ``title_tier`` / ``rest_tier``: the best ``offset + limit`` rows of a tier when the caller
    has them already.
    ``total``: the number of matches, when known; a few (SQLite) are ranked in one pass."""
    need = offset + limit
    if not is_postgres() and title_tier is None and total is not None and total <= ONE_PASS:
        return _ranked_one_pass(filtered, words, tags)[offset:need]
    page = (
        list(title_tier)
        if title_tier is not None
        else _ranked(filtered, words, tags, title=True, limit=need)
    )
    if len(page) < need:
        page += (
            rest_tier[: need - len(page)]
            if rest_tier is not None
            else _ranked(filtered, words, tags, title=False, limit=need - len(page))
        )
    return page[offset:need]


ONE_PASS = 300


def _ranked_one_pass(
    filtered: QuerySet[Project], words: list[str], tags: Sequence[str]
) -> list[tuple[int, float]]:
    """Every match ranked in one FTS5 query, the title tier told from the stored (stemmed)
    title in Python: for a few matches this beats two queries, each reading the posting lists
    of every word (a five-word query with filters and three matches: 59 → about 20 ms)."""
    stems = {text.stem(w) for w in words}
    sql, params = _restriction(filtered)
    with connections[filtered.db].cursor() as cursor:  # the replica on the search path
        cursor.execute(
            "SELECT rowid, -bm25(projects_search, 10.0, 4.0, 1.0, 0.0), title "  # noqa: S608 # nosec B608
            "FROM projects_search WHERE projects_search MATCH %s" + sql,
            [_fts_match(words, tags), *params],
        )
        rows = [(stems <= set(title.split()), score, pk) for pk, score, title in cursor.fetchall()]
    rows.sort(key=lambda row: (not row[0], -row[1], row[2]))
    return [(pk, score) for _in_title, score, pk in rows]


def _restriction(filtered: QuerySet[Project]) -> tuple[str, tuple[Any, ...]]:
    """SQL (and parameters) keeping only FTS5 rows that are among ``filtered``, checked per
    match by primary key; nothing when ``filtered`` has no condition."""
    if not filtered.query.where:
        return "", ()
    this_match = filtered.order_by().filter(pk=RawSQL("projects_search.rowid", ()))
    sql, params = this_match.values("pk").query.sql_with_params()
    return " AND EXISTS (" + sql + ")", tuple(params)


def _ranked(
    filtered: QuerySet[Project], words: list[str], tags: Sequence[str], *, title: bool, limit: int
) -> list[tuple[int, float]]:
    """The ``limit`` best of one tier: title matches (``title``) or the other matches."""
    if is_postgres():
        query = tsquery(words)
        tier = filtered.filter(TitleMatches(query) if title else VectorMatches(query))
        if not title:
            tier = tier.filter(TitleMisses(query))
        ranked = tier.annotate(score=VectorRank(query)).order_by("-score", "pk")[:limit]
        return [(pk, score) for pk, score in ranked.values_list("pk", "score")]
    match = _fts_match(words, tags)
    in_title = " AND ".join(f'title : "{text.stem(w)}"' for w in words)
    match = f"{match} AND {in_title}" if title else f"({match}) NOT ({in_title})"
    restrict, params = _restriction(filtered)
    with connections[filtered.db].cursor() as cursor:  # the replica on the search path
        # ``sql`` is Django's own SQL for the filtered ids; every value is a parameter.
        cursor.execute(
            "SELECT rowid, -bm25(projects_search, 10.0, 4.0, 1.0, 0.0) AS score "  # noqa: S608 # nosec B608
            "FROM projects_search WHERE projects_search MATCH %s" + restrict + " "
            "ORDER BY score DESC, rowid LIMIT %s",
            [match, *params, limit],
        )
        return [(pk, score) for pk, score in cursor.fetchall()]


CANDIDATE_MATCHES = 1000


def search_candidates(words: list[str], *, limit: int, exclude: int | None = None) -> list[int]:
    """Ids of projects whose TITLES share all but one of ``words`` (at least two of them; the
    word itself when there is only one), best ranked first, for similarity. Bounded work: at
    most ``CANDIDATE_MATCHES`` matches are ranked, so common title words cannot make this rank
    the whole table."""
    if not words:
        return []
    words = words[:6]
    # All title words but one; a two-word title ("Språkcafé i Lund") needs either word.
    size = max(1, len(words) - 1)
    groups = [list(g) for g in itertools.combinations(words, size)]
    with read_connection().cursor() as cursor:
        if is_postgres():
            tsquery = " | ".join("(" + " & ".join(f"{w}:A" for w in g) + ")" for g in groups)
            cursor.execute(
                "SELECT id FROM (SELECT id, search_vector FROM projects_project "
                "WHERE search_vector @@ to_tsquery('swedish', %s) AND id <> %s LIMIT %s) m "
                "ORDER BY ts_rank(search_vector, to_tsquery('swedish', %s)) DESC, id LIMIT %s",
                [tsquery, exclude or 0, CANDIDATE_MATCHES, tsquery, limit],
            )
        else:
            match = " OR ".join(
                "(" + " AND ".join(f'title : "{text.stem(w)}"' for w in g) + ")" for g in groups
            )
            cursor.execute(
                "SELECT rowid FROM (SELECT rowid, rank FROM projects_search "
                "WHERE projects_search MATCH %s AND rowid <> %s LIMIT %s) "
                "ORDER BY rank, rowid LIMIT %s",
                [match, exclude or 0, CANDIDATE_MATCHES, limit],
            )
        return [row[0] for row in cursor.fetchall()]
