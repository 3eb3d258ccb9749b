"""Observation imports, all or nothing: files (the format told from the content), JSON-stat
datasets and records, into an indicator or into one made from the file's own description."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.audit import audit_log
from samverkan.core.exchange import ImportRejected, ImportResult, RowError
from samverkan.core.jsonbounds import json_value_budget
from samverkan.core.models import Visibility
from samverkan.core.tables import TableError, read_table
from samverkan.core.uploads import UploadRejected, upload_check
from samverkan.indicators.authoring import OBSERVATIONS_IMPORTED
from samverkan.indicators.formats import (
    Detected,
    FileMeta,
    FormatError,
    file_meta,
    format_detect,
    pxweb_v1_datasets,
)
from samverkan.indicators.jsonstat import Dataset, JsonStatError, datasets_read
from samverkan.indicators.loading import (
    AreaResolver,
    BreakdownCache,
    MappingError,
    RecordMapper,
    Row,
    dimension_kind,
    jsonstat_breakdowns,
    jsonstat_plan,
    jsonstat_rows,
    observations_write,
)
from samverkan.indicators.models import (
    Direction,
    Indicator,
)
from samverkan.indicators.services import indicator_create

# The formats a file may be imported as; "auto" tells it from the content (formats.py).
IMPORT_FORMATS = ("auto", "jsonstat", "pxweb", "sdmx-csv", "csv", "xlsx")
TEMPLATE_COLUMNS = ("area_code", "period", "sex", "age_band", "birth_region", "value", "status")
# Swedish (and other usual) names of the template's columns, compared in lower case without
# what stands in brackets ("Värde (%)" is "värde").
TEMPLATE_ALIASES = {
    "area_code": (
        "områdeskod",
        "omradeskod",
        "område",
        "omrade",
        "region",
        "regionkod",
        "kommunkod",
        "kommun",
        "länskod",
        "lanskod",
        "län",
        "lan",
        "geo",
    ),
    "period": ("år", "ar", "tid", "månad", "manad", "kvartal", "tidsperiod", "time_period"),
    "sex": ("kön", "kon"),
    "age_band": ("åldersgrupp", "aldersgrupp", "ålder", "alder", "age"),
    "birth_region": ("födelseregion", "fodelseregion", "bakgrund", "birth_region"),
    "value": ("värde", "varde", "obs_value"),
    "status": ("flagga", "anmärkning", "obs_flag"),
}
AREA_WITH_NAME = re.compile(r"^(\d{2}|\d{4})\s+\S")  # "0127 Botkyrka", as PxWeb writes regions


def max_import_bytes() -> int:
    return getattr(settings, "INDICATORS_MAX_IMPORT_BYTES", 4 * 1024**3)


def _check_writable(user: Any, indicator: Indicator) -> None:
    if not tenancy.can_write(user, indicator):
        raise PermissionDenied(_("Du får inte importera observationer till %s.") % indicator)


# What each import format's file must contain (checked by content, core/uploads.py).
UPLOAD_KINDS = {
    "jsonstat": ("json",),
    "pxweb": ("json",),
    "sdmx-csv": ("csv",),
    "csv": ("csv",),
    "xlsx": ("xlsx",),
}


def _rejected(filename: str, exc: Exception) -> ImportRejected:
    messages = exc.messages if isinstance(exc, MappingError) else [str(exc)]
    return ImportRejected(filename, [RowError(0, "", m) for m in messages])


def import_format_detect(*, stream: IO[bytes], filename: str, fmt: str = "auto") -> Detected:
    """The file's format, told from its content and checked like any upload (size, encoding,
    kind). A format chosen by hand must be what the content is."""
    if fmt not in IMPORT_FORMATS:
        raise ImportRejected(
            filename,
            [
                RowError(
                    0,
                    "",
                    _("okänt format: %(fmt)s (tillåtna: %(all)s)")
                    % {"fmt": fmt, "all": ", ".join(IMPORT_FORMATS)},
                )
            ],
        )
    try:
        detected = format_detect(stream, filename)
        upload_check(
            stream, kinds=UPLOAD_KINDS[detected.fmt], max_bytes=max_import_bytes(), name=filename
        )
    except (FormatError, UploadRejected) as exc:
        raise _rejected(filename, exc) from exc
    chosen = fmt
    json_stat = ("jsonstat", "pxweb")
    if chosen in json_stat and detected.fmt in json_stat and not detected.pxweb_v1:
        chosen = detected.fmt  # PxWeb API v2 answers are JSON-stat
    if chosen not in ("auto", detected.fmt):
        raise ImportRejected(
            filename,
            [
                RowError(
                    0,
                    "",
                    _(
                        "%(file)s är %(found)s, men formatet %(chosen)s valdes. Välj "
                        "”Känn igen automatiskt” eller rätt format."
                    )
                    % {"file": filename, "found": detected.label, "chosen": fmt},
                )
            ],
        )
    return detected


def _file_datasets(stream: IO[bytes], filename: str, detected: Detected) -> list[Dataset]:
    if detected.pxweb_v1:
        return pxweb_v1_datasets(stream, source=filename, max_bytes=max_import_bytes())
    return datasets_read(stream, source=filename, max_bytes=max_import_bytes())


def observations_import(
    *,
    user: Any,
    indicator: Indicator,
    stream: IO[bytes],
    filename: str,
    fmt: str = "auto",
    replace: bool = False,
    metric: str = "",
) -> ImportResult:
    """Import a file of observations for one indicator; nothing is written if anything fails."""
    _check_writable(user, indicator)
    detected = import_format_detect(stream=stream, filename=filename, fmt=fmt)
    try:
        if detected.self_describing:
            return datasets_import(
                user=user,
                indicator=indicator,
                datasets=_file_datasets(stream, filename, detected),
                filename=filename,
                replace=replace,
                metric=metric,
            )
        records = (
            _sdmx_records(stream, filename)
            if detected.fmt == "sdmx-csv"
            else _template_records(stream, filename)
        )
        return records_import(
            user=user, indicator=indicator, records=records, filename=filename, replace=replace
        )
    except (JsonStatError, MappingError, TableError) as exc:
        raise _rejected(filename, exc) from exc


@dataclass(frozen=True)
class FileImport:
    result: ImportResult
    indicator: Indicator
    created: bool  # the indicator was made from the file's own description
    detected: Detected


def observations_import_auto(
    *,
    user: Any,
    owner: Any,
    stream: IO[bytes],
    filename: str,
    fmt: str = "auto",
    indicator: Indicator | None = None,
    replace: bool = False,
    metric: str = "",
) -> FileImport:
    """Import a file into ``indicator`` or, when none is given, into the indicator the file
    describes (JSON-stat, PxWeb): the one ``owner`` (``None``: the shared catalogue) already
    has for the same source table, else a new one made from the file's title, unit and source.
    The indicator is created in the import's transaction: nothing stays if the import fails."""
    detected = import_format_detect(stream=stream, filename=filename, fmt=fmt)
    if indicator is not None:
        result = observations_import(
            user=user,
            indicator=indicator,
            stream=stream,
            filename=filename,
            fmt=detected.fmt,
            replace=replace,
            metric=metric,
        )
        return FileImport(result, indicator, False, detected)
    if not detected.self_describing:
        raise ImportRejected(
            filename,
            [
                RowError(
                    0,
                    "",
                    _(
                        "%(file)s är %(found)s och anger inte själv titel, enhet och källa: "
                        "välj vilken indikator värdena hör till (bara JSON-stat och PxWeb "
                        "beskriver sin egen tabell)."
                    )
                    % {"file": filename, "found": detected.label},
                )
            ],
        )
    try:
        datasets = _file_datasets(stream, filename, detected)
    except JsonStatError as exc:
        raise _rejected(filename, exc) from exc
    meta = file_meta(datasets[0], metric=metric, filename=filename)
    with transaction.atomic():
        found = (
            Indicator.objects.filter(source_id=meta.table_id, owner=owner).order_by("pk").first()
        )
        created = found is None
        target = found or _indicator_from_meta(user=user, owner=owner, meta=meta)
        result = datasets_import(
            user=user,
            indicator=target,
            datasets=datasets,
            filename=filename,
            replace=replace,
            metric=metric,
        )
    return FileImport(result, target, created, detected)


def _indicator_from_meta(*, user: Any, owner: Any, meta: FileMeta) -> Indicator:
    base = slugify(meta.title)[:50].strip("-") or "indikator"
    code, n = base, 1
    while Indicator.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return indicator_create(
        user=user,
        owner=owner,
        code=code,
        title=meta.title,
        definition=meta.definition,
        unit=meta.unit,
        source_kind=meta.source_kind,
        source_id=meta.table_id,
        source_note=meta.source,
        direction=Direction.NEUTRAL,
        visibility=Visibility.PUBLIC if owner is None else Visibility.PRIVATE,
    )


def datasets_import(
    *,
    user: Any,
    indicator: Indicator,
    datasets: list[Dataset],
    filename: str,
    replace: bool = False,
    metric: str = "",
) -> ImportResult:
    _check_writable(user, indicator)
    areas = AreaResolver()
    try:
        plans = [jsonstat_plan(d, areas=areas, metric=metric) for d in datasets]
        periods = {p for plan in plans for p in plan["time"][1]}
        with transaction.atomic():
            breakdowns = BreakdownCache()
            count = 0
            for index, (dataset, plan) in enumerate(zip(datasets, plans, strict=True)):
                keys = jsonstat_breakdowns(plan, breakdowns)
                count += observations_write(
                    indicator=indicator,
                    rows=jsonstat_rows(dataset, plan, keys),
                    periods=periods,
                    replace=replace and index == 0,
                )
            audit = _audit(user, indicator, filename, count)
    except MappingError as exc:
        raise _rejected(filename, exc) from exc
    return ImportResult("indicator-observations", filename, count, 0, audit)


def records_import(
    *,
    user: Any,
    indicator: Indicator,
    records: list[dict[str, Any]],
    filename: str,
    replace: bool = False,
) -> ImportResult:
    """Records are dicts with area, period, value and optionally status, sex, age, birth, extra."""
    _check_writable(user, indicator)
    try:
        with transaction.atomic():
            mapper = RecordMapper()
            rows: list[Row] = []
            for record in records:
                where = record.pop("where", "")
                row = mapper.row(where, **record)
                if row is not None:
                    rows.append(row)
            mapper.check()
            count = observations_write(
                indicator=indicator, rows=rows, periods=mapper.periods, replace=replace
            )
            audit = _audit(user, indicator, filename, count)
    except MappingError as exc:
        raise _rejected(filename, exc) from exc
    return ImportResult("indicator-observations", filename, count, 0, audit)


def _audit(user: Any, indicator: Indicator, filename: str, count: int) -> int:
    return audit_log(
        OBSERVATIONS_IMPORTED,
        user=user,
        organisation=indicator.owner,
        data={"indicator": indicator.code, "filename": filename, "rows": count},
    ).pk


def _sdmx_records(stream: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """SDMX-CSV (Eurostat): a column per dimension, TIME_PERIOD, OBS_VALUE and OBS_FLAG.

    Read row by row; more cells than the value budget of the size limit is refused before
    the rest is read."""
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    budget = json_value_budget(max_import_bytes())
    try:
        reader = csv.DictReader(text)
        headers = reader.fieldnames or []
        lower = {h.lower(): h for h in headers}
        for needed in ("time_period", "obs_value"):
            if needed not in lower:
                raise MappingError([_("SDMX-CSV-kolumnen %s saknas") % needed.upper()])
        rows = []
        width = max(1, len(headers))
        for row in reader:
            rows.append(row)
            if len(rows) * width > budget:
                raise MappingError(
                    [_("filen har fler än %(n)d värden; dela upp den") % {"n": budget}]
                )
    except UnicodeDecodeError as exc:
        raise MappingError([_("filen är inte UTF-8")]) from exc
    except csv.Error as exc:
        raise MappingError([_("felaktig CSV på rad %d: %s") % (reader.line_num, exc)]) from exc
    finally:
        text.detach()
    kinds = {h: dimension_kind(h) for h in headers}
    area = next((h for h, k in kinds.items() if k == "area"), None)
    if area is None:
        raise MappingError([_("SDMX-CSV-kolumnen geo saknas")])
    extras = [
        h for h, k in kinds.items() if k in ("extra", "metric") and len({r[h] for r in rows}) > 1
    ]
    by_kind = {k: h for h, k in kinds.items() if k in ("sex", "age", "birth")}
    records = []
    for number, row in enumerate(rows, start=2):
        records.append(
            {
                "where": _("rad %d") % number,
                "area": row[area],
                "period": row[lower["time_period"]],
                "value": row[lower["obs_value"]],
                "status": row.get(lower.get("obs_flag", ""), ""),
                "sex": row[by_kind["sex"]] if "sex" in by_kind else "T",
                "age": row[by_kind["age"]] if "age" in by_kind else "",
                "birth": row[by_kind["birth"]] if "birth" in by_kind else "",
                "extra": ";".join(f"{h}={row[h]}" for h in extras),
            }
        )
    return records


def _template_column(header: str) -> str | None:
    key = re.sub(r"\(.*?\)|\[.*?\]", "", header).strip().lower()
    if key in TEMPLATE_COLUMNS:
        return key
    for column, names in TEMPLATE_ALIASES.items():
        if key in names:
            return column
    return None


def _area_code(text: str) -> str:
    text = text.strip()
    if AREA_WITH_NAME.match(text):
        return text.split(None, 1)[0]
    if text.lower() == "riket":
        return "0000"
    return text


def _template_records(stream: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """The CSV/XLSX template: area_code, period, sex, age_band, birth_region, value, status, or
    the same in Swedish (områdeskod, period/år, kön, åldersgrupp, födelseregion, värde,
    status); decimal commas are read."""
    table = read_table(stream.read(), filename)
    columns: dict[str, str] = {}
    unknown, twice = [], []
    for header in table.headers:
        column = _template_column(header)
        if column is None:
            unknown.append(header)
        elif column in columns:
            twice.append(header)
        else:
            columns[column] = header
    missing = [c for c in ("area_code", "period", "value") if c not in columns]
    if missing or unknown or twice:
        allowed = ", ".join(
            f"{c} ({TEMPLATE_ALIASES[c][0]})" for c in TEMPLATE_COLUMNS if c in TEMPLATE_ALIASES
        )
        raise MappingError(
            [_("obligatorisk kolumn saknas: %s") % c for c in missing]
            + [
                _("okänd kolumn %(c)s (tillåtna: %(all)s)") % {"c": c, "all": allowed}
                for c in unknown
            ]
            + [_("kolumnen %s betyder samma sak som en annan kolumn") % c for c in twice]
        )

    def get(row: dict[str, str], column: str) -> str:
        return row.get(columns[column], "") if column in columns else ""

    return [
        {
            "where": _("rad %d") % number,
            "area": _area_code(get(row, "area_code")),
            "period": get(row, "period"),
            "value": get(row, "value"),
            "status": get(row, "status"),
            "sex": get(row, "sex") or "T",
            "age": get(row, "age_band"),
            "birth": get(row, "birth_region"),
        }
        for number, row in table.rows
    ]
