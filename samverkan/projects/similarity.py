"""Similar projects and probable duplicates.

How the score is computed (also in docs/projects.md):

- **Text**: title (counted three times), summary, description and lessons are split into words,
  Swedish stop words dropped and the words stemmed (Snowball Swedish, as in search), the
  parts of compound words added as terms of their own (``compounds``, as in search). Each
  project becomes a TF-IDF vector (tf = 1 + log(count), idf = log((N + 1) / (df + 1)) + 1 over
  the compared projects, N their number), normalised to length 1; text similarity is the cosine.
- **Themes** and **target groups**: Jaccard overlap (shared / all) of the two sets.
- **Area**: 1 for a shared municipality, 0.5 for the same county only, else 0.
- **Score** = 0.55 × text + 0.15 × themes + 0.15 × target groups + 0.15 × area, between 0 and 1.

For one project the compared projects are the 100 best full-text matches for its title and
summary words plus the 200 latest with the same themes or target groups in its county. The
duplicate report compares every pair of projects in a county exactly (``_cosine_blocks``:
numpy for the common terms, an inverted index for the rare ones); pairs with the same owner
and title, or text cosine ≥ 0.6, are probable duplicates, other pairs with cosine ≥ 0.4 and
score ≥ 0.45 overlap. Reasons are built only for the pairs returned.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.geo.models import Municipality
from samverkan.projects import search, text
from samverkan.projects.models import Project

TEXT_WEIGHT, THEME_WEIGHT, GROUP_WEIGHT, AREA_WEIGHT = 0.55, 0.15, 0.15, 0.15
DUPLICATE_COSINE = 0.6
OVERLAP_SCORE = 0.45
CANDIDATES = 100
DENSE_TERMS = 1024  # the commonest terms, compared as a dense matrix
BLOCK = 256  # rows of the dense matrix multiplied at a time


@dataclass
class Doc:
    """What similarity needs of a project, loaded once."""

    pk: int
    title: str
    owner_id: int | None
    county_id: int | None
    terms: Counter[str]
    themes: dict[int, str] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)
    municipalities: dict[int, str] = field(default_factory=dict)
    project: Project | None = None


@dataclass
class Similar:
    project: Project
    score: float
    text: float
    reasons: list[str]


def _terms(title: str, body: str) -> Counter[str]:
    """Stems of the words and of the parts of compound words ("valideringscentrum" gives
    validering and centrum too), as search indexes them."""
    whole, parts = text.lexemes(body)
    terms = Counter(whole + parts)
    title_whole, title_parts = text.lexemes(title)
    for term in title_whole + title_parts:
        terms[term] += 3
    return terms


def _load(projects: QuerySet[Project], *, with_projects: bool = True) -> list[Doc]:
    """Docs for ``projects`` in five flat queries (rows, then the three link tables and the
    vocabulary names), without building model instances unless ``with_projects``."""
    rows = list(
        projects.order_by("pk").values_list(
            "pk", "title", "owner_id", "county_id", "summary", "description", "lessons"
        )
    )
    ids = [row[0] for row in rows]
    links: dict[str, dict[int, dict[int, str]]] = {"t": {}, "g": {}, "m": {}}
    names = {
        "t": dict(Theme.objects.values_list("pk", "name")),
        "g": dict(TargetGroup.objects.values_list("pk", "name")),
    }
    for key, through, column in (
        ("t", Project.themes.through, "theme_id"),
        ("g", Project.target_groups.through, "targetgroup_id"),
        ("m", Project.municipalities.through, "municipality_id"),
    ):
        found = links[key]
        for start in range(0, len(ids), 5000):
            for project_id, term_id in through.objects.filter(
                project_id__in=ids[start : start + 5000]
            ).values_list("project_id", column):
                found.setdefault(project_id, {})[term_id] = names.get(key, {}).get(term_id, "")
    if links["m"]:
        municipality_ids = {m for found in links["m"].values() for m in found}
        municipality_names = dict(
            Municipality.objects.filter(pk__in=municipality_ids).values_list("pk", "name")
        )
        for named in links["m"].values():
            for m in named:
                named[m] = municipality_names.get(m, "")
    docs = [
        Doc(
            pk,
            title,
            owner_id,
            county_id,
            _terms(title, " ".join([summary, description, lessons])),
            links["t"].get(pk, {}),
            links["g"].get(pk, {}),
            links["m"].get(pk, {}),
        )
        for pk, title, owner_id, county_id, summary, description, lessons in rows
    ]
    if with_projects:
        _attach(docs)
    return docs


def _attach(docs: Iterable[Doc]) -> None:
    """Give ``docs`` their Project instances (one query)."""
    docs = list(docs)
    projects = Project.objects.select_related("owner", "county").in_bulk([d.pk for d in docs])
    for doc in docs:
        doc.project = projects.get(doc.pk)


_log = lru_cache(maxsize=4096)(math.log)  # term counts are small integers, repeated


def _vectors(docs: Sequence[Doc]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.terms.keys())
    n = len(docs)
    idf = {t: math.log((n + 1) / (d + 1)) + 1 for t, d in df.items()}
    vectors = []
    for doc in docs:
        vector = {t: (1 + _log(c)) * idf[t] for t, c in doc.terms.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _jaccard(a: Iterable[int], b: Iterable[int]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _score(a: Doc, va: dict[str, float], b: Doc, vb: dict[str, float]) -> tuple[float, float]:
    """(score, text cosine) of ``b`` against ``a``."""
    cosine = _cosine(va, vb)
    shared_m = not a.municipalities.keys().isdisjoint(b.municipalities)
    area = 1.0 if shared_m else 0.5 if a.county_id and a.county_id == b.county_id else 0.0
    score = (
        TEXT_WEIGHT * cosine
        + THEME_WEIGHT * _jaccard(a.themes, b.themes)
        + GROUP_WEIGHT * _jaccard(a.groups, b.groups)
        + AREA_WEIGHT * area
    )
    return score, cosine


def _has_reason(a: Doc, b: Doc, cosine: float) -> bool:
    """Whether ``_compare`` gives ``b`` at least one reason (without writing them)."""
    return (
        cosine >= 0.05
        or not a.themes.keys().isdisjoint(b.themes)
        or not a.groups.keys().isdisjoint(b.groups)
        or not a.municipalities.keys().isdisjoint(b.municipalities)
        or bool(a.county_id and a.county_id == b.county_id)
    )


def _compare(
    a: Doc, va: dict[str, float], b: Doc, vb: dict[str, float]
) -> tuple[float, float, list[str]]:
    score, cosine = _score(a, va, b, vb)
    shared_m = set(a.municipalities) & set(b.municipalities)
    area = 1.0 if shared_m else 0.5 if a.county_id and a.county_id == b.county_id else 0.0
    reasons = []
    if cosine >= 0.05:
        top = sorted(set(va) & set(vb), key=lambda t: -va[t] * vb[t])[:4]
        reasons.append(
            _("liknande text (%(pct)d %%, gemensamma ord: %(words)s)")
            % {"pct": round(cosine * 100), "words": ", ".join(top)}
        )
    if set(a.themes) & set(b.themes):
        reasons.append(
            _("samma teman: %s") % ", ".join(b.themes[t] for t in set(a.themes) & set(b.themes))
        )
    if set(a.groups) & set(b.groups):
        reasons.append(
            _("samma målgrupper: %s")
            % ", ".join(b.groups[g] for g in set(a.groups) & set(b.groups))
        )
    if shared_m:
        reasons.append(_("samma kommun: %s") % ", ".join(b.municipalities[m] for m in shared_m))
    elif area:
        reasons.append(_("samma län"))
    return score, cosine, reasons


def _rank(target: Doc, candidate_ids: set[int], *, user: Any, limit: int) -> list[Similar]:
    candidate_ids.discard(target.pk)
    candidates = _load(
        tenancy.readable(Project.objects.filter(pk__in=candidate_ids), user), with_projects=False
    )
    docs = [target, *candidates]
    vectors = _vectors(docs)
    # Score every candidate, write the reasons only for the ones shown.
    scored = []
    for doc, vector in zip(candidates, vectors[1:], strict=True):
        score, cosine = _score(target, vectors[0], doc, vector)
        if _has_reason(target, doc, cosine):
            scored.append((round(score, 3), doc, vector))
    scored.sort(key=lambda s: (-s[0], s[1].pk))
    top = []
    for score, doc, vector in scored[:limit]:
        _score_again, cosine, reasons = _compare(target, vectors[0], doc, vector)
        top.append((score, round(cosine, 3), reasons, doc))
    _attach(doc for *_rest, doc in top)
    return [Similar(doc.project, score, cosine, reasons) for score, cosine, reasons, doc in top]  # type: ignore[arg-type]


def _candidate_ids(
    *,
    pk: int | None,
    title: str,
    body: str,
    county_id: int | None,
    municipality_ids: list[int],
    theme_ids: list[int],
    group_ids: list[int],
) -> set[int]:
    """A bounded candidate set (at most ``2.25 × CANDIDATES`` ids): the best full-text matches
    whose titles share all but one of the title words (``search.search_candidates``) or one
    long title word, plus
    the newest projects in the same municipalities (for a draft without municipalities: in
    the same county sharing a theme or target group)."""
    words = text.query_words(title)[:6] or [w for w in text.query_words(body) if len(w) > 6][:4]
    ids = set(search.search_candidates(words, limit=CANDIDATES, exclude=pk))
    # and titles sharing one long title word (as a word or a compound's part): "Validering
    # Väst" for "Validering av yrkeskompetens i Dalarna"
    long_words = [w for w in words if len(w) >= 6]
    if len(long_words) > 1:
        ids.update(
            search.search_candidates(long_words, limit=CANDIDATES // 4, exclude=pk, any_word=True)
        )
    if municipality_ids:  # the newest projects in the same municipalities
        ids.update(
            Project.municipalities.through.objects.filter(municipality_id__in=municipality_ids)
            .exclude(project_id=pk or 0)
            .order_by("-project_id")
            .values_list("project_id", flat=True)[:CANDIDATES]
        )
    elif county_id and (theme_ids or group_ids):  # a draft: same county, a shared theme/group
        links = Q()
        if theme_ids:
            links |= Q(
                pk__in=Project.themes.through.objects.filter(theme_id__in=theme_ids).values(
                    "project_id"
                )
            )
        if group_ids:
            links |= Q(
                pk__in=Project.target_groups.through.objects.filter(
                    targetgroup_id__in=group_ids
                ).values("project_id")
            )
        ids.update(
            Project.objects.filter(links, county_id=county_id)
            .exclude(pk=pk or 0)
            .order_by("-pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
    return ids


def project_similar(*, user: Any, project: Project, limit: int = 5) -> list[Similar]:
    """The projects most similar to ``project`` that ``user`` may read, with score and reasons."""
    target = _load(Project.objects.filter(pk=project.pk), with_projects=False)[0]
    ids = _candidate_ids(
        pk=project.pk,
        title=project.title,
        body=project.summary,
        county_id=project.county_id,
        municipality_ids=list(target.municipalities),
        theme_ids=list(target.themes),
        group_ids=list(target.groups),
    )
    return _rank(target, ids, user=user, limit=limit)


def project_similar_to_draft(
    *,
    user: Any,
    title: str,
    text: str,
    themes: list[Any],
    target_groups: list[Any],
    county: Any,
    limit: int = 5,
) -> list[Similar]:
    """Similar existing projects for a project being registered (not saved yet)."""
    target = Doc(
        0,
        title,
        None,
        county.pk if county else None,
        _terms(title, text),
        {t.pk: t.name for t in themes},
        {g.pk: g.name for g in target_groups},
    )
    ids = _candidate_ids(
        pk=None,
        title=title,
        body=text,
        county_id=target.county_id,
        municipality_ids=[],
        theme_ids=list(target.themes),
        group_ids=list(target.groups),
    )
    return _rank(target, ids, user=user, limit=limit)


@dataclass
class Pair:
    first: Project
    second: Project
    score: float
    text: float
    duplicate: bool
    reasons: list[str]


def _cosine_blocks(
    docs: Sequence[Doc], vectors: Sequence[dict[str, float]] | None = None
) -> Iterator[tuple[int, Any]]:
    """The exact text cosine of every pair of ``docs``: ``(start, block)`` where ``block[r, j]``
    is the cosine of docs ``start + r`` and ``j`` for ``j > start + r``, and -1 elsewhere.

    Every pair is compared, none is guessed away: the dot product is split in two. The
    ``DENSE_TERMS`` commonest terms (those that make most pairs overlap, and most of the work
    of an inverted index) form a dense matrix, and its products with all rows are computed
    ``BLOCK`` rows at a time with numpy. The rarer terms are added from an inverted index,
    whose posting lists are short by construction. The sum is the exact cosine (up to float
    rounding, ~1e-15), so the result equals brute force over all pairs (tested).
    """
    if vectors is None:
        vectors = _vectors(docs)
    n = len(vectors)
    df: Counter[str] = Counter()
    for vector in vectors:
        df.update(vector.keys())
    dense = [term for term, count in df.most_common(DENSE_TERMS) if count > 1]
    column = {term: k for k, term in enumerate(dense)}
    matrix = np.zeros((n, len(dense)))
    rare: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            k = column.get(term)
            if k is not None:
                matrix[i, k] = weight
            elif df[term] > 1:
                rare[term].append((i, weight))
    extra: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for postings in rare.values():  # ascending i, so every (i, j) has i < j
        for a, (i, weight) in enumerate(postings):
            row = extra[i]
            for j, other in postings[a + 1 :]:
                row[j] += weight * other
    columns = np.arange(n)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        block = matrix[start:stop] @ matrix.T
        for i in range(start, stop):
            for j, dot in extra.get(i, {}).items():
                block[i - start, j] += dot
        block[columns[None, :] <= np.arange(start, stop)[:, None]] = -1.0  # keep j > i
        yield start, block


def similar_pairs(
    docs: Sequence[Doc],
    *,
    min_cosine: float,
    vectors: Sequence[dict[str, float]] | None = None,
) -> dict[tuple[int, int], float]:
    """Exact text cosine of every pair of ``docs`` with cosine ≥ ``min_cosine`` (i < j),
    from ``_cosine_blocks``; the result equals brute force over all pairs (tested)."""
    limit = min_cosine - 1e-9
    pairs: dict[tuple[int, int], float] = {}
    for start, block in _cosine_blocks(docs, vectors):
        rows, cols = np.nonzero(block >= limit)
        for r, j in zip(rows.tolist(), cols.tolist(), strict=True):
            pairs[(start + r, j)] = float(block[r, j])
    return pairs


def _binary(sets: Sequence[Iterable[int]]) -> Any:
    """A boolean matrix with one row per set and one column per member of any of them."""
    columns = {m: k for k, m in enumerate(sorted({m for members in sets for m in members}))}
    matrix = np.zeros((len(sets), max(1, len(columns))), dtype=bool)
    for i, members in enumerate(sets):
        for m in members:
            matrix[i, columns[m]] = True
    return matrix


def _pair_jaccard(matrix: Any, first: Any, second: Any) -> Any:
    """Jaccard overlap of the rows ``first[k]`` and ``second[k]`` of a boolean matrix."""
    inter = (matrix[first] & matrix[second]).sum(axis=1)
    union = (matrix[first] | matrix[second]).sum(axis=1)
    return np.divide(inter, union, out=np.zeros(len(first)), where=union > 0)


class DuplicateReport(list["Pair"]):
    """The pairs shown (at most ``limit``); ``total`` is how many pairs were found."""

    total: int = 0


def project_duplicate_report(
    *,
    user: Any,
    county_code: str,
    limit: int | None = 200,
    progress: Callable[[int, str], None] | None = None,
) -> DuplicateReport:
    """Probable duplicates and overlapping projects among the readable projects of a county:
    duplicates first, then by score. Every pair is scored; reasons are built only for the
    ``limit`` pairs returned (all with ``limit=None``; ``total`` says how many were found).
    ``progress(percent, message)`` is told how far it has come (0–100), for the background
    job (``duplicates.duplicate_report_run``)."""

    def report_progress(percent: float, message: str) -> None:
        if progress is not None:
            progress(int(percent), message)

    report_progress(1, _("Läser projekten"))
    docs = _load(
        tenancy.readable(Project.objects.filter(county__code=county_code), user),
        with_projects=False,
    )
    vectors = _vectors(docs)
    same_title: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        same_title[(doc.owner_id, " ".join(text.words(doc.title)))].append(i)
    same = {(a, b) for indices in same_title.values() for a in indices for b in indices if a < b}
    themes, groups = _binary([d.themes for d in docs]), _binary([d.groups for d in docs])
    places = _binary([d.municipalities for d in docs])
    counties = np.array([d.county_id or 0 for d in docs])
    pks = np.array([d.pk for d in docs])
    kept: list[tuple[Any, ...]] = []
    report_progress(10, _("Jämför texterna"))
    for start, cosine in _cosine_blocks(docs, vectors):
        report_progress(10 + 50 * start / len(docs), _("Jämför texterna"))
        duplicate = cosine >= DUPLICATE_COSINE
        for i, j in same:
            if start <= i < cosine.shape[0] + start:
                duplicate[i - start, j] = True
        rows, cols = np.nonzero(duplicate | (cosine >= 0.4 - 1e-9))  # candidates only
        first = rows + start
        text_cosine = cosine[rows, cols]
        area = np.where(
            (places[first] & places[cols]).any(axis=1),
            1.0,
            np.where((counties[first] == counties[cols]) & (counties[cols] > 0), 0.5, 0.0),
        )
        score = (
            TEXT_WEIGHT * text_cosine
            + THEME_WEIGHT * _pair_jaccard(themes, first, cols)
            + GROUP_WEIGHT * _pair_jaccard(groups, first, cols)
            + AREA_WEIGHT * area
        )
        is_duplicate = duplicate[rows, cols]
        keep = is_duplicate | (score >= OVERLAP_SCORE)
        kept.append((first[keep], cols[keep], np.round(score[keep], 3), is_duplicate[keep]))
    lefts, rights, scores, duplicates = (
        np.concatenate([k[n] for k in kept]) if kept else np.zeros(0) for n in range(4)
    )
    lefts, rights = lefts.astype(int), rights.astype(int)
    # duplicates first, then by score (rounded as shown), then by the projects' ids
    order = np.lexsort((pks[rights], pks[lefts], -scores, ~duplicates.astype(bool)))
    shown = [
        (not bool(duplicates[k]), -float(scores[k]), int(lefts[k]), int(rights[k]))
        for k in (order if limit is None else order[:limit]).tolist()
    ]
    report = DuplicateReport()
    report.total = len(order)
    _attach({docs[k].pk: docs[k] for f in shown for k in f[2:]}.values())
    report_progress(60, _("Skriver motiveringar"))
    for number, (not_duplicate, neg_score, i, j) in enumerate(shown):
        if number % 5000 == 4999:
            report_progress(60 + 40 * number / len(shown), _("Skriver motiveringar"))
        _score, cosine, reasons = _compare(docs[i], vectors[i], docs[j], vectors[j])
        if (i, j) in same:
            reasons.insert(0, _("samma ägare och titel"))
        report.append(
            Pair(
                docs[i].project,  # type: ignore[arg-type]
                docs[j].project,  # type: ignore[arg-type]
                -neg_score,
                round(cosine, 3),
                not not_duplicate,
                reasons,
            )
        )
    return report
