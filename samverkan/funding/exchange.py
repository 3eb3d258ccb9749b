"""Calls as JSON (nested: criteria, applications with budget, scores, decision and reports) or
XLSX (one sheet per level, linked by ids), and the import of the JSON/CSV call rows.

Export shows what the user may read: calls by visibility, applications through
``access.applications_readable``, and scores only to the funder. Import creates calls with
their criteria (applications belong to other organisations and are not imported); nested
criteria come back from the JSON reader as Python literal text and are parsed with
``ast.literal_eval`` (literals only).
"""

from __future__ import annotations

import ast
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, OrganisationKind
from samverkan.core import tenancy
from samverkan.core.exchange import (
    Column,
    Exporter,
    Importer,
    RowError,
    register_exporter,
    register_importer,
)
from samverkan.core.models import Visibility
from samverkan.core.tables import Table
from samverkan.funding import access
from samverkan.funding.models import (
    Application,
    Call,
    CallStatus,
    Criterion,
    FundingReport,
    Perspective,
    Score,
)
from samverkan.geo.models import County

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
)
SCORE_COLUMNS = ("application_id", "criterion", "assessor", "score", "comment")
DECISION_COLUMNS = ("application_id", "outcome", "amount", "conditions", "reasons", "decided_at")
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
                Application.objects.select_related("owner", "county", "decision"), user
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


def application_record(a: Application, *, with_scores: bool) -> dict[str, Any]:
    decision = getattr(a, "decision", None)
    return {
        "id": a.pk,
        "call_id": a.call_id,
        "owner_code": a.owner.code,
        "title": a.title,
        "summary": a.summary,
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
        for call in _calls(user, options):
            with_scores = access.is_funder(user, call)
            yield {
                **call_record(call),
                "criteria": [criterion_record(c) for c in call.criteria.all()],
                "applications": [
                    application_record(a, with_scores=with_scores) for a in call.applications.all()
                ],
            }

    def sheets(
        self, *, user: Any, options: dict[str, Any]
    ) -> list[tuple[str, tuple[str, ...], Iterable[dict[str, Any]]]]:
        records = list(self.json_records(user=user, options=options))
        applications = [a for r in records for a in r["applications"]]
        return [
            ("Utlysningar", CALL_COLUMNS, records),
            ("Kriterier", CRITERION_COLUMNS, [c for r in records for c in r["criteria"]]),
            ("Ansökningar", APPLICATION_COLUMNS, applications),
            ("Bedömningar", SCORE_COLUMNS, [s for a in applications for s in a["scores"]]),
            ("Beslut", DECISION_COLUMNS, [a["decision"] for a in applications if a["decision"]]),
            ("Återrapporter", REPORT_COLUMNS, [r for a in applications for r in a["reports"]]),
        ]


# --- import -----------------------------------------------------------------------------------


@dataclass
class PreparedCall:
    call: Call
    counties: list[County] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)


def _literal(value: str) -> Any:
    if value in ("", "[]"):
        return []
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return [part.strip() for part in value.split(";") if part.strip()]


@register_importer
class CallImporter(Importer):
    kind = "calls"
    label = "Utlysningar"
    columns = (
        Column("title", required=True, help="Utlysningens titel"),
        Column("owner_code", help="Finansiärens kod (annars den du agerar för)"),
        Column("budget", required=True, help="Budget i kronor"),
        Column(
            "deadline", required=True, help="Sista ansökningsdag, ÅÅÅÅ-MM-DDTTT:MM (svensk tid)"
        ),
        *(
            Column(c)
            for c in CALL_COLUMNS
            if c not in ("title", "owner_code", "budget", "deadline")
        ),
        Column("criteria", help="Kriterier (JSON-lista med title, weight, guidance, perspective)"),
        Column("applications", help="Ignoreras vid import"),
    )

    def prepare(
        self, table: Table, *, user: Any, acting_for: Any
    ) -> tuple[list[Any], list[RowError]]:
        errors: list[RowError] = []
        prepared: list[PreparedCall] = []
        counties = {c.code: c for c in County.objects.all()}
        for number, row in table.rows:
            fail = lambda column, message, n=number: errors.append(RowError(n, column, message))  # noqa: E731
            owner = acting_for
            if row.get("owner_code"):
                owner = Organisation.objects.filter(code=row["owner_code"]).first()
                if owner is None:
                    fail("owner_code", _("okänd organisation ”%s”") % row["owner_code"])
                    continue
            if owner is None:
                fail("owner_code", _("ange finansiär eller den organisation du agerar för"))
                continue
            if not tenancy.can_act_for(user, owner.pk):
                fail("owner_code", _("du kan inte importera utlysningar för %s") % owner)
                continue
            budget = row.get("budget", "").replace(" ", "")
            if not budget.isdigit():
                fail("budget", _("”%s” är inget belopp i kronor") % row.get("budget", ""))
            try:
                deadline = parse_datetime(row.get("deadline", ""))
            except ValueError:
                deadline = None
            if deadline is None:
                fail("deadline", _("ogiltig tidpunkt ”%s”") % row.get("deadline", ""))
            elif timezone.is_naive(deadline):
                deadline = timezone.make_aware(deadline)
            kinds = _literal(row.get("eligible_kinds", ""))
            bad = [k for k in kinds if k not in OrganisationKind.values]
            if bad:
                fail("eligible_kinds", _("okänd organisationstyp: %s") % ", ".join(bad))
            perspectives = _literal(row.get("required_perspectives", ""))
            bad = [p for p in perspectives if p not in Perspective.values]
            if bad:
                fail("required_perspectives", _("okänt perspektiv: %s") % ", ".join(bad))
            call_counties = []
            for code in _literal(row.get("eligible_counties", "")):
                if str(code) not in counties:
                    fail("eligible_counties", _("okänd länskod ”%s”") % code)
                else:
                    call_counties.append(counties[str(code)])
            dates: dict[str, datetime.date | None] = {}
            for column in ("period_start", "period_end"):
                raw = row.get(column, "")
                try:
                    dates[column] = datetime.date.fromisoformat(raw[:10]) if raw else None
                except ValueError:
                    fail(column, _("ogiltigt datum ”%s” (skriv ÅÅÅÅ-MM-DD)") % raw)
            criteria = []
            raw_criteria = _literal(row.get("criteria", ""))
            if not isinstance(raw_criteria, list) or not all(
                isinstance(c, dict) for c in raw_criteria
            ):
                fail("criteria", _("ska vara en lista av objekt"))
                raw_criteria = []
            for i, c in enumerate(raw_criteria, start=1):
                weight = str(c.get("weight", 1))
                if not weight.isdigit() or int(weight) < 1:
                    fail(f"criteria[{i}].weight", _("vikten måste vara ett heltal ≥ 1"))
                    continue
                if c.get("perspective") and c["perspective"] not in Perspective.values:
                    fail(f"criteria[{i}].perspective", _("okänt perspektiv"))
                    continue
                if not str(c.get("title", "")).strip():
                    fail(f"criteria[{i}].title", _("titel saknas"))
                    continue
                criteria.append(
                    Criterion(
                        position=i,
                        title=str(c["title"])[:300],
                        weight=int(weight),
                        guidance=str(c.get("guidance", "")),
                        perspective=str(c.get("perspective") or ""),
                    )
                )
            if (errors and errors[-1].row == number) or deadline is None:
                continue
            status = row.get("status") or CallStatus.DRAFT
            if status not in CallStatus.values:
                fail("status", _("okänd status ”%s”") % status)
                continue
            call = Call(
                owner=owner,
                title=row["title"][:300],
                purpose=row.get("purpose", ""),
                budget=int(budget),
                eligible_kinds=kinds,
                required_perspectives=perspectives,
                period_start=dates.get("period_start"),
                period_end=dates.get("period_end"),
                deadline=deadline,
                status=status,
                visibility=Visibility.PUBLIC if status == CallStatus.OPEN else Visibility.PRIVATE,
                source=row.get("source", ""),
            )
            prepared.append(PreparedCall(call, call_counties, criteria))
        return prepared, errors

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        for item in prepared:
            item.call.save()
            item.call.eligible_counties.set(item.counties)
            for criterion in item.criteria:
                criterion.call = item.call
            Criterion.objects.bulk_create(item.criteria)
        return len(prepared), 0
