"""Large imports as background jobs.

``data_import_start`` is what the UI and the API call: it checks the right to import before
reading anything, runs a small file at once (``data_import``), and stores a large one (more
than ``IMPORT_INLINE_MAX_ROWS`` rows, estimated without parsing) as an ``ImportRun`` whose job
re-checks the right, imports with progress and keeps the outcome — counts, or every error by
row and column — on the run. Either way the import is all-or-nothing, as ``data_import`` is.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from samverkan.core.exchange import (
    IMPORTERS,
    ImportRejected,
    ImportResult,
    RowError,
    data_import,
)
from samverkan.core.jobs import JobContext, job_enqueue, task
from samverkan.core.models import ImportRun

MAX_STORED_ERRORS = 1000


def import_rows_estimate(*, data: bytes, filename: str) -> int:
    """Roughly how many rows the file holds, without parsing it."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
                return sum(i.file_size for i in sheets) // 150  # ~150 bytes of XML per short row
        except zipfile.BadZipFile:
            return 0
    if data.lstrip()[:1] in (b"[", b"{"):
        return data.count(b"{")
    return data.count(b"\n")


def data_import_start(
    *, kind: str, data: bytes, filename: str, user: Any, acting_for: Any = None
) -> ImportResult | ImportRun:
    """Import now when the file is small, else queue it; the right to import is checked first."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        return data_import(kind=kind, data=data, filename=filename, user=user)  # says "unknown"
    importer.authorize(user=user, acting_for=acting_for)
    rows = import_rows_estimate(data=data, filename=filename)
    if rows <= settings.IMPORT_INLINE_MAX_ROWS:
        return data_import(
            kind=kind, data=data, filename=filename, user=user, acting_for=acting_for
        )
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=kind,
            filename=filename[:255],
            data=data,
            rows_estimated=rows,
            user=user,
            acting_for=acting_for,
        )
        run.job = job_enqueue("core.data_import", user=user, import_run_id=run.pk)
        run.save(update_fields=["job"])
    return run


def import_run_get(*, user: Any, pk: int) -> ImportRun:
    """A run is seen by the person who started it (and superusers); to others it does not exist."""
    run = ImportRun.objects.select_related("job", "acting_for").filter(pk=pk).first()
    if run is None or not user.is_authenticated:
        raise Http404
    if not (user.is_superuser or run.user_id == user.pk):
        raise Http404
    return run


def _errors_stored(errors: list[RowError]) -> list[dict[str, Any]]:
    return [
        {"row": e.row, "column": e.column, "message": e.message} for e in errors[:MAX_STORED_ERRORS]
    ]


@task("core.data_import", max_attempts=2, retry_base_seconds=30)
def data_import_job(ctx: JobContext, *, import_run_id: int) -> dict[str, Any]:
    run = ImportRun.objects.select_related("user", "acting_for").filter(pk=import_run_id).first()
    if run is None or run.created is not None or run.errors:
        return {"skipped": True}
    ctx.progress(5, "läser filen")
    try:
        # The user may have lost the right since the upload: data_import checks it again.
        result = data_import(
            kind=run.kind,
            data=bytes(run.data),
            filename=run.filename,
            user=run.user,
            acting_for=run.acting_for,
            progress=ctx.progress,
        )
    except ImportRejected as exc:
        run.errors = _errors_stored(exc.errors)
    except PermissionDenied as exc:
        run.errors = [{"row": 0, "column": "", "message": str(exc) or "permission denied"}]
    else:
        run.created, run.updated, run.audit_id = result.created, result.updated, result.audit_id
    run.data = b""
    run.save(update_fields=["errors", "created", "updated", "audit", "data"])
    return {"created": run.created, "updated": run.updated, "errors": len(run.errors)}
