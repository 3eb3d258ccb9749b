"""JSON-stat 1.x and 2.0 reading: datasets, bundles and collections, checked before use.

``datasets_read`` returns ``Dataset`` objects whose cells are reached by position in the
dataset's row-major order (the last dimension varies fastest), whatever the dimension order,
whether ``value``/``status`` are arrays or sparse objects. ``dataset_flatten`` writes the same
table as the JSON-stat toolkit's ``toTable``: one column per dimension (its label), category
labels in the cells, a last column ``Value``.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _


class JsonStatError(ValueError):
    """The file is not usable JSON-stat; the message says where and why (in Swedish)."""


@dataclass
class Dimension:
    id: str
    label: str
    codes: list[str]
    labels: dict[str, str]
    role: str = ""

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass
class Dataset:
    name: str
    label: str
    dimensions: list[Dimension]
    values: Sequence[Any] | dict[str, Any]
    status: Sequence[Any] | dict[str, Any] | str | None

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


def _categories(
    dim_id: str, raw: Any, size: int | None, where: str
) -> tuple[list[str], dict[str, str]]:
    category = raw.get("category") if isinstance(raw, dict) else None
    if not isinstance(category, dict):
        raise _fail(where, _("dimensionen %s saknar category") % dim_id)
    labels = category.get("label") or {}
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
    elif index is None and isinstance(labels, dict) and len(labels) == 1:
        codes = [str(next(iter(labels)))]
    else:
        raise _fail(
            where, _("dimensionen %s saknar index (krävs när den har flera kategorier)") % dim_id
        )
    if size is not None and len(codes) != size:
        raise _fail(
            where,
            _("dimensionen %(dim)s har %(n)d kategorier men size anger %(size)d")
            % {"dim": dim_id, "n": len(codes), "size": size},
        )
    return codes, {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}


def _dataset(name: str, raw: dict[str, Any], where: str) -> Dataset:
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
        if not isinstance(size, int) or size < 0:
            raise _fail(where, _("size för %s är inget heltal") % dim_id)
        codes, labels = _categories(dim_id, dim_raw, size, where)
        dimensions.append(
            Dimension(
                str(dim_id),
                str(dim_raw.get("label") or dim_id),
                codes,
                labels,
                role_of.get(str(dim_id), ""),
            )
        )
    values: Any = raw.get("value")  # checked just below
    dataset = Dataset(name, str(raw.get("label") or name), dimensions, values, raw.get("status"))
    total = dataset.cell_count
    values = dataset.values
    if isinstance(values, list):
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
    if isinstance(status, list) and len(status) not in (total, 1):
        raise _fail(
            where,
            _("size ger %(total)d celler men status har %(n)d")
            % {"total": total, "n": len(status)},
        )
    if isinstance(status, list) and len(status) == 1 and total != 1:
        dataset.status = status[0]
    if isinstance(status, dict):
        _check_sparse(status, total, where, "status")
    return dataset


def _check_sparse(values: dict[str, Any], total: int, where: str, name: str) -> None:
    for key in values:
        if not str(key).isdigit() or int(key) >= total:
            raise _fail(
                where,
                _("%(name)s har positionen %(key)s utanför 0–%(last)d")
                % {"name": name, "key": key, "last": total - 1},
            )


def datasets_from_object(obj: Any, *, source: str = "JSON-stat") -> list[Dataset]:
    """All datasets in a parsed JSON-stat document (dataset, 1.x bundle or 2.0 collection)."""
    if not isinstance(obj, dict):
        raise _fail(source, _("ingen JSON-stat: toppnivån är inget objekt"))
    kind = obj.get("class")
    if kind == "dataset":
        return [_dataset("dataset", obj, source)]
    if kind == "collection":
        items = (obj.get("link") or {}).get("item") or []
        datasets = []
        for n, item in enumerate(items, start=1):
            where = f"{source}, post {n}"
            if not isinstance(item, dict) or item.get("class") != "dataset" or "value" not in item:
                raise _fail(where, _("samlingen innehåller en länk utan inbäddat dataset"))
            datasets.append(_dataset(str(item.get("label") or n), item, where))
        if not datasets:
            raise _fail(source, _("samlingen innehåller inga dataset"))
        return datasets
    if kind not in (None, "bundle"):
        raise _fail(source, _("okänd JSON-stat-klass: %s") % kind)
    datasets = [
        _dataset(str(name), raw, f"{source}, dataset {name}")
        for name, raw in obj.items()
        if isinstance(raw, dict) and "dimension" in raw
    ]
    if not datasets:
        raise _fail(source, _("inga dataset hittades (ingen JSON-stat?)"))
    return datasets


def datasets_read(stream: IO[bytes], *, source: str, max_bytes: int) -> list[Dataset]:
    head = stream.read(max_bytes + 1)
    if len(head) > max_bytes:
        raise _fail(
            source, _("filen är större än %(mb)d MB; dela upp den") % {"mb": max_bytes // 2**20}
        )
    stripped = head.lstrip()[:200].lower()
    if stripped.startswith((b"<!doctype", b"<html", b"<")):
        raise _fail(source, _("svaret är en HTML-sida, inte JSON-stat"))
    try:
        obj = json.loads(head)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(source, _("ogiltig JSON (%s)") % exc) from exc
    return datasets_from_object(obj, source=source)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def dataset_rows(dataset: Dataset) -> Iterator[list[str]]:
    """toTable's rows: header first, then one row per cell in row-major order."""
    yield [d.label for d in dataset.dimensions] + ["Value"]
    labels = [[d.label_of(c) for c in d.codes] for d in dataset.dimensions]
    for combo, value in zip(itertools.product(*labels), dataset.iter_values(), strict=True):
        yield [*combo, _cell(value)]


def dataset_flatten(dataset: Dataset, out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    count = -1
    for count, row in enumerate(dataset_rows(dataset)):  # noqa: B007
        writer.writerow(row)
    return count
