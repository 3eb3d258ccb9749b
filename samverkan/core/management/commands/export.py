import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core import tenancy
from samverkan.core.exchange import EXPORT_FORMATS, EXPORTERS, data_export


class Command(BaseCommand):
    help = "Export records as CSV, XLSX or JSON (to standard output or -o FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What to export: " + ", ".join(sorted(EXPORTERS)))
        parser.add_argument(
            "args", nargs="*", help="Further selection, e.g. a county code for 'county'."
        )
        parser.add_argument("--format", default="json", choices=EXPORT_FORMATS)
        parser.add_argument("--county", default="", help="County code, e.g. 12")
        parser.add_argument("-o", "--output", type=Path)

    def handle(
        self, *args: str, kind: str, format: str, county: str, output: Path | None, **options: Any
    ) -> None:
        if kind not in EXPORTERS:
            raise CommandError(
                f"Unknown kind {kind!r}; choose one of {', '.join(sorted(EXPORTERS))}."
            )
        if format == "xlsx" and output is None:
            raise CommandError("XLSX is binary: give a file with -o.")
        try:
            content = data_export(
                kind=kind,
                fmt=format,
                user=tenancy.SYSTEM,
                options={"county": county, "args": list(args)},
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if output:
            output.write_bytes(content)
            self.stderr.write(f"Wrote {output} ({len(content)} bytes).")
        else:
            sys.stdout.buffer.write(content)
