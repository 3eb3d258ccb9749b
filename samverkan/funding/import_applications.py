"""The application level of the calls import: each application with its budget, partners,
indicators, scores, decision and reports checked (``application_prepare``), and written
(``application_write``)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.funding.import_checks import (
    Checker,
    PreparedApplication,
    Where,
    child_where,
    literal,
    text_of,
)
from samverkan.funding.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    ApplicationPartner,
    ApplicationStatus,
    BudgetLine,
    Call,
    CoFinancing,
    Criterion,
    Decision,
    FundingReport,
    Outcome,
    Perspective,
    PromisedIndicator,
    ReportKind,
    Score,
)
from samverkan.funding.services.applications import application_project_create, budget_check
from samverkan.funding.services.common import kr
from samverkan.projects.exchange import project_title_key
from samverkan.projects.models import ParticipantRole, Project


def application_prepare(
    check: Checker,
    where: Where,
    a: dict[str, Any],
    call: Call,
    criterion_titles: set[str],
) -> PreparedApplication | None:
    before = len(check.errors)
    owner = check.organisation(where, "owner_code", a.get("owner_code"))
    title = text_of(a.get("title"))
    if not title:
        check.fail(where, "title", _("titel saknas"))
    county = None
    if text_of(a.get("county")):
        county = check.counties.get(text_of(a.get("county")))
        if county is None:
            check.fail(where, "county", _("okänd länskod ”%s”") % a.get("county"))
    status = text_of(a.get("status")) or ApplicationStatus.DRAFT
    if status not in ApplicationStatus.values:
        check.fail(where, "status", _("okänd status ”%s”") % status)
    perspectives = literal(a.get("perspectives") or {})
    if perspectives == []:
        perspectives = {}
    if not isinstance(perspectives, dict) or set(perspectives) - set(Perspective.values):
        check.fail(where, "perspectives", _("ska vara ett objekt med kända perspektiv"))
        perspectives = {}
    application = Application(
        call=call,
        owner=owner,
        visibility=Visibility.PRIVATE,
        title=title[:300],
        summary=text_of(a.get("summary")),
        description=text_of(a.get("description")),
        expected_results=text_of(a.get("expected_results")),
        start_date=check.date(where, "start_date", a.get("start_date")),
        end_date=check.date(where, "end_date", a.get("end_date")),
        perspectives=perspectives,
        county=county,
        status=status,
        submitted_at=check.moment(where, "submitted_at", a.get("submitted_at")),
        total_budget=check.integer(where, "total_budget", a.get("total_budget")) or 0,
        requested_amount=check.integer(where, "requested_amount", a.get("requested_amount")) or 0,
    )
    item = PreparedApplication(application)
    for i, line in enumerate(check.objects(where, "budget_lines", a.get("budget_lines")), 1):
        amount = check.integer(where, f"budget_lines[{i}].amount", line.get("amount"))
        item.budget_lines.append(
            BudgetLine(position=i, item=text_of(line.get("item"))[:200], amount=amount or 0)
        )
    for i, line in enumerate(check.objects(where, "co_financing", a.get("co_financing")), 1):
        amount = check.integer(where, f"co_financing[{i}].amount", line.get("amount"))
        item.co_financing.append(
            CoFinancing(funder=text_of(line.get("funder"))[:200], amount=amount or 0)
        )
    try:
        budget_check(
            total=application.total_budget,
            requested=application.requested_amount,
            lines=[(b.item, b.amount) for b in item.budget_lines],
            co_financing=[(c.funder, c.amount) for c in item.co_financing],
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            check.fail(where, name, " ".join(messages))
    for i, p in enumerate(check.objects(where, "partners", a.get("partners")), 1):
        organisation = check.organisation(
            where, f"partners[{i}].organisation_code", p.get("organisation_code")
        )
        role = text_of(p.get("role"))
        if role not in ParticipantRole.values:
            check.fail(where, f"partners[{i}].role", _("okänd roll ”%s”") % role)
        elif organisation is not None:
            item.partners.append(ApplicationPartner(organisation=organisation, role=role))
    for i, ind in enumerate(check.objects(where, "indicators", a.get("indicators")), 1):
        try:
            target = Decimal(text_of(ind.get("target")))
        except InvalidOperation:
            check.fail(where, f"indicators[{i}].target", _("målvärdet ska vara ett tal"))
            continue
        item.indicators.append(
            (
                text_of(ind.get("id")) or f"#{i}",
                PromisedIndicator(
                    name=text_of(ind.get("name"))[:200],
                    unit=text_of(ind.get("unit"))[:50],
                    target=target,
                ),
            )
        )
    _project(check, where, a, item)
    _scores(check, where, a, item, criterion_titles)
    _decision(check, where, a, item)
    _reports(check, where, a, item)
    return item if len(check.errors) == before else None


def _project(check: Checker, where: Where, a: dict[str, Any], item: PreparedApplication) -> None:
    """The application's knowledge-bank project by the project exchange's key (owner code and
    title): the one project by that key the importer may read, or a new one made from the
    application if there is none; refused if there are several."""
    owner_code = text_of(a.get("project_owner_code"))
    title = text_of(a.get("project_title"))
    if not owner_code and not title:
        return
    if not owner_code or not title:
        check.fail(
            where,
            "project_title" if owner_code else "project_owner_code",
            _("ange både project_owner_code och project_title, eller ingen av dem"),
        )
        return
    key = project_title_key(title)
    found = check.readable_projects(owner_code).get(key, [])
    if len(found) > 1:
        check.fail(
            where,
            "project_title",
            _(
                "tvetydig projektlänk: %(owner)s har %(n)d projekt som heter ”%(title)s” "
                "(id %(ids)s); ge dem olika titlar så att länken pekar ut ett"
            )
            % {
                "owner": owner_code,
                "n": len(found),
                "title": title,
                "ids": ", ".join(str(p.pk) for p in found),
            },
        )
    elif found:
        item.project = found[0]
    else:
        item.new_project = (owner_code, key)


def _scores(
    check: Checker,
    where: Where,
    a: dict[str, Any],
    item: PreparedApplication,
    criterion_titles: set[str],
) -> None:
    for i, s in enumerate(check.objects(where, "scores", a.get("scores")), 1):
        at = child_where(where, s, f"scores[{i}]")
        title = text_of(s.get("criterion"))
        if title not in criterion_titles:
            check.fail(at, "criterion", _("inget kriterium ”%s” i utlysningen") % title)
        assessor = check.user(at, "assessor", s.get("assessor"))
        value = check.integer(at, "score", s.get("score"), blank=None)
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            check.fail(
                at,
                "score",
                _("poängen ska vara %(low)d–%(high)d") % {"low": SCORE_MIN, "high": SCORE_MAX},
            )
            continue
        if assessor is None:
            continue
        if item.application.owner_id in tenancy.organisation_ids(assessor):
            check.fail(at, "assessor", _("bedömaren är medlem i den sökande organisationen"))
        item.scores.append(
            (title, Score(assessor=assessor, score=value, comment=text_of(s.get("comment"))))
        )


def _decision(check: Checker, where: Where, a: dict[str, Any], item: PreparedApplication) -> None:
    raw = literal(a.get("decision")) if a.get("decision") not in (None, "") else None
    if raw in (None, []):
        return
    at = child_where(where, raw if isinstance(raw, dict) else {}, "decision")
    if not isinstance(raw, dict):
        check.fail(at, "", _("ska vara ett objekt"))
        return
    outcome = text_of(raw.get("outcome"))
    if outcome not in Outcome.values:
        check.fail(at, "outcome", _("okänt beslut ”%s”") % outcome)
        return
    amount = check.integer(at, "amount", raw.get("amount")) or 0
    requested = item.application.requested_amount
    if outcome == Outcome.REJECTED:
        amount = 0
    elif amount > requested:
        check.fail(
            at,
            "amount",
            _("beviljat belopp %(a)s är större än sökt %(r)s")
            % {"a": kr(amount), "r": kr(requested)},
        )
    decided_at = check.moment(at, "decided_at", raw.get("decided_at")) or timezone.now()
    if item.application.status != ApplicationStatus.SUBMITTED:
        check.fail(at, "outcome", _("bara inskickade ansökningar kan ha beslut"))
    item.decision = Decision(
        outcome=outcome,
        amount=amount,
        conditions=text_of(raw.get("conditions")),
        reasons=text_of(raw.get("reasons")),
        decided_at=decided_at,
    )


def _reports(check: Checker, where: Where, a: dict[str, Any], item: PreparedApplication) -> None:
    indicator_ids = {key for key, _indicator in item.indicators}
    for i, r in enumerate(check.objects(where, "reports", a.get("reports")), 1):
        at = child_where(where, r, f"reports[{i}]")
        kind = text_of(r.get("kind"))
        if kind not in ReportKind.values:
            check.fail(at, "kind", _("okänd rapporttyp ”%s”") % kind)
        due = check.date(at, "due_date", r.get("due_date"))
        if due is None and not text_of(r.get("due_date")):
            check.fail(at, "due_date", _("datum saknas"))
        results = literal(r.get("results") or {})
        if results == []:
            results = {}
        if not isinstance(results, dict):
            check.fail(at, "results", _("ska vara ett objekt indikator-id → värde"))
            results = {}
        unknown = sorted(str(k) for k in results if str(k) not in indicator_ids)
        if unknown:
            check.fail(at, "results", _("okända indikatorer: %s") % ", ".join(unknown))
        item.reports.append(
            FundingReport(
                kind=kind,
                due_date=due or datetime.date.today(),
                submitted_at=check.moment(at, "submitted_at", r.get("submitted_at")),
                money_spent=check.integer(at, "money_spent", r.get("money_spent"), blank=None),
                progress=text_of(r.get("progress")),
                results={str(k): str(v) for k, v in results.items()},
            )
        )


def application_write(
    item: PreparedApplication,
    criteria: dict[str, Criterion],
    new_projects: dict[tuple[str, str], Project],
) -> None:
    """Write one prepared application with everything under it; ``new_projects`` holds the
    projects made so far in this import, by key, so that each is made once."""
    application = item.application
    if item.project is not None:
        application.project = item.project
    elif item.new_project is not None:
        if item.new_project not in new_projects:
            # the importer is the funder and cannot act for the applicant: a system write,
            # as when a decision records its grant on the applicant's project
            new_projects[item.new_project] = application_project_create(
                application=application,
                user=tenancy.SYSTEM,
                partners=[(p.organisation, p.role) for p in item.partners],
            )
        application.project = new_projects[item.new_project]
    application.save()
    for rows in (item.partners, item.budget_lines, item.co_financing):
        for row in rows:
            row.application = application
    ApplicationPartner.objects.bulk_create(item.partners)
    BudgetLine.objects.bulk_create(item.budget_lines)
    CoFinancing.objects.bulk_create(item.co_financing)
    new_ids: dict[str, str] = {}
    for old_id, indicator in item.indicators:
        indicator.application = application
        indicator.save()
        new_ids[old_id] = str(indicator.pk)
    scores = []
    for title, score in item.scores:
        score.application, score.criterion = application, criteria[title]
        scores.append(score)
    Score.objects.bulk_create(scores)
    if item.decision is not None:
        item.decision.application = application
        item.decision.save()
    for report in item.reports:
        report.application = application
        report.results = {new_ids[k]: v for k, v in report.results.items()}
        report.save()
