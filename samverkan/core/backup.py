"""Backup and restore of all data: every table (history and audit included) and the uploads.

A backup is a zip file::

    manifest.json                      format, time, row count per model, media file count
    data/0001-<app_label>.<model>.jsonl one object per line (Django's serializer format), in
                                        dependency order, primary keys kept
    media/<path>                       every file under MEDIA_ROOT

``backup_restore`` loads such a file into an empty database (one that has only been migrated),
or, with ``flush=True``, empties the database first. It runs in one transaction: a failed
restore leaves the database as it was.
"""

from __future__ import annotations

import datetime
import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = "samverkan-backup/1"
# Sessions are not data worth keeping and would carry live logins into the backup file.
EXCLUDED = {"sessions.session"}
# Tables the migrations fill; an "empty" database may already have them.
MIGRATION_FILLED = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    pass


def _models() -> list[type[models.Model]]:
    app_list = {config: None for config in apps.get_app_configs() if config.models_module}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)  # type: ignore[arg-type]
    return [
        m
        for m in ordered
        if m._meta.label_lower not in EXCLUDED and not m._meta.proxy and m._meta.managed
    ]


def backup_create(*, path: Path) -> dict[str, Any]:
    """Write every table and every uploaded file to the zip file ``path``; returns the manifest."""
    counts: dict[str, int] = {}
    media_root = Path(settings.MEDIA_ROOT)
    media_files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    with (
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        transaction.atomic(),  # one consistent snapshot (repeatable on PostgreSQL)
    ):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for index, model in enumerate(_models(), start=1):
            label = model._meta.label_lower
            queryset = model._base_manager.order_by("pk")
            counts[label] = 0
            with archive.open(f"data/{index:04d}-{label}.jsonl", "w") as raw:
                for chunk in _chunks(queryset):
                    for obj in serializers.serialize("python", chunk):
                        line = json.dumps(obj, cls=_LosslessEncoder, ensure_ascii=False)
                        raw.write(line.encode("utf-8") + b"\n")
                    counts[label] += len(chunk)
        for file in media_files:
            archive.write(file, f"media/{file.relative_to(media_root).as_posix()}")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "counts": counts,
            "media_files": len(media_files),
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    partial.replace(path)
    return manifest


def _chunks(queryset: Any, size: int = 2000) -> Any:
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


class _LosslessEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _load(files: list[Path]) -> None:
    """Save every object with its primary key, as ``loaddata`` does (raw saves, so no history
    rows or other signal side effects are added), then check constraints and reset sequences."""
    loaded: set[type[models.Model]] = set()
    deferred = []
    with connection.constraint_checks_disabled():
        for file in files:
            with open(file, encoding="utf-8") as handle:
                objects = (json.loads(line) for line in handle if line.strip())
                for obj in serializers.deserialize(
                    "python", objects, handle_forward_references=True
                ):
                    obj.save()
                    loaded.add(type(obj.object))
                    if obj.deferred_fields:
                        deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _non_empty_tables() -> list[str]:
    return [
        m._meta.label_lower
        for m in _models()
        if m._meta.label_lower not in MIGRATION_FILLED and m._base_manager.exists()
    ]


def backup_restore(*, path: Path, flush: bool = False) -> dict[str, Any]:
    """Load the backup ``path`` (see module doc); returns its manifest."""
    with zipfile.ZipFile(path) as archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError as exc:
            raise BackupError(f"{path} is not a Samverkan backup (no manifest.json)") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        names = archive.namelist()
        for name in names:
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts:
                raise BackupError(f"unsafe path in backup: {name}")
        with tempfile.TemporaryDirectory() as tmp:
            data_files = sorted(n for n in names if n.startswith("data/") and n.endswith(".jsonl"))
            for name in data_files:
                archive.extract(name, tmp)
            with transaction.atomic():
                if not flush:
                    busy = _non_empty_tables()
                    if busy:
                        raise BackupError(
                            "the database is not empty (" + ", ".join(busy[:5]) + " …); "
                            "restore into a freshly migrated database or pass --flush"
                        )
                _empty_all_tables()
                _load([Path(tmp, n) for n in data_files])
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()
            media_root = Path(settings.MEDIA_ROOT)
            for name in names:
                if name.startswith("media/") and not name.endswith("/"):
                    target = media_root / PurePosixPath(name).relative_to("media")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(name) as source, open(target, "wb") as sink:
                        shutil.copyfileobj(source, sink)
    return manifest


def _empty_all_tables() -> None:
    tables = [m._meta.db_table for m in _models()]
    for model in _models():
        for field in model._meta.local_many_to_many:
            through: Any = field.remote_field.through  # type: ignore[union-attr]
            if through is not None and through._meta.auto_created:
                tables.append(through._meta.db_table)
    statements = connection.ops.sql_flush(
        no_style(), sorted(set(tables)), reset_sequences=False, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE refuses pending deferred checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
