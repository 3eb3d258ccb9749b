"""The full duplicate report of a county in the background: start (records the request and
enqueues the job), run (the job: computes ``similarity.project_duplicate_report`` for every
pair with the requester's current permissions, stores the pairs and the XLSX and CSV files)
and reads.

A report is readable only by the user who asked for it: it is computed with their
permissions, so it may list their organisation's private projects, and a colleague's
permissions may differ (another role, other memberships). Counties with at most
``INLINE_MAX_PROJECTS`` readable projects are still shown inside the request by
``views.project_duplicates`` (about a second there beats a progress page).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.jobs import job_enqueue
from samverkan.core.models import Job
from samverkan.core.tables import write_csv, write_xlsx
from samverkan.geo.models import County
from samverkan.projects import similarity
from samverkan.projects.models import DuplicatePair, DuplicateReport, Project

INLINE_MAX_PROJECTS = 500
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, the header aside; the CSV has every pair
BATCH = 2000
PENDING = [Job.Status.QUEUED, Job.Status.RUNNING]
ProgressCallback = Callable[[int, str], None]


def county_project_count(*, user: Any, county: County) -> int:
    return tenancy.readable(Project.objects.filter(county=county), user).count()


def duplicate_report_is_inline(*, user: Any, county: County) -> bool:
    return county_project_count(user=user, county=county) <= INLINE_MAX_PROJECTS


def duplicate_report_start(*, county: County, user: Any) -> DuplicateReport:
    """Record a full report of ``county`` for ``user`` and enqueue the job on commit. A report of
    the same user and county still waiting or running is reused, so pressing the button twice
    computes once."""
    if not (user is not None and user.is_authenticated):
        raise PermissionDenied
    requester = tenancy.db_user(user)
    pending = (
        DuplicateReport.objects.filter(
            county=county, requested_by=requester, finished_at__isnull=True, job__status__in=PENDING
        )
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    with transaction.atomic():
        report = DuplicateReport.objects.create(county=county, requested_by=requester)
        report.job = job_enqueue("projects.duplicate_report", user=user, report_id=report.pk)
        report.save(update_fields=["job"])
    return report


def _columns() -> list[str]:
    return [
        _("bedömning"),
        _("likhet"),
        _("textlikhet"),
        _("projekt 1 id"),
        _("projekt 1"),
        _("projekt 1 ägare"),
        _("projekt 2 id"),
        _("projekt 2"),
        _("projekt 2 ägare"),
        _("varför"),
    ]


def _rows(pairs: list[similarity.Pair]) -> Iterator[dict[str, Any]]:
    """The file rows, keyed by ``_columns()``; texts go through the safe cell writer."""
    columns = _columns()
    duplicate, overlap = _("Trolig dubblett"), _("Överlappar")
    for pair in pairs:
        values: list[Any] = [duplicate if pair.duplicate else overlap, pair.score, pair.text]
        for project in (pair.first, pair.second):
            values += [project.pk, project.title, project.owner.name]
        values.append("; ".join(pair.reasons))
        yield dict(zip(columns, values, strict=True))


def _files(pairs: list[similarity.Pair], progress: ProgressCallback) -> tuple[bytes, bytes]:
    """The XLSX (at most ``XLSX_MAX_ROWS`` pairs) and the gzip-compressed CSV (every pair);
    ``progress`` hears of every 10,000th XLSX row (the slow part: openpyxl, a few seconds per
    100,000 cells)."""

    def counted(rows: Iterator[dict[str, Any]], total: int) -> Iterator[dict[str, Any]]:
        for number, row in enumerate(rows):
            if number % 10_000 == 9_999:
                progress(100 * number // total, _("Skriver XLSX-filen"))
            yield row

    progress(0, _("Skriver XLSX-filen"))
    xlsx_pairs = pairs[:XLSX_MAX_ROWS]
    binary = io.BytesIO()
    write_xlsx([(_("Dubbletter"), _columns(), counted(_rows(xlsx_pairs), len(xlsx_pairs)))], binary)
    progress(100, _("Skriver CSV-filen"))
    compressed = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
    ):
        write_csv(_columns(), _rows(pairs), text)
    return binary.getvalue(), compressed.getvalue()


def duplicate_report_run(
    *, report_id: int, progress: ProgressCallback | None = None
) -> DuplicateReport | None:
    """Compute and store a recorded report as its requester. Permissions are read afresh from
    the database: a project the requester can no longer read is not compared, and an inactive
    requester gets nothing. Running it again (a retry) replaces what an earlier run stored."""
    report = (
        DuplicateReport.objects.select_related("county", "requested_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:  # deleted meanwhile (with its requester, or replaced)
        return None
    requester = report.requested_by
    if requester is None or not requester.is_active:
        raise PermissionDenied("the requesting user may no longer sign in")
    tenancy.forget_cached_permissions(requester)

    def scaled(low: int, high: int) -> ProgressCallback:
        def report_progress(percent: int, message: str) -> None:
            if progress is not None:
                progress(low + (high - low) * percent // 100, message)

        return report_progress

    pairs = similarity.project_duplicate_report(
        user=requester, county_code=report.county.code, limit=None, progress=scaled(0, 70)
    )
    report.xlsx, report.csv_gz = _files(pairs, scaled(70, 90))
    # progress from inside the transaction would not be seen before the commit
    scaled(0, 100)(90, _("Sparar paren"))
    with transaction.atomic():
        report.pair_set.all().delete()
        for start in range(0, len(pairs), BATCH):
            DuplicatePair.objects.bulk_create(
                DuplicatePair(
                    report_id=report.pk,
                    position=number,
                    first_id=pair.first.pk,
                    second_id=pair.second.pk,
                    score=pair.score,
                    text=pair.text,
                    duplicate=pair.duplicate,
                    reasons=pair.reasons,
                )
                for number, pair in enumerate(pairs[start : start + BATCH], start=start + 1)
            )
        report.projects = county_project_count(user=requester, county=report.county)
        report.pairs = len(pairs)
        report.duplicates = sum(1 for pair in pairs if pair.duplicate)
        report.finished_at = timezone.now()
        report.save(
            update_fields=["xlsx", "csv_gz", "projects", "pairs", "duplicates", "finished_at"]
        )
        _drop_replaced(report)
    return report


def _drop_replaced(report: DuplicateReport) -> None:
    """A finished report replaces the requester's earlier ones of the county (unless one is
    still being computed), so stored pairs do not pile up."""
    (
        DuplicateReport.objects.filter(
            county=report.county_id, requested_by=report.requested_by_id, pk__lt=report.pk
        )
        .exclude(finished_at__isnull=True, job__status__in=PENDING)
        .delete()
    )


def duplicate_report_list(*, user: Any, county: County | None = None) -> QuerySet[DuplicateReport]:
    """The user's own reports (of ``county``), newest first."""
    if not (user is not None and user.is_authenticated):
        return DuplicateReport.objects.none()
    reports = DuplicateReport.objects.filter(requested_by=tenancy.db_user(user))
    if county is not None:
        reports = reports.filter(county=county)
    return reports.select_related("job", "county").defer("xlsx", "csv_gz")


def duplicate_report_get(*, user: Any, pk: int, with_file: str = "") -> DuplicateReport:
    """A report the user asked for, else 404 (``with_file``: "xlsx" or "csv_gz" to load)."""
    if not (user is not None and user.is_authenticated):
        raise Http404
    reports = DuplicateReport.objects.select_related("county", "job")
    reports = reports.defer(*({"xlsx", "csv_gz"} - {with_file}))
    report = reports.filter(pk=pk, requested_by=tenancy.db_user(user)).first()
    if report is None:
        raise Http404
    return report


def duplicate_report_status(report: DuplicateReport) -> str:
    if report.is_done:
        return "done"
    return report.job.status if report.job else Job.Status.QUEUED


def duplicate_report_pairs(
    *, report: DuplicateReport, user: Any, offset: int, limit: int
) -> list[DuplicatePair]:
    """Pairs ``offset + 1 … offset + limit`` of the report, each with ``projects`` (the two)
    and each project marked with ``readable``: whether the user may still read it (a project
    made private since is shown without its title)."""
    pairs = list(
        report.pair_set.filter(position__gt=offset, position__lte=offset + limit)
        .select_related("first__owner", "second__owner")
        .order_by("position")
    )
    ids = {p.first_id for p in pairs} | {p.second_id for p in pairs}
    readable = set(
        tenancy.readable(Project.objects.filter(pk__in=ids), user).values_list("pk", flat=True)
    )
    for pair in pairs:
        pair.projects = (pair.first, pair.second)  # type: ignore[attr-defined]
        pair.first.readable = pair.first_id in readable  # type: ignore[attr-defined]
        pair.second.readable = pair.second_id in readable  # type: ignore[attr-defined]
    return pairs


def duplicate_report_csv(report: DuplicateReport, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The stored CSV, decompressed piece by piece (for a streaming response)."""
    with gzip.GzipFile(fileobj=io.BytesIO(bytes(report.csv_gz or b"")), mode="rb") as raw:
        while piece := raw.read(chunk):
            yield piece
