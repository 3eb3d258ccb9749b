"""Reports back from granted applications; money spent over the grant is flagged, not refused."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_action, audit_log
from samverkan.core.models import REACH_FIELDS
from samverkan.funding import access
from samverkan.funding.models import Decision, FundingReport
from samverkan.funding.services.common import kr

AUDIT_REPORT_OVERSPENT = audit_action("funding.report_overspent")


@transaction.atomic
def report_submit(
    *,
    report: FundingReport,
    user: Any,
    progress: str,
    money_spent: int | None,
    results: dict[int, Decimal],
    reach: dict[str, int | None] | None = None,
    now: datetime.datetime | None = None,
) -> FundingReport:
    """Submit a report back: how the work went, the money spent, the results per indicator
    and whom it reached (``reach``: participants and money by sex and background, see
    ``core.models.Reach``; a figure left out stays unknown)."""
    application = report.application
    if not access.is_applicant(user, application):
        raise PermissionDenied(_("Bara den sökande organisationen kan lämna återrapporten."))
    if report.submitted_at is not None:
        raise ValidationError(_("Återrapporten är redan inlämnad."))
    errors: dict[str, str] = {}
    if not progress.strip():
        errors["progress"] = _("Beskriv hur arbetet har gått.")
    indicator_ids = set(application.indicators.values_list("pk", flat=True))
    unknown = set(results) - indicator_ids
    if unknown:
        errors["results"] = _("Okända indikatorer: %s") % ", ".join(map(str, sorted(unknown)))
    reach = reach or {}
    unknown_reach = set(reach) - set(REACH_FIELDS)
    if unknown_reach:
        raise TypeError(f"unknown reach fields: {sorted(unknown_reach)}")
    for name, value in reach.items():
        setattr(report, name, value)
    errors.update(report.reach_errors(money_total=money_spent))
    if errors:
        raise ValidationError(errors)
    report.progress = progress
    report.money_spent = money_spent
    report.results = {str(k): format(Decimal(v).normalize(), "f") for k, v in results.items()}
    report.submitted_at = now or timezone.now()
    report.save()
    granted = report_granted_amount(report)
    if report.overspend(granted):
        audit_log(
            AUDIT_REPORT_OVERSPENT,
            user=user,
            organisation=application.call.owner,
            data={
                "report": report.pk,
                "application": application.pk,
                "money_spent": money_spent,
                "granted": granted,
            },
        )
    return report


def report_granted_amount(report: FundingReport) -> int:
    decision = Decision.objects.filter(application_id=report.application_id).first()
    return decision.amount if decision is not None and decision.is_granted else 0


def report_overspend_note(report: FundingReport, granted: int) -> str:
    """The over-spend flag with its figures ('' when the money spent is within the grant)."""
    over = report.overspend(granted)
    if not over:
        return ""
    return _(
        "Använda medel %(spent)s överstiger beviljat belopp %(granted)s med %(over)s. "
        "Följ upp med den sökande (medfinansiering, återbetalning eller ändrat beslut)."
    ) % {"spent": kr(report.money_spent), "granted": kr(granted), "over": kr(over)}
