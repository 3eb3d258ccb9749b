"""JSON-stat 1.x and 2.0 reading: datasets, bundles and collections, checked before use.

``datasets_read`` returns ``Dataset`` objects whose cells are reached by position in the
dataset's row-major order (the last dimension varies fastest), whatever the dimension order,
whether ``value``/``status`` are arrays or sparse objects. ``dataset_flatten`` writes the same
table as the JSON-stat toolkit's ``toTable``: one column per dimension (its label), category
labels in the cells, a last column ``Value``.

Files are read in two streaming passes (``ijson``), so a 2 GB file is never held in memory:
the first pass builds everything except the ``value``/``status`` arrays, which it only counts
(JSON-stat allows them before ``dimension``); the dataset's checks (size against ids,
categories and number of values) run on that. The second pass, when the rows are written,
reads the arrays item by item from the file again. Sparse ``value``/``status`` objects are kept
in memory (they hold only the cells present).

Before any of that the file is scanned for nesting depth (``core.jsonbounds``: deeper than
``MAX_DEPTH`` is refused before ijson sees it, since its prefixes grow with the depth), and
what the first pass holds in memory (everything but the streamed arrays) is limited to the
value budget of the size limit. A dataset may not describe more cells than a dense file of
that size could hold (``max_cells``), sparse or not.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import ijson
from django.utils.translation import gettext as _

from samverkan.core.jsonbounds import (
    JsonRefused,
    json_scan_stream,
    json_value_budget,
    too_many,
)

# Cells a dataset from an API answer may describe (files: what a dense file under the size
# limit could hold, two bytes a cell).
MAX_CELLS = 100_000_000


class JsonStatError(ValueError):
    """The file is not usable JSON-stat; the message says where and why (in Swedish)."""


class StreamedArray:
    """A ``value``/``status`` array left in the file: its length is known, its items are read
    again from the file (item by item) each time it is iterated."""

    def __init__(self, opener: Callable[[], IO[bytes]], prefix: str, skip: int, count: int) -> None:
        self.opener = opener
        self.prefix = prefix  # ijson prefix of the items, e.g. "value.item"
        self.skip = skip  # items with the same prefix before this array (collections)
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        with self.opener() as stream:
            items = ijson.items(stream, self.prefix, use_float=True)
            yield from itertools.islice(items, self.skip, self.skip + self.count)


ArrayLike = (list, StreamedArray)


@dataclass
class Dimension:
    id: str
    label: str
    codes: list[str]
    labels: dict[str, str | None]
    role: str = ""
    # whether the file gives ``category.label`` at all: toTable then writes the label given for
    # each category (nothing where one is missing), else the category's id
    has_labels: bool = False
    units: dict[str, str] = field(default_factory=dict)  # category.unit: label, base or symbol

    def label_of(self, code: str) -> str:
        return self.labels.get(code) or code

    def table_label(self, code: str) -> str:
        """The cell ``toTable`` writes for a category."""
        if not self.has_labels:
            return code
        label = self.labels.get(code)
        return "" if label is None else label


@dataclass
class Dataset:
    name: str
    label: str
    dimensions: list[Dimension]
    values: Sequence[Any] | StreamedArray | dict[str, Any]
    status: Sequence[Any] | StreamedArray | dict[str, Any] | str | None
    # what the status codes mean, when the file says (``status`` as an object with its own
    # ``value`` and ``category.label``, or ``extension.status.label``)
    status_labels: dict[str, str] = field(default_factory=dict)
    # the dataset's own description (label, source, unit, table id...), read by ``formats``
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> list[int]:
        return [len(d.codes) for d in self.dimensions]

    @property
    def cell_count(self) -> int:
        return math.prod(self.size)

    def dimension(self, dim_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dim_id:
                return dim
        raise KeyError(dim_id)

    def iter_values(self) -> Iterator[Any]:
        """Every cell's value in row-major order (None where a sparse value is absent)."""
        if isinstance(self.values, dict):
            get = self.values.get
            return (get(str(i)) for i in range(self.cell_count))
        return iter(self.values)

    def iter_status(self) -> Iterator[str | None]:
        status = self.status
        if status is None:
            return itertools.repeat(None, self.cell_count)
        if isinstance(status, str):
            return itertools.repeat(status, self.cell_count)
        if isinstance(status, dict):
            get = status.get
            return (get(str(i)) for i in range(self.cell_count))
        return iter(status)

    def iter_positions(self) -> Iterator[tuple[int, ...]]:
        return itertools.product(*(range(n) for n in self.size))


def _fail(where: str, message: str) -> JsonStatError:
    return JsonStatError(f"{where}: {message}")


def _js_key_order(keys: list[str]) -> list[str]:
    """Object keys in the order JavaScript enumerates them (as the toolkit builds a missing
    index from ``category.label``): array-index keys first, ascending, then the others as
    written."""

    def is_index(key: str) -> bool:
        return key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 2**32 - 1

    return sorted((k for k in keys if is_index(k)), key=int) + [k for k in keys if not is_index(k)]


def _categories(
    dim_id: str, raw: Any, size: int | None, where: str
) -> tuple[list[str], dict[str, str | None], bool]:
    category = raw.get("category") if isinstance(raw, dict) else None
    if not isinstance(category, dict):
        raise _fail(where, _("dimensionen %s saknar category") % dim_id)
    labels = category.get("label")
    index = category.get("index")
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        try:
            positions = sorted((int(pos), str(code)) for code, pos in index.items())
        except (TypeError, ValueError) as exc:
            raise _fail(where, _("dimensionen %s har ett ogiltigt index") % dim_id) from exc
        if [p for p, _code in positions] != list(range(len(positions))):
            raise _fail(where, _("dimensionen %s har luckor i sitt index") % dim_id)
        codes = [code for _pos, code in positions]
    elif index is None and isinstance(labels, dict) and labels:
        # no index: the categories in the order of their labels (the toolkit's reading)
        codes = _js_key_order([str(k) for k in labels])
    else:
        raise _fail(
            where, _("dimensionen %s saknar både index och label för sina kategorier") % dim_id
        )
    if size is not None and len(codes) != size:
        raise _fail(
            where,
            _("dimensionen %(dim)s har %(n)d kategorier men size anger %(size)d")
            % {"dim": dim_id, "n": len(codes), "size": size},
        )
    if len(set(codes)) != len(codes):
        raise _fail(where, _("dimensionen %s har samma kategori flera gånger") % dim_id)
    texts = (
        {str(k): (None if v is None else js_text(v)) for k, v in labels.items()}
        if isinstance(labels, dict)
        else {}
    )
    return codes, texts, bool(labels) or isinstance(labels, dict)


def js_text(value: Any) -> str:
    """A JSON value as JavaScript's ``String()`` writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number(value)
    return str(value)


def js_number(number: float) -> str:
    """A number as JavaScript writes it (``String(n)``): integers without ``.0``, the shortest
    digits that read back as the same number, exponent form from 1e21 and below 1e-6."""
    if isinstance(number, int) and abs(number) <= 2**53:
        return str(number)  # exact in a double; larger integers are rounded as JavaScript does
    number = float(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    parts = Decimal(repr(abs(number))).as_tuple()
    digits = "".join(map(str, parts.digits)).rstrip("0") or "0"
    exponent = int(parts.exponent) + len(parts.digits) - len(digits)
    k = len(digits)
    n = k + exponent  # the number is 0.DIGITS × 10^n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _size(value: Any) -> int | None:
    """A ``size`` entry: a whole number, also written as a string (``"21"``) or ``21.0``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _dataset(name: str, raw: dict[str, Any], where: str, max_cells: int) -> Dataset:
    dims_raw = raw.get("dimension")
    if not isinstance(dims_raw, dict):
        raise _fail(where, _("dimension saknas"))
    ids = raw.get("id", dims_raw.get("id"))
    sizes = raw.get("size", dims_raw.get("size"))
    roles = raw.get("role", dims_raw.get("role")) or {}
    if not isinstance(ids, list) or not isinstance(sizes, list):
        raise _fail(where, _("id och size måste vara listor"))
    if len(ids) != len(sizes):
        raise _fail(
            where,
            _("id har %(ids)d dimensioner men size har %(sizes)d")
            % {"ids": len(ids), "sizes": len(sizes)},
        )
    role_of = {str(d): role for role, dims in roles.items() if isinstance(dims, list) for d in dims}
    dimensions = []
    for dim_id, size in zip(ids, sizes, strict=True):
        dim_raw = dims_raw.get(dim_id)
        if dim_raw is None:
            raise _fail(where, _("dimensionen %s i id saknas under dimension") % dim_id)
        count = _size(size)
        if count is None:
            raise _fail(where, _("size för %s är inget heltal") % dim_id)
        codes, labels, has_labels = _categories(dim_id, dim_raw, count, where)
        dimensions.append(
            Dimension(
                str(dim_id),
                js_text(dim_raw.get("label") or dim_id),
                codes,
                labels,
                role_of.get(str(dim_id), ""),
                has_labels,
                _units(dim_raw),
            )
        )
    values: Any = raw.get("value")  # checked just below
    status, status_labels = _status_parts(raw)
    dataset = Dataset(
        name,
        js_text(raw.get("label") or name),
        dimensions,
        values,
        status,
        status_labels,
        {k: v for k, v in raw.items() if k not in ("value", "status", "dimension")},
    )
    total = dataset.cell_count
    if total > max_cells:
        raise _fail(
            where,
            _("size ger %(total)d celler; högst %(max)d celler läses i ett dataset")
            % {"total": total, "max": max_cells},
        )
    values = dataset.values
    if isinstance(values, ArrayLike):
        if len(values) != total:
            raise _fail(
                where,
                _("size ger %(total)d celler men value har %(n)d värden")
                % {"total": total, "n": len(values)},
            )
    elif isinstance(values, dict):
        _check_sparse(values, total, where, "value")
    else:
        raise _fail(where, _("value saknas eller är varken lista eller objekt"))
    status = dataset.status
    if status is not None and not isinstance(status, (*ArrayLike, dict, str)):
        dataset.status = status = js_text(status)
    if isinstance(status, ArrayLike) and len(status) not in (total, 1):
        raise _fail(
            where,
            _("size ger %(total)d celler men status har %(n)d")
            % {"total": total, "n": len(status)},
        )
    if isinstance(status, ArrayLike) and len(status) == 1 and total != 1:
        dataset.status = next(iter(status))
    if isinstance(status, dict):
        _check_sparse(status, total, where, "status")
    return dataset


def _units(dim_raw: dict[str, Any]) -> dict[str, str]:
    units = dim_raw["category"].get("unit")
    if not isinstance(units, dict):
        return {}
    found = {}
    for code, unit in units.items():
        if isinstance(unit, dict):
            text = unit.get("label") or unit.get("base") or unit.get("symbol")
        else:
            text = unit
        if text:
            found[str(code)] = js_text(text)
    return found


def _status_parts(raw: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """``status`` as publishers write it: an array (one per cell, or one for all), an object by
    position, one string for every cell, or an object with its own ``value`` (any of those) and
    ``category.label`` saying what each code means. Labels may also come from
    ``extension.status.label`` (Eurostat)."""
    status = raw.get("status")
    labels: Any = {}
    if isinstance(status, dict) and "value" in status:
        category = status.get("category")
        labels = (category.get("label") if isinstance(category, dict) else None) or status.get(
            "label"
        )
        status = status["value"]
    extension = raw.get("extension")
    if not labels and isinstance(extension, dict) and isinstance(extension.get("status"), dict):
        labels = extension["status"].get("label")
    if not isinstance(labels, dict):
        labels = {}
    return status, {str(k): js_text(v) for k, v in labels.items() if v is not None}


def _check_sparse(values: dict[str, Any], total: int, where: str, name: str) -> None:
    for key in values:
        if not str(key).isdigit() or int(key) >= total:
            raise _fail(
                where,
                _("%(name)s har positionen %(key)s utanför 0–%(last)d")
                % {"name": name, "key": key, "last": total - 1},
            )


def datasets_from_object(
    obj: Any, *, source: str = "JSON-stat", max_cells: int = MAX_CELLS
) -> list[Dataset]:
    """All datasets in a parsed JSON-stat document (dataset, 1.x bundle or 2.0 collection)."""
    if not isinstance(obj, dict):
        raise _fail(source, _("ingen JSON-stat: toppnivån är inget objekt"))
    kind = obj.get("class")
    if kind == "dataset":
        return [_dataset("dataset", obj, source, max_cells)]
    if kind == "collection":
        items = (obj.get("link") or {}).get("item") or []
        datasets = []
        for n, item in enumerate(items, start=1):
            where = f"{source}, post {n}"
            if not isinstance(item, dict) or item.get("class") != "dataset" or "value" not in item:
                raise _fail(where, _("samlingen innehåller en länk utan inbäddat dataset"))
            datasets.append(_dataset(str(item.get("label") or n), item, where, max_cells))
        if not datasets:
            raise _fail(source, _("samlingen innehåller inga dataset"))
        return datasets
    if kind not in (None, "bundle"):
        raise _fail(source, _("okänd JSON-stat-klass: %s") % kind)
    datasets = [
        _dataset(str(name), raw, f"{source}, dataset {name}", max_cells)
        for name, raw in obj.items()
        if isinstance(raw, dict) and "dimension" in raw
    ]
    if not datasets:
        raise _fail(source, _("inga dataset hittades (ingen JSON-stat?)"))
    return datasets


# Where a dataset's value/status arrays sit: a dataset, a 1.x bundle, a 2.0 collection.
_STREAMED = re.compile(r"^(?:(?:link\.item\.item|[^.]+)\.)?(?:value|status)$")
_CONTAINERS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")


def _opener(stream: IO[bytes], max_bytes: int, source: str) -> Callable[[], IO[bytes]]:
    """A way to read the file again from its start (once per pass), refusing oversized files
    without reading them."""
    path = getattr(stream, "temporary_file_path", lambda: None)()
    if path is None and isinstance(stream, io.BufferedReader | io.FileIO):
        path = stream.name  # an open file on disk (not an upload's client-side name)
    if isinstance(path, str) and os.path.isfile(path):
        size = os.path.getsize(path)
        if size > max_bytes:
            raise _too_big(source, max_bytes)
        return lambda: open(path, "rb")  # noqa: SIM115 (closed by its reader)
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(source, max_bytes)
    return lambda: io.BytesIO(data)


def _too_big(source: str, max_bytes: int) -> JsonStatError:
    return _fail(
        source, _("filen är större än %(mb)d MB; dela upp den") % {"mb": max_bytes // 2**20}
    )


def document_read(opener: Callable[[], IO[bytes]], *, source: str, max_values: int) -> Any:
    """First pass: the document with every value/status array replaced by a ``StreamedArray``
    (counted, not kept). The file is scanned for nesting depth first; more than ``max_values``
    values outside the streamed arrays are refused while reading."""
    with opener() as stream:
        head = stream.read(200).lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<")):
        raise _fail(source, _("svaret är en HTML-sida, inte JSON-stat"))
    try:
        with opener() as stream:
            json_scan_stream(stream, source=source)
    except JsonRefused as exc:
        raise JsonStatError(str(exc)) from exc
    builder = ijson.ObjectBuilder()
    seen: dict[str, int] = {}  # items per prefix so far (datasets of a collection share one)
    held = 0
    try:
        with opener() as stream:
            events = ijson.parse(stream, use_float=True)
            for prefix, event, value in events:
                if event == "start_array" and _STREAMED.match(prefix):
                    count = depth = 0
                    for _p, inner, _v in events:
                        if depth == 0:
                            if inner == "end_array":
                                break
                            count += 1
                            if inner in _CONTAINERS:
                                depth = 1
                        elif inner in _CONTAINERS:
                            depth += 1
                        elif inner in _ENDS:
                            depth -= 1
                    items = f"{prefix}.item"
                    skip = seen.get(items, 0)
                    seen[items] = skip + count
                    builder.event("number", StreamedArray(opener, items, skip, count))
                else:
                    if event not in _ENDS:
                        held += 1
                        if held > max_values:
                            raise JsonStatError(str(too_many(source, max_values)))
                    builder.event(event, value)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise _fail(source, _("ogiltig JSON (%s)") % exc) from exc
    return builder.value


def datasets_read(stream: IO[bytes], *, source: str, max_bytes: int) -> list[Dataset]:
    """The datasets of a JSON-stat file, checked; their values stay in the file until used."""
    opener = _opener(stream, max_bytes, source)
    document = document_read(opener, source=source, max_values=json_value_budget(max_bytes))
    return datasets_from_object(document, source=source, max_cells=max(1, max_bytes // 2))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return js_text(value)


def dataset_rows(dataset: Dataset) -> Iterator[list[str]]:
    """toTable's rows: header first, then one row per cell in row-major order. Cells are
    written as JavaScript writes them (numbers as ``String(n)``, nothing for null)."""
    yield [d.label for d in dataset.dimensions] + ["Value"]
    labels = [[d.table_label(c) for c in d.codes] for d in dataset.dimensions]
    for combo, value in zip(itertools.product(*labels), dataset.iter_values(), strict=True):
        yield [*combo, _cell(value)]


def dataset_flatten(dataset: Dataset, out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    count = -1
    for count, row in enumerate(dataset_rows(dataset)):  # noqa: B007
        writer.writerow(row)
    return count
