from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Load a backup made by `samverkan backup` into an empty (freshly migrated) database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Zip file written by `samverkan backup`.")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete all data in the database first (otherwise it must be empty).",
        )

    def handle(self, *args: Any, path: str, flush: bool = False, **options: Any) -> None:
        try:
            manifest = backup_restore(path=Path(path), flush=flush)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored {rows} rows in {len(manifest['counts'])} tables and "
            f"{manifest['media_files']} uploaded files from {path}."
        )
