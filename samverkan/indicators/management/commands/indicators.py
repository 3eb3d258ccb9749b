"""``samverkan indicators flatten|import|fetch``: statistics in from files and the APIs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected
from samverkan.indicators import clients
from samverkan.indicators.fetching import kolada_fetch, scb_fetch
from samverkan.indicators.formats import FormatError, format_detect, pxweb_v1_datasets
from samverkan.indicators.importing import (
    IMPORT_FORMATS,
    max_import_bytes,
    observations_import_auto,
)
from samverkan.indicators.jsonstat import JsonStatError, dataset_flatten, datasets_read
from samverkan.indicators.models import Indicator


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Indikatorer: platta ut JSON-stat, importera filer, hämta från Kolada och SCB."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        flatten = sub.add_parser("flatten", help="JSON-stat → CSV-tabell (som toTable)")
        flatten.add_argument("file")
        flatten.add_argument("-o", "--output", help="CSV-fil (standard: skärmen)")
        flatten.add_argument("--dataset", type=int, default=1, help="vilket dataset i en samling")

        imp = sub.add_parser("import", help="importera observationer från en fil")
        imp.add_argument("file")
        imp.add_argument(
            "--format",
            choices=IMPORT_FORMATS,
            default="auto",
            help="standard: känn igen formatet på innehållet",
        )
        imp.add_argument(
            "--indicator",
            default="",
            help="indikatorns id (standard för JSON-stat/PxWeb: indikatorn för filens tabell, "
            "skapad ur filens titel, enhet och källa om den saknas)",
        )
        imp.add_argument(
            "--owner",
            default="",
            help="organisationens kod för en ny indikator (standard: den gemensamma katalogen)",
        )
        imp.add_argument("--metric", default="", help="välj ett mått (ContentsCode)")
        imp.add_argument(
            "--replace",
            action="store_true",
            help="ersätt indikatorns observationer för filens perioder",
        )

        fetch = sub.add_parser("fetch", help="hämta från Kolada eller SCB")
        fetch.add_argument("source", choices=["kolada", "scb"])
        fetch.add_argument("--base-url", default="")
        fetch.add_argument("--kpi", default="", help="Kolada: KPI-id, kommaseparerade")
        fetch.add_argument("--municipality", default="0000", help="Kolada: områdes-id")
        fetch.add_argument("--year", default="", help="Kolada: år, kommaseparerade")
        fetch.add_argument("--table", default="", help="SCB: tabell-id, t.ex. TAB6471")
        fetch.add_argument(
            "--select",
            action="append",
            default=[],
            help="SCB: VARIABEL=kod,kod (övriga variabler: alla koder)",
        )
        fetch.add_argument("--indicator", default="", help="SCB: indikatorns id")
        fetch.add_argument("--metric", default="")
        fetch.add_argument("--replace", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (ImportRejected, JsonStatError, clients.FetchError) as exc:
            errors = getattr(exc, "errors", None)
            if errors:
                raise CommandError("\n".join(str(e) for e in errors[:50])) from exc
            raise CommandError(str(exc)) from exc

    def _flatten(self, options: dict[str, Any]) -> None:
        with open(options["file"], "rb") as stream:
            try:
                detected = format_detect(stream, options["file"])
            except FormatError as exc:
                raise CommandError(str(exc)) from exc
            if not detected.self_describing:
                raise CommandError(
                    f"{options['file']} är {detected.label}; flatten läser JSON-stat och PxWeb"
                )
            if detected.pxweb_v1:
                datasets = pxweb_v1_datasets(
                    stream, source=options["file"], max_bytes=max_import_bytes()
                )
            else:
                datasets = datasets_read(
                    stream, source=options["file"], max_bytes=max_import_bytes()
                )
        if not 1 <= options["dataset"] <= len(datasets):
            raise CommandError(f"filen har {len(datasets)} dataset")
        dataset = datasets[options["dataset"] - 1]
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                rows = dataset_flatten(dataset, out)
            self.stdout.write(f"{rows} rader skrivna till {options['output']}")
        else:
            dataset_flatten(dataset, sys.stdout)

    def _indicator(self, code: str) -> Indicator:
        try:
            return Indicator.objects.get(code=code)
        except Indicator.DoesNotExist as exc:
            raise CommandError(f"okänd indikator: {code}") from exc

    def _import(self, options: dict[str, Any]) -> None:
        indicator = self._indicator(options["indicator"]) if options["indicator"] else None
        owner = None
        if options["owner"]:
            owner = (
                tenancy.organisation_model()._default_manager.filter(code=options["owner"]).first()
            )
            if owner is None:
                raise CommandError(f"okänd organisation: {options['owner']}")
        path = Path(options["file"])
        with open(path, "rb") as stream:
            done = observations_import_auto(
                user=tenancy.SYSTEM,
                owner=owner,
                indicator=indicator,
                stream=stream,
                filename=path.name,
                fmt=options["format"],
                replace=options["replace"],
                metric=options["metric"],
            )
        used = done.indicator
        if indicator is None:
            verb = "Skapade" if done.created else "Använde"
            self.stdout.write(f"{verb} indikatorn {used.code} ({used.title}, {used.unit})")
        self.stdout.write(
            f"{done.detected.label}: {done.result.created} observationer importerade "
            f"till {used.code}"
        )

    def _fetch(self, options: dict[str, Any]) -> None:
        base = options["base_url"]
        if options["source"] == "kolada":
            client = clients.KoladaClient(base or clients.KOLADA_URL)
            results = kolada_fetch(
                user=tenancy.SYSTEM,
                client=client,
                kpis=_list(options["kpi"]),
                municipalities=_list(options["municipality"]),
                years=_list(options["year"]),
                replace=options["replace"],
            )
            for result in results:
                self.stdout.write(f"{result.filename}: {result.created} observationer")
            return
        selection: dict[str, list[str]] = {}
        for item in options["select"]:
            name, _sep, codes = item.partition("=")
            selection[name.strip()] = _list(codes)
        result = scb_fetch(
            user=tenancy.SYSTEM,
            client=clients.ScbClient(base or clients.SCB_URL),
            indicator=self._indicator(options["indicator"]),
            table_id=options["table"],
            selection=selection,
            replace=options["replace"],
            metric=options["metric"],
        )
        self.stdout.write(f"{result.filename}: {result.created} observationer")
