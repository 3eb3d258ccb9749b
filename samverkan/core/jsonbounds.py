"""Reading JSON from outside (uploads, API request bodies, other services' answers) within bounds.

Python's ``json`` and ``ijson`` build whatever the text describes: ``[`` × 200,000 makes ``json``
raise RecursionError, and ijson's prefixes grow with the depth (a 200 KB JSON-stat file whose
``value`` nested 100,000 arrays took a web worker to 14 GB). So every reader of untrusted JSON
first scans the raw bytes with ``json_scan``, cheaply and without building anything: brackets
are counted outside strings, and nesting deeper than ``MAX_DEPTH`` or more values than the
reader's budget refuses the file with ``JsonRefused``, a message that names the file and says
why, before a parser sees it.

The budget is proportional to the file-size limit (``json_value_budget``: one value per
``BYTES_PER_VALUE`` bytes of the limit), with a ceiling of ``MAX_VALUES_IN_MEMORY`` for
readers that hold what they read; ``json_loads`` is the bounded ``json.loads``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_DEPTH = 64
BYTES_PER_VALUE = 16
MAX_VALUES_IN_MEMORY = 5_000_000
CHUNK = 1024 * 1024

# A string (to its closing quote, escapes skipped, or to the chunk's end: group 1 is then the
# pending backslash or empty) or a bracket. UTF-8 continuation bytes never equal '"', '\\' or
# a bracket, so bytes are scanned as they are.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|(\\?)\Z)|[\[\]{}]', re.DOTALL)
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*(?:"|(\\?)\Z)', re.DOTALL)
_QUOTE = ord('"')
_OPENERS = (ord("["), ord("{"))


class JsonRefused(ValueError):
    """The JSON is refused before it is parsed; the message names the file and says why."""


@dataclass(frozen=True)
class JsonShape:
    depth: int  # deepest nesting of arrays and objects
    values: int  # about the number of values: array items and object members, plus containers


def json_value_budget(max_bytes: int) -> int:
    """How many values a reader accepts from a file under ``max_bytes``, at most
    ``MAX_VALUES_IN_MEMORY``."""
    return max(1, min(max_bytes // BYTES_PER_VALUE, MAX_VALUES_IN_MEMORY))


def json_scan(
    chunks: Iterable[bytes],
    *,
    source: str,
    max_depth: int = MAX_DEPTH,
    max_values: int | None = None,
) -> JsonShape:
    """Scan JSON bytes (in chunks of any size) for nesting depth and number of values, building
    nothing; raise ``JsonRefused`` as soon as a bound is passed. Invalid JSON is left for the
    parser to describe."""
    depth = deepest = values = 0
    string_runs_on: bytes | None = None  # inside a string at the chunk's end (b"\\": escaping)
    for chunk in chunks:
        pos, end = 0, len(chunk)
        if not end:
            continue
        if string_runs_on is not None:
            rest = _STRING_REST.match(chunk, len(string_runs_on))
            assert rest is not None  # the pattern matches any text  # nosec B101
            string_runs_on = rest.group(1)
            if string_runs_on is not None:
                continue
            pos = rest.end()
        last = pos
        for token in _TOKEN.finditer(chunk, pos):
            start = token.start()
            values += chunk.count(b",", last, start)
            last = token.end()
            byte = chunk[start]
            if byte == _QUOTE:
                string_runs_on = token.group(1)
            elif byte in _OPENERS:
                depth += 1
                values += 1
                if depth > deepest:
                    deepest = depth
                    if depth > max_depth:
                        raise too_deep(source, max_depth)
            elif depth:
                depth -= 1
        values += chunk.count(b",", last, end)
        if max_values is not None and values > max_values:
            raise too_many(source, max_values)
    return JsonShape(deepest, values)


def json_scan_stream(
    stream: IO[bytes], *, source: str, max_depth: int = MAX_DEPTH, max_values: int | None = None
) -> JsonShape:
    """``json_scan`` over a binary file, read in chunks from its current position."""
    return json_scan(_chunks(stream), source=source, max_depth=max_depth, max_values=max_values)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def json_loads(
    data: bytes | str,
    *,
    source: str,
    max_values: int,
    max_depth: int = MAX_DEPTH,
    parse_constant: Callable[[str], Any] | None = None,
) -> Any:
    """``json.loads`` after ``json_scan``: refused (``JsonRefused``) when nested too deep, too
    many values or not valid JSON."""
    raw = data.encode() if isinstance(data, str) else data
    json_scan((raw,), source=source, max_depth=max_depth, max_values=max_values)
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=parse_constant)
    except ValueError as exc:  # not UTF-8, not JSON, or a constant parse_constant refuses
        raise JsonRefused(
            _("%(file)s är ingen giltig JSON: %(error)s") % {"file": source, "error": exc}
        ) from exc
    except RecursionError as exc:  # not reached within MAX_DEPTH; a last guard
        raise too_deep(source, max_depth) from exc


def too_deep(source: str, max_depth: int) -> JsonRefused:
    return JsonRefused(
        _("%(file)s: JSON-datat är nästlat i mer än %(max)d nivåer och läses inte.")
        % {"file": source, "max": max_depth}
    )


def too_many(source: str, max_values: int) -> JsonRefused:
    return JsonRefused(
        _("%(file)s: JSON-datat innehåller fler än %(max)s värden och läses inte; dela upp det.")
        % {"file": source, "max": f"{max_values:,}".replace(",", " ")}
    )
