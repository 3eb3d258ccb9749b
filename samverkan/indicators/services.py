"""Writes: indicators, observation imports (all or nothing) and targets."""

from __future__ import annotations

import csv
import io
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, ImportResult, RowError
from samverkan.core.models import AuditEntry
from samverkan.core.tables import TableError, read_table
from samverkan.core.uploads import UploadRejected, upload_check
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
from samverkan.indicators.models import AreaType, Breakdown, Indicator, KeyIndicator, Target

IMPORT_FORMATS = ("jsonstat", "sdmx-csv", "csv", "xlsx")
TEMPLATE_COLUMNS = ("area_code", "period", "sex", "age_band", "birth_region", "value", "status")


def max_import_bytes() -> int:
    return getattr(settings, "INDICATORS_MAX_IMPORT_BYTES", 4 * 1024**3)


def _check_writable(user: Any, indicator: Indicator) -> None:
    if not tenancy.can_write(user, indicator):
        raise PermissionDenied(_("Du får inte importera observationer till %s.") % indicator)


# What each import format's file must contain (checked by content, core/uploads.py).
UPLOAD_KINDS = {"jsonstat": ("json",), "sdmx-csv": ("csv",), "csv": ("csv",), "xlsx": ("xlsx",)}


def _rejected(filename: str, exc: Exception) -> ImportRejected:
    messages = exc.messages if isinstance(exc, MappingError) else [str(exc)]
    return ImportRejected(filename, [RowError(0, "", m) for m in messages])


def observations_import(
    *,
    user: Any,
    indicator: Indicator,
    stream: IO[bytes],
    filename: str,
    fmt: str,
    replace: bool = False,
    metric: str = "",
) -> ImportResult:
    """Import a file of observations for one indicator; nothing is written if anything fails."""
    _check_writable(user, indicator)
    if fmt not in IMPORT_FORMATS:
        raise ImportRejected(filename, [RowError(0, "", _("okänt format: %s") % fmt)])
    try:
        upload_check(stream, kinds=UPLOAD_KINDS[fmt], max_bytes=max_import_bytes(), name=filename)
    except UploadRejected as exc:
        raise _rejected(filename, exc) from exc
    try:
        if fmt == "jsonstat":
            datasets = datasets_read(stream, source=filename, max_bytes=max_import_bytes())
            return datasets_import(
                user=user,
                indicator=indicator,
                datasets=datasets,
                filename=filename,
                replace=replace,
                metric=metric,
            )
        records = (
            _sdmx_records(stream, filename)
            if fmt == "sdmx-csv"
            else _template_records(stream, filename)
        )
        return records_import(
            user=user, indicator=indicator, records=records, filename=filename, replace=replace
        )
    except (JsonStatError, MappingError, TableError) as exc:
        raise _rejected(filename, exc) from exc


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
    return AuditEntry.objects.create(
        action="indicators.observations.imported",
        user=tenancy.db_user(user),
        organisation=indicator.owner,
        data={"indicator": indicator.code, "filename": filename, "rows": count},
    ).pk


def _sdmx_records(stream: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """SDMX-CSV (Eurostat): a column per dimension, TIME_PERIOD, OBS_VALUE and OBS_FLAG."""
    data = stream.read(max_import_bytes() + 1)
    if len(data) > max_import_bytes():
        raise MappingError([_("filen är för stor")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError([_("filen är inte UTF-8")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    headers = reader.fieldnames or []
    lower = {h.lower(): h for h in headers}
    for needed in ("time_period", "obs_value"):
        if needed not in lower:
            raise MappingError([_("SDMX-CSV-kolumnen %s saknas") % needed.upper()])
    rows = list(reader)
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


def _template_records(stream: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """The CSV/XLSX template: area_code, period, sex, age_band, birth_region, value, status."""
    table = read_table(stream.read(), filename)
    missing = [c for c in ("area_code", "period", "value") if c not in table.headers]
    unknown = [h for h in table.headers if h not in TEMPLATE_COLUMNS]
    if missing or unknown:
        raise MappingError(
            [_("obligatorisk kolumn saknas: %s") % c for c in missing]
            + [
                _("okänd kolumn %(c)s (tillåtna: %(all)s)")
                % {"c": c, "all": ", ".join(TEMPLATE_COLUMNS)}
                for c in unknown
            ]
        )
    return [
        {
            "where": _("rad %d") % number,
            "area": row.get("area_code", ""),
            "period": row.get("period", ""),
            "value": row.get("value", ""),
            "status": row.get("status", ""),
            "sex": row.get("sex") or "T",
            "age": row.get("age_band", ""),
            "birth": row.get("birth_region", ""),
        }
        for number, row in table.rows
    ]


# -- indicators and targets -----------------------------------------------------------------


def indicator_create(*, user: Any, owner: Any, **fields: Any) -> Indicator:
    if owner is None:
        if not (user and user.is_authenticated and user.is_superuser):
            raise PermissionDenied(
                _("Bara plattformens förvaltare lägger till gemensamma indikatorer.")
            )
    elif not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte skapa indikatorer för %s.") % owner)
    indicator = Indicator(owner=owner, **fields)
    indicator.full_clean()
    indicator.save()
    return indicator


def breakdown_get(*, sex: str = "T", age_band: str = "", birth_region: str = "") -> Breakdown:
    breakdown, _created = Breakdown.objects.get_or_create(
        sex=sex, age_band=age_band, birth_region=birth_region, extra=""
    )
    return breakdown


def target_create(*, user: Any, owner: Any, indicator: Indicator, **fields: Any) -> Target:
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte sätta mål för %s.") % owner)
    if not tenancy.can_read(user, indicator):
        raise PermissionDenied(_("Indikatorn finns inte."))
    target = Target(owner=owner, indicator=indicator, created_by=tenancy.db_user(user), **fields)
    _target_validate(target, user)
    target.save()
    return target


def target_update(*, user: Any, target: Target, **fields: Any) -> Target:
    if not tenancy.can_write(user, target):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(target, name, value)
    _target_validate(target, user)
    target.save()
    return target


def target_delete(*, user: Any, target: Target) -> None:
    if not tenancy.can_write(user, target):
        raise PermissionDenied
    target.delete()


def _target_validate(target: Target, user: Any = None) -> None:
    if target.goal_id is not None:
        goal = target.goal
        if goal is None or (user is not None and not tenancy.can_write(user, goal.strategy)):
            raise ValidationError({"goal": _("Du kan inte koppla mål till den strategin.")})
        if goal.strategy.owner_id != target.owner_id:
            raise ValidationError(
                {"goal": _("Målet i strategin och indikatormålet måste ha samma ägare.")}
            )
    if target.target_year <= target.baseline_year:
        raise ValidationError({"target_year": _("Målåret måste komma efter basåret.")})
    if AreaResolver().resolve(target.area_code) is None:
        raise ValidationError({"area_code": _("Okänd områdeskod: %s") % target.area_code})
    target.full_clean()


# -- fetching from the statistics APIs ---------------------------------------------------------


def kolada_fetch(
    *,
    user: Any,
    client: Any,
    kpis: list[str],
    municipalities: list[str],
    years: list[str],
    replace: bool = False,
) -> list[ImportResult]:
    """Fetch Kolada values for catalogue indicators (source Kolada, id = KPI) and import them.

    Everything is fetched first; then all indicators are written in one transaction."""
    from samverkan.indicators.clients import kolada_records

    indicators = {
        i.source_id: i for i in Indicator.objects.filter(source_kind="kolada", source_id__in=kpis)
    }
    missing = sorted(set(kpis) - set(indicators))
    if missing:
        raise ImportRejected(
            "Kolada",
            [
                RowError(
                    0, "", _("ingen indikator i katalogen har Kolada-id %s") % ", ".join(missing)
                )
            ],
        )
    for indicator in indicators.values():
        _check_writable(user, indicator)
    records = kolada_records(client.data(kpis=kpis, municipalities=municipalities, years=years))
    with transaction.atomic():
        return [
            records_import(
                user=user,
                indicator=indicators[kpi],
                records=rows,
                filename=f"Kolada {kpi}",
                replace=replace,
            )
            for kpi, rows in sorted(records.items())
            if kpi in indicators
        ]


def scb_fetch(
    *,
    user: Any,
    client: Any,
    indicator: Indicator,
    table_id: str,
    selection: dict[str, list[str]],
    replace: bool = False,
    metric: str = "",
) -> ImportResult:
    """Fetch a PxWeb table (split into calls within SCB's limits); import it for one indicator."""
    from samverkan.indicators.jsonstat import datasets_from_object

    _check_writable(user, indicator)
    datasets = []
    try:
        for number, answer in enumerate(client.data(table_id, selection), start=1):
            datasets += datasets_from_object(answer, source=f"{table_id} del {number}")
    except JsonStatError as exc:
        raise _rejected(table_id, exc) from exc
    return datasets_import(
        user=user,
        indicator=indicator,
        datasets=datasets,
        filename=f"SCB {table_id}",
        replace=replace,
        metric=metric,
    )


MAX_KEY_INDICATORS = 5
_AUTHORITY_KIND: dict[int, str] = {
    AreaType.COUNTY: "county_board",
    AreaType.MUNICIPALITY: "municipality",
}


def key_indicators_chooser(*, user: Any, area_type: int, area_code: str) -> tuple[bool, Any]:
    """May ``user`` choose the key indicators of this area's hub, and for which organisation?
    The area's own authority chooses: the verified county board of a county, the verified
    municipality itself; its admins and editors act for it. Superusers may too."""
    from samverkan.geo.models import County, Municipality

    kind = _AUTHORITY_KIND.get(area_type)
    if kind is None or user is None or not user.is_authenticated:
        return False, None
    if area_type == AreaType.COUNTY:
        county = County.objects.filter(code=area_code).first()
        organisation = tenancy.verified_organisation_for(
            user, kind=kind, county_id=county.pk if county else None
        )
    else:
        municipality = Municipality.objects.filter(code=area_code).first()
        organisation = tenancy.verified_organisation_for(
            user, kind=kind, municipality_id=municipality.pk if municipality else None
        )
    return (organisation is not None or user.is_superuser), organisation


@transaction.atomic
def key_indicators_set(
    *, user: Any, area_type: int, area_code: str, indicators: list[Indicator]
) -> list[KeyIndicator]:
    """Replace the area's key indicators by ``indicators``, in that order (at most five, each
    one the user may read); audited."""
    allowed, organisation = key_indicators_chooser(
        user=user, area_type=area_type, area_code=area_code
    )
    if not allowed:
        raise PermissionDenied(
            _("Bara områdets verifierade länsstyrelse eller kommun väljer dess nyckelindikatorer.")
        )
    if len(indicators) > MAX_KEY_INDICATORS:
        raise ValidationError(
            {"indicators": _("Välj högst %(n)d indikatorer.") % {"n": MAX_KEY_INDICATORS}}
        )
    readable = set(
        tenancy.readable(
            Indicator.objects.filter(pk__in=[i.pk for i in indicators]), user
        ).values_list("pk", flat=True)
    )
    if len(readable) != len({i.pk for i in indicators}):
        raise PermissionDenied(_("En av indikatorerna finns inte eller får du inte läsa."))
    KeyIndicator.objects.filter(area_type=area_type, area_code=area_code).delete()
    chosen = KeyIndicator.objects.bulk_create(
        [
            KeyIndicator(
                area_type=area_type,
                area_code=area_code,
                indicator=indicator,
                position=position,
                chosen_by=organisation,
            )
            for position, indicator in enumerate(dict.fromkeys(indicators))
        ]
    )
    AuditEntry.objects.create(
        action="indicators.key_indicators_set",
        user=tenancy.db_user(user),
        organisation=organisation,
        data={
            "area_type": area_type,
            "area_code": area_code,
            "indicators": [c.indicator.code for c in chosen],
        },
    )
    return chosen


def key_indicators_current(*, area_type: int, area_code: str) -> list[Indicator]:
    return [
        k.indicator
        for k in KeyIndicator.objects.filter(
            area_type=area_type, area_code=area_code
        ).select_related("indicator")
    ]
