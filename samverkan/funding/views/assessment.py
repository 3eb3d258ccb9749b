"""Pages of the funder: conflict of interest, scores, decisions, ranking, decision letters
and the portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import tenancy
from samverkan.core.forms import add_form_errors
from samverkan.core.params import query_int
from samverkan.funding import access, letters, selectors
from samverkan.funding.downloads import file_response
from samverkan.funding.forms import ConflictForm, DecisionForm, ScoreForm
from samverkan.funding.models import Decision, Outcome
from samverkan.funding.services import assessment, common, decisions


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


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for_letter(user=request.user, pk=pk)
    return file_response(*letters.letter_file(decision, "pdf"))


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for_letter(user=request.user, pk=pk)
    return file_response(*letters.letter_file(decision, "docx"))


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
        page = max(query_int(raw, default=1, maximum=pages), 1)
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
    jobs = selectors.letter_jobs(call=call)
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
