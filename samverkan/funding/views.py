"""Web pages of the funding workflow: thin adapters over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.forms import add_form_errors
from samverkan.core import tenancy
from samverkan.core.models import Job
from samverkan.funding import access, letters, selectors
from samverkan.funding.forms import (
    ApplicationForm,
    AttachmentForm,
    CallForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    ReportForm,
    ScoreForm,
)
from samverkan.funding.models import (
    Application,
    ApplicationStatus,
    Attachment,
    ConflictDeclaration,
    Decision,
    FundingReport,
    Outcome,
    Perspective,
)
from samverkan.funding.services import (
    applications,
    assessment,
    attachments,
    calls,
    common,
    decisions,
    reporting,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": DOCX_TYPE,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


def _download(data: bytes | memoryview, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    safe = filename.replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/call_list.html",
        {
            "calls": selectors.calls_readable(request.user),
            "my_applications": selectors.applications_of_user(request.user),
            "can_create": request.user.is_authenticated
            and bool(tenancy.organisation_ids(request.user, tenancy.WRITE_ROLES)),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        counties = data.pop("eligible_counties")
        try:
            call = calls.call_create(
                user=request.user, owner=owner, eligible_counties=counties, **data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Utlysningen är sparad som utkast."))
            return redirect(call)
    return render(request, "funding/call_form.html", {"form": form})


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    form = CallForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        counties = data.pop("eligible_counties")
        try:
            calls.call_update(call=call, user=request.user, eligible_counties=counties, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect(call)
    return render(request, "funding/call_form.html", {"form": form, "call": call})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    is_funder = access.is_funder(request.user, call)
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "counties": call.eligible_counties.all(),
            "is_funder": is_funder,
            "applications": selectors.applications_for_call(user=request.user, call=call),
            "criterion_form": CriterionForm() if is_funder else None,
            "criterion_rule": calls.criterion_rule() if is_funder else "",
            "can_apply": request.user.is_authenticated and call.status == "open",
        },
    )


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            calls.criterion_add(
                call=call, user=request.user, spec=calls.CriterionSpec(**form.cleaned_data)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Kriteriet sparades inte: kontrollera fälten."))
    return redirect(call)


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = access.criterion_get_for_funder(request.user, pk)
    form = CriterionForm(
        request.POST or None,
        initial={
            "title": criterion.title,
            "weight": criterion.weight,
            "guidance": criterion.guidance,
            "perspective": criterion.perspective,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            calls.criterion_update(criterion=criterion, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            criterion.refresh_from_db()
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Kriteriet är ändrat."))
            return redirect(criterion.call)
    return render(
        request,
        "funding/criterion_form.html",
        {
            "form": form,
            "criterion": criterion,
            "call": criterion.call,
            "scored": criterion.scores.count(),
            "rule": calls.criterion_rule(),
        },
    )


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = access.criterion_get_for_funder(request.user, pk)
    call = criterion.call
    try:
        calls.criterion_remove(criterion=criterion, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kriteriet är borttaget."))
    return redirect(call)


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    try:
        calls.call_publish(call=call, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(call)


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
    if request.method == "POST" and form.is_valid():
        try:
            applications.application_update(
                application=application, user=request.user, **form.service_arguments()
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
        upload = form.cleaned_data["file"]
        if upload.size > attachments.MAX_ATTACHMENT_BYTES:
            messages.error(request, _("Bilagan är för stor (högst 10 MB)."))
            return redirect(application)
        try:
            attachments.attachment_add(
                application=application,
                user=request.user,
                filename=upload.name,
                data=upload.read(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Välj en fil."))
    return redirect(application)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    access.application_get_readable(request.user, attachment.application_id)
    return _download(
        attachment.content, attachment.filename, ATTACHMENT_TYPES[attachment.file_type]
    )


@login_required
@require_POST
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_for_funder(request.user, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        assessment.conflict_declare(
            application=application,
            user=request.user,
            has_conflict=form.cleaned_data["has_conflict"],
            note=form.cleaned_data["note"],
        )
    return redirect(application)


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_for_funder(request.user, pk)
    reason = assessment.assessor_conflict_reason(application=application, user=request.user)
    existing = {
        s.criterion_id: s for s in application.scores.filter(assessor=tenancy.db_user(request.user))
    }
    form = ScoreForm(
        request.POST or None, criteria=application.call.criteria.all(), existing=existing
    )
    if request.method == "POST" and not reason and form.is_valid():
        try:
            assessment.scores_set(application=application, user=request.user, scores=form.scores())
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Bedömningen är sparad."))
            return redirect(application)
    return render(
        request,
        "funding/assess.html",
        {"application": application, "form": form, "reason": reason},
        status=403 if reason and request.method == "POST" else 200,
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.application_get_for_funder(request.user, pk)
    decision = Decision.objects.filter(application=application).first()
    initial = (
        {
            "outcome": decision.outcome,
            "amount": decision.amount,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
        }
        if decision
        else {"amount": application.requested_amount}
    )
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decision_make(application=application, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Beslutet är sparat."))
            return redirect(application)
    return render(
        request,
        "funding/decide.html",
        {
            "application": application,
            "form": form,
            "granted": decisions.granted_total(application.call, excluding=application),
        },
    )


def _decision_for_letter(request: HttpRequest, pk: int) -> Decision:
    application = access.application_get_readable(request.user, pk)
    decision = Decision.objects.filter(application=application).first()
    if decision is None:
        raise Http404
    return decision


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for_letter(request, pk)
    data = decision.letter_pdf or letters.letter_pdf(decision.application)
    return _download(data, f"beslut-{pk}.pdf", "application/pdf")


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for_letter(request, pk)
    data = decision.letter_docx or letters.letter_docx(decision.application)
    return _download(data, f"beslut-{pk}.docx", DOCX_TYPE)


RANKING_PAGE = 100


def _ranking_rows(ranking: selectors.Ranking, start: int = 0, stop: int | None = None) -> str:
    """The ranked rows as HTML, built in Python: a call may have thousands of applications and
    a template loop with filters per cell costs ten times as much."""
    base = reverse("funding:application", args=[0])[: -len("0/")]
    outcomes = dict(Outcome.choices)
    cut = '<tr class="cut-line"><td colspan="8"><strong>{}</strong></td></tr>'.format(
        escape(_("Budgeten räcker hit"))
    )
    parts: list[str] = []
    stop = len(ranking.rows) if stop is None else min(stop, len(ranking.rows))
    for index in range(start, stop):
        r = ranking.rows[index]
        parts.append(
            format_html(
                '<tr{}><td>{}</td><th scope="row"><a href="{}{}/">{}</a></th><td>{}</td>'
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                mark_safe(' class="below-cut"') if not r.within_budget else "",  # nosec B308 (reviewed: values escaped)
                index + 1,
                base,
                r.pk,
                r.title,
                r.owner,
                "–" if r.total is None else f"{r.total:.2f}",
                r.assessors,
                common.kr(r.requested),
                common.kr(r.cumulative),
                f"{outcomes.get(r.outcome, '')} {common.kr(r.granted) if r.granted else ''}",
            )
        )
        if index == ranking.cut_after:
            parts.append(cut)
    return mark_safe("".join(parts))  # noqa: S308  (every value above is escaped by format_html) # nosec B308, B703


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking a page of ``RANKING_PAGE`` rows at a time (``?sida=alla`` shows every row):
    the order, cumulative sums and cut line are computed over all applications, only the rows
    shown are rendered."""
    call = access.call_get_for_funder(request.user, pk)
    result = selectors.call_ranking(call=call)
    pages = max(1, -(-len(result.rows) // RANKING_PAGE))
    raw = request.GET.get("sida", "")
    if raw == "alla":
        page, start, stop = 0, 0, len(result.rows)
    else:
        page = min(max(int(raw), 1), pages) if raw.isdigit() else 1
        start, stop = (page - 1) * RANKING_PAGE, page * RANKING_PAGE
    cut_page = None if result.cut_after is None else result.cut_after // RANKING_PAGE + 1
    return render(
        request,
        "funding/ranking.html",
        {
            "call": call,
            "ranking": result,
            "rows": _ranking_rows(result, start, stop),
            "page": page,
            "pages": range(1, pages + 1) if pages > 1 else (),
            "cut_page": cut_page,
            "first": start + 1,
            "last": min(stop, len(result.rows)),
        },
    )


@login_required
def letters_generate(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    if request.method == "POST":
        try:
            decisions.decision_letters_enqueue(call=call, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("funding:letters", pk=call.pk)
    jobs = Job.objects.filter(name="funding.decision_letters", kwargs__call_id=call.pk)[:5]
    return render(request, "funding/letters.html", {"call": call, "jobs": jobs})


@login_required
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_get_for_funder(request.user, pk)
    return render(
        request,
        "funding/portfolio.html",
        {
            "call": call,
            "portfolio": selectors.call_portfolio(call=call),
            "overdue": selectors.reports_overdue(call=call),
            "overspent": selectors.reports_overspent(call=call),
        },
    )


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
