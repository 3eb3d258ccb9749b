"""Import of calls with everything nested under them: criteria, applications (budget, partners,
indicators), scores, decisions and reports back.

Reads what ``samverkan export calls`` writes: JSON (one object per call, children nested) or
XLSX (one sheet per level, linked by the exported ids). Every row and nested field is checked
first; any error rejects the whole file with the row and a path to the field
(``applications[2].decision.amount`` in JSON, ``Ansökningar rad 3: requested_amount`` in XLSX),
and nothing is written. Then everything is written in one transaction.

Who may import: someone who can act for each call's owner (the funder). The applications are
recreated owned by the applicant organisation named in the file (it must exist): the funder
moves its register of applications to its calls, as the funder also decides them. Scores name
their assessor by e-mail (the user must exist); report results are re-keyed to the new
indicator ids. The knowledge-bank project link is not carried over (the project belongs to the
applicant, who links it again on the next submission).
"""

from __future__ import annotations

import ast
import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.actors.models import Organisation, OrganisationKind
from samverkan.core import tenancy
from samverkan.core.exchange import Column, Importer, RowError, register_importer
from samverkan.core.models import Visibility
from samverkan.core.tables import Table
from samverkan.funding.exchange import CALL_COLUMNS
from samverkan.funding.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    ApplicationPartner,
    ApplicationStatus,
    BudgetLine,
    Call,
    CallStatus,
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
from samverkan.funding.services import budget_check, kr
from samverkan.geo.models import County
from samverkan.projects.models import ParticipantRole

SHEETS = {
    "criteria": "Kriterier",
    "applications": "Ansökningar",
    "scores": "Bedömningar",
    "decision": "Beslut",
    "reports": "Återrapporter",
}


def _literal(value: Any) -> Any:
    """A nested value: already parsed (JSON file), JSON text (XLSX cell) or the Python literal
    text the JSON reader makes of nested lists; ``a; b`` lists as a fallback."""
    if not isinstance(value, str):
        return value
    if value in ("", "[]"):
        return []
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(value)
        except (ValueError, SyntaxError, TypeError):
            continue
    return [part.strip() for part in value.split(";") if part.strip()]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass
class Where:
    """Row number and the path to a field, for the error messages."""

    row: int
    prefix: str

    def at(self, name: str) -> str:
        return f"{self.prefix}{name}"


@dataclass
class PreparedApplication:
    application: Application
    partners: list[ApplicationPartner] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    co_financing: list[CoFinancing] = field(default_factory=list)
    indicators: list[tuple[str, PromisedIndicator]] = field(default_factory=list)
    scores: list[tuple[str, Score]] = field(default_factory=list)  # (criterion title, score)
    decision: Decision | None = None
    reports: list[FundingReport] = field(default_factory=list)


@dataclass
class PreparedCall:
    call: Call
    counties: list[County] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    applications: list[PreparedApplication] = field(default_factory=list)


class _Checker:
    """Validation of one file: collects ``RowError`` s, returns cleaned values or None."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.counties = {c.code: c for c in County.objects.all()}
        self.organisations: dict[str, Organisation | None] = {}
        self.users: dict[str, User | None] = {}

    def fail(self, where: Where, name: str, message: str) -> None:
        self.errors.append(RowError(where.row, where.at(name), message))

    def integer(self, where: Where, name: str, value: Any, *, blank: int | None = 0) -> int | None:
        text = _text(value).replace(" ", "").replace("\u00a0", "")
        if not text:
            return blank
        if not text.isdigit():
            self.fail(where, name, _("”%s” är inget heltal ≥ 0") % value)
            return None
        return int(text)

    def date(self, where: Where, name: str, value: Any) -> datetime.date | None:
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.fail(where, name, _("ogiltigt datum ”%s” (skriv ÅÅÅÅ-MM-DD)") % text)
            return None

    def moment(self, where: Where, name: str, value: Any) -> datetime.datetime | None:
        text = _text(value)
        if not text:
            return None
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            self.fail(where, name, _("ogiltig tidpunkt ”%s”") % text)
            return None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def organisation(self, where: Where, name: str, code: Any) -> Organisation | None:
        code = _text(code)
        if code not in self.organisations:
            self.organisations[code] = Organisation.objects.filter(code=code).first()
        found = self.organisations[code]
        if found is None:
            self.fail(where, name, _("okänd organisation ”%s”") % code)
        return found

    def user(self, where: Where, name: str, email: Any) -> User | None:
        email = _text(email).lower()
        if email not in self.users:
            self.users[email] = User.objects.filter(email__iexact=email).first()
        found = self.users[email]
        if found is None:
            self.fail(where, name, _("ingen användare med e-postadressen ”%s”") % email)
        return found

    def objects(self, where: Where, name: str, value: Any) -> list[dict[str, Any]]:
        items = _literal(value) if value not in (None, "") else []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(where, name, _("ska vara en lista av objekt"))
            return []
        return items


def _from_sheets(table: Table) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """XLSX: the children of each call (by exported call id), each child row with a ``_where``
    naming its sheet and row; applications carry their scores, decision and reports."""

    def rows(level: str) -> list[dict[str, Any]]:
        sheet = table.sheets.get(SHEETS[level])
        if sheet is None:
            return []
        return [
            {**values, "_where": f"{SHEETS[level]} " + _("rad %(row)d") % {"row": number}}
            for number, values in sheet.rows
        ]

    per_application: dict[str, dict[str, Any]] = {}
    for level in ("scores", "decision", "reports"):
        for row in rows(level):
            children = per_application.setdefault(row.get("application_id", ""), {})
            if level == "decision":
                children["decision"] = row
            else:
                children.setdefault(level, []).append(row)
    per_call: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in rows("criteria"):
        per_call.setdefault(row.get("call_id", ""), {}).setdefault("criteria", []).append(row)
    for row in rows("applications"):
        children = per_application.get(row.get("id", ""), {})
        row = {"scores": [], "decision": None, "reports": [], **row, **children}
        per_call.setdefault(row.get("call_id", ""), {}).setdefault("applications", []).append(row)
    return per_call


def _where(parent: Where, item: dict[str, Any], path: str) -> Where:
    if item.get("_where"):
        return Where(parent.row, f"{item['_where']}: ")
    return Where(parent.row, f"{parent.prefix}{path}.")


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
        Column("criteria", help="Kriterier (lista med title, weight, guidance, perspective)"),
        Column(
            "applications",
            help="Ansökningar med budget, partner, indikatorer, bedömningar, beslut och "
            "återrapporter, som i exporten",
        ),
    )

    def prepare(
        self, table: Table, *, user: Any, acting_for: Any
    ) -> tuple[list[Any], list[RowError]]:
        check = _Checker()
        prepared: list[PreparedCall] = []
        sheets = _from_sheets(table) if table.sheets else {}
        for number, row in table.rows:
            where = Where(number, "")
            before = len(check.errors)
            children = sheets.get(row.get("id", ""), {})
            item = self._call(check, where, row, user=user, acting_for=acting_for)
            if item is None:
                continue
            raw_criteria = children.get("criteria") or check.objects(
                where, "criteria", row.get("criteria")
            )
            for i, c in enumerate(raw_criteria, start=1):
                criterion = self._criterion(check, _where(where, c, f"criteria[{i}]"), c, i)
                if criterion is not None:
                    item.criteria.append(criterion)
            raw_applications = children.get("applications") or check.objects(
                where, "applications", row.get("applications")
            )
            titles = {c.title for c in item.criteria}
            for i, a in enumerate(raw_applications, start=1):
                application = self._application(
                    check, _where(where, a, f"applications[{i}]"), a, item.call, titles
                )
                if application is not None:
                    item.applications.append(application)
            self._budget_of_call(check, where, item)
            if len(check.errors) == before:
                prepared.append(item)
        return prepared, check.errors

    # --- levels ---------------------------------------------------------------------------------

    def _call(
        self, check: _Checker, where: Where, row: dict[str, Any], *, user: Any, acting_for: Any
    ) -> PreparedCall | None:
        owner = acting_for
        if row.get("owner_code"):
            owner = check.organisation(where, "owner_code", row["owner_code"])
            if owner is None:
                return None
        if owner is None:
            check.fail(
                where, "owner_code", _("ange finansiär eller den organisation du agerar för")
            )
            return None
        if not tenancy.can_act_for(user, owner.pk):
            check.fail(where, "owner_code", _("du kan inte importera utlysningar för %s") % owner)
            return None
        budget = check.integer(where, "budget", row.get("budget"), blank=None)
        if budget is None and _text(row.get("budget")) == "":
            check.fail(where, "budget", _("budget saknas"))
        deadline = check.moment(where, "deadline", row.get("deadline"))
        if deadline is None and not _text(row.get("deadline")):
            check.fail(where, "deadline", _("sista ansökningsdag saknas"))
        kinds = _literal(row.get("eligible_kinds", ""))
        bad = [k for k in kinds if k not in OrganisationKind.values]
        if bad:
            check.fail(where, "eligible_kinds", _("okänd organisationstyp: %s") % ", ".join(bad))
        perspectives = _literal(row.get("required_perspectives", ""))
        bad = [p for p in perspectives if p not in Perspective.values]
        if bad:
            check.fail(where, "required_perspectives", _("okänt perspektiv: %s") % ", ".join(bad))
        counties = []
        for code in _literal(row.get("eligible_counties", "")):
            if str(code) not in check.counties:
                check.fail(where, "eligible_counties", _("okänd länskod ”%s”") % code)
            else:
                counties.append(check.counties[str(code)])
        start = check.date(where, "period_start", row.get("period_start"))
        end = check.date(where, "period_end", row.get("period_end"))
        status = _text(row.get("status")) or CallStatus.DRAFT
        if status not in CallStatus.values:
            check.fail(where, "status", _("okänd status ”%s”") % status)
        if not _text(row.get("title")):
            check.fail(where, "title", _("titel saknas"))
        if budget is None or deadline is None:
            return None
        call = Call(
            owner=owner,
            title=_text(row.get("title"))[:300],
            purpose=_text(row.get("purpose")),
            budget=budget,
            eligible_kinds=kinds,
            required_perspectives=perspectives,
            period_start=start,
            period_end=end,
            deadline=deadline,
            status=status,
            visibility=Visibility.PUBLIC if status != CallStatus.DRAFT else Visibility.PRIVATE,
            source=_text(row.get("source")),
        )
        return PreparedCall(call, counties)

    def _criterion(
        self, check: _Checker, where: Where, c: dict[str, Any], position: int
    ) -> Criterion | None:
        weight = check.integer(where, "weight", c.get("weight", 1), blank=1)
        if weight is not None and weight < 1:
            check.fail(where, "weight", _("vikten måste vara ett heltal ≥ 1"))
            weight = None
        perspective = _text(c.get("perspective"))
        if perspective and perspective not in Perspective.values:
            check.fail(where, "perspective", _("okänt perspektiv"))
        title = _text(c.get("title"))
        if not title:
            check.fail(where, "title", _("titel saknas"))
        if weight is None or not title:
            return None
        return Criterion(
            position=check.integer(where, "position", c.get("position"), blank=position)
            or position,
            title=title[:300],
            weight=weight,
            guidance=_text(c.get("guidance")),
            perspective=perspective,
        )

    def _application(
        self,
        check: _Checker,
        where: Where,
        a: dict[str, Any],
        call: Call,
        criterion_titles: set[str],
    ) -> PreparedApplication | None:
        before = len(check.errors)
        owner = check.organisation(where, "owner_code", a.get("owner_code"))
        title = _text(a.get("title"))
        if not title:
            check.fail(where, "title", _("titel saknas"))
        county = None
        if _text(a.get("county")):
            county = check.counties.get(_text(a.get("county")))
            if county is None:
                check.fail(where, "county", _("okänd länskod ”%s”") % a.get("county"))
        status = _text(a.get("status")) or ApplicationStatus.DRAFT
        if status not in ApplicationStatus.values:
            check.fail(where, "status", _("okänd status ”%s”") % status)
        perspectives = _literal(a.get("perspectives") or {})
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
            summary=_text(a.get("summary")),
            description=_text(a.get("description")),
            expected_results=_text(a.get("expected_results")),
            start_date=check.date(where, "start_date", a.get("start_date")),
            end_date=check.date(where, "end_date", a.get("end_date")),
            perspectives=perspectives,
            county=county,
            status=status,
            submitted_at=check.moment(where, "submitted_at", a.get("submitted_at")),
            total_budget=check.integer(where, "total_budget", a.get("total_budget")) or 0,
            requested_amount=check.integer(where, "requested_amount", a.get("requested_amount"))
            or 0,
        )
        item = PreparedApplication(application)
        for i, line in enumerate(check.objects(where, "budget_lines", a.get("budget_lines")), 1):
            amount = check.integer(where, f"budget_lines[{i}].amount", line.get("amount"))
            item.budget_lines.append(
                BudgetLine(position=i, item=_text(line.get("item"))[:200], amount=amount or 0)
            )
        for i, line in enumerate(check.objects(where, "co_financing", a.get("co_financing")), 1):
            amount = check.integer(where, f"co_financing[{i}].amount", line.get("amount"))
            item.co_financing.append(
                CoFinancing(funder=_text(line.get("funder"))[:200], amount=amount or 0)
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
            role = _text(p.get("role"))
            if role not in ParticipantRole.values:
                check.fail(where, f"partners[{i}].role", _("okänd roll ”%s”") % role)
            elif organisation is not None:
                item.partners.append(ApplicationPartner(organisation=organisation, role=role))
        for i, ind in enumerate(check.objects(where, "indicators", a.get("indicators")), 1):
            try:
                target = Decimal(_text(ind.get("target")))
            except InvalidOperation:
                check.fail(where, f"indicators[{i}].target", _("målvärdet ska vara ett tal"))
                continue
            item.indicators.append(
                (
                    _text(ind.get("id")) or f"#{i}",
                    PromisedIndicator(
                        name=_text(ind.get("name"))[:200],
                        unit=_text(ind.get("unit"))[:50],
                        target=target,
                    ),
                )
            )
        self._scores(check, where, a, item, criterion_titles)
        self._decision(check, where, a, item)
        self._reports(check, where, a, item)
        return item if len(check.errors) == before else None

    def _scores(
        self,
        check: _Checker,
        where: Where,
        a: dict[str, Any],
        item: PreparedApplication,
        criterion_titles: set[str],
    ) -> None:
        for i, s in enumerate(check.objects(where, "scores", a.get("scores")), 1):
            at = _where(where, s, f"scores[{i}]")
            title = _text(s.get("criterion"))
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
                (title, Score(assessor=assessor, score=value, comment=_text(s.get("comment"))))
            )

    def _decision(
        self, check: _Checker, where: Where, a: dict[str, Any], item: PreparedApplication
    ) -> None:
        raw = _literal(a.get("decision")) if a.get("decision") not in (None, "") else None
        if raw in (None, []):
            return
        at = _where(where, raw if isinstance(raw, dict) else {}, "decision")
        if not isinstance(raw, dict):
            check.fail(at, "", _("ska vara ett objekt"))
            return
        outcome = _text(raw.get("outcome"))
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
            conditions=_text(raw.get("conditions")),
            reasons=_text(raw.get("reasons")),
            decided_at=decided_at,
        )

    def _reports(
        self, check: _Checker, where: Where, a: dict[str, Any], item: PreparedApplication
    ) -> None:
        indicator_ids = {key for key, _indicator in item.indicators}
        for i, r in enumerate(check.objects(where, "reports", a.get("reports")), 1):
            at = _where(where, r, f"reports[{i}]")
            kind = _text(r.get("kind"))
            if kind not in ReportKind.values:
                check.fail(at, "kind", _("okänd rapporttyp ”%s”") % kind)
            due = check.date(at, "due_date", r.get("due_date"))
            if due is None and not _text(r.get("due_date")):
                check.fail(at, "due_date", _("datum saknas"))
            results = _literal(r.get("results") or {})
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
                    progress=_text(r.get("progress")),
                    results={str(k): str(v) for k, v in results.items()},
                )
            )

    def _budget_of_call(self, check: _Checker, where: Where, item: PreparedCall) -> None:
        granted = sum(
            a.decision.amount
            for a in item.applications
            if a.decision is not None and a.decision.is_granted
        )
        if granted > item.call.budget:
            check.fail(
                where,
                "applications",
                _("beviljade belopp %(sum)s överstiger utlysningens budget %(budget)s")
                % {"sum": kr(granted), "budget": kr(item.call.budget)},
            )

    # --- write ----------------------------------------------------------------------------------

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        for item in prepared:
            item.call.save()
            item.call.eligible_counties.set(item.counties)
            for criterion in item.criteria:
                criterion.call = item.call
            criteria = {c.title: c for c in Criterion.objects.bulk_create(item.criteria)}
            for prepared_application in item.applications:
                _write_application(prepared_application, criteria)
        return len(prepared), 0


def _write_application(item: PreparedApplication, criteria: dict[str, Criterion]) -> None:
    application = item.application
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
