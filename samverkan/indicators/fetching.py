"""Fetching an indicator's values from Kolada or SCB from its page, as a background job.

``indicator_fetch_start`` checks the right and the choices and queues the job (after the
caller's transaction commits); the job re-checks the right with the user who started it, then
fetches with progress (one step per Kolada request or SCB call) and imports all or nothing.
The clients' base addresses come from settings (``KOLADA_BASE_URL``, ``SCB_BASE_URL``), so
that tests run against a local stand-in.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, ImportResult, RowError
from samverkan.core.jobs import JobContext, PermanentJobError, job_enqueue, task
from samverkan.core.models import Job
from samverkan.geo.models import County, Municipality
from samverkan.indicators import clients
from samverkan.indicators.importing import (
    _check_writable,
    _rejected,
    datasets_import,
    records_import,
)
from samverkan.indicators.jsonstat import JsonStatError
from samverkan.indicators.models import Indicator, SourceKind

FETCHABLE = (SourceKind.KOLADA, SourceKind.SCB)
MAX_YEARS = 30
YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")


def fetch_years_parse(text: str, *, today: datetime.date | None = None) -> list[str]:
    """ "2015-2024", "2020, 2022" or empty (the last ten years before this one)."""
    today = today or datetime.date.today()
    if not text.strip():
        return [str(year) for year in range(today.year - 10, today.year)]
    years: list[str] = []
    for part in text.split(","):
        match = YEARS.match(part)
        if match is None:
            raise ValidationError({"years": _("Skriv år som 2015-2024 eller 2020, 2022.")})
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1900 <= first <= last <= today.year:
            raise ValidationError(
                {"years": _("Åren ska ligga mellan 1900 och %(year)s.") % {"year": today.year}}
            )
        years += [str(year) for year in range(first, last + 1)]
    unique = sorted(set(years))
    if len(unique) > MAX_YEARS:
        raise ValidationError({"years": _("Högst %(max)s år åt gången.") % {"max": MAX_YEARS}})
    return unique


def fetch_areas(county_code: str) -> list[str]:
    """Kolada's area ids for the choice: the nation, a county (``00LL``) and its
    municipalities, or every county and municipality when no county is chosen."""
    if county_code:
        if not County.objects.filter(code=county_code).exists():
            raise ValidationError({"county": _("Okänt län: %s") % county_code})
        municipalities = Municipality.objects.filter(county__code=county_code)
        counties = [county_code]
    else:
        municipalities = Municipality.objects.all()
        counties = list(County.objects.order_by("code").values_list("code", flat=True))
    return [
        "0000",
        *(f"00{code}" for code in counties),
        *municipalities.order_by("code").values_list("code", flat=True),
    ]


def _check(user: Any, indicator: Indicator) -> None:
    if not tenancy.can_write(user, indicator):
        raise PermissionDenied(_("Du får inte hämta värden till %s.") % indicator)
    if indicator.source_kind not in FETCHABLE or not indicator.source_id:
        raise ValidationError(
            _("Indikatorn har ingen Kolada-KPI eller SCB-tabell att hämta från (källans id).")
        )


def indicator_fetch_start(
    *, user: Any, indicator: Indicator, years: str = "", county_code: str = "", replace: bool = True
) -> Job:
    """Check the right and the choices now; fetch in a job."""
    _check(user, indicator)
    chosen_years = fetch_years_parse(years)
    if indicator.source_kind == SourceKind.KOLADA:
        fetch_areas(county_code)  # refuses an unknown county before anything is queued
    return job_enqueue(
        "indicators.fetch",
        user=user,
        indicator_id=indicator.pk,
        years=chosen_years,
        county_code=county_code,
        replace=replace,
    )


def indicator_fetch(
    *,
    user: Any,
    indicator: Indicator,
    years: list[str],
    county_code: str = "",
    replace: bool = True,
    progress: Any = None,
) -> int:
    """Fetch and import; returns the number of values written."""
    _check(user, indicator)
    progress = progress or (lambda percent, message="": None)
    if indicator.source_kind == SourceKind.SCB:
        progress(10, _("hämtar SCB-tabellen %s") % indicator.source_id)
        # the whole table (SCB's time variable is named and coded per table)
        result = scb_fetch(
            user=user,
            indicator=indicator,
            client=clients.ScbClient(settings.SCB_BASE_URL),
            table_id=indicator.source_id,
            selection={},
            replace=replace,
        )
        return result.created
    client = clients.KoladaClient(settings.KOLADA_BASE_URL)
    areas = fetch_areas(county_code)
    items = []
    chunks = max(1, -(-len(areas) // clients.KOLADA_MAX_IDS))
    size = clients.KOLADA_MAX_IDS
    for number, start in enumerate(range(0, len(areas), size), start=1):
        chunk = areas[start : start + size]
        message = _("hämtar del %(n)s av %(of)s från Kolada") % {"n": number, "of": chunks}
        progress(5 + 85 * (number - 1) // chunks, message)
        items += list(client.data(kpis=[indicator.source_id], municipalities=chunk, years=years))
    records = clients.kolada_records(iter(items)).get(indicator.source_id, [])
    progress(92, _("sparar %s värden") % len(records))
    return records_import(
        user=user,
        indicator=indicator,
        records=records,
        filename=f"Kolada {indicator.source_id}",
        replace=replace,
    ).created


@task("indicators.fetch", max_attempts=2, retry_base_seconds=60)
def indicator_fetch_job(
    ctx: JobContext,
    *,
    indicator_id: int,
    years: list[str],
    county_code: str = "",
    replace: bool = True,
) -> dict[str, Any]:
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    user = ctx.job.user
    if indicator is None or user is None:
        raise PermanentJobError(_("Indikatorn eller användaren finns inte längre."))
    try:
        created = indicator_fetch(
            user=user,
            indicator=indicator,
            years=years,
            county_code=county_code,
            replace=replace,
            progress=ctx.progress,
        )
    except (PermissionDenied, ValidationError) as exc:
        raise PermanentJobError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    except ImportRejected as exc:
        raise PermanentJobError("; ".join(str(e) for e in exc.errors[:20])) from exc
    except clients.FetchError as exc:  # the client has already retried what can be retried
        raise PermanentJobError(str(exc)) from exc
    return {"created": created, "indicator": indicator.code}


def fetch_job_error(job: Job) -> str:
    """What went wrong, for the person who started the fetch (without the exception's name)."""
    return job.error.strip().removeprefix(f"{PermanentJobError.__name__}: ")


def fetch_job_get(*, user: Any, indicator: Indicator, job_id: int) -> Job:
    """A fetch job is seen by the person who started it (and superusers)."""
    job = Job.objects.filter(pk=job_id, name="indicators.fetch").first()
    if job is None or not user.is_authenticated:
        raise PermissionDenied
    if job.kwargs.get("indicator_id") != indicator.pk:
        raise PermissionDenied
    if not (user.is_superuser or job.user_id == user.pk):
        raise PermissionDenied
    return job


# -- fetching (also used by ``samverkan indicators fetch``) ----------------------------------


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
