"""Full-text search of projects on PostgreSQL (``swedish`` tsvector + GIN) and SQLite (FTS5).

Both backends index the same words (``text.words``: letters and digits, Swedish stop words
dropped) and both stem them with Snowball Swedish: PostgreSQL through its ``swedish``
configuration, SQLite in Python before the words are stored in FTS5. A query is split into
words the same way and every word must match (AND). Raw query text never reaches SQL or FTS
syntax: words contain only letters and digits and are passed as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, connections
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from samverkan.projects import text
from samverkan.projects.models import Project

BATCH = 500


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


def project_index(project_ids: Iterable[int]) -> None:
    """(Re)build the search entries of these projects; call after every write."""
    ids = list(project_ids)
    for start in range(0, len(ids), BATCH):
        projects = (
            Project.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("owner")
            .prefetch_related("participants__organisation")
        )
        documents = [(p.pk, *project_document(p)) for p in projects]
        with connection.cursor() as cursor:
            if is_postgres():
                cursor.executemany(
                    "UPDATE projects_project SET search_vector = "
                    "setweight(to_tsvector('swedish', %s), 'A') || "
                    "setweight(to_tsvector('swedish', %s), 'B') || "
                    "setweight(to_tsvector('swedish', %s), 'C') WHERE id = %s",
                    [(title, summary, rest, pk) for pk, title, summary, rest in documents],
                )
            else:
                cursor.executemany(
                    "DELETE FROM projects_search WHERE rowid = %s", [(pk,) for pk, *_ in documents]
                )
                cursor.executemany(
                    "INSERT INTO projects_search (rowid, title, summary, rest) "
                    "VALUES (%s, %s, %s, %s)",
                    [
                        (pk, *(" ".join(text.stem(w) for w in part.split()) for part in parts))
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


def _tsquery(words: list[str]) -> str:
    return " & ".join(words)


def _fts_match(words: list[str]) -> str:
    return " ".join(f'"{text.stem(w)}"' for w in words)


def search_filter(projects: QuerySet[Project], words: list[str]) -> QuerySet[Project]:
    """Only the projects matching every word (``words`` from ``text.query_words``)."""
    if not words:
        return projects
    if is_postgres():
        # A self-contained subquery: it must not name the outer table, which Django aliases
        # (U0) when this queryset is itself used as a subquery (facets, exports).
        return projects.filter(
            pk__in=RawSQL(
                "SELECT id FROM projects_project WHERE search_vector @@ to_tsquery('swedish', %s)",
                [_tsquery(words)],
            )
        )
    return projects.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM projects_search WHERE projects_search MATCH %s", [_fts_match(words)]
        )
    )


def search_page(
    projects: QuerySet[Project], words: list[str], *, offset: int, limit: int
) -> list[tuple[int, float]]:
    """(id, score) of one page of the best matches among ``projects`` (already filtered by
    ``search_filter``), best first. SQLite ranks inside FTS5 over the filtered ids only, so
    bm25 is computed once per match rather than once per row in a correlated subquery."""
    if is_postgres():
        ranked = search_rank(projects, words).order_by("-score", "pk")  # type: ignore[misc]
        ranked = ranked[offset : offset + limit]
        return [(pk, score) for pk, score in ranked.values_list("pk", "score")]  # type: ignore[misc]
    sql, params = projects.order_by().values("pk").query.sql_with_params()
    with connections[projects.db].cursor() as cursor:  # the replica on the search path
        # MATERIALIZED: rank the matches once; inlined, SQLite re-runs MATCH per filtered id.
        # ``sql`` is Django's own SQL for the filtered ids; every value is a parameter.
        ranked_sql = (
            "WITH matches AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608 # nosec B608
            "-bm25(projects_search, 10.0, 4.0, 1.0) AS score FROM projects_search "
            "WHERE projects_search MATCH %s) "
            "SELECT id, score FROM matches WHERE id IN (" + sql + ") "
            "ORDER BY score DESC, id LIMIT %s OFFSET %s"
        )
        cursor.execute(ranked_sql, [_fts_match(words), *params, limit, offset])
        return [(pk, score) for pk, score in cursor.fetchall()]


def search_rank(projects: QuerySet[Project], words: list[str]) -> QuerySet[Project]:
    """Annotate ``score`` (higher is better) for projects already filtered by ``search_filter``."""
    if not words:
        return projects
    if is_postgres():
        score = RawSQL(
            "ts_rank(projects_project.search_vector, to_tsquery('swedish', %s))",
            [_tsquery(words)],
            output_field=FloatField(),
        )
    else:
        score = RawSQL(
            "(SELECT -bm25(projects_search, 10.0, 4.0, 1.0) FROM projects_search "
            "WHERE projects_search MATCH %s AND rowid = projects_project.id)",
            [_fts_match(words)],
            output_field=FloatField(),
        )
    return projects.annotate(score=score)


def search_candidates(words: list[str], *, limit: int, exclude: int | None = None) -> list[int]:
    """Ids of the projects best matching ANY of ``words`` (for similarity), best first."""
    if not words:
        return []
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "SELECT id FROM projects_project WHERE search_vector @@ to_tsquery('swedish', %s) "
                "AND id <> %s ORDER BY ts_rank(search_vector, to_tsquery('swedish', %s)) DESC, id "
                "LIMIT %s",
                [" | ".join(words), exclude or 0, " | ".join(words), limit],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM projects_search WHERE projects_search MATCH %s AND rowid <> %s "
                "ORDER BY rank, rowid LIMIT %s",
                [" OR ".join(f'"{text.stem(w)}"' for w in words), exclude or 0, limit],
            )
        return [row[0] for row in cursor.fetchall()]
