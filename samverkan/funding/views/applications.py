"""Pages of the applicant: applications, attachments and reports back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_form_errors
from samverkan.core.versioning import (
    EditConflict,
    edit_conflict_response,
    version_field_add,
    version_taken,
)
from samverkan.funding import access, selectors
from samverkan.funding.downloads import file_response
from samverkan.funding.forms import ApplicationForm, AttachmentForm, ConflictForm, ReportForm
from samverkan.funding.models import (
    Application,
    ApplicationStatus,
    ConflictDeclaration,
    Decision,
    FundingReport,
    Perspective,
)
from samverkan.funding.services import applications, assessment, attachments, reporting


@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    form = ApplicationForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.application_create(
                user=request.user,
                call=call,
                owner=form.cleaned_data["owner"],
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect(application)
    return render(request, "funding/application_form.html", {"form": form, "call": call})


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_writable(request.user, pk)
    form = ApplicationForm(
        request.POST or None, user=request.user, call=application.call, application=application
    )
    version_field_add(form, application)
    if request.method == "POST" and form.is_valid():
        expected_version = version_taken(form)
        try:
            applications.application_update(
                application=application,
                user=request.user,
                expected_version=expected_version,
                **form.service_arguments(),
            )
        except EditConflict as conflict:
            return edit_conflict_response(
                request,
                form=form,
                record=application,
                conflict=conflict,
                cancel_url=application.get_absolute_url(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect(application)
    return render(
        request,
        "funding/application_form.html",
        {"form": form, "call": application.call, "application": application},
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_readable(request.user, pk)
    call = application.call
    is_applicant = access.is_applicant(request.user, application)
    is_funder = application.is_submitted and access.is_funder(request.user, call)
    decision = Decision.objects.filter(application=application).first()
    context: dict[str, Any] = {
        "application": application,
        "call": call,
        "is_applicant": is_applicant,
        "is_funder": is_funder,
        "partners": application.partners.select_related("organisation"),
        "budget_lines": application.budget_lines.all(),
        "co_financing": application.co_financing.all(),
        "indicators": application.indicators.all(),
        "attachments": application.attachments.defer("content"),
        "perspectives": [
            (
                label,
                (application.perspectives or {}).get(value, ""),
                value in call.required_perspectives,
            )
            for value, label in Perspective.choices
        ],
        "similar": selectors.application_similar(user=request.user, application=application),
        "decision": decision,
        "reports": application.reports.all(),
        "can_withdraw": is_applicant and not application.is_withdrawn and decision is None,
        "history_label": Application._meta.label_lower,
        "attachment_form": AttachmentForm()
        if is_applicant and application.status == ApplicationStatus.DRAFT
        else None,
    }
    if is_funder:
        totals = selectors.weighted_totals(call.pk).get(application.pk)
        context.update(
            {
                "scores": application.scores.select_related("criterion", "assessor"),
                "weighted_total": totals[0] if totals else None,
                "conflict_reason": assessment.assessor_conflict_reason(
                    application=application, user=request.user
                ),
                "conflict_form": ConflictForm(),
                "declarations": ConflictDeclaration.objects.filter(
                    application=application
                ).select_related("assessor"),
            }
        )
    return render(request, "funding/application_detail.html", context)


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_writable(request.user, pk)
    try:
        applications.application_submit(application=application, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ansökan är inskickad."))
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_writable(request.user, pk)
    try:
        applications.application_withdraw(
            application=application, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Ansökan är återtagen. Den finns kvar och kan återställas från historiken."),
        )
    return redirect(application)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_writable(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachments.attachment_upload(
                application=application, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Välj en fil."))
    return redirect(application)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.attachment_get_readable(request.user, pk, with_content=True)
    return file_response(
        attachment.content, attachment.filename, attachments.CONTENT_TYPES[attachment.file_type]
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.attachment_get_readable(request.user, pk)
    application = attachment.application
    try:
        attachments.attachment_remove(attachment=attachment, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Bilagan är borttagen."))
    return redirect(application)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    funding_report = get_object_or_404(FundingReport, pk=pk)
    application = access.application_get_readable(request.user, funding_report.application_id)
    is_applicant = access.is_applicant(request.user, application)
    form = None
    if is_applicant and funding_report.submitted_at is None:
        form = ReportForm(request.POST or None, indicators=application.indicators.all())
        if request.method == "POST" and form.is_valid():
            try:
                reporting.report_submit(
                    report=funding_report,
                    user=request.user,
                    progress=form.cleaned_data["progress"],
                    money_spent=form.cleaned_data["money_spent"],
                    results=form.results(),
                    reach=form.reach(),
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Återrapporten är inlämnad."))
                return redirect(application)
    elif request.method == "POST":
        raise PermissionDenied
    indicators = application.indicators.all()
    granted = reporting.report_granted_amount(funding_report)
    return render(
        request,
        "funding/report.html",
        {
            "report": funding_report,
            "granted": granted,
            "overspend": reporting.report_overspend_note(funding_report, granted),
            "application": application,
            "form": form,
            "results": [(i, funding_report.results.get(str(i.pk))) for i in indicators],
        },
    )
