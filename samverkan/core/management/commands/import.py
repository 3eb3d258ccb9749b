from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core import tenancy
from samverkan.core.exchange import IMPORTERS, ImportRejected, data_import


class Command(BaseCommand):
    help = (
        "Import records from a CSV, XLSX or JSON file. All rows are validated first; "
        "nothing is written unless all are valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What to import: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-organisation",
            dest="acting_for",
            help="Code of the organisation that registers (stewards) the records.",
        )

    def handle(
        self, *args: Any, kind: str, file: Path, acting_for: str | None, **options: Any
    ) -> None:
        if kind not in IMPORTERS:
            raise CommandError(
                f"Unknown kind {kind!r}; choose one of {', '.join(sorted(IMPORTERS))}."
            )
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        organisation = None
        if acting_for:
            organisation = (
                tenancy.organisation_model()._default_manager.filter(code=acting_for).first()
            )
            if organisation is None:
                raise CommandError(f"--as-organisation: no organisation with code {acting_for!r}")
        try:
            result = data_import(
                kind=kind,
                data=file.read_bytes(),
                filename=file.name,
                user=tenancy.SYSTEM,
                acting_for=organisation,
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(f"{exc.filename}: {error}")
            raise CommandError(
                f"Nothing imported: {len(exc.errors)} error(s) in {exc.filename}."
            ) from exc
        self.stdout.write(
            f"Imported {result.created} {kind} from {file.name} (updated {result.updated})."
        )
