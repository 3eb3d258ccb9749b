"""Synonyms and spelling variants applied to search queries (never to the index).

A small curated list: each entry is a group of words or phrases that a search for any one of
them should also find, and the source that makes them the same thing. Add an entry only with
a source. A query word (or phrase) in a group matches a project that has any member of the
group: "sfi" finds "svenska för invandrare" and the other way round. Members are compared by
their Snowball stems with stop words dropped, as the index is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from samverkan.projects import text


@dataclass(frozen=True)
class Synonyms:
    members: tuple[str, ...]
    source: str


SYNONYMS: tuple[Synonyms, ...] = (
    Synonyms(
        ("sfi", "svenska för invandrare"),
        "Skollagen (2010:800) 20 kap.: kommunal vuxenutbildning i svenska för invandrare (sfi).",
    ),
    Synonyms(
        ("nyanländ", "nyanlända", "nyanlänt", "nyanlände"),
        "Böjningsformer av samma ord (SAOL); Snowball-stammarna skiljer sig åt.",
    ),
    Synonyms(
        ("asylsökande", "asylsökare"),
        "Migrationsverket använder asylsökande; asylsökare förekommer i projekttexter "
        "om samma grupp.",
    ),
    Synonyms(
        ("samhällsorientering", "samhällsinformation"),
        "Lag (2013:156) om samhällsorientering för vissa nyanlända invandrare; kurserna "
        "kallades tidigare samhällsinformation.",
    ),
    Synonyms(
        ("modersmål", "hemspråk"),
        "Skolverket: modersmålsundervisning hette hemspråksundervisning före 1997.",
    ),
    Synonyms(
        ("ensamkommande", "ensamkommande barn", "ensamkommande flyktingbarn"),
        "Migrationsverket: ensamkommande barn (barn som söker asyl utan vårdnadshavare).",
    ),
    Synonyms(
        ("e-tjänst", "etjänst", "digital tjänst"),
        "Stavningsvarianter; Språkrådet rekommenderar e-tjänst.",
    ),
)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(text.stems(phrase))


@lru_cache(maxsize=1)
def synonym_index() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each member's stems → the stems of every member of its group (itself included)."""
    index: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for entry in SYNONYMS:
        keys = tuple(dict.fromkeys(k for k in (_key(m) for m in entry.members) if k))
        for key in keys:
            index[key] = keys
    return index


MAX_PHRASE = max(len(k) for k in synonym_index())
