"""Importing a mapping round with a preview: rows like existing projects are shown and the user
decides per row (new project, skip, the same project) before anything is written.

The file waits between preview and confirmation in ``VAR_DIR/imports`` (not served), named by a
random token that only the uploading user's session knows; it is removed after the import and
files older than a day are cleared on every new preview.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_action, audit_log
from samverkan.core.exchange import ImportRejected, ImportResult, RowError, missing_columns
from samverkan.core.tables import Table, TableError, read_table
from samverkan.projects.exchange import Decision, ExistingMatch, ProjectImporter

AUDIT_IMPORTED = audit_action("projects.imported")


KEEP_SECONDS = 24 * 3600


@dataclass
class FlaggedRow:
    row: int
    title: str
    matches: list[ExistingMatch]


@dataclass
class ImportPreview:
    filename: str
    rows: int
    flagged: list[FlaggedRow] = field(default_factory=list)


def _read(data: bytes, filename: str) -> Table:
    try:
        return read_table(data, filename)
    except TableError as exc:
        raise ImportRejected(filename, [RowError(0, "", str(exc))]) from exc


def _check(
    *, table: Table, filename: str, user: Any, acting_for: Any, decisions: Mapping[int, str] | None
) -> tuple[ProjectImporter, list[Any], dict[int, list[ExistingMatch]]]:
    importer = ProjectImporter()
    errors = missing_columns(importer, table)
    if errors:
        raise ImportRejected(filename, errors)
    prepared, errors, flagged = importer.check(
        table, user=user, acting_for=acting_for, decisions=decisions
    )
    if errors:
        raise ImportRejected(filename, sorted(errors, key=lambda e: (e.row, e.column)))
    return importer, prepared, flagged


def project_import_preview(
    *, data: bytes, filename: str, user: Any, acting_for: Any
) -> ImportPreview:
    """Validate the whole file (``ImportRejected`` on any error) and list the rows that look
    like existing projects; nothing is written."""
    # Every flagged row counts as answered here, so that only real errors reject the file.
    table = _read(data, filename)
    answered = {number: Decision.NEW.value for number, _row in table.rows}
    _importer, _prepared, flagged = _check(
        table=table, filename=filename, user=user, acting_for=acting_for, decisions=answered
    )
    titles = {number: row.get("titel", "").strip() for number, row in table.rows}
    return ImportPreview(
        filename,
        len(table.rows),
        [FlaggedRow(number, titles[number], matches) for number, matches in flagged.items()],
    )


def project_import(
    *,
    data: bytes,
    filename: str,
    user: Any,
    acting_for: Any,
    decisions: Mapping[int, str] | None = None,
) -> ImportResult:
    """Import all rows in one transaction with an audit entry, honouring per-row decisions for
    rows like existing projects; a flagged row without a decision rejects the file."""
    table = _read(data, filename)
    importer, prepared, flagged = _check(
        table=table, filename=filename, user=user, acting_for=acting_for, decisions=decisions
    )
    decided = decisions or {}
    same = {
        str(n): matches[0].pk
        for n, matches in flagged.items()
        if decided.get(n) == Decision.SAME.value
    }
    skipped = sorted(n for n in flagged if decided.get(n) == Decision.SKIP.value)
    as_new = sorted(n for n in flagged if decided.get(n) == Decision.NEW.value)
    with transaction.atomic():
        created, updated = importer.write(prepared, user=user, acting_for=acting_for)
        entry = audit_log(
            AUDIT_IMPORTED,
            user=user,
            organisation=acting_for,
            data={
                "filename": filename,
                "rows": len(table.rows),
                "created": created,
                "similar_imported_as_new": as_new,
                "similar_skipped": skipped,
                "same_as_existing": same,
            },
        )
    result = ImportResult("projects", filename, created, updated, entry.pk)
    if skipped:
        result.warnings.append(_("Överhoppade rader: %s") % ", ".join(map(str, skipped)))
    if same:
        result.warnings.append(
            _("Samma som befintliga projekt (inte importerade): %s")
            % ", ".join(f"rad {n} = id {pk}" for n, pk in same.items())
        )
    return result


def _pending_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pending_save(data: bytes) -> str:
    """Keep an uploaded file until the user confirms; returns its token."""
    directory = _pending_dir()
    now = time.time()
    for old in directory.glob("*.upload"):
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (directory / f"{token}.upload").write_bytes(data)
    return token


def pending_load(token: str) -> bytes | None:
    if not token.isalnum() or len(token) != 32:
        return None
    path = _pending_dir() / f"{token}.upload"
    return path.read_bytes() if path.is_file() else None


def pending_drop(token: str) -> None:
    if token.isalnum() and len(token) == 32:
        (_pending_dir() / f"{token}.upload").unlink(missing_ok=True)
