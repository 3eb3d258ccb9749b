"""Reads of the funding workflow: calls, the ranked list, similar projects, reports, portfolio."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Case, Count, F, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.core.models import Job
from samverkan.core.reach import ReachSummary, reach_summary
from samverkan.funding import access
from samverkan.funding.models import (
    Application,
    ApplicationStatus,
    Call,
    Decision,
    FundingReport,
    Outcome,
    Score,
)
from samverkan.projects import similarity


def calls_readable(user: Any) -> QuerySet[Call]:
    return tenancy.readable(Call.objects.select_related("owner"), user)


def call_get(*, user: Any, pk: int) -> Call:
    return tenancy.get_readable_or_404(Call.objects.select_related("owner"), user, pk=pk)


def applications_of_user(user: Any) -> QuerySet[Application]:
    """Applications the user's own organisations have made (drafts included)."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Application.owned_by_q(tenancy.organisation_ids(user))
    ).select_related("call", "owner", "decision")


def applications_for_call(*, user: Any, call: Call) -> QuerySet[Application]:
    return access.applications_readable(
        call.applications.select_related("owner", "decision"), user
    ).order_by("title")


@dataclass
class Ranked:
    pk: int
    title: str
    owner: str
    requested: int
    total: float | None  # weighted score on the 0–5 scale; None until scored
    assessors: int
    cumulative: int
    within_budget: bool
    outcome: str = ""
    granted: int = 0


@dataclass
class Ranking:
    call: Call
    rows: list[Ranked]
    budget: int
    granted: int
    cut_after: int | None  # index of the last row within the budget


def weighted_totals(call_id: int) -> dict[int, tuple[float, int]]:
    """Application id → (weighted mean score, number of assessors), in one grouped query:
    Σ(score × criterion weight) / Σ(criterion weight) over every score given."""
    rows = (
        Score.objects.filter(application__call_id=call_id)
        .values("application_id")
        .annotate(
            points=Sum(F("score") * F("criterion__weight")),
            weights=Sum("criterion__weight"),
            assessors=Count("assessor", distinct=True),
        )
    )
    return {
        r["application_id"]: (round(r["points"] / r["weights"], 2), r["assessors"])
        for r in rows
        if r["weights"]
    }


def call_ranking(*, call: Call) -> Ranking:
    """Submitted applications by weighted score (unscored last), with the cumulative requested
    amount and the cut line where the call's budget runs out. Three queries in all."""
    apps = list(
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .values("pk", "title", "owner__name", "requested_amount")
        .order_by("pk")
    )
    totals = weighted_totals(call.pk)
    decisions = {
        d["application_id"]: (d["outcome"], d["amount"])
        for d in Decision.objects.filter(application__call=call).values(
            "application_id", "outcome", "amount"
        )
    }
    apps.sort(key=lambda a: (-(totals.get(a["pk"], (-1.0, 0))[0]), a["requested_amount"], a["pk"]))
    rows: list[Ranked] = []
    cumulative = 0
    cut_after = None
    for index, a in enumerate(apps):
        cumulative += a["requested_amount"]
        within = cumulative <= call.budget
        if within:
            cut_after = index
        total, assessors = totals.get(a["pk"], (None, 0))
        outcome, granted = decisions.get(a["pk"], ("", 0))
        rows.append(
            Ranked(
                a["pk"],
                a["title"],
                a["owner__name"],
                a["requested_amount"],
                total,
                assessors,
                cumulative,
                within,
                outcome,
                granted,
            )
        )
    granted_sum = sum(r.granted for r in rows)
    return Ranking(call, rows, call.budget, granted_sum, cut_after)


def call_ranking_naive(*, call: Call) -> list[tuple[int, float | None]]:
    """The same order computed the obvious way, one query per application: the benchmark's
    baseline."""
    result = []
    for application in Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED):
        scores = list(application.scores.select_related("criterion"))
        weights = sum(s.criterion.weight for s in scores)
        total = sum(s.score * s.criterion.weight for s in scores) / weights if weights else None
        result.append((application.pk, total))
    result.sort(key=lambda r: -(r[1] if r[1] is not None else -1))
    return result


def application_similar(*, user: Any, application: Application, limit: int = 5) -> list[Any]:
    """Existing projects like this application, for applicant and assessor alike; the
    application's own project is left out."""
    if application.project is not None:
        found = similarity.project_similar(
            user=user,
            project=application.project,
            limit=limit + 1,
        )
    else:
        found = similarity.project_similar_to_draft(
            user=user,
            title=application.title,
            text=" ".join([application.summary, application.description]),
            themes=list(application.themes.all()),
            target_groups=list(application.target_groups.all()),
            county=application.county,
            limit=limit + 1,
        )
    return [s for s in found if s.project.pk != application.project_id][:limit]


def decision_for_letter(*, user: Any, pk: int) -> Decision:
    """The decision on application ``pk`` for its letter: whoever may read the application
    reads the letter; 404 if unreadable or not decided."""
    application = access.application_get_readable(user, pk)
    try:
        decision = Decision.objects.get(application=application)
    except Decision.DoesNotExist as exc:
        raise Http404 from exc
    decision.application = application
    return decision


LETTERS_JOB = "funding.decision_letters"


def letter_jobs(*, call: Call, limit: int = 5) -> QuerySet[Job]:
    """The latest runs of the call's decision-letters job, newest first."""
    return Job.objects.filter(name=LETTERS_JOB, kwargs__call_id=call.pk).order_by(
        "-created_at", "-pk"
    )[:limit]


def letter_job_get(*, user: Any, pk: int) -> Job:
    """A decision-letters job, for the funder who may run it (as the letters page); 404 for
    everyone else, as for an id that does not exist, so that job ids reveal nothing."""
    job = Job.objects.filter(name=LETTERS_JOB, pk=pk).first()
    if job is None or not isinstance(job.kwargs.get("call_id"), int):
        raise Http404
    try:
        access.call_get_for_funder(user, job.kwargs["call_id"])
    except PermissionDenied as exc:
        raise Http404 from exc
    return job


def reports_overdue(*, call: Call, today: datetime.date | None = None) -> QuerySet[FundingReport]:
    today = today or timezone.localdate()
    return (
        FundingReport.objects.filter(
            application__call=call, submitted_at__isnull=True, due_date__lt=today
        )
        .select_related("application__owner")
        .order_by("due_date")
    )


def reports_readable(user: Any) -> QuerySet[FundingReport]:
    """Reports of the applications ``user`` may read, each with ``granted_amount``: the amount
    granted (0 unless the decision grants money), to set money spent against."""
    readable = access.applications_readable(Application.objects.all(), user).values("pk")
    return FundingReport.objects.filter(application__in=readable).annotate(
        granted_amount=Case(
            When(
                application__decision__outcome__in=[Outcome.GRANTED, Outcome.PARTLY],
                then=F("application__decision__amount"),
            ),
            default=Value(0),
            output_field=BigIntegerField(),
        )
    )


def report_get(*, user: Any, pk: int) -> FundingReport:
    try:
        return reports_readable(user).get(pk=pk)
    except FundingReport.DoesNotExist as exc:
        raise Http404 from exc


def reports_overspent(*, call: Call) -> list[FundingReport]:
    """Submitted reports whose money spent exceeds the amount granted (flagged, not refused:
    see docs/funding.md), with ``granted`` and ``over`` set on each."""
    reports = list(
        FundingReport.objects.filter(
            application__call=call,
            submitted_at__isnull=False,
            application__decision__outcome__in=[Outcome.GRANTED, Outcome.PARTLY],
            money_spent__gt=F("application__decision__amount"),
        )
        .select_related("application__owner", "application__decision")
        .order_by("due_date", "pk")
    )
    for report in reports:
        report.granted = report.application.decision.amount  # type: ignore[attr-defined]
        report.over = report.overspend(report.granted)  # type: ignore[attr-defined]
    return reports


@dataclass
class Portfolio:
    granted_total: int = 0
    granted_count: int = 0
    by_theme: dict[str, int] = field(default_factory=dict)
    by_target_group: dict[str, int] = field(default_factory=dict)
    by_county: dict[str, int] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)
    spent: int = 0
    reach: ReachSummary = field(default_factory=ReachSummary)


def call_portfolio(*, call: Call) -> Portfolio:
    """Money granted per theme, target group and county, and the results reported against the
    indicators promised. An application with two themes counts fully under each."""
    granted = (
        Application.objects.filter(call=call, decision__outcome__in=["granted", "partly"])
        .select_related("decision", "county")
        .prefetch_related("themes", "target_groups", "indicators", "reports")
    )
    portfolio = Portfolio()
    by_theme: dict[str, int] = defaultdict(int)
    by_group: dict[str, int] = defaultdict(int)
    by_county: dict[str, int] = defaultdict(int)
    latest_with_reach = []
    for application in granted:
        amount = application.decision.amount
        portfolio.granted_total += amount
        portfolio.granted_count += 1
        for theme in application.themes.all():
            by_theme[theme.name] += amount
        for group in application.target_groups.all():
            by_group[group.name] += amount
        by_county[application.county.name if application.county else "–"] += amount
        achieved: dict[str, Decimal] = {}
        with_reach = None
        for report in sorted(application.reports.all(), key=lambda r: (r.due_date, r.pk)):
            if report.submitted_at:
                portfolio.spent += report.money_spent or 0
                achieved.update({k: Decimal(v) for k, v in report.results.items()})
                if report.has_reach:
                    with_reach = report
        if with_reach is not None:
            latest_with_reach.append(with_reach)
        for indicator in application.indicators.all():
            portfolio.results.append(
                {
                    "application": application,
                    "indicator": indicator,
                    "achieved": achieved.get(str(indicator.pk)),
                }
            )
    portfolio.by_theme = dict(sorted(by_theme.items(), key=lambda kv: -kv[1]))
    portfolio.by_target_group = dict(sorted(by_group.items(), key=lambda kv: -kv[1]))
    portfolio.by_county = dict(sorted(by_county.items(), key=lambda kv: -kv[1]))
    portfolio.reach = reach_summary(latest_with_reach)
    return portfolio
