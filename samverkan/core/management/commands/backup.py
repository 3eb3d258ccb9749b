from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from samverkan.core.backup import backup_create


class Command(BaseCommand):
    help = "Write all data (every table, history included) and the uploaded files to a zip file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="Zip file to write (default samverkan-backup-<time>.zip)."
        )

    def handle(self, *args: Any, path: str | None = None, **options: Any) -> None:
        target = Path(path or f"samverkan-backup-{timezone.now():%Y%m%dT%H%M%S}.zip")
        manifest = backup_create(path=target)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Wrote {target}: {rows} rows in {len(manifest['counts'])} tables, "
            f"{manifest['media_files']} uploaded files."
        )
