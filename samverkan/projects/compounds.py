"""Swedish compound words split into their parts, with hunspell's Swedish dictionary.

Swedish writes compounds as one word ("valideringscentrum", "invandrarkvinnor"), so a search
for "validering" or "kvinnor" finds them only if the index also holds the parts. The parts are
found with the Swedish hunspell dictionary of the PyPI package ``hunspell-sv`` (built on SFOL,
Den Stora Fria Ordlistan, and Språkbanken's SALDO, per its README; locked in
``requirements/*.lock``). Its files are read from ``<venv>/share/hunspell``, or from Debian's
``/usr/share/hunspell`` (package ``hunspell-sv``) when the PyPI package is missing. The
dictionary says which words may begin or sit inside a compound (``COMPOUNDBEGIN`` and
``COMPOUNDMIDDLE`` flags, and the suffix rules that make the joining forms: "yrke" → "yrkes-",
"vecka" → "vecko-", "hyra" → "hyres-") and which may end one (``COMPOUNDEND``).

A word is split into two to four parts, each at least ``MIN_PART`` (3) letters:

- every part but the last is a joining form from the dictionary, or any dictionary word
  followed by a linking letter (-s-, -e-, -a-, -u-) or with its final -a/-e dropped
  ("invandrar|kvinnor", "samhäll|s|information");
- the last part is a word the dictionary lets end a compound, in any of the inflected forms
  its suffix rules make ("kvinnor", "marknaden").
- A word that is itself in the dictionary ("centrum", "utbildning") is split only where the
  dictionary's own joining forms, or a linking -s-, show a compound ("yrkes|kompetens"), so
  "centrum" does not become "cent" + "rum".

Of the possible splits the one with the fewest parts wins, then the one closest to the
dictionary's own forms. Nothing here depends on the database: both PostgreSQL and SQLite
index the lexemes this module and ``text`` produce.

The word list is read once per process, on first use (about 1.5 s; 11 MB in memory, the word
sets kept as sorted arrays of hashes; ``bench/projects_search_bench.py`` prints both).
Without a dictionary, words are simply not split.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer

log = logging.getLogger(__name__)

MIN_PART = 3
MAX_PARTS = 4
LINKS = "seau"
DICTIONARY_DIRS = (Path(sys.prefix) / "share" / "hunspell", Path("/usr/share/hunspell"))

_stemmer = snowballstemmer.stemmer("swedish")


class WordSet:
    """A set of strings kept as the sorted array of their hashes (8 bytes a word instead of
    about 100 for a Python set of strings). Hashes are Python's, so a set lives in the process
    that built it; a false positive needs two words' 64-bit hashes to collide."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.hashes = np.unique(np.fromiter((hash(w) for w in words), dtype=np.int64))

    def __contains__(self, word: str) -> bool:
        h = hash(word)
        i = int(np.searchsorted(self.hashes, h))
        return i < len(self.hashes) and int(self.hashes[i]) == h

    def __len__(self) -> int:
        return len(self.hashes)


@dataclass(frozen=True)
class Lexicon:
    """What splitting needs of the dictionary."""

    joining: dict[
        str, str
    ]  # forms that may begin or sit inside a compound → the word ("yrkes": "yrke")
    words: WordSet  # every lower-case word, and each without a final -a/-e
    ends: WordSet  # every inflected form of the words that may end a compound
    source: str = ""


EMPTY = Lexicon({}, WordSet(), WordSet())


def dictionary_path() -> Path | None:
    for directory in DICTIONARY_DIRS:
        if (directory / "sv_SE.dic").is_file() and (directory / "sv_SE.aff").is_file():
            return directory / "sv_SE"
    return None


Rule = tuple[str, str, "re.Pattern[str]", str]  # strip, add, condition, continuation flags


def _affix_rules(aff: Path) -> tuple[dict[str, str], dict[str, list[Rule]]]:
    """The compound flags of an .aff file (``COMPOUNDBEGIN``, ``MIDDLE``, ``END``) and its
    suffix rules by flag (the Swedish dictionary has no prefix rules)."""
    flags: dict[str, str] = {}
    rules: dict[str, list[Rule]] = {}
    for line in aff.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("COMPOUNDBEGIN", "COMPOUNDMIDDLE", "COMPOUNDEND"):
            flags[parts[0]] = parts[1]
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        flag, strip, add, condition = parts[1:5]
        add, _slash, continuation = add.partition("/")
        rules.setdefault(flag, []).append(
            (
                "" if strip == "0" else strip,
                "" if add == "0" else add,
                re.compile("(?:" + condition + ")$"),
                continuation,
            )
        )
    return flags, rules


def _read(path: Path) -> Lexicon:
    flags, rules = _affix_rules(path.with_suffix(".aff"))
    begin, middle, end = (
        flags.get(k, "\0") for k in ("COMPOUNDBEGIN", "COMPOUNDMIDDLE", "COMPOUNDEND")
    )
    joining: dict[str, str] = {}
    words: list[str] = []
    ends: list[str] = []
    with path.with_suffix(".dic").open(encoding="utf-8") as dic:
        next(dic)  # the entry count
        for line in dic:
            word, _slash, word_flags = line.strip().partition("/")
            if len(word) < MIN_PART or not word.isalpha() or not word.islower():
                continue
            words.append(word)
            if word[-1] in "ae" and len(word) > MIN_PART:
                words.append(word[:-1])
            if begin in word_flags or middle in word_flags:
                joining[word] = word
            is_end = end in word_flags
            if is_end:
                ends.append(word)
            for flag in word_flags:
                for strip, add, condition, continuation in rules.get(flag, ()):
                    if not word.endswith(strip) or not condition.search(word):
                        continue
                    form = word[: len(word) - len(strip)] + add
                    if begin in continuation or middle in continuation:
                        joining.setdefault(form, word)
                    elif is_end:
                        ends.append(form)
    return Lexicon(joining, WordSet(words), WordSet(ends), str(path))


_lexicon: Lexicon | None = None
_lock = threading.Lock()


def lexicon() -> Lexicon:
    """The dictionary, read on first use (once per process)."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                path = dictionary_path()
                if path is None:
                    log.warning("No Swedish hunspell dictionary: compound words are not split")
                    _lexicon = EMPTY
                else:
                    _lexicon = _read(path)
    return _lexicon


def available() -> bool:
    return _enabled and len(lexicon().words) > 0


_enabled = True
# Caches of results made from ``split`` elsewhere (``text.word_lexemes``), cleared with it.
_dependent_caches: list[Callable[[], None]] = []


def caches_clear() -> None:
    """Forget every split word (after the dictionary or ``_enabled`` changed)."""
    split.cache_clear()
    for clear in _dependent_caches:
        clear()


@contextmanager
def disabled() -> Iterator[None]:
    """No word is split inside this block (the benchmark's index without decompounding)."""
    global _enabled
    _enabled = False
    caches_clear()
    try:
        yield
    finally:
        _enabled = True
        caches_clear()


# Words that are also prefixes or suffixes: in a word the dictionary knows ("översättning",
# "samverkan", "mentorskap") they are not split off.
PARTICLES = frozenset(
    "av bak efter fram från för genom in med mellan mot om på sam till upp ut utom under vid åter över".split()  # noqa: E501, SIM905
)
SUFFIX_WORDS = frozenset("dom domar domen het heten skap skapet skapen else lig ning".split())  # noqa: SIM905


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """The parts of a compound, lower-case, a joining form given as its word ("yrkes" as
    "yrke"), a linking letter left off, a part that is itself a compound followed by its own
    parts; ``()`` when ``word`` is not a compound the dictionary explains."""
    if len(word) < 2 * MIN_PART or not word.isalpha() or not _enabled:
        return ()
    lex = lexicon()
    if not len(lex.words):
        return ()
    known = word in lex.words or word in lex.ends
    best = _best(word, 0, lex, known=known, depth=1, memo={})
    if best is None:
        return ()
    parts: list[str] = []
    for part in best[1]:
        parts.append(part)
        parts.extend(p for p in split(part) if p not in parts)
    return tuple(parts)


Split = tuple[tuple[int, int], tuple[str, ...]]  # (parts, loose joints), parts


def _best(
    word: str,
    start: int,
    lex: Lexicon,
    *,
    known: bool,
    depth: int,
    memo: dict[tuple[int, int], Split | None],
) -> Split | None:
    """The best split of ``word[start:]`` into at most ``MAX_PARTS - depth + 1`` parts (as a
    single part only when it is not the whole word), or None. ``known``: the whole word is in
    the dictionary, so only its joining forms and a linking -s- split it."""
    if (start, depth) in memo:
        return memo[start, depth]
    rest = word[start:]
    found: Split | None = None
    if start and rest in lex.ends and not (known and (len(rest) < 4 or rest in SUFFIX_WORDS)):
        found = ((1, 0), (rest,))
    if depth < MAX_PARTS:
        for stop in range(start + MIN_PART, len(word) - MIN_PART + 1):
            head = word[start:stop]
            if known and (len(head) < 4 or head in PARTICLES):
                continue
            joints: list[tuple[int, int]] = []  # (where the next part starts, loose)
            if head in lex.joining:
                joints.append((stop, 0))
            if head in lex.words:
                if not known:
                    joints.append((stop, 1))
                link = word[stop]
                if (
                    link in LINKS
                    and stop + 1 <= len(word) - MIN_PART
                    and (link == "s" or not known)
                ):
                    joints.append((stop + 1, 1))
            for next_start, loose in joints:
                tail = _best(word, next_start, lex, known=known, depth=depth + 1, memo=memo)
                if tail is None:
                    continue
                (parts, loose_tail), tail_parts = tail
                part = lex.joining.get(head, head) if not loose else head
                candidate: Split = ((parts + 1, loose_tail + loose), (part, *tail_parts))
                if found is None or candidate[0] < found[0]:
                    found = candidate
    memo[start, depth] = found
    return found
