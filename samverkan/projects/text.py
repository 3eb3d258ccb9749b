"""Swedish text processing shared by search, similarity and both databases.

Query strings are never handed to a full-text syntax: they are split into words of letters
and digits here, stop words dropped and the rest stemmed with the Snowball Swedish stemmer,
the same algorithm PostgreSQL's ``swedish`` configuration uses. Quotes, ``*``, ``NEAR(``
or SQL therefore become plain words (or nothing).

Compound words also give the stems of their parts (``part_stems``, ``compounds.split``):
"valideringscentrum" is indexed as "valideringscentrum" and, as parts, "validering" and
"centrum". These lexemes are made here, in Python, for both databases.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import snowballstemmer

from samverkan.projects import compounds

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# The Snowball project's Swedish stop words (the same list PostgreSQL's ``swedish``
# configuration uses), so that both databases ignore the same words.
STOP_WORDS = frozenset(
    """och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas""".split()  # noqa: SIM905
)

MAX_QUERY_TERMS = 12
MAX_WORD_LENGTH = 60

_stemmer = snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    """Lower-cased words of letters and digits, stop words and overlong tokens dropped."""
    return [
        w
        for w in WORD_RE.findall(text.lower())
        if w not in STOP_WORDS and len(w) <= MAX_WORD_LENGTH
    ]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def part_stems(word: str) -> tuple[str, ...]:
    """The stems of the parts of a compound word (``compounds.split``), the word's own stem
    and stems shorter than 3 letters left out; ``()`` for a word that is not a compound."""
    own = stem(word)
    found: dict[str, None] = {}
    for part in compounds.split(word):
        lexeme = stem(part)
        if len(lexeme) >= compounds.MIN_PART and lexeme != own:
            found.setdefault(lexeme, None)
    return tuple(found)


def leaf_part_stems(word: str) -> tuple[str, ...]:
    """The stems of the smallest parts of a compound ("yrkeskompetensutveckling": yrke,
    kompetens, utveckling; not "kompetensutveckling"), for matching a compound query word."""
    parts = compounds.split(word)
    found = [stem(p) for p in parts if not compounds.split(p)]
    return tuple(dict.fromkeys(p for p in found if len(p) >= compounds.MIN_PART))


@lru_cache(maxsize=200_000)
def word_lexemes(word: str) -> tuple[str, tuple[str, ...]]:
    """A word's stem and its parts' stems, kept per process: a text's words repeat across
    projects, and splitting a compound with the dictionary costs far more than a lookup."""
    return stem(word), part_stems(word)


compounds._dependent_caches.append(word_lexemes.cache_clear)


def lexemes(text: str) -> tuple[list[str], list[str]]:
    """The stems of the words of ``text`` and, apart, the stems of their compound parts."""
    whole: list[str] = []
    parts: list[str] = []
    for w in words(text):
        own, own_parts = word_lexemes(w)
        whole.append(own)
        parts.extend(own_parts)
    return whole, parts


def match_stems(word: str) -> set[str]:
    """Every lexeme of one word of text: its stem and the stems of its parts."""
    return {stem(word), *part_stems(word)}


def query_words(query: str) -> list[str]:
    """The distinct words of a search query, in order, at most ``MAX_QUERY_TERMS``."""
    seen: dict[str, None] = {}
    for w in words(query[:1000]):
        seen.setdefault(w, None)
    return list(seen)[:MAX_QUERY_TERMS]


def first_match(text: str, query_stems: set[str]) -> re.Match[str] | None:
    """The first word of ``text`` whose stem is a query stem (the rest is not read)."""
    for match in WORD_RE.finditer(text):
        if match_stems(match.group().lower()) & query_stems:
            return match
    return None


def highlight(text: str, query_stems: set[str], *, width: int = 220) -> str:
    """An HTML-escaped excerpt of ``text`` around the first matching word, matches in <mark>."""
    if not text:
        return ""
    first = first_match(text, query_stems) if query_stems else None
    start = max(0, first.start() - width // 3) if first else 0
    end = min(len(text), start + width)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    parts, position = [], start
    for match in WORD_RE.finditer(text, start):
        if match.start() >= end:
            break
        cut = match.start() == start and start and WORD_RE.match(text[start - 1])
        if cut or match.end() > end or not match_stems(match.group().lower()) & query_stems:
            continue
        parts.append(html.escape(text[position : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    parts.append(html.escape(text[position:end]))
    return ("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "")
