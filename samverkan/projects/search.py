"""Full-text search of projects on PostgreSQL (``swedish`` tsvector + GIN) and SQLite (FTS5).

Both backends index the same lexemes, made in Python (``text.lexemes``): the words (letters
and digits, Swedish stop words dropped) stemmed with Snowball Swedish, and apart from them the
stems of the parts of compound words (``compounds``: "valideringscentrum" also gives
"validering" and "centrum"). PostgreSQL stores them with its ``simple`` configuration (no
stemming of its own), in weight A/B/C for title/summary/rest and D for the parts (title parts
also in ``title_vector`` with weight B); SQLite in FTS5 columns ``title``, ``summary``,
``rest`` and ``title_parts``, ``parts``.

A query (``query_terms``) is a list of terms that must all match (AND). A term matches its
word's stem, or all the parts of a compound query word, or a synonym (``synonyms``), or, for
a word ending in ``*`` and the last word typed in the search box, the words of the index's
vocabulary (``SearchWord``) that begin with it (at least 3 letters, at most
``MAX_EXPANSIONS`` words). Raw query text never reaches SQL or FTS syntax: lexemes contain
only letters and digits and are passed as parameters.

Ranking (the same rule on both databases): projects with every query term as a whole word in
the TITLE come first, then the other matches (a part of a compound in the title ranks there,
after the whole words). The title tier is ordered by its title words (``pg_rank``,
``_fts_tier_match``), the others by relevance over the whole text (``ts_rank`` over the
weighted vector on PostgreSQL, ``bm25`` with column weights 10/4/1, title parts 3, other parts
0.5 on SQLite). The tiers make
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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import Expression, RawSQL

from samverkan.core.replica import read_connection
from samverkan.projects import compounds, synonyms, text
from samverkan.projects.models import Project, ProjectSearchEntry, SearchWord

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
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
    "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D'), "
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
)


def document_lexemes(document: tuple[str, str, str]) -> tuple[str, str, str, str, str]:
    """(title, summary, rest, title parts, other parts) of a ``project_document`` as lexemes
    joined by spaces: what both databases store."""
    (title, title_parts), (summary, summary_parts), (rest, rest_parts) = (
        text.lexemes(part) for part in document
    )
    return (
        " ".join(title),
        " ".join(summary),
        " ".join(rest),
        " ".join(title_parts),
        " ".join(summary_parts + rest_parts),
    )


def _vocabulary(documents: Iterable[tuple[str, str, str]]) -> None:
    """Add the words (and compound parts) of ``documents`` to ``SearchWord``."""
    found: dict[str, None] = {}
    for document in documents:
        for part in document:
            found.update(dict.fromkeys(part.split()))
    rows = {}
    for word in found:
        rows[word] = text.stem(word)
        for part in compounds.split(word):
            rows.setdefault(part, text.stem(part))
    # in one order, so two writers adding the same new words wait for each other, never deadlock
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, lexeme=rows[w]) for w in sorted(rows) if len(w) <= 60],
        ignore_conflicts=True,
        batch_size=1000,
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
        lexemes = {pk: document_lexemes(d) for pk, d in documents.items()}
        _vocabulary(documents.values())
        with connection.cursor() as cursor:
            if is_postgres():
                cursor.executemany(
                    f"INSERT INTO projects_searchentry ({ENTRY_COLUMNS}, search_vector, "  # noqa: S608 # nosec B608
                    f"title_vector) VALUES ({placeholders}, {PG_VECTORS})"
                    + ENTRY_UPSERT
                    + ", search_vector = excluded.search_vector, "
                    "title_vector = excluded.title_vector",
                    [
                        (*_entry_values(p), *lexemes[p.pk][:3], _all_parts(lexemes[p.pk]))
                        + (lexemes[p.pk][0], lexemes[p.pk][3])
                        for p in projects
                    ],
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
                "INSERT INTO projects_search (rowid, title, summary, rest, tags, title_parts, "
                "parts) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(p.pk, *lexemes[p.pk][:3], project_tags(p), *lexemes[p.pk][3:]) for p in projects],
            )


def _all_parts(lexemes: tuple[str, str, str, str, str]) -> str:
    return " ".join(part for part in lexemes[3:] if part)


def project_unindex(project_ids: Iterable[int]) -> None:
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM projects_search WHERE rowid = %s", [(pk,) for pk in project_ids]
            )


def search_index_repair() -> int:
    """Index every project again when projects exist but the search vocabulary is empty: after
    the migration that introduced compound parts (it cannot index with a model that later
    migrations extend), or after the index tables were emptied. Returns how many were indexed."""
    if not Project.objects.exists() or SearchWord.objects.exists():
        return 0
    return project_reindex_all()


def project_reindex_all() -> int:
    ids = list(Project.objects.values_list("pk", flat=True))
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM projects_search")
    SearchWord.objects.all().delete()
    project_index(ids)
    return len(ids)


@dataclass(frozen=True)
class Term:
    """One term of a query: it matches where any of its alternatives does, an alternative
    where all its lexemes do (``(("språkstöd",), ("språk", "stöd"))``)."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]

    @property
    def lexemes(self) -> set[str]:
        return {lexeme for alternative in self.alternatives for lexeme in alternative}


MIN_PREFIX = 3
MAX_EXPANSIONS = 200
TERM_RE = re.compile(r"([^\W_]+)(\*?)", re.UNICODE)


def query_terms(query: str, *, prefix_last: bool = False) -> list[Term]:
    """The terms of a search query (at most ``text.MAX_QUERY_TERMS``): each word with the
    parts of a compound, its synonyms, and words it begins when it ends in ``*`` (or is the
    last word and ``prefix_last``: the search box, where the last word may be half typed)."""
    raw = query[:1000].lower()
    tokens = [
        (m.group(1), bool(m.group(2)))
        for m in TERM_RE.finditer(raw)
        if m.group(1) not in text.STOP_WORDS and len(m.group(1)) <= text.MAX_WORD_LENGTH
    ]
    if prefix_last and tokens:
        tokens[-1] = (tokens[-1][0], True)
    index = synonyms.synonym_index()
    terms: list[Term] = []
    seen: set[tuple[tuple[str, ...], ...]] = set()
    i = 0
    while i < len(tokens) and len(terms) < text.MAX_QUERY_TERMS:
        for size in range(min(synonyms.MAX_PHRASE, len(tokens) - i), 0, -1):
            key = tuple(text.stem(w) for w, _prefix in tokens[i : i + size])
            if key in index:
                break
        else:
            size, key = 1, (text.stem(tokens[i][0]),)
        word, prefix = tokens[i + size - 1]
        alternatives: dict[tuple[str, ...], None] = {key: None}
        alternatives.update(dict.fromkeys(index.get(key, ())))
        if size == 1:
            parts = text.leaf_part_stems(word)
            if len(parts) > 1:
                alternatives.setdefault(parts, None)
            if prefix and len(word) >= MIN_PREFIX:
                alternatives.update(dict.fromkeys((lx,) for lx in prefix_lexemes(word)))
        term = Term(" ".join(w for w, _p in tokens[i : i + size]), tuple(alternatives))
        if term.alternatives not in seen:
            seen.add(term.alternatives)
            terms.append(term)
        i += size
    return terms


def prefix_lexemes(prefix: str) -> list[str]:
    """The lexemes of the vocabulary's words beginning with ``prefix`` (at most
    ``MAX_EXPANSIONS`` words, in alphabetical order), read from the index (an index range)."""
    word = 'word COLLATE "C"' if is_postgres() else "word"  # byte order, as SQLite's
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT lexeme FROM (SELECT lexeme FROM projects_searchword "  # noqa: S608 # nosec B608
            f"WHERE {word} >= %s AND {word} < %s ORDER BY {word} LIMIT %s) w",
            [prefix, prefix + "\U0010ffff", MAX_EXPANSIONS],
        )
        return sorted(row[0] for row in cursor.fetchall())


def tsquery(terms: Sequence[Term], *, weights: str = "") -> str:
    """A ``to_tsquery('simple', …)`` string; ``weights`` ("A") limits it to those weights."""
    suffix = f":{weights}" if weights else ""
    return " & ".join(
        "("
        + " | ".join(
            "(" + " & ".join(lexeme + suffix for lexeme in alternative) + ")"
            for alternative in term.alternatives
        )
        + ")"
        for term in terms
    )


def _fts_terms(terms: Sequence[Term], columns: str) -> list[str]:
    return [
        "("
        + " OR ".join(
            "(" + " AND ".join(f'{columns} : "{lexeme}"' for lexeme in alternative) + ")"
            for alternative in term.alternatives
        )
        + ")"
        for term in terms
    ]


TEXT_COLUMNS = "{title summary rest title_parts parts}"
RANK_WINDOW = 1000
"""A tier with more matches than this is ranked in windows of this many matches by id, newest
first (see the module docstring)."""


def _fts_match(terms: Sequence[Term], tags: Sequence[str] = ()) -> str:
    """Every term in the text columns, and every facet tag (``project_tags``) in ``tags``."""
    return " AND ".join(_fts_terms(terms, TEXT_COLUMNS) + _tag_terms(tags))


def _tag_terms(tags: Sequence[str]) -> list[str]:
    return [f'tags : "{tag}"' for tag in tags]


def _fts_tier_match(terms: Sequence[Term], tags: Sequence[str], *, title: bool) -> str:
    """The FTS5 query of a tier. The title tier names only its title phrases: each phrase
    costs ``bm25`` a pass over the word's whole posting list, and a word in nearly every
    project's organisation name ("kommun") has 99,000 entries; its relevance is therefore that
    of the title words, as on PostgreSQL. The rest of the matches is every match whose stored
    title lacks a query word (``_not_in_title``), not an FTS5 ``NOT`` of title phrases, which
    would read those posting lists again."""
    if title:
        return " AND ".join(_fts_terms(terms, "title") + _tag_terms(tags))
    return _fts_match(terms, tags)


def pg_rank(*, title: bool) -> str:
    """The relevance of entry ``e`` (PostgreSQL) within a tier, one query parameter: in the
    title tier that of the title words (``ts_rank`` of the title vector over its length: a title
    that repeats the words, or says little else, first), as SQLite's title-phrase ``bm25``;
    elsewhere ``ts_rank`` of the weighted vector."""
    if title:
        return "ts_rank(e.title_vector, (SELECT to_tsquery('simple', %s)), 1)"
    return "ts_rank(e.search_vector, (SELECT to_tsquery('simple', %s)))"


def _not_in_title(terms: Sequence[Term]) -> tuple[str, list[str]]:
    """SQL (and parameters) keeping the FTS5 rows whose title lacks one of the terms: the
    stored title is the lexemes joined by single spaces."""
    tests, params = [], []
    for term in terms:
        alternatives = []
        for alternative in term.alternatives:
            alternatives.append(
                "(" + " AND ".join(["instr(' ' || title || ' ', %s) > 0"] * len(alternative)) + ")"
            )
            params += [f" {lexeme} " for lexeme in alternative]
        tests.append("(" + " OR ".join(alternatives) + ")")
    return f" AND NOT ({' AND '.join(tests)})", params


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
    template = "{column} @@ to_tsquery('simple', %s)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleMatches(_OnVector):
    template = "{table}.\"title_vector\" @@ to_tsquery('simple', %s)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleMisses(_OnVector):
    template = "NOT COALESCE({table}.\"title_vector\" @@ (SELECT to_tsquery('simple', %s)), false)"
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


class TitleMatchFlag(_OnVector):
    """Whether every query word is in the title (PostgreSQL), as a selected value."""

    template = "COALESCE({table}.\"title_vector\" @@ (SELECT to_tsquery('simple', %s)), false)"

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, BooleanField())


def search_filter(
    entries: QuerySet[ProjectSearchEntry], words: Sequence[Term], *, tags: Sequence[str] = ()
) -> QuerySet[ProjectSearchEntry]:
    """Only the entries matching every term (``words`` from ``query_terms``). ``tags``
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
    filtered: QuerySet[ProjectSearchEntry], words: Sequence[Term], *, tags: Sequence[str] = ()
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
    words: Sequence[Term],
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
    words: Sequence[Term],
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
    words: Sequence[Term],
    tags: Sequence[str],
    *,
    title: bool,
    window: int,
    limit: int,
) -> tuple[list[tuple[int, float]], int]:
    """The ``limit`` best of one window of a tier, and how many matches the window holds."""
    if is_postgres():
        query, title_query = tsquery(words), tsquery(words, weights="A")
        tier = filtered.filter(TitleMatches(title_query) if title else VectorMatches(query))
        if not title:
            tier = tier.filter(TitleMisses(title_query))
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
        arguments: list[Any] = [
            *params,
            RANK_WINDOW,
            window * RANK_WINDOW,
            title_query if title else query,
            limit,
        ]
    else:
        restrict, restrict_params = _restriction(filtered)
        if not title:
            not_in_title, stems = _not_in_title(words)
            restrict, restrict_params = restrict + not_in_title, (*restrict_params, *stems)
        # ``restrict`` is Django's own SQL for the filtered ids; every value is a parameter.
        statement = (
            "SELECT rowid, score, COUNT(*) OVER () FROM ("  # noqa: S608 # nosec B608
            "SELECT rowid, -bm25(projects_search, 10.0, 4.0, 1.0, 0.0, 3.0, 0.5) AS score "
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


def search_candidates(
    words: list[str], *, limit: int, exclude: int | None = None, any_word: bool = False
) -> list[int]:
    """Ids of projects whose TITLES (their words or the parts of their compounds) share all
    but one of ``words`` (at least two of them; the
    word itself when there is only one), best ranked first, for similarity. Bounded work: at
    most ``CANDIDATE_MATCHES`` matches are ranked, so common title words cannot make this rank
    the whole table. ``any_word``: titles sharing any one of ``words``."""
    if not words:
        return []
    words = words[:6]
    # All title words but one; a two-word title ("Språkcafé i Lund") needs either word.
    size = 1 if any_word else max(1, len(words) - 1)
    groups = [list(g) for g in itertools.combinations(words, size)]
    alternatives = {w: _candidate_alternatives(w) for w in words}
    with read_connection().cursor() as cursor:
        if is_postgres():
            tsquery = " | ".join(
                "("
                + " & ".join(
                    "("
                    + " | ".join(
                        "(" + " & ".join(f"{x}:AB" for x in alt) + ")" for alt in alternatives[w]
                    )
                    + ")"
                    for w in g
                )
                + ")"
                for g in groups
            )
            cursor.execute(
                "SELECT project_id FROM (SELECT project_id, title_vector "
                "FROM projects_searchentry WHERE title_vector @@ to_tsquery('simple', %s) "
                "AND project_id <> %s LIMIT %s) m "
                "ORDER BY ts_rank(title_vector, (SELECT to_tsquery('simple', %s))) DESC, "
                "project_id LIMIT %s",
                [tsquery, exclude or 0, CANDIDATE_MATCHES, tsquery, limit],
            )
        else:
            match = " OR ".join(
                "("
                + " AND ".join(
                    "("
                    + " OR ".join(
                        "(" + " AND ".join(f'{{title title_parts}} : "{x}"' for x in alt) + ")"
                        for alt in alternatives[w]
                    )
                    + ")"
                    for w in g
                )
                + ")"
                for g in groups
            )
            cursor.execute(
                "SELECT rowid FROM (SELECT rowid, rank FROM projects_search "
                "WHERE projects_search MATCH %s AND rowid <> %s LIMIT %s) "
                "ORDER BY rank, rowid LIMIT %s",
                [match, exclude or 0, CANDIDATE_MATCHES, limit],
            )
        return [row[0] for row in cursor.fetchall()]


def _candidate_alternatives(word: str) -> list[tuple[str, ...]]:
    """A title word as a whole word or part (its stem), or as all its parts."""
    parts = text.leaf_part_stems(word)
    return [(text.stem(word),), *([parts] if len(parts) > 1 else [])]
