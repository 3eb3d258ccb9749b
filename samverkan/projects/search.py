"""Full-text search of projects on PostgreSQL (``swedish`` tsvector + GIN) and SQLite (FTS5).

Both backends index the same words (``text.words``: letters and digits, Swedish stop words
dropped) and both stem them with Snowball Swedish: PostgreSQL through its ``swedish``
configuration, SQLite in Python before the words are stored in FTS5. A query is split into
words the same way and every word must match (AND). Raw query text never reaches SQL or FTS
syntax: words contain only letters and digits and are passed as parameters.

Ranking (the same rule on both databases): projects with every query word in the TITLE come
first, then the other matches. The title tier is ordered by its title words (``pg_rank``,
``_fts_tier_match``), the others by relevance over the whole text (``ts_rank`` over the
weighted vector on PostgreSQL, ``bm25`` with column weights 10/4/1 on SQLite). The tiers make
the work bounded: a page is ranked from the title tier alone whenever that tier fills it (a
title index: ``title_vector`` with its own GIN index on PostgreSQL, FTS5's ``title`` column
filter on SQLite), so a broad query does not score tens of thousands of matches to show twenty.

A tier with more than ``RANK_WINDOW`` (1,000) matches is ranked in windows: its matches are
taken by id, newest first, a thousand at a time, and ordered by relevance within each window.
A page of a broad query ("arbetsgivare": 9,000 projects with the word in the title) is then
ranked from the 1,000 newest title matches instead of all of them; every match in such a tier
has every query word in its title, so little relevance is lost (``bench/projects_search_bench.py``
prints how much: the first page's mean score is 0.995–1.000 of the exact one's on SQLite,
median 0.94 on PostgreSQL). Paging goes on through the next windows, so every match is reached
once, in one order on both databases.

The rows searched are ``ProjectSearchEntry`` rows (a narrow copy of the project's filter,
facet and tenancy columns, plus the vectors on PostgreSQL), so matching and counting many
projects reads small pages.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, connections
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import Expression, RawSQL

from samverkan.core.replica import read_connection
from samverkan.projects import text
from samverkan.projects.models import Project, ProjectSearchEntry

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


ENTRY_COLUMNS = (
    "project_id, owner_id, visibility, county_id, status, good_example, theme_mask, group_mask, "
    "start_date, end_date, updated_at"
)
ENTRY_UPSERT = (
    " ON CONFLICT (project_id) DO UPDATE SET owner_id = excluded.owner_id, "
    "visibility = excluded.visibility, county_id = excluded.county_id, status = excluded.status, "
    "good_example = excluded.good_example, theme_mask = excluded.theme_mask, "
    "group_mask = excluded.group_mask, start_date = excluded.start_date, "
    "end_date = excluded.end_date, updated_at = excluded.updated_at"
)
PG_VECTORS = (
    "setweight(to_tsvector('swedish', %s), 'A') || setweight(to_tsvector('swedish', %s), 'B') || "
    "setweight(to_tsvector('swedish', %s), 'C'), to_tsvector('swedish', %s)"
)


def _entry_values(project: Project) -> tuple[Any, ...]:
    return (
        project.pk,
        project.owner_id,
        project.visibility,
        project.county_id,
        project.status,
        project.good_example,
        term_mask(t.pk for t in project.themes.all()),
        term_mask(g.pk for g in project.target_groups.all()),
        project.start_date,
        project.end_date,
        project.updated_at,
    )


def project_index(project_ids: Iterable[int]) -> None:
    """(Re)build the search entries (``ProjectSearchEntry``, and SQLite's FTS5 rows) of these
    projects; call after every write."""
    ids = list(project_ids)
    placeholders = ", ".join(["%s"] * len(ENTRY_COLUMNS.split(", ")))
    for start in range(0, len(ids), BATCH):
        projects = list(
            Project.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("owner")
            .prefetch_related(
                "participants__organisation", "themes", "target_groups", "municipalities"
            )
        )
        documents = {p.pk: project_document(p) for p in projects}
        with connection.cursor() as cursor:
            if is_postgres():
                cursor.executemany(
                    f"INSERT INTO projects_searchentry ({ENTRY_COLUMNS}, search_vector, "  # noqa: S608 # nosec B608
                    f"title_vector) VALUES ({placeholders}, {PG_VECTORS})"
                    + ENTRY_UPSERT
                    + ", search_vector = excluded.search_vector, "
                    "title_vector = excluded.title_vector",
                    [(*_entry_values(p), *documents[p.pk], documents[p.pk][0]) for p in projects],
                )
                continue
            cursor.executemany(
                f"INSERT INTO projects_searchentry ({ENTRY_COLUMNS}) "  # noqa: S608 # nosec B608
                f"VALUES ({placeholders})" + ENTRY_UPSERT,
                [_entry_values(p) for p in projects],
            )
            cursor.executemany(
                "DELETE FROM projects_search WHERE rowid = %s", [(p.pk,) for p in projects]
            )
            cursor.executemany(
                "INSERT INTO projects_search (rowid, title, summary, rest, tags) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        p.pk,
                        *(" ".join(text.stem(w) for w in part.split()) for part in documents[p.pk]),
                        project_tags(p),
                    )
                    for p in projects
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
RANK_WINDOW = 1000
"""A tier with more matches than this is ranked in windows of this many matches by id, newest
first (see the module docstring)."""


def _fts_match(words: list[str], tags: Sequence[str] = ()) -> str:
    """Every word in the text columns, and every facet tag (``project_tags``) in ``tags``."""
    terms = [f'{TEXT_COLUMNS} : "{text.stem(w)}"' for w in words]
    return " AND ".join(terms + _tag_terms(tags))


def _tag_terms(tags: Sequence[str]) -> list[str]:
    return [f'tags : "{tag}"' for tag in tags]


def _fts_tier_match(words: list[str], tags: Sequence[str], *, title: bool) -> str:
    """The FTS5 query of a tier. The title tier names only its title phrases: each phrase
    costs ``bm25`` a pass over the word's whole posting list, and a word in nearly every
    project's organisation name ("kommun") has 99,000 entries; its relevance is therefore that
    of the title words, as on PostgreSQL. The rest of the matches is every match whose stored
    title lacks a query word (``_not_in_title``), not an FTS5 ``NOT`` of title phrases, which
    would read those posting lists again."""
    if title:
        return " AND ".join([f'title : "{text.stem(w)}"' for w in words] + _tag_terms(tags))
    return _fts_match(words, tags)


def pg_rank(*, title: bool) -> str:
    """The relevance of entry ``e`` (PostgreSQL) within a tier, one query parameter: in the
    title tier that of the title words (``ts_rank`` of the title vector over its length: a title
    that repeats the words, or says little else, first), as SQLite's title-phrase ``bm25``;
    elsewhere ``ts_rank`` of the weighted vector."""
    if title:
        return "ts_rank(e.title_vector, (SELECT to_tsquery('swedish', %s)), 1)"
    return "ts_rank(e.search_vector, (SELECT to_tsquery('swedish', %s)))"


def _not_in_title(words: list[str]) -> tuple[str, list[str]]:
    """SQL (and parameters) keeping the FTS5 rows whose title lacks one of the words: the
    stored title is the stemmed words joined by single spaces."""
    test = " AND ".join(["instr(' ' || title || ' ', %s) > 0"] * len(words))
    return f" AND NOT ({test})", [f" {text.stem(w)} " for w in words]


class _OnVector(Expression):
    """An expression over the ``search_vector`` column of the queryset's own table alias
    (PostgreSQL). Where it is evaluated per row, the query is a scalar subquery
    (``(SELECT to_tsquery(…))``), parsed and stemmed once per statement instead of per row.
    Written into the query's WHERE/ORDER BY rather than as ``id IN (subquery)``,
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
        table, _dot, _column = sql.rpartition(".")  # "alias"."project_id" → "alias"
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
    template = "NOT COALESCE({table}.\"title_vector\" @@ (SELECT to_tsquery('swedish', %s)), false)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleMatchFlag(_OnVector):
    """Whether every query word is in the title (PostgreSQL), as a selected value."""

    template = "COALESCE({table}.\"title_vector\" @@ (SELECT to_tsquery('swedish', %s)), false)"

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


def search_filter(
    entries: QuerySet[ProjectSearchEntry], words: list[str], *, tags: Sequence[str] = ()
) -> QuerySet[ProjectSearchEntry]:
    """Only the entries matching every word (``words`` from ``text.query_words``). ``tags``
    (``project_tags`` tokens of filters ``entries`` already applies) let SQLite intersect
    them inside FTS5; PostgreSQL combines its indexes by itself and ignores them."""
    if not words:
        return entries
    if is_postgres():
        return entries.filter(VectorMatches(tsquery(words)))
    return entries.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM projects_search WHERE projects_search MATCH %s",
            [_fts_match(words, tags)],
        )
    )


def search_count(
    filtered: QuerySet[ProjectSearchEntry], words: list[str], *, tags: Sequence[str] = ()
) -> int:
    """How many of ``filtered`` match (``tags`` as in ``search_filter``). On SQLite, when
    nothing but the tags restricts the entries, FTS5 counts its own matches (no row reads)."""
    if is_postgres() or filtered.query.where:
        return search_filter(filtered, words, tags=tags).count()
    with connections[filtered.db].cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM projects_search WHERE projects_search MATCH %s",
            [_fts_match(words, tags)],
        )
        return int(cursor.fetchone()[0])


def search_page(
    filtered: QuerySet[ProjectSearchEntry],
    words: list[str],
    *,
    offset: int,
    limit: int,
    tags: Sequence[str] = (),
    title_tier: list[tuple[int, float]] | None = None,
    rest_tier: list[tuple[int, float]] | None = None,
) -> list[tuple[int, float]]:
    """(id, score) of one page of the best matches of ``words`` among ``filtered`` (the
    readable entries passing the facet filters, NOT yet matched), title tier first (see the
    module docstring). The rest is ranked only when the title tier is shorter than the page.
    ``title_tier`` / ``rest_tier``: the first ``offset + limit`` rows of a tier when the caller
    has them already."""
    need = offset + limit
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


def _restriction(filtered: QuerySet[ProjectSearchEntry]) -> tuple[str, tuple[Any, ...]]:
    """SQL (and parameters) keeping only FTS5 rows that are among ``filtered``, checked per
    match by primary key; nothing when ``filtered`` has no condition."""
    if not filtered.query.where:
        return "", ()
    this_match = filtered.order_by().filter(pk=RawSQL("projects_search.rowid", ()))
    sql, params = this_match.values("pk").query.sql_with_params()
    return " AND EXISTS (" + sql + ")", tuple(params)


def _ranked(
    filtered: QuerySet[ProjectSearchEntry],
    words: list[str],
    tags: Sequence[str],
    *,
    title: bool,
    limit: int,
) -> list[tuple[int, float]]:
    """The first ``limit`` of one tier (title matches, or the other matches) in the tier's
    order: windows of ``RANK_WINDOW`` matches by id, newest first, by relevance within each."""
    rows: list[tuple[int, float]] = []
    window = 0
    while len(rows) < limit:
        ranked, size = _ranked_window(
            filtered, words, tags, title=title, window=window, limit=limit - len(rows)
        )
        rows += ranked
        if size < RANK_WINDOW:
            break
        window += 1
    return rows


def _ranked_window(
    filtered: QuerySet[ProjectSearchEntry],
    words: list[str],
    tags: Sequence[str],
    *,
    title: bool,
    window: int,
    limit: int,
) -> tuple[list[tuple[int, float]], int]:
    """The ``limit`` best of one window of a tier, and how many matches the window holds."""
    if is_postgres():
        query = tsquery(words)
        tier = filtered.filter(TitleMatches(query) if title else VectorMatches(query))
        if not title:
            tier = tier.filter(TitleMisses(query))
        # The tier is materialised before it is cut to the window: ordered by id straight from
        # the table, the planner may walk the primary key backwards and test every row.
        sql, params = tier.order_by().values_list("pk").query.sql_with_params()
        statement = (
            "WITH tier (id) AS MATERIALIZED (" + sql + "), "  # noqa: S608 # nosec B608
            "w AS (SELECT id FROM tier ORDER BY id DESC LIMIT %s OFFSET %s) "
            "SELECT w.id, " + pg_rank(title=title) + " AS score, "
            "COUNT(*) OVER () FROM w JOIN projects_searchentry e ON e.project_id = w.id "
            "ORDER BY score DESC, w.id LIMIT %s"
        )
        arguments: list[Any] = [*params, RANK_WINDOW, window * RANK_WINDOW, query, limit]
    else:
        restrict, restrict_params = _restriction(filtered)
        if not title:
            not_in_title, stems = _not_in_title(words)
            restrict, restrict_params = restrict + not_in_title, (*restrict_params, *stems)
        # ``restrict`` is Django's own SQL for the filtered ids; every value is a parameter.
        statement = (
            "SELECT rowid, score, COUNT(*) OVER () FROM ("  # noqa: S608 # nosec B608
            "SELECT rowid, -bm25(projects_search, 10.0, 4.0, 1.0, 0.0) AS score "
            "FROM projects_search WHERE projects_search MATCH %s" + restrict + " "
            "ORDER BY rowid DESC LIMIT %s OFFSET %s) ORDER BY score DESC, rowid LIMIT %s"
        )
        arguments = [
            _fts_tier_match(words, tags, title=title),
            *restrict_params,
            RANK_WINDOW,
            window * RANK_WINDOW,
            limit,
        ]
    with connections[filtered.db].cursor() as cursor:  # the replica on the search path
        cursor.execute(statement, arguments)
        found = cursor.fetchall()
    return [(pk, score) for pk, score, _size in found], (found[0][2] if found else 0)


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
                "SELECT project_id FROM (SELECT project_id, search_vector "
                "FROM projects_searchentry WHERE search_vector @@ to_tsquery('swedish', %s) "
                "AND project_id <> %s LIMIT %s) m "
                "ORDER BY ts_rank(search_vector, (SELECT to_tsquery('swedish', %s))) DESC, "
                "project_id LIMIT %s",
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
