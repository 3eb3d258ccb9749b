"""Web pages for the duplicate report: a small county at once, the full report of any county
built in the background with a progress page, paged pairs and XLSX/CSV downloads (readable
only by the user who asked for it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.exchange import CONTENT_TYPES
from samverkan.core.params import query_int
from samverkan.geo.models import County
from samverkan.projects import duplicates, similarity

PAGE_SIZE = 50
FILES = {"xlsx": "xlsx", "csv": "csv_gz"}


def project_duplicates(request: HttpRequest, county_code: str) -> HttpResponse:
    """The county's duplicates at once when it has at most ``INLINE_MAX_PROJECTS`` readable
    projects (the 200 likeliest pairs), and the button that builds the full report."""
    county = get_object_or_404(County, code=county_code)
    project_count = duplicates.county_project_count(user=request.user, county=county)
    inline = project_count <= duplicates.INLINE_MAX_PROJECTS
    report = (
        similarity.project_duplicate_report(user=request.user, county_code=county.code)
        if inline
        else None
    )
    return render(
        request,
        "projects/project_duplicates.html",
        {
            "county": county,
            "report": report,
            "inline": inline,
            "project_count": project_count,
            "inline_max": duplicates.INLINE_MAX_PROJECTS,
            "reports": duplicates.duplicate_report_list(user=request.user, county=county)[:5],
        },
    )


@login_required
@require_POST
def duplicate_report_start(request: HttpRequest, county_code: str) -> HttpResponse:
    county = get_object_or_404(County, code=county_code)
    report = duplicates.duplicate_report_start(county=county, user=request.user)
    return redirect(report)


@login_required
def duplicate_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = duplicates.duplicate_report_get(user=request.user, pk=pk)
    raw_page = request.GET.get("page", "")
    page = max(1, query_int(raw_page, default=1, maximum=10**8)) if len(raw_page) < 9 else 1
    pairs = (
        duplicates.duplicate_report_pairs(
            report=report, user=request.user, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        if report.is_done
        else []
    )
    return render(
        request,
        "projects/duplicate_report.html",
        {
            "report": report,
            "county": report.county,
            "job": report.job,
            "status": duplicates.duplicate_report_status(report),
            "pairs": pairs,
            "page": page,
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "has_next": page * PAGE_SIZE < report.pairs,
        },
    )


@login_required
def duplicate_report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in FILES:
        raise Http404
    report = duplicates.duplicate_report_get(user=request.user, pk=pk, with_file=FILES[fmt])
    if not report.is_done:
        return HttpResponse(_("Rapporten är inte färdig än."), status=409)
    response: HttpResponseBase
    if fmt == "xlsx":
        response = HttpResponse(bytes(report.xlsx or b""), content_type=CONTENT_TYPES["xlsx"])
    else:
        response = StreamingHttpResponse(
            duplicates.duplicate_report_csv(report), content_type=CONTENT_TYPES["csv"]
        )
    response["Content-Disposition"] = f'attachment; filename="{report.filename(fmt)}"'
    return response
