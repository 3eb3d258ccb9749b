"""``samverkan report county 12 --format pdf -o report.pdf``: build a report synchronously."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from samverkan.core import tenancy
from samverkan.reports.models import ReportFormat, ReportKind
from samverkan.reports.services import report_file


class Command(BaseCommand):
    help = "Bygg en läns-, nationell eller nätverksrapport (HTML, PDF, DOCX eller XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("target", nargs="?", default="", help="länskod eller nätverkets kod")
        parser.add_argument("--format", dest="fmt", choices=ReportFormat.values, default="pdf")
        parser.add_argument("-o", "--output", help="fil att skriva (standard: stdout)")
        parser.add_argument("--from", dest="year_start", type=int, help="första år")
        parser.add_argument("--to", dest="year_end", type=int, help="sista år")
        parser.add_argument("--sections", help="avsnitt, kommaseparerade (standard: alla)")
        parser.add_argument(
            "--snapshot", help="dataläge att skriva i filen (ISO 8601), för reproducerbara filer"
        )
        parser.add_argument("--timings", action="store_true", help="skriv tid per avsnitt")

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = None
        if options["snapshot"]:
            snapshot = parse_datetime(options["snapshot"])
            if snapshot is None:
                raise CommandError(f"Ogiltigt dataläge: {options['snapshot']}")
        kind, target = options["kind"], options["target"]
        try:
            report, data = report_file(
                user=tenancy.SYSTEM,
                kind=kind,
                fmt=options["fmt"],
                county=target if kind == ReportKind.COUNTY else None,
                network=target if kind == ReportKind.NETWORK else None,
                year_start=options["year_start"],
                year_end=options["year_end"],
                sections=[s for s in (options["sections"] or "").split(",") if s] or None,
                snapshot_at=snapshot,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"{report.title}: {len(data)} byte → {options['output']}")
        else:
            sys.stdout.buffer.write(data)
        if options["timings"]:
            for section in report.sections:
                self.stderr.write(f"{section.code:<16} {section.seconds:8.3f} s")
