"""Calls as JSON (nested: criteria, applications with budget, scores, decision and reports) or
XLSX (one sheet per level, linked by ids); the import is in ``importing``.

Export shows what the user may read: calls by visibility, applications through
``access.applications_readable``, and scores only to the funder.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from samverkan.core import tenancy
from samverkan.core.exchange import (
    Exporter,
    register_exporter,
)
from samverkan.funding import access
from samverkan.funding.models import (
    Application,
    Call,
    Criterion,
    FundingReport,
    Score,
)
from samverkan.projects.models import Project

CALL_COLUMNS = (
    "id",
    "owner_code",
    "title",
    "purpose",
    "budget",
    "eligible_kinds",
    "eligible_counties",
    "required_perspectives",
    "period_start",
    "period_end",
    "deadline",
    "status",
    "source",
)
CRITERION_COLUMNS = ("call_id", "position", "title", "weight", "guidance", "perspective")
APPLICATION_COLUMNS = (
    "id",
    "call_id",
    "owner_code",
    "title",
    "summary",
    "description",
    "expected_results",
    "start_date",
    "end_date",
    "perspectives",
    "county",
    "status",
    "submitted_at",
    "total_budget",
    "requested_amount",
    "budget_lines",
    "co_financing",
    "partners",
    "indicators",
    "project_id",
    "project_owner_code",
    "project_title",
)
SCORE_COLUMNS = ("application_id", "criterion", "assessor", "score", "comment")
DECISION_COLUMNS = ("application_id", "outcome", "amount", "conditions", "reasons", "decided_at")
NESTED_CELLS = ("budget_lines", "co_financing", "partners", "indicators")
REPORT_COLUMNS = (
    "application_id",
    "kind",
    "due_date",
    "submitted_at",
    "money_spent",
    "progress",
    "results",
)


def _iso(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()  # type: ignore[no-any-return]


def _calls(user: Any, options: dict[str, Any]) -> Any:
    calls = tenancy.readable(Call.objects.select_related("owner"), user).prefetch_related(
        "criteria",
        "eligible_counties",
        Prefetch(
            "applications",
            queryset=access.applications_readable(
                Application.objects.select_related("owner", "county", "decision", "project__owner"),
                user,
            )
            .prefetch_related(
                "budget_lines",
                "co_financing",
                "indicators",
                "reports",
                Prefetch("partners__organisation"),
                Prefetch("scores", queryset=Score.objects.select_related("criterion", "assessor")),
            )
            .order_by("pk"),
        ),
    )
    if options.get("owner"):
        calls = calls.filter(owner__code=options["owner"])
    return calls.order_by("pk")


def call_record(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "owner_code": call.owner.code,
        "title": call.title,
        "purpose": call.purpose,
        "budget": call.budget,
        "eligible_kinds": list(call.eligible_kinds),
        "eligible_counties": [c.code for c in call.eligible_counties.all()],
        "required_perspectives": list(call.required_perspectives),
        "period_start": _iso(call.period_start),
        "period_end": _iso(call.period_end),
        "deadline": _iso(call.deadline),
        "status": call.status,
        "source": call.source,
    }


def criterion_record(c: Criterion) -> dict[str, Any]:
    return {
        "call_id": c.call_id,
        "position": c.position,
        "title": c.title,
        "weight": c.weight,
        "guidance": c.guidance,
        "perspective": c.perspective,
    }


def application_record(
    a: Application, *, with_scores: bool, readable_projects: set[int]
) -> dict[str, Any]:
    """One application; its knowledge-bank project by the key the project exchange uses
    (owner and title). The project's own title only if the user may read the project, else
    the application's title, by which the project was linked or created on submission."""
    decision = getattr(a, "decision", None)
    project = a.project
    project_title = ""
    if project is not None:
        project_title = project.title if project.pk in readable_projects else a.title
    return {
        "id": a.pk,
        "call_id": a.call_id,
        "owner_code": a.owner.code,
        "title": a.title,
        "summary": a.summary,
        "description": a.description,
        "expected_results": a.expected_results,
        "start_date": _iso(a.start_date),
        "end_date": _iso(a.end_date),
        "perspectives": dict(a.perspectives or {}),
        "county": a.county.code if a.county else "",
        "status": a.status,
        "submitted_at": _iso(a.submitted_at),
        "total_budget": a.total_budget,
        "requested_amount": a.requested_amount,
        "budget_lines": [{"item": b.item, "amount": b.amount} for b in a.budget_lines.all()],
        "co_financing": [{"funder": c.funder, "amount": c.amount} for c in a.co_financing.all()],
        "partners": [
            {"organisation_code": p.organisation.code, "role": p.role} for p in a.partners.all()
        ],
        "indicators": [
            {"id": i.pk, "name": i.name, "target": str(i.target), "unit": i.unit}
            for i in a.indicators.all()
        ],
        "project_id": a.project_id,
        "project_owner_code": project.owner.code if project else "",
        "project_title": project_title,
        "scores": [
            {
                "application_id": a.pk,
                "criterion": s.criterion.title,
                "assessor": s.assessor.email,
                "score": s.score,
                "comment": s.comment,
            }
            for s in a.scores.all()
        ]
        if with_scores
        else [],
        "decision": {
            "application_id": a.pk,
            "outcome": decision.outcome,
            "amount": decision.amount,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
            "decided_at": _iso(decision.decided_at),
        }
        if decision
        else None,
        "reports": [report_record(r) for r in a.reports.all()],
    }


def report_record(r: FundingReport) -> dict[str, Any]:
    return {
        "application_id": r.application_id,
        "kind": r.kind,
        "due_date": _iso(r.due_date),
        "submitted_at": _iso(r.submitted_at),
        "money_spent": r.money_spent,
        "progress": r.progress,
        "results": dict(r.results),
    }


@register_exporter
class CallExporter(Exporter):
    kind = "calls"
    label = "Utlysningar"
    columns = CALL_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for call in _calls(user, options):
            yield call_record(call)

    def json_records(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        calls = list(_calls(user, options))
        linked = {a.project_id for c in calls for a in c.applications.all() if a.project_id}
        readable_projects = set(
            tenancy.readable(Project.objects.filter(pk__in=linked), user).values_list(
                "pk", flat=True
            )
        )
        for call in calls:
            with_scores = access.is_funder(user, call)
            yield {
                **call_record(call),
                "criteria": [criterion_record(c) for c in call.criteria.all()],
                "applications": [
                    application_record(
                        a, with_scores=with_scores, readable_projects=readable_projects
                    )
                    for a in call.applications.all()
                ],
            }

    def sheets(
        self, *, user: Any, options: dict[str, Any]
    ) -> list[tuple[str, tuple[str, ...], Iterable[dict[str, Any]]]]:
        records = list(self.json_records(user=user, options=options))
        # nested lists of objects as JSON text in their cell, so that import reads them back
        nested = [a for r in records for a in r["applications"]]
        applications: list[dict[str, Any]] = [
            {k: json.dumps(v, ensure_ascii=False) if k in NESTED_CELLS else v for k, v in a.items()}
            for a in nested
        ]
        return [
            ("Utlysningar", CALL_COLUMNS, records),
            ("Kriterier", CRITERION_COLUMNS, [c for r in records for c in r["criteria"]]),
            ("Ansökningar", APPLICATION_COLUMNS, applications),
            ("Bedömningar", SCORE_COLUMNS, [s for a in nested for s in a["scores"]]),
            ("Beslut", DECISION_COLUMNS, [a["decision"] for a in nested if a["decision"]]),
            ("Återrapporter", REPORT_COLUMNS, [r for a in nested for r in a["reports"]]),
        ]
