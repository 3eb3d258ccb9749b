"""Reading and writing tabular files (CSV, XLSX, JSON) safely.

Reading refuses what a person would get wrong (wrong encoding, missing header, an empty
file, an oversized file, a zip bomb posing as XLSX) with a message that names the file.
Writing neutralises spreadsheet formulas so exported text is never executed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from samverkan.core.jsonbounds import JsonRefused, json_loads, json_value_budget
from samverkan.core.zipcheck import ZipBomb, zip_check

XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass
class Table:
    filename: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, values by header)
    # the further sheets of an XLSX workbook by title (nested exports write one sheet per level)
    sheets: dict[str, Table] = field(default_factory=dict)


def _detect_format(filename: str, head: bytes) -> str:
    lower = filename.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if lower.endswith((".xlsx", ".xlsm")):
        raise TableError(_("%(file)s är ingen giltig XLSX-fil.") % {"file": filename})
    if lower.endswith(".json"):
        return "json"
    return "csv"


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, refusing an oversized one before reading it."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise TableError(
            _("%(file)s är för stor (%(size)d MB); största tillåtna storlek är %(max)d MB.")
            % {"file": upload.name, "size": upload.size // 2**20, "max": limit // 2**20}
        )
    return bytes(upload.read())


def read_table(data: bytes, filename: str, *, max_bytes: int | None = None) -> Table:
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise TableError(
            _("%(file)s är för stor (%(size)d MB); största tillåtna storlek är %(max)d MB.")
            % {"file": filename, "size": len(data) // 2**20, "max": limit // 2**20}
        )
    if not data.strip():
        raise TableError(_("%(file)s är tom.") % {"file": filename})
    kind = _detect_format(filename, data[:8])
    if kind == "xlsx":
        table = _read_xlsx(data, filename)
    elif kind == "json":
        table = _read_json(data, filename, limit)
    else:
        table = _read_csv(data, filename)
    if not table.headers:
        raise TableError(_("%(file)s saknar rubrikrad.") % {"file": filename})
    if not table.rows:
        raise TableError(_("%(file)s innehåller inga datarader.") % {"file": filename})
    return table


def _read_csv(data: bytes, filename: str) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(
            _(
                "%(file)s är inte UTF-8-kodad (ogiltigt tecken på rad %(line)d). "
                "Spara filen som ”CSV UTF-8” och försök igen."
            )
            % {"file": filename, "line": line}
        ) from exc
    if "\x00" in text:
        raise TableError(_("%(file)s är ingen textfil.") % {"file": filename})
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table_from_rows(filename, reader)
    except csv.Error as exc:
        raise TableError(
            _("%(file)s: felaktig CSV på rad %(line)d: %(error)s")
            % {"file": filename, "line": reader.line_num, "error": exc}
        ) from exc


def _too_large(filename: str, what: str, limit: int) -> TableError:
    return TableError(
        _(
            "%(file)s har fler än %(limit)s %(what)s, mer än en import tar emot. Dela upp filen "
            "i flera."
        )
        % {"file": filename, "limit": f"{limit:,}".replace(",", "\u00a0"), "what": what}
    )


def _table_from_rows(filename: str, all_rows: Iterable[Sequence[Any]]) -> Table:
    """Rows read one at a time, refusing a file past ``IMPORT_MAX_ROWS`` data rows or
    ``IMPORT_MAX_CELLS`` cells as soon as it gets there, before it is all in memory."""
    max_rows, max_cells = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELLS
    source = iter(all_rows)
    first = next(source, None)
    if first is None:
        return Table(filename, [], [])
    if len(first) > max_cells:
        raise _too_large(filename, _("celler"), max_cells)
    headers = [str(cell or "").strip() for cell in first]
    while headers and not headers[-1]:
        headers.pop()
    duplicates = {h for h in headers if h and headers.count(h) > 1}
    if duplicates:
        raise TableError(
            _("%(file)s: kolumnen %(columns)s förekommer flera gånger.")
            % {"file": filename, "columns": ", ".join(sorted(duplicates))}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    width = max(len(headers), 1)
    for number, raw in enumerate(source, start=2):
        if number - 1 > max_rows:  # empty rows count: a sheet of blank rows is read too
            raise _too_large(filename, _("rader"), max_rows)
        if (len(rows) + 1) * width > max_cells or len(raw) > max_cells:
            raise _too_large(filename, _("celler"), max_cells)
        values = [_cell_text(cell) for cell in raw[: len(headers)]]
        if not any(values):
            continue
        rows.append(
            (
                number,
                {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h},
            )
        )
    return Table(filename, [h for h in headers if h], rows)


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10] if getattr(cell, "hour", 0) == 0 else cell.isoformat()
    return str(cell).strip()


def _read_xlsx(data: bytes, filename: str) -> Table:
    from openpyxl import load_workbook

    try:
        try:
            zip_check(data, unpacked_limit=XLSX_MAX_UNCOMPRESSED)
        except ZipBomb as bomb:
            raise TableError(
                _("%(file)s packas upp till mer än %(max)d MB och läses inte.")
                % {"file": filename, "max": XLSX_MAX_UNCOMPRESSED // 2**20}
            ) from bomb
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise TableError(
            _("%(file)s kunde inte läsas som XLSX: %(error)s") % {"file": filename, "error": exc}
        ) from exc
    try:
        tables = [
            (sheet.title, _table_from_rows(filename, sheet.iter_rows(values_only=True)))
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()
    table = tables[0][1]
    table.sheets = dict(tables[1:])
    return table


def _read_json(data: bytes, filename: str, limit: int) -> Table:
    """A list of objects; bounded before parsing (``core.jsonbounds``) and after: at most the
    value budget of cells (records × columns), since every record gets every column."""
    budget = json_value_budget(limit)
    try:
        records = json_loads(data, source=filename, max_values=budget)
    except JsonRefused as exc:
        raise TableError(str(exc)) from exc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TableError(
            _("%(file)s: JSON-filen ska vara en lista av objekt.") % {"file": filename}
        )
    headers: dict[str, None] = {}
    for record in records:
        headers.update(dict.fromkeys(record))
        if len(headers) * len(records) > budget:
            raise TableError(
                _(
                    "%(file)s: JSON-filen har minst %(columns)d olika nycklar i %(records)d "
                    "poster; det blir för många celler för att läsa."
                )
                % {"file": filename, "columns": len(headers), "records": len(records)}
            )
    rows = [
        (number, {h: _cell_text(record.get(h)) for h in headers})
        for number, record in enumerate(records, start=1)
    ]
    return Table(filename, list(headers), rows)


def safe_cell(value: Any) -> Any:
    """Neutralise a text that a spreadsheet would run as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(columns: Sequence[str], rows: Iterable[dict[str, Any]], out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(_plain(row.get(c))) for c in columns])


def write_xlsx(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[dict[str, Any]]]], out: IO[bytes]
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_header_cell(sheet, c, Font) for c in columns])
        for row in rows:
            sheet.append([safe_cell(_plain(row.get(c))) for c in columns])
    workbook.save(out)


def _header_cell(sheet: Any, text: str, font_class: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font_class(bold=True)
    return cell


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_json(rows: Iterator[dict[str, Any]] | list[dict[str, Any]], out: IO[str]) -> None:
    json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")
