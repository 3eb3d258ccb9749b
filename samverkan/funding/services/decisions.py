"""Decisions within the call's budget, the reporting deadlines and project funding line they
create, and the decision-letter job."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.funding import access
from samverkan.funding.models import Application, Call, Decision, FundingReport, Outcome, ReportKind
from samverkan.funding.services.assessment import assessor_check
from samverkan.funding.services.common import kr
from samverkan.projects.models import ProjectFunding

AUDIT_DECIDED = audit_action("funding.decided")


def granted_total(call: Call, *, excluding: Application | None = None) -> int:
    decisions = Decision.objects.filter(
        application__call=call, outcome__in=[Outcome.GRANTED, Outcome.PARTLY]
    )
    if excluding is not None:
        decisions = decisions.exclude(application=excluding)
    return int(decisions.aggregate(total=Sum("amount"))["total"] or 0)


def _reporting_deadlines(application: Application, decided: datetime.date) -> list[FundingReport]:
    end = application.end_date or decided + datetime.timedelta(days=365)
    final = end + datetime.timedelta(days=60)
    reports = []
    if (end - decided).days > 180:
        reports.append(
            FundingReport(
                application=application,
                kind=ReportKind.PROGRESS,
                due_date=decided + (end - decided) / 2,
            )
        )
    reports.append(FundingReport(application=application, kind=ReportKind.FINAL, due_date=final))
    return reports


@transaction.atomic
def decision_make(
    *,
    application: Application,
    user: Any,
    outcome: str,
    amount: int = 0,
    conditions: str = "",
    reasons: str = "",
    decided_at: datetime.datetime | None = None,
) -> Decision:
    """Decide an application. The call's budget is never exceeded: the call row is locked while
    the granted sum is checked, so two decisions at once cannot both slip under the budget."""
    assessor_check(application, user)
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Okänt beslut: %s") % outcome})
    errors: dict[str, str] = {}
    if outcome == Outcome.REJECTED:
        amount = 0
        if not reasons.strip():
            errors["reasons"] = _("Ett avslag måste motiveras.")
    elif amount <= 0:
        errors["amount"] = _("Ange beviljat belopp.")
    elif amount > application.requested_amount:
        errors["amount"] = _("Beviljat belopp (%(a)s) är större än sökt belopp (%(r)s).") % {
            "a": kr(amount),
            "r": kr(application.requested_amount),
        }
    elif outcome == Outcome.GRANTED and amount != application.requested_amount:
        errors["amount"] = _(
            "Beviljat belopp (%(a)s) är mindre än sökt (%(r)s): välj ”Delvis beviljad”."
        ) % {"a": kr(amount), "r": kr(application.requested_amount)}
    if errors:
        raise ValidationError(errors)
    already = granted_total(call, excluding=application)
    if already + amount > call.budget:
        raise ValidationError(
            {
                "amount": _(
                    "Beslutet skulle ge beviljade belopp på %(sum)s, över utlysningens budget "
                    "%(budget)s. Kvar att fördela: %(left)s."
                )
                % {
                    "sum": kr(already + amount),
                    "budget": kr(call.budget),
                    "left": kr(max(0, call.budget - already)),
                }
            }
        )
    decided_at = decided_at or timezone.now()
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={
            "outcome": outcome,
            "amount": amount,
            "conditions": conditions,
            "reasons": reasons,
            "decided_by": tenancy.db_user(user),
            "decided_at": decided_at,
            "letter_pdf": None,
            "letter_docx": None,
            "letter_generated_at": None,
        },
    )
    application.reports.filter(submitted_at__isnull=True).delete()
    if decision.is_granted and not application.reports.exists():
        FundingReport.objects.bulk_create(
            _reporting_deadlines(application, timezone.localdate(decided_at))
        )
    if application.project_id:
        _project_record_grant(application, decision)
    audit_log(
        AUDIT_DECIDED,
        user=user,
        organisation=call.owner,
        data={"application": application.pk, "outcome": outcome, "amount": amount},
    )
    return decision


def _project_record_grant(application: Application, decision: Decision) -> None:
    """Keep the knowledge bank current: the grant becomes a funding line of the project (a
    system write, since the project belongs to the applicant)."""
    funder = application.call.owner
    project = application.project
    if project is None:
        return
    ProjectFunding.objects.filter(project=project, organisation=funder).delete()
    if decision.is_granted:
        ProjectFunding.objects.create(
            project=project,
            funder=funder.name,
            organisation=funder,
            amount=decision.amount,
        )


def decision_letters_enqueue(*, call: Call, user: Any) -> Any:
    """Generate every decision letter of the call in the background; returns the job."""
    from samverkan.core.jobs import job_enqueue

    if not access.is_funder(user, call):
        raise PermissionDenied(_("Bara finansiären kan skapa beslutsbrev."))
    if not Decision.objects.filter(application__call=call).exists():
        raise ValidationError(_("Det finns inga beslut att skriva brev för ännu."))
    return job_enqueue("funding.decision_letters", user=user, call_id=call.pk)
