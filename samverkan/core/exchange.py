"""Import and export of records as files, shared by the UI, the API and the CLI.

Each area registers an ``Importer`` and an ``Exporter`` per kind of record
(``organisations``, ``networks``, ``projects``…). ``data_import`` reads the file,
validates every row (collecting all errors, each naming row, column and reason), and
only then writes everything in one short transaction with an audit entry: an import
is all-or-nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.tables import (
    Table,
    TableError,
    read_table,
    read_upload,
    write_csv,
    write_json,
    write_xlsx,
)
from samverkan.core.uploads import UploadRejected, upload_check

# "<kind>.imported": one entry an import, whatever the kind
AUDIT_IMPORTED = audit_action("*.imported")
EXPORT_FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("rad %(row)d") % {"row": self.row} if self.row else _("filen")
        if self.column:
            where += _(", kolumn %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    """Nothing was imported; ``errors`` says why, row by row."""

    def __init__(self, filename: str, errors: list[RowError]):
        self.filename = filename
        self.errors = errors
        super().__init__(f"{filename}: " + "; ".join(str(e) for e in errors[:20]))


@dataclass
class ImportResult:
    kind: str
    filename: str
    created: int
    updated: int = 0
    audit_id: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""


class Importer:
    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # Organisations and other records that need an owner or a steward are only imported on
    # behalf of an organisation the user may act for (superusers and the CLI may leave it out).
    needs_acting_for: ClassVar[bool] = False

    def authorize(self, *, user: Any, acting_for: Any) -> None:
        """Refuse, before the file is even read, a user who may not import this kind.

        Importing writes records, so it takes an admin's or editor's role in some organisation
        (a viewer never imports), and acting for an organisation takes that role in it. Each
        row's own owner is still checked by ``prepare``."""
        if user is None or not user.is_authenticated:
            raise PermissionDenied(_("Logga in för att importera."))
        if acting_for is not None:
            if not tenancy.can_act_for(user, acting_for.pk):
                raise PermissionDenied(
                    _(
                        "Du kan inte importera för %s: det kräver rollen administratör eller "
                        "redaktör där."
                    )
                    % acting_for
                )
            return
        if user.is_superuser:
            return
        if self.needs_acting_for:
            raise PermissionDenied(
                _("Ange vilken organisation du importerar för; posterna registreras i dess namn.")
            )
        if not tenancy.organisation_ids(user, tenancy.WRITE_ROLES):
            raise PermissionDenied(
                _("Import kräver rollen administratör eller redaktör i en organisation.")
            )

    def prepare(
        self, table: Table, *, user: Any, acting_for: Any
    ) -> tuple[list[Any], list[RowError]]:
        """Validate every row; return the records to write and all errors found."""
        raise NotImplementedError

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        """Write validated records (inside the import's transaction); return (created, updated)."""
        raise NotImplementedError


class Exporter:
    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        raise NotImplementedError

    def sheets(
        self, *, user: Any, options: dict[str, Any]
    ) -> list[tuple[str, tuple[str, ...], Iterable[dict[str, Any]]]]:
        """XLSX sheets; one by default, exporters of nested records add more."""
        return [(self.label, self.columns, self.rows(user=user, options=options))]

    def json_records(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        return self.rows(user=user, options=options)


IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls()
    return cls


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    EXPORTERS[cls.kind] = cls()
    return cls


def missing_columns(importer: Importer, table: Table) -> list[RowError]:
    known = {c.name for c in importer.columns}
    errors = [
        RowError(1, c.name, _("obligatorisk kolumn saknas"))
        for c in importer.columns
        if c.required and c.name not in table.headers
    ]
    errors += [
        RowError(
            1, h, _("okänd kolumn (tillåtna: %(columns)s)") % {"columns": ", ".join(sorted(known))}
        )
        for h in table.headers
        if h not in known
    ]
    return errors


IMPORT_KINDS = ("csv", "xlsx", "json")


def read_upload_or_reject(upload: Any) -> bytes:
    """The bytes of an uploaded import file, checked by content and size."""
    try:
        upload_check(upload, kinds=IMPORT_KINDS)
        return read_upload(upload)
    except (TableError, UploadRejected) as exc:
        raise ImportRejected(upload.name, [RowError(0, "", str(exc))]) from exc


def _no_progress(percent: int, message: str = "") -> None:
    return None


def data_import(
    *,
    kind: str,
    data: bytes,
    filename: str,
    user: Any,
    acting_for: Any = None,
    progress: Callable[[int, str], None] = _no_progress,
) -> ImportResult:
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise ImportRejected(filename, [RowError(0, "", _("okänd posttyp: %s") % kind)])
    importer.authorize(user=user, acting_for=acting_for)
    try:
        table = read_table(data, filename)
    except TableError as exc:
        raise ImportRejected(filename, [RowError(0, "", str(exc))]) from exc
    errors = missing_columns(importer, table)
    if errors:
        raise ImportRejected(filename, errors)
    progress(20, _("kontrollerar %d rader") % len(table.rows))
    prepared, errors = importer.prepare(table, user=user, acting_for=acting_for)
    if errors:
        raise ImportRejected(filename, sorted(errors, key=lambda e: (e.row, e.column)))
    progress(60, _("sparar"))
    with transaction.atomic():
        created, updated = importer.write(prepared, user=user, acting_for=acting_for)
        entry = audit_log(
            f"{kind}.imported",
            user=user,
            organisation=acting_for,
            data={
                "filename": filename,
                "rows": len(table.rows),
                "created": created,
                "updated": updated,
            },
        )
    return ImportResult(kind, filename, created, updated, entry.pk)


def data_export(*, kind: str, fmt: str, user: Any, options: dict[str, Any] | None = None) -> bytes:
    exporter = EXPORTERS.get(kind)
    if exporter is None:
        raise ValueError(_("Okänd posttyp: %s") % kind)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(_("Okänt format: %s (csv, xlsx eller json)") % fmt)
    options = options or {}
    if fmt == "xlsx":
        binary = io.BytesIO()
        write_xlsx(exporter.sheets(user=user, options=options), binary)
        return binary.getvalue()
    text = io.StringIO()
    if fmt == "csv":
        write_csv(exporter.columns, exporter.rows(user=user, options=options), text)
    else:
        write_json(list(exporter.json_records(user=user, options=options)), text)
    return text.getvalue().encode("utf-8")


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
