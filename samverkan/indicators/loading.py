"""Turning source cells into observation rows and writing them fast, all or nothing.

Every source (JSON-stat, SDMX-CSV, the CSV/XLSX template, Kolada, SCB) ends in
``observations_write``: rows ``(area_type, area_code, period, breakdown_id, value, status)``
are streamed into the table with PostgreSQL ``COPY`` or SQLite ``executemany`` inside the
caller's transaction; an error anywhere (a bad value, a duplicate) rolls everything back.
"""

from __future__ import annotations

import gc
import itertools
import math
import operator
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from samverkan.geo.models import County, Municipality
from samverkan.indicators.models import (
    AreaType,
    Breakdown,
    Indicator,
    IndicatorData,
    Observation,
    ObservationKey,
    ObservationStatus,
)
from samverkan.indicators.periods import PeriodError, period_parse

Row = tuple[int, str, int, int, float | None, int]
CHUNK = 20_000
# Breakdown keys one JSON-stat dataset may need (every combination of its breakdown
# dimensions' categories is looked up or created before the rows stream).
MAX_BREAKDOWNS = 10_000
NULL = "\\N"


class MappingError(ValueError):
    """Cells cannot become observations; ``messages`` lists every reason found."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages[:20]))


# -- recognising dimensions and codes -------------------------------------------------------

AREA_DIMS = {"region", "geo", "kommun", "lan", "län", "area", "municipality", "omrade", "område"}
TIME_DIMS = {"tid", "time", "time_period", "year", "period", "ar", "år", "manad", "månad"}
METRIC_DIMS = {"contentscode", "indicator", "indic", "tabellinnehall", "tabellinnehåll"}
SEX_DIMS = {"kon", "kön", "sex", "gender"}
AGE_DIMS = {"alder", "ålder", "age"}
BIRTH_DIMS = {
    "fodelseregion",
    "födelseregion",
    "c_birth",
    "birth_region",
    "bakgrund",
    "fodelselandgrupp",
}
IGNORED_DIMS = {
    "freq",
    "unit",
    "dataflow",
    "structure",
    "structure_id",
    "action",
    "obs_value",
    "obs_flag",
    "conf_status",
    "last update",
}

SEX_CODES = {
    "t": "T",
    "tot": "T",
    "total": "T",
    "totalt": "T",
    "samtliga": "T",
    "båda könen": "T",
    "kvinnor och män": "T",
    "män och kvinnor": "T",
    "totsa": "T",
    "1+2": "T",
    "m": "M",
    "1": "M",
    "män": "M",
    "k": "K",
    "f": "K",
    "2": "K",
    "kvinnor": "K",
}
TOTAL_CODES = {"", "tot", "total", "totalt", "totsa", "t", "_t", "samtliga"}
BIRTH_CODES = {
    "nat": "sverige",
    "sverige": "sverige",
    "se": "sverige",
    "inrikes": "sverige",
    "inrikes född": "sverige",
    "inrikes födda": "sverige",
    "for": "utrikes",
    "utrikes": "utrikes",
    "utrikes född": "utrikes",
    "utrikes födda": "utrikes",
    "norden": "norden",
    "eu27_2020_for": "eu",
    "eu": "eu",
    "neu27_2020_for": "utanfor-eu",
    "utanfor-eu": "utanfor-eu",
    "utanför eu": "utanfor-eu",
}
STATUS_CODES = {
    "": 0,
    "p": 1,
    "prel": 1,
    "provisional": 1,
    "b": 1,
    ":": 2,
    "..": 2,
    ".": 2,
    "m": 2,
    "missing": 2,
    "preliminary": 1,
    "-": 2,
    "c": 3,
    "x": 3,
    "s": 3,
    "suppressed": 3,
}
OWN_AREA = re.compile(r"^omr-[a-z0-9-]{1,36}$")


def dimension_kind(dim_id: str, role: str = "") -> str:
    key = dim_id.strip().lower()
    if role == "geo" or key in AREA_DIMS:
        return "area"
    if role == "time" or key in TIME_DIMS:
        return "time"
    if role == "metric" or key in METRIC_DIMS:
        return "metric"
    for kind, names in (("sex", SEX_DIMS), ("age", AGE_DIMS), ("birth", BIRTH_DIMS)):
        if key in names:
            return kind
    if key in IGNORED_DIMS:
        return "ignore"
    return "extra"


def sex_code(code: str) -> str | None:
    return SEX_CODES.get(str(code).strip().lower())


def age_code(code: str) -> str:
    text = str(code).strip()
    return "" if text.lower() in TOTAL_CODES else text[:20]


def birth_code(code: str, label: str = "") -> str:
    text = str(code).strip().lower()
    if text in TOTAL_CODES:
        return ""
    return BIRTH_CODES.get(text) or BIRTH_CODES.get(label.strip().lower()) or text[:20]


# Words in a status code's label (the file's own ``category.label`` for its status codes).
STATUS_WORDS = (
    (("confidential", "suppressed", "sekretess", "skyddad", "röjande"), 3),
    (("provisional", "preliminary", "preliminär", "foreløpig", "estimated", "uppskatt"), 1),
    (("not available", "missing", "saknas", "ej tillgänglig", "mangler", "not applicable"), 2),
)


def status_code(flag: Any, label: str = "") -> int:
    """Our status for a source's status code; ``label`` is what the file says the code means
    (used when the code itself is not one we know)."""
    if flag is None:
        return ObservationStatus.NORMAL
    text = str(flag).strip().lower()
    if text in STATUS_CODES:
        return STATUS_CODES[text]
    meaning = label.strip().lower()
    for words, code in STATUS_WORDS:
        if any(word in meaning for word in words):
            return code
    for letter in text:  # Eurostat combines flags, e.g. "bp"
        if letter in ("c", "p"):
            return STATUS_CODES[letter]
    return ObservationStatus.NORMAL


class AreaResolver:
    """Source area codes → (area type, stored code); Sweden is ``0000``."""

    def __init__(self) -> None:
        self.counties = set(County.objects.values_list("code", flat=True))
        self.municipalities = set(Municipality.objects.values_list("code", flat=True))

    def resolve(self, code: str) -> tuple[int, str] | None:
        text = str(code).strip()
        if text.upper() in ("0000", "00", "SE", "RIKET"):
            return AreaType.NATION, "0000"
        if text in self.counties:
            return AreaType.COUNTY, text
        if len(text) == 4 and text.startswith("00") and text[2:] in self.counties:
            return AreaType.COUNTY, text[2:]  # Kolada writes counties as 00LL
        if text in self.municipalities:
            return AreaType.MUNICIPALITY, text
        if OWN_AREA.match(text):
            return AreaType.OWN, text
        return None


class BreakdownCache:
    """Breakdown keys, created on first use (inside the import's transaction)."""

    def __init__(self) -> None:
        self.ids = {
            (b.sex, b.age_band, b.birth_region, b.extra): b.id for b in Breakdown.objects.all()
        }

    def key(self, sex: str = "T", age: str = "", birth: str = "", extra: str = "") -> int:
        wanted = (sex, age, birth, extra)
        if wanted not in self.ids:
            breakdown, _created = Breakdown.objects.get_or_create(
                sex=sex, age_band=age, birth_region=birth, extra=extra
            )
            self.ids[wanted] = breakdown.id
        return self.ids[wanted]


def to_value(raw: Any) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    text = (
        str(raw)
        .strip()
        .replace(",", ".")
        .replace("\u2212", "-")
        .translate({0x20: None, 0xA0: None, 0x202F: None, 0x2009: None})
    )
    if text in ("", "..", ":", "-", "."):
        return None
    return float(text)


# -- records from tables (SDMX-CSV, template, Kolada) ----------------------------------------


@dataclass
class RecordMapper:
    """Maps one record at a time, caching each distinct code; collects every error."""

    areas: AreaResolver = field(default_factory=AreaResolver)
    breakdowns: BreakdownCache = field(default_factory=BreakdownCache)
    errors: list[str] = field(default_factory=list)
    unknown_areas: set[str] = field(default_factory=set)
    periods: set[int] = field(default_factory=set)
    _area_cache: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    _period_cache: dict[str, int | None] = field(default_factory=dict)

    def row(
        self,
        where: str,
        *,
        area: str,
        period: str,
        value: Any,
        status: Any = None,
        sex: str = "T",
        age: str = "",
        birth: str = "",
        extra: str = "",
    ) -> Row | None:
        if area not in self._area_cache:
            self._area_cache[area] = self.areas.resolve(area)
        resolved = self._area_cache[area]
        if resolved is None:
            self.unknown_areas.add(area)
            return None
        if period not in self._period_cache:
            try:
                self._period_cache[period] = period_parse(period)
            except PeriodError:
                self._period_cache[period] = None
        stored_period = self._period_cache[period]
        if stored_period is None:
            self.errors.append(
                _("%(where)s: okänd period %(period)r") % {"where": where, "period": period}
            )
            return None
        sex_value = sex_code(sex) if sex else "T"
        if sex_value is None:
            self.errors.append(
                _("%(where)s: okänt kön %(sex)r (T, K eller M)") % {"where": where, "sex": sex}
            )
            return None
        try:
            number = to_value(value)
        except ValueError:
            self.errors.append(
                _("%(where)s: värdet %(value)r är inget tal") % {"where": where, "value": value}
            )
            return None
        flag = status_code(status)
        if number is None and flag == ObservationStatus.NORMAL:
            flag = ObservationStatus.MISSING
        self.periods.add(stored_period)
        key = self.breakdowns.key(sex_value, age_code(age), birth_code(birth), extra)
        return (resolved[0], resolved[1], stored_period, key, number, flag)

    def check(self) -> None:
        messages = list(self.errors[:50])
        if self.unknown_areas:
            messages.insert(
                0, _("okända områdeskoder: %s") % ", ".join(sorted(self.unknown_areas)[:50])
            )
        if messages:
            raise MappingError(messages)


# -- JSON-stat datasets -----------------------------------------------------------------------


def jsonstat_plan(dataset: Any, *, areas: AreaResolver, metric: str = "") -> dict[str, Any]:
    """Check a dataset's dimensions once, per category (never per cell)."""
    from samverkan.indicators.jsonstat import Dataset

    assert isinstance(dataset, Dataset)  # type narrowing for mypy  # nosec B101
    errors: list[str] = []
    plan: dict[str, Any] = {"area": None, "time": None, "metric": None, "parts": []}
    for index, dim in enumerate(dataset.dimensions):
        kind = dimension_kind(dim.id, dim.role)
        if kind == "area":
            resolved = [areas.resolve(code) for code in dim.codes]
            unknown = [code for code, r in zip(dim.codes, resolved, strict=True) if r is None]
            if unknown:
                errors.append(
                    _("okända områdeskoder i %(dim)s: %(codes)s")
                    % {"dim": dim.id, "codes": ", ".join(unknown[:50])}
                )
            plan["area"] = (index, resolved)
        elif kind == "time":
            periods = []
            for code in dim.codes:
                try:
                    periods.append(period_parse(code))
                except PeriodError:
                    errors.append(
                        _("okänd period %(code)r i %(dim)s") % {"code": code, "dim": dim.id}
                    )
            plan["time"] = (index, periods)
        elif kind == "metric" and len(dim.codes) > 1:
            if metric not in dim.codes:
                errors.append(
                    _("%(dim)s har flera mått (%(codes)s): välj ett med --metric")
                    % {"dim": dim.id, "codes": ", ".join(dim.codes[:20])}
                )
            else:
                plan["metric"] = (index, dim.codes.index(metric))
        elif kind in ("sex", "age", "birth") or (kind == "extra" and len(dim.codes) > 1):
            if kind == "sex":
                mapped = [sex_code(code) for code in dim.codes]
                bad = [c for c, m in zip(dim.codes, mapped, strict=True) if m is None]
                if bad:
                    errors.append(
                        _("okända könskoder i %(dim)s: %(codes)s")
                        % {"dim": dim.id, "codes": ", ".join(bad)}
                    )
            elif kind == "age":
                mapped = [age_code(code) for code in dim.codes]
            elif kind == "birth":
                mapped = [birth_code(code, dim.label_of(code)) for code in dim.codes]
            else:
                mapped = [f"{dim.id}={code}" for code in dim.codes]
            plan["parts"].append((index, kind, mapped))
    combinations = math.prod(len(mapped) for _i, _k, mapped in plan["parts"])
    if combinations > MAX_BREAKDOWNS:
        errors.append(
            _("uppdelningsdimensionerna ger %(n)d kombinationer; högst %(max)d stöds")
            % {"n": combinations, "max": MAX_BREAKDOWNS}
        )
    if plan["area"] is None:
        errors.append(_("datasetet saknar en områdesdimension (t.ex. Region eller geo)"))
    if plan["time"] is None:
        errors.append(_("datasetet saknar en tidsdimension (t.ex. Tid eller time)"))
    if errors:
        raise MappingError([f"{dataset.name}: {e}" for e in errors])
    return plan


def jsonstat_breakdowns(
    plan: dict[str, Any], breakdowns: BreakdownCache
) -> dict[tuple[int, ...], int]:
    """Breakdown keys for every combination of the breakdown dimensions' categories.

    Created before the rows stream: no other query may run on the connection during COPY."""
    parts = plan["parts"]
    keys: dict[tuple[int, ...], int] = {}
    for combo in itertools.product(*(range(len(mapped)) for _i, _k, mapped in parts)):
        fields: dict[str, Any] = {"sex": "T", "age": "", "birth": "", "extra": []}
        for (_i, kind, mapped), pos in zip(parts, combo, strict=True):
            if kind == "extra":
                fields["extra"].append(mapped[pos])
            else:
                fields[kind] = mapped[pos]
        keys[combo] = breakdowns.key(
            fields["sex"], fields["age"], fields["birth"], ";".join(fields["extra"])[:200]
        )
    return keys


NUMERIC = {int, float, type(None)}


def jsonstat_rows(
    dataset: Any, plan: dict[str, Any], keys: dict[tuple[int, ...], int]
) -> Iterator[Row]:
    """The dataset's cells as rows, in row-major order, values read one by one (streamed).

    Fast path for the usual layout (time is the last dimension, value an array, no status):
    everything but the period is resolved once per run of the last dimension."""
    from samverkan.indicators.jsonstat import ArrayLike

    sizes = dataset.size
    time_index, _periods = plan["time"]
    if (
        time_index == len(sizes) - 1
        and isinstance(dataset.values, ArrayLike)
        and not (dataset.status)
    ):
        yield from _rows_time_last(dataset, plan, keys)
    else:
        yield from _rows_general(dataset, plan, keys)


def _rows_time_last(
    dataset: Any, plan: dict[str, Any], keys: dict[tuple[int, ...], int]
) -> Iterator[Row]:
    sizes = dataset.size
    area_index, area_codes = plan["area"]
    _time_index, periods = plan["time"]
    metric = plan["metric"]
    part_indexes = [i for i, _k, _m in plan["parts"]]
    values = iter(dataset.values)
    run = sizes[-1]
    outer_ranges = [range(n) for n in sizes[:-1]]
    for number, outer in enumerate(itertools.product(*outer_ranges)):
        chunk = list(itertools.islice(values, run))
        if metric is not None and outer[metric[0]] != metric[1]:
            continue
        if not set(map(type, chunk)) <= NUMERIC:
            chunk = [_value(dataset, number * run + i, raw) for i, raw in enumerate(chunk)]
        area_type, area_code = area_codes[outer[area_index]]
        key = keys[tuple(outer[i] for i in part_indexes)]
        yield from [
            (area_type, area_code, period, key, value, 0 if value is not None else 2)
            for period, value in zip(periods, chunk, strict=True)
        ]


def _value(dataset: Any, number: int, raw: Any) -> float | None:
    try:
        return to_value(raw)
    except (TypeError, ValueError) as exc:
        raise MappingError(
            [
                _("%(name)s, cell %(n)d: värdet %(value)r är inget tal")
                % {"name": dataset.name, "n": number, "value": raw}
            ]
        ) from exc


def _rows_general(
    dataset: Any, plan: dict[str, Any], keys: dict[tuple[int, ...], int]
) -> Iterator[Row]:
    area_index, area_codes = plan["area"]
    time_index, periods = plan["time"]
    metric = plan["metric"]
    part_indexes = [i for i, _k, _m in plan["parts"]]
    cells = zip(dataset.iter_positions(), dataset.iter_values(), dataset.iter_status(), strict=True)
    labels = dataset.status_labels
    flags: dict[Any, int] = {}
    for number, (position, raw, flag) in enumerate(cells):
        if metric is not None and position[metric[0]] != metric[1]:
            continue
        value = _value(dataset, number, raw)
        if not isinstance(flag, str | None):
            flag = _text_of(flag)
        if flag not in flags:
            flags[flag] = status_code(flag, labels.get(flag, "") if flag is not None else "")
        status = flags[flag]
        if value is None and status == ObservationStatus.NORMAL:
            status = ObservationStatus.MISSING
        area_type, area_code = area_codes[position[area_index]]
        key = keys[tuple(position[i] for i in part_indexes)]
        yield (area_type, area_code, periods[position[time_index]], key, value, status)


def _text_of(value: Any) -> str:
    from samverkan.indicators.jsonstat import js_text

    return js_text(value)


# -- writing ------------------------------------------------------------------------------------

COLUMNS = "indicator_id, area_type, area_code, period, breakdown_id, value, status"


def observations_write(
    *, indicator: Indicator, rows: Iterable[Row], periods: set[int], replace: bool
) -> int:
    """Stream rows into the observation table (call inside ``transaction.atomic``).

    The cyclic garbage collector is paused meanwhile: rows are tuples of numbers and strings
    (no cycles), and millions of them would otherwise trigger collections that rescan the
    heap again and again (measured: a third of the Python time)."""
    if replace and periods:
        Observation.objects.filter(indicator=indicator, period__in=periods).delete()
    keys: set[tuple[int, int, int]] = set()
    # observations written before the summary existed (or by other means) need a rebuild
    unsummarised = (
        not IndicatorData.objects.filter(indicator=indicator).exists()
        and Observation.objects.filter(indicator=indicator).exists()
    )
    collecting = gc.isenabled()
    gc.disable()
    try:
        if connection.vendor == "postgresql":
            count = _copy_postgres(indicator.pk, rows, keys)
        else:
            count = _insert_many(indicator.pk, rows, keys)
    except IntegrityError as exc:
        raise MappingError(
            [
                _(
                    "observationerna finns redan (samma område, period och "
                    "uppdelning); importera med ersätt (--replace) för att skriva "
                    "över"
                )
            ]
        ) from exc
    finally:
        if collecting:
            gc.enable()
    if unsummarised:
        summary_rebuild(indicator)
    else:
        summary_update(indicator, keys, removed_periods=periods if replace else set())
    return count


def summary_update(
    indicator: Indicator, keys: set[tuple[int, int, int]], *, removed_periods: set[int]
) -> None:
    """Keep the indicator's summary (``ObservationKey`` rows and a new ``IndicatorData``
    version) in step with its observations; called in the import's transaction. ``keys``
    are (breakdown, area type, period) of the rows written; ``removed_periods`` the periods
    whose observations were deleted first (replace)."""
    if removed_periods:
        ObservationKey.objects.filter(indicator=indicator, period__in=removed_periods).delete()
    ObservationKey.objects.bulk_create(
        [
            ObservationKey(indicator=indicator, breakdown_id=b, area_type=t, period=p)
            for b, t, p in sorted(keys)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    IndicatorData.objects.update_or_create(
        indicator=indicator, defaults={"version": uuid.uuid4().hex}
    )


def summary_rebuild(indicator: Indicator) -> None:
    """The summary computed again from the observations (once per indicator: its first import
    under the summary, or rows written by other means, as the benchmark's raw SQL)."""
    keys = ObservationKey._meta.db_table
    table = Observation._meta.db_table
    ObservationKey.objects.filter(indicator=indicator).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {keys} (indicator_id, breakdown_id, area_type, period) "  # noqa: S608 # nosec B608
            f"SELECT DISTINCT indicator_id, breakdown_id, area_type, period FROM {table} "
            "WHERE indicator_id = %s",
            [indicator.pk],
        )
    IndicatorData.objects.update_or_create(
        indicator=indicator, defaults={"version": uuid.uuid4().hex}
    )


def _copy_postgres(indicator_id: int, rows: Iterable[Row], keys: set[Any]) -> int:
    import psycopg

    count = 0
    prefix = f"{indicator_id}\t"
    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        try:
            with raw.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:  # noqa: S608
                for chunk in _chunks(rows, CHUNK, keys):
                    lines = [
                        f"{prefix}{t}\t{c}\t{p}\t{b}\t{NULL if v is None else repr(v)}\t{s}\n"
                        for t, c, p, b, v, s in chunk
                    ]
                    copy.write("".join(lines))
                    count += len(lines)
        except psycopg.errors.UniqueViolation as exc:
            raise IntegrityError(str(exc)) from exc
    return count


SQLITE_ROWS_PER_STATEMENT = 500  # 3,000 parameters per INSERT (SQLite allows 32,766)
SQLITE_CHUNK = 100_000
KEY_ORDER = operator.itemgetter(3, 0, 1, 2)  # breakdown, area type, area code, period


def _insert_many(indicator_id: int, rows: Iterable[Row], keys: set[Any]) -> int:
    """SQLite (and any other database): multi-row INSERTs of 500 rows, prepared once.

    Measured on 1,000,000 rows (``bench/indicators_bench.py``): one statement per 500 rows
    instead of one per row pays the per-statement work (the AUTOINCREMENT counter, deferred
    foreign-key bookkeeping, binding) 500 times less; sorting each chunk of 100,000 rows in
    the unique index's order turns scattered index inserts into runs (about a third less
    B-tree work). The import connection gets a
    256 MB page cache. Duplicates still fail the unique index and roll the import back."""
    table = Observation._meta.db_table
    one = f"({int(indicator_id)}, %s, %s, %s, %s, %s, %s)"
    head = f"INSERT INTO {table} ({COLUMNS}) VALUES "  # noqa: S608 (table name, integer id) # nosec B608
    count = 0
    if connection.vendor != "sqlite":
        with connection.cursor() as wrapped:
            for chunk in _chunks(rows, CHUNK, keys):
                wrapped.executemany(head + one, chunk)
                count += len(chunk)
        return count
    import sqlite3

    per = SQLITE_ROWS_PER_STATEMENT
    many = (head + ", ".join([one] * per)).replace("%s", "?")
    single = (head + one).replace("%s", "?")
    connection.ensure_connection()
    # a plain sqlite3 cursor: Django's wrapper would rewrite the SQL text on every call
    cursor = sqlite3.Cursor(connection.connection)
    try:
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for index pages while loading
        width = per * 6
        for chunk in _chunks(rows, SQLITE_CHUNK, keys):
            chunk.sort(key=KEY_ORDER)
            whole = len(chunk) - len(chunk) % per
            flat = list(itertools.chain.from_iterable(chunk[:whole]))
            for start in range(0, len(flat), width):
                cursor.execute(many, flat[start : start + width])
            if whole < len(chunk):
                cursor.executemany(single, chunk[whole:])
            count += len(chunk)
    except sqlite3.IntegrityError as exc:
        raise IntegrityError(str(exc)) from exc
    finally:
        cursor.close()
    return count


SUMMARY_KEY = operator.itemgetter(3, 0, 2)  # breakdown, area type, period


def _chunks(rows: Iterable[Row], size: int, keys: set[Any]) -> Iterator[list[Row]]:
    """The rows in lists of ``size``; adds each row's summary key to ``keys`` (C speed)."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        keys.update(map(SUMMARY_KEY, chunk))
        yield chunk


Writer = Callable[..., int]
