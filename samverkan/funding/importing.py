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
indicator ids.

The knowledge-bank project of an application is named by the project exchange's key, its
owner's code and its title (``project_owner_code``, ``project_title``). The application is
linked to that project if the importer may read exactly one such project (titles compared as
the project import does: case, spacing and punctuation aside); if there is none it gets a new
planned, private project of the applicant made from the application, as on submission (one
per key, however many applications name it); if the importer may read several, the reference
is ambiguous and the file is refused at that field. The grant is not added to the project as
a funding line (the linked project may carry it already).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samverkan.actors.models import OrganisationKind
from samverkan.core import tenancy
from samverkan.core.exchange import Column, Importer, RowError, register_importer
from samverkan.core.models import Visibility
from samverkan.core.tables import Table
from samverkan.funding.exchange import CALL_COLUMNS
from samverkan.funding.import_applications import application_prepare, application_write
from samverkan.funding.import_checks import (
    Checker,
    PreparedCall,
    Where,
    child_where,
    from_sheets,
    literal,
    text_of,
)
from samverkan.funding.models import Call, CallStatus, Criterion, Perspective
from samverkan.funding.services.common import kr
from samverkan.projects.models import Project


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
        check = Checker(user)
        prepared: list[PreparedCall] = []
        sheets = from_sheets(table) if table.sheets else {}
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
                criterion = self._criterion(check, child_where(where, c, f"criteria[{i}]"), c, i)
                if criterion is not None:
                    item.criteria.append(criterion)
            raw_applications = children.get("applications") or check.objects(
                where, "applications", row.get("applications")
            )
            titles = {c.title for c in item.criteria}
            for i, a in enumerate(raw_applications, start=1):
                application = application_prepare(
                    check, child_where(where, a, f"applications[{i}]"), a, item.call, titles
                )
                if application is not None:
                    item.applications.append(application)
            self._budget_of_call(check, where, item)
            if len(check.errors) == before:
                prepared.append(item)
        return prepared, check.errors

    # --- levels ---------------------------------------------------------------------------------

    def _call(
        self, check: Checker, where: Where, row: dict[str, Any], *, user: Any, acting_for: Any
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
        if budget is None and text_of(row.get("budget")) == "":
            check.fail(where, "budget", _("budget saknas"))
        deadline = check.moment(where, "deadline", row.get("deadline"))
        if deadline is None and not text_of(row.get("deadline")):
            check.fail(where, "deadline", _("sista ansökningsdag saknas"))
        kinds = literal(row.get("eligible_kinds", ""))
        bad = [k for k in kinds if k not in OrganisationKind.values]
        if bad:
            check.fail(where, "eligible_kinds", _("okänd organisationstyp: %s") % ", ".join(bad))
        perspectives = literal(row.get("required_perspectives", ""))
        bad = [p for p in perspectives if p not in Perspective.values]
        if bad:
            check.fail(where, "required_perspectives", _("okänt perspektiv: %s") % ", ".join(bad))
        counties = []
        for code in literal(row.get("eligible_counties", "")):
            if str(code) not in check.counties:
                check.fail(where, "eligible_counties", _("okänd länskod ”%s”") % code)
            else:
                counties.append(check.counties[str(code)])
        start = check.date(where, "period_start", row.get("period_start"))
        end = check.date(where, "period_end", row.get("period_end"))
        status = text_of(row.get("status")) or CallStatus.DRAFT
        if status not in CallStatus.values:
            check.fail(where, "status", _("okänd status ”%s”") % status)
        if not text_of(row.get("title")):
            check.fail(where, "title", _("titel saknas"))
        if budget is None or deadline is None:
            return None
        call = Call(
            owner=owner,
            title=text_of(row.get("title"))[:300],
            purpose=text_of(row.get("purpose")),
            budget=budget,
            eligible_kinds=kinds,
            required_perspectives=perspectives,
            period_start=start,
            period_end=end,
            deadline=deadline,
            status=status,
            visibility=Visibility.PUBLIC if status != CallStatus.DRAFT else Visibility.PRIVATE,
            source=text_of(row.get("source")),
        )
        return PreparedCall(call, counties)

    def _criterion(
        self, check: Checker, where: Where, c: dict[str, Any], position: int
    ) -> Criterion | None:
        weight = check.integer(where, "weight", c.get("weight", 1), blank=1)
        if weight is not None and weight < 1:
            check.fail(where, "weight", _("vikten måste vara ett heltal ≥ 1"))
            weight = None
        perspective = text_of(c.get("perspective"))
        if perspective and perspective not in Perspective.values:
            check.fail(where, "perspective", _("okänt perspektiv"))
        title = text_of(c.get("title"))
        if not title:
            check.fail(where, "title", _("titel saknas"))
        if weight is None or not title:
            return None
        return Criterion(
            position=check.integer(where, "position", c.get("position"), blank=position)
            or position,
            title=title[:300],
            weight=weight,
            guidance=text_of(c.get("guidance")),
            perspective=perspective,
        )

    def _budget_of_call(self, check: Checker, where: Where, item: PreparedCall) -> None:
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
        new_projects: dict[tuple[str, str], Project] = {}
        for item in prepared:
            item.call.save()
            item.call.eligible_counties.set(item.counties)
            for criterion in item.criteria:
                criterion.call = item.call
            criteria = {c.title: c for c in Criterion.objects.bulk_create(item.criteria)}
            for prepared_application in item.applications:
                application_write(prepared_application, criteria, new_projects)
        return len(prepared), 0
