"""Web pages for the plan as PDF: small plans at once, larger ones built in the background
with a progress page and a download (readable by whoever can read the plan)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.plans import exports, reports, selectors
from samverkan.plans.models import PlanExport

PDF_TYPE = "application/pdf"


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plan_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A small plan's PDF at once; for a larger plan, the page that starts it in the background
    and lists the reader's earlier PDFs of the plan."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    activities = selectors.plan_activities(plan=plan)
    if len(activities) <= exports.INLINE_MAX_ACTIVITIES:
        rollup = selectors.plan_rollup(plan=plan, activities=activities)
        return _pdf_response(
            reports.plan_pdf(plan, rollup, user=request.user), f"handlingsplan-{plan.pk}.pdf"
        )
    return render(
        request,
        "plans/plan_pdf.html",
        {
            "plan": plan,
            "strategy": plan.strategy,
            "activity_count": len(activities),
            "exports": exports.plan_export_list(plan=plan, user=request.user)[:10],
        },
    )


@login_required
@require_POST
def plan_pdf_start(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    export = exports.plan_export_start(plan=plan, user=request.user)
    return redirect(export)


def plan_pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    export = exports.plan_export_get(user=request.user, pk=pk)
    return render(
        request,
        "plans/plan_pdf_status.html",
        {
            "export": export,
            "plan": export.plan,
            "strategy": export.plan.strategy,
            "job": export.job,
            "status": exports.plan_export_status(export),
        },
    )


def plan_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    export: PlanExport = exports.plan_export_get(user=request.user, pk=pk, with_content=True)
    if not export.is_done:
        return HttpResponse(_("PDF:en är inte färdig än."), status=409)
    response = _pdf_response(bytes(export.content or b""), export.filename)
    response["ETag"] = f'"{export.content_hash}"'
    return response
