"""Web pages: report templates with a live HTML preview, starting builds, progress, downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.core.reporting.registry import Period, Scope
from samverkan.reports import selectors, services
from samverkan.reports.forms import ReportForm
from samverkan.reports.models import CONTENT_TYPES
from samverkan.reports.render import render_html


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportForm(user=request.user)
    return render(
        request,
        "reports/report_list.html",
        {
            "templates": selectors.template_list(user=request.user),
            "reports": selectors.generated_list(user=request.user)[:50],
            "form": form,
            "can_create": form.can_create,
        },
    )


@login_required
@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    """Start a build; with "save" also (or only) save the choice as a template; with
    "outline" only show the chapters the choices give."""
    form = ReportForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if "outline" in request.POST:  # show the chapters, build nothing
                outline = services.report_outline(
                    user=request.user,
                    recommendations=data["recommendations"],
                    **form.service_kwargs(),
                )
                return _report_list(request, form, outline=outline)
            template = None
            if request.POST.get("save"):
                template = services.template_create(
                    user=request.user,
                    owner=data["owner"],
                    title=data["title"],
                    visibility=data["visibility"],
                    **form.service_kwargs(),
                )
                if request.POST.get("save") == "only":
                    messages.success(request, _("Mallen är sparad."))
                    return redirect(template)
            report = services.generated_report_start(
                user=request.user,
                owner=data["owner"],
                fmt=data["format"],
                template=template,
                public_data=data["public_data"],
                recommendations=data["recommendations"],
                **form.service_kwargs(),
            )
            return redirect(report)
        except ValidationError as exc:
            add_form_errors(form, exc)
    return _report_list(request, form, status=400)


def _report_list(
    request: HttpRequest, form: ReportForm, *, outline: Any = None, status: int = 200
) -> HttpResponse:
    """The reports page with a bound form: its errors, or the outline it asked for."""
    return render(
        request,
        "reports/report_list.html",
        {
            "templates": selectors.template_list(user=request.user),
            "reports": selectors.generated_list(user=request.user)[:50],
            "form": form,
            "can_create": True,
            "outline": outline,
        },
        status=status,
    )


def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The template's report as HTML in the app, built now for the reader."""
    template = selectors.template_get(user=request.user, pk=pk)
    report = services.report_build(
        scope=Scope(template.kind, template.county, template.network),
        period=Period(template.year_start, template.year_end),
        sections=services.sections_resolve(kind=template.kind, codes=template.sections),
        user=request.user,
    )
    return render(
        request,
        "reports/template_detail.html",
        {
            "template": template,
            "document": mark_safe(render_html(report, standalone=False)),  # noqa: S308 (escaped) # nosec B308, B703
            "can_write": tenancy.can_write(request.user, template),
            "formats": CONTENT_TYPES.keys(),
        },
    )


@login_required
@require_POST
def template_generate(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    try:
        report = services.generated_report_start(
            user=request.user,
            owner=template.owner,
            kind=template.kind,
            fmt=request.POST.get("format", "pdf"),
            county=template.county,
            network=template.network,
            year_start=template.year_start,
            year_end=template.year_end,
            sections=template.sections,
            template=template,
            public_data=bool(request.POST.get("public_data")),
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(template)
    return redirect(report)


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    services.template_delete(user=request.user, template=template)
    messages.success(request, _("Mallen är borttagen."))
    return redirect("reports:list")


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.generated_get(user=request.user, pk=pk)
    return render(
        request,
        "reports/report_detail.html",
        {"report": report, "job": report.job, "can_write": tenancy.can_write(request.user, report)},
    )


def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.generated_get(user=request.user, pk=pk)
    if not report.is_done:
        return HttpResponse(_("Rapporten är inte färdig än."), status=409)
    response = HttpResponse(bytes(report.content or b""), content_type=CONTENT_TYPES[report.format])
    disposition = "inline" if report.format in ("html", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report.filename}"'
    response["ETag"] = f'"{report.content_hash}"'
    if report.format == "html":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.generated_get(user=request.user, pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.generated_report_publish(user=request.user, report=report, publish=publish)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Rapporten visas på organisationens sida.")
            if publish
            else _("Rapporten är inte längre publicerad."),
        )
    return redirect(report)


@login_required
@require_POST
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.generated_get(user=request.user, pk=pk)
    services.generated_report_delete(user=request.user, report=report)
    messages.success(request, _("Rapporten är borttagen."))
    return redirect("reports:list")
