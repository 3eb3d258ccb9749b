"""Statistics files as they come: what a file is (told from its content), PxWeb API v1 answers,
and what a file says about itself (title, unit, source, table id).

``format_detect`` reads the first megabyte only: an XLSX package, JSON (JSON-stat 1.0 bundle
or dataset, 2.0 dataset or collection, PxWeb API v2's JSON-stat 2.0 answer with its
``extension.px``, a PxWeb API v1 ``{"columns", "data"}`` answer), SDMX-CSV (its first column is
``DATAFLOW`` or ``STRUCTURE``) or any other UTF-8 text, read as the CSV template (Swedish or
English headers). Anything else (HTML, XML, PC-Axis, other JSON, a program) is refused with a
message saying what was found and what is read. The head is scanned for nesting depth before
ijson looks at it (``core.jsonbounds``).

``pxweb_v1_datasets`` turns a PxWeb API v1 answer into a ``jsonstat.Dataset`` (its content
columns become a ``ContentsCode`` dimension), so it is checked, flattened and imported like
JSON-stat. ``file_meta`` gives the indicator a file describes.
"""

from __future__ import annotations

import codecs
import io
import math
import re
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

import ijson
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.core.jsonbounds import JsonRefused, json_loads, json_scan, json_value_budget
from samverkan.core.uploads import KIND_LABELS, detect_kind
from samverkan.indicators.jsonstat import Dataset, Dimension, JsonStatError, js_text
from samverkan.indicators.loading import dimension_kind

HEAD = 1024 * 1024
# What every refusal says is read.
EXPECTED = (
    "JSON-stat 1.0 eller 2.0 (dataset, bundle, collection), PxWeb API v1 eller v2 (JSON), "
    "SDMX-CSV (första kolumnen DATAFLOW eller STRUCTURE) eller CSV/XLSX med kolumnerna "
    "områdeskod, period och värde"
)
PC_AXIS = re.compile(rb"^(CHARSET|AXIS-VERSION|CODEPAGE|LANGUAGE|CREATION-DATE|MATRIX)\s*[=(]")


class FormatError(ValueError):
    """The file is not one of the formats read; the message names the file, what it seems to
    be and what is expected."""


@dataclass(frozen=True)
class Detected:
    fmt: str  # jsonstat | pxweb | sdmx-csv | csv | xlsx
    label: str  # what the file is, for messages: "PxWeb API v2 (JSON-stat 2.0)"
    pxweb_v1: bool = False  # a PxWeb API v1 answer ({"columns", "data"}), not JSON-stat

    @property
    def self_describing(self) -> bool:
        """The file names its own title, unit, source and table (JSON-stat, PxWeb)."""
        return self.fmt in ("jsonstat", "pxweb")


def _refuse(filename: str, what: str) -> FormatError:
    return FormatError(
        _("%(file)s är %(what)s. Filer som läses: %(expected)s.")
        % {"file": filename, "what": what, "expected": EXPECTED}
    )


def format_detect(stream: IO[bytes], filename: str) -> Detected:
    """What the file is, from its first megabyte; the stream is left at its start."""
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if not head.strip():
        raise FormatError(_("%(file)s är tom.") % {"file": filename})
    if head.startswith(b"PK\x03\x04"):
        kind = detect_kind(head, stream)
        stream.seek(0)
        if kind != "xlsx":
            what = KIND_LABELS.get(kind)
            raise _refuse(
                filename,
                _("en %s-fil") % what if what else _("ett ZIP-arkiv som inte är en XLSX-fil"),
            )
        return Detected("xlsx", "XLSX")
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if text[:1] in (b"{", b"["):
        return _json_kind(text, filename)
    if text[:1] == b"<":
        what = (
            _("en HTML-sida")
            if text[:200].lower().startswith((b"<!doctype html", b"<html"))
            else _("XML (t.ex. SDMX-ML), som inte läses")
        )
        raise _refuse(filename, what)
    if PC_AXIS.match(text):
        raise _refuse(
            filename,
            _("en PC-Axis-fil (.px), som inte läses: hämta tabellen som JSON-stat från PxWeb"),
        )
    if b"\x00" in head:
        raise _refuse(filename, _("ingen textfil"))
    first = head.removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0].decode("utf-8", "replace")
    cell = re.split(r"[,;\t]", first, maxsplit=1)[0].strip().strip('"').strip().upper()
    if cell in ("DATAFLOW", "STRUCTURE"):
        return Detected("sdmx-csv", "SDMX-CSV")
    return Detected("csv", "CSV")


def _json_kind(head: bytes, filename: str) -> Detected:
    try:
        json_scan((head,), source=filename)
    except JsonRefused as exc:
        raise FormatError(str(exc)) from exc
    top: list[str] = []
    second: set[str] = set()
    strings: dict[str, str] = {}
    px = False
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head), use_float=True):
            if event == "map_key":
                depth = prefix.count(".") + 1 if prefix else 0
                if depth == 0:
                    top.append(value)
                elif depth == 1:
                    second.add(value)
                if prefix == "extension" and value == "px":
                    px = True
            elif event == "string" and prefix in ("class", "version"):
                strings[prefix] = value
            elif event == "start_array" and not prefix:
                raise _refuse(filename, _("en JSON-lista, inte JSON-stat eller PxWeb"))
            elif event == "start_array" and prefix.rsplit(".", 1)[-1] in ("value", "status"):
                break  # JSON-stat's cell arrays (maybe millions of items): no need to read them
    except (ijson.JSONError, UnicodeDecodeError):
        pass  # a head cut mid-file, or invalid JSON: the reader describes the latter
    if "error" in top and not {"dimension", "value", "link"} & set(top):
        raise _refuse(filename, _("ett felsvar från en statistikdatabas, inga data"))
    kind = strings.get("class", "")
    version = strings.get("version", "")
    jsonstat = kind in ("dataset", "collection", "bundle") or bool(
        {"dimension", "value", "link"} & set(top) or {"dimension", "value"} & second
    )
    if jsonstat:
        name = "JSON-stat 2.0" if version.startswith("2") else "JSON-stat 1.0"
        if px:
            return Detected("pxweb", _("PxWeb API v2 (%s)") % name)
        return Detected("jsonstat", name)
    if "columns" in top or ("data" in top and "metadata" in top):
        return Detected("pxweb", "PxWeb API v1 (JSON)", pxweb_v1=True)
    if not top:
        raise _refuse(filename, _("ingen giltig JSON"))
    raise _refuse(
        filename,
        _("JSON med fälten %(keys)s, varken JSON-stat eller PxWeb") % {"keys": ", ".join(top[:8])},
    )


# -- PxWeb API v1 -------------------------------------------------------------------------------


def pxweb_v1_datasets(stream: IO[bytes], *, source: str, max_bytes: int) -> list[Dataset]:
    """A PxWeb API v1 JSON answer as one dataset: its ``d``/``t`` columns as dimensions (codes
    in order of appearance), its ``c`` columns (the table's contents) as ``ContentsCode``, the
    values by position (cells absent from ``data`` are missing)."""
    stream.seek(0)
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise JsonStatError(
            _("%(file)s: filen är större än %(mb)d MB; dela upp den")
            % {"file": source, "mb": max_bytes // 2**20}
        )
    try:
        doc = json_loads(data, source=source, max_values=json_value_budget(max_bytes))
    except JsonRefused as exc:
        raise JsonStatError(str(exc)) from exc
    columns = doc.get("columns") if isinstance(doc, dict) else None
    rows = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(columns, list) or not all(
        isinstance(c, dict) and c.get("code") for c in columns
    ):
        raise JsonStatError(_("%s: PxWeb-svaret saknar columns med code") % source)
    if not isinstance(rows, list):
        raise JsonStatError(_("%s: PxWeb-svaret saknar data") % source)
    keys = [c for c in columns if c.get("type") != "c"]
    contents = [c for c in columns if c.get("type") == "c"]
    if not contents:
        raise JsonStatError(_("%s: PxWeb-svaret har ingen värdekolumn (type c)") % source)
    codes: list[dict[str, int]] = [{} for _k in keys]
    cells: list[tuple[tuple[int, ...], list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        key = row.get("key") if isinstance(row, dict) else None
        values = row.get("values") if isinstance(row, dict) else None
        if not isinstance(key, list) or len(key) != len(keys):
            raise JsonStatError(
                _("%(file)s, data post %(n)d: key ska ha %(k)d koder")
                % {"file": source, "n": number, "k": len(keys)}
            )
        if not isinstance(values, list) or len(values) != len(contents):
            raise JsonStatError(
                _("%(file)s, data post %(n)d: values ska ha %(k)d värden")
                % {"file": source, "n": number, "k": len(contents)}
            )
        position = tuple(
            seen.setdefault(str(code), len(seen)) for seen, code in zip(codes, key, strict=True)
        )
        cells.append((position, values))
    dimensions = [
        Dimension(
            str(column["code"]),
            js_text(column.get("text") or column["code"]),
            list(seen),
            {},
            "time" if column.get("type") == "t" else "",
        )
        for column, seen in zip(keys, codes, strict=True)
    ]
    dimensions.append(
        Dimension(
            "ContentsCode",
            _("tabellinnehåll"),
            [str(c["code"]) for c in contents],
            {str(c["code"]): js_text(c.get("text") or c["code"]) for c in contents},
            "metric",
            True,
            {str(c["code"]): js_text(c["unit"]) for c in contents if c.get("unit")},
        )
    )
    sizes = [len(d.codes) for d in dimensions]
    total = math.prod(sizes)
    max_cells = max(1, max_bytes // 2)
    if total > max_cells:
        raise JsonStatError(
            _("%(file)s: svaret ger %(total)d celler; högst %(max)d celler läses")
            % {"file": source, "total": total, "max": max_cells}
        )
    width = len(contents)
    sparse: dict[str, Any] = {}
    for position, values in cells:
        flat = 0
        for index, size in zip(position, sizes, strict=False):
            flat = flat * size + index
        for offset, value in enumerate(values):
            cell = str(flat * width + offset)
            if cell in sparse:
                raise JsonStatError(
                    _("%(file)s: koderna %(key)s förekommer flera gånger i data")
                    % {
                        "file": source,
                        "key": ", ".join(
                            d.codes[i] for d, i in zip(dimensions, position, strict=False)
                        ),
                    }
                )
            sparse[cell] = value
    metadata = doc.get("metadata")
    meta = metadata[0] if isinstance(metadata, list) and metadata else {}
    meta = meta if isinstance(meta, dict) else {}
    raw = {
        "label": meta.get("label") or (contents[0].get("text") if len(contents) == 1 else ""),
        "source": meta.get("source") or "",
        "updated": meta.get("updated") or "",
        "extension": {"pxweb-v1": {"infofile": meta.get("infofile") or ""}},
    }
    label = js_text(raw["label"] or source)
    return [Dataset(label, label, dimensions, sparse, None, {}, raw)]


# -- what a file says about itself --------------------------------------------------------------


@dataclass(frozen=True)
class FileMeta:
    title: str
    unit: str
    source: str  # the publisher, as the file names it
    source_kind: str  # SourceKind value
    table_id: str  # the source's table (with ":METRIC" when the table has several contents)
    definition: str


def _metric(dataset: Dataset) -> Dimension | None:
    for dim in dataset.dimensions:
        if dimension_kind(dim.id, dim.role) == "metric":
            return dim
    return None


def file_meta(dataset: Dataset, *, metric: str = "", filename: str = "") -> FileMeta:
    """The indicator a JSON-stat or PxWeb dataset describes: title, unit, source and table."""
    raw = dataset.raw
    extension: dict[str, Any] = raw["extension"] if isinstance(raw.get("extension"), dict) else {}
    px: dict[str, Any] = extension["px"] if isinstance(extension.get("px"), dict) else {}
    measure = _metric(dataset)
    chosen = ""
    if measure is not None:
        if metric in measure.codes:
            chosen = metric
        elif len(measure.codes) == 1:
            chosen = measure.codes[0]
    table = str(
        px.get("tableid")
        or px.get("matrix")
        or extension.get("matrix")  # PxStat (CSO)
        or extension.get("datasetId")  # Eurostat
        or ""
    )
    if not table and isinstance(raw.get("href"), str):
        table = urlsplit(raw["href"]).path.rstrip("/").rsplit("/", 1)[-1]
    if not table and chosen:
        # PxWeb v1 answers (JSON, JSON-stat 1.0) do not name their table; its contents code
        # (e.g. BE0101N1) is unique in the database
        table = chosen
    if not table:
        table = slugify(dataset.label)[:50] or slugify(filename)[:50]
    if measure is not None and len(measure.codes) > 1 and chosen and chosen != table:
        table = f"{table}:{chosen}"
    title = dataset.label
    if measure is not None and len(measure.codes) > 1 and chosen:
        title = f"{measure.label_of(chosen)} ({dataset.label})"
    unit = ""
    if measure is not None and chosen:
        unit = measure.units.get(chosen, "")
    if not unit:
        for dim in dataset.dimensions:  # Eurostat: a "unit" dimension with one category
            if dim.id.lower() == "unit" and len(dim.codes) == 1:
                unit = dim.label_of(dim.codes[0])
    source = js_text(raw.get("source") or "").strip()
    text = f"{source} {raw.get('href') or ''}".lower()
    if px or re.search(r"\bscb\b|statistiska centralbyrån|statistics sweden", text):
        kind = "scb"
    elif "eurostat" in text or "ec.europa.eu" in text:
        kind = "eurostat"
    else:
        kind = "own"
    definition = _("%(label)s. Källa: %(source)s, tabell %(table)s (inläst från %(file)s).") % {
        "label": dataset.label,
        "source": source or _("ej angiven"),
        "table": table,
        "file": filename or _("fil"),
    }
    return FileMeta(
        title=title[:200],
        unit=(unit or _("ej angiven"))[:40],
        source=source,
        source_kind=kind,
        table_id=table[:60],
        definition=definition,
    )
