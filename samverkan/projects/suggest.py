"""Help when a search finds nothing: "Menade du …?" from the index's own vocabulary, and the
same query without its filters with the count it would give.

A query word is unknown when no indexed word has its stem (``SearchWord``). Its spelling
candidates are the vocabulary's words with the same first letter and a length within two
letters (an index range), at edit distance 1 (2 for words of seven letters or more, counting
a swap of two neighbouring letters as one edit). The closest few are tried as the corrected
query, and the one that finds the most projects under the same filters is suggested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from samverkan.core.replica import read_connection
from samverkan.projects import search, text
from samverkan.projects.models import SearchWord
from samverkan.projects.selectors import SearchFilters, project_search

MAX_CANDIDATES = 20_000  # vocabulary words read for one unknown word
TRIED = 4  # corrected queries counted


@dataclass
class SearchHelp:
    suggestion: str = ""  # the corrected query, "" when there is none
    suggestion_total: int = 0
    unfiltered_total: int | None = None  # the query without its filters, when it had some


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b`` (insertions, deletions,
    substitutions and swaps of neighbours), or ``limit + 1`` when it is larger than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def _known(word: str) -> bool:
    return SearchWord.objects.filter(lexeme=text.stem(word)).exists()


def close_words(word: str) -> list[str]:
    """Vocabulary words within the edit distance of ``word``, closest first."""
    limit = 2 if len(word) >= 7 else 1
    column = 'word COLLATE "C"' if search.is_postgres() else "word"
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM projects_searchword WHERE {column} >= %s AND {column} < %s "  # noqa: S608 # nosec B608
            "AND length(word) BETWEEN %s AND %s LIMIT %s",
            [word[0], word[0] + "\U0010ffff", len(word) - 2, len(word) + 2, MAX_CANDIDATES],
        )
        found = []
        for (candidate,) in cursor.fetchall():
            d = distance(word, candidate, limit)
            if d <= limit and text.stem(candidate) != text.stem(word):
                found.append((d, abs(len(candidate) - len(word)), candidate))
    return [w for _d, _l, w in sorted(found)]


def search_help(*, user: Any, filters: SearchFilters, prefix_last: bool = False) -> SearchHelp:
    """What to offer when ``filters`` find nothing for ``user`` (``prefix_last`` as the search
    that found nothing, ``selectors.project_search``)."""

    def count(filters: SearchFilters) -> int:
        return project_search(
            user=user, filters=filters, limit=1, facets=False, prefix_last=prefix_last
        ).total

    help = SearchHelp()
    if replace(filters, query="") != SearchFilters():
        help.unfiltered_total = count(SearchFilters(query=filters.query))
    words = [w for w in text.query_words(filters.query) if len(w) >= 3 and not _known(w)]
    corrected = filters.query
    for word in words[:3]:
        best, best_total = "", 0
        for candidate in close_words(word)[:TRIED]:
            query = re.sub(rf"(?i)\b{re.escape(word)}\b", candidate, corrected)
            total = count(replace(filters, query=query))
            if total > best_total:
                best, best_total = query, total
        if best:
            corrected, help.suggestion, help.suggestion_total = best, best, best_total
    return help
