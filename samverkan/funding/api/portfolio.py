"""The funder's portfolio of a call in the API (``GET /api/funding-calls/{id}/portfolio/``):
money per theme, target group and county, results against the promised indicators, over-spent
and overdue reports, as the portfolio page shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers

from samverkan.funding.models import Call, FundingReport
from samverkan.funding.selectors import Portfolio


class AmountRow(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.IntegerField()


class PortfolioResult(serializers.Serializer):
    application_id = serializers.IntegerField()
    application_title = serializers.CharField()
    indicator_id = serializers.IntegerField()
    indicator = serializers.CharField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField()
    achieved = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class PortfolioReport(serializers.Serializer):
    report_id = serializers.IntegerField()
    application_id = serializers.IntegerField()
    application_title = serializers.CharField()
    applicant = serializers.CharField()
    kind = serializers.CharField()
    due_date = serializers.DateField()
    money_spent = serializers.IntegerField(allow_null=True, required=False)
    granted = serializers.IntegerField(required=False)
    overspend = serializers.IntegerField(required=False)


class ReachRowOutput(serializers.Serializer):
    group = serializers.CharField()
    participants = serializers.IntegerField(allow_null=True)
    participants_reported = serializers.IntegerField(help_text="Projekt som anger antalet.")
    money = serializers.IntegerField(allow_null=True)
    money_reported = serializers.IntegerField(help_text="Projekt som anger beloppet.")


class ReachOutput(serializers.Serializer):
    projects = serializers.IntegerField()
    participants_total = serializers.IntegerField(allow_null=True)
    rows = ReachRowOutput(many=True)


class PortfolioOutput(serializers.Serializer):
    """The funder's portfolio of a call, as the portfolio page shows it."""

    call_id = serializers.IntegerField()
    granted_count = serializers.IntegerField()
    granted_total = serializers.IntegerField()
    spent = serializers.IntegerField(help_text="Redovisat använt i inlämnade återrapporter.")
    by_theme = AmountRow(many=True)
    by_target_group = AmountRow(many=True)
    by_county = AmountRow(many=True)
    results = PortfolioResult(many=True)
    overspent = PortfolioReport(
        many=True, help_text="Återrapporter där använda medel överstiger beviljat belopp."
    )
    overdue = PortfolioReport(many=True, help_text="Återrapporter som är försenade.")
    reach = ReachOutput(
        help_text="Deltagare och medel per kön och bakgrund enligt varje projekts senaste "
        "återrapport; okänt (null) där inget projekt anger siffran."
    )


def _report_row(report: FundingReport) -> dict[str, Any]:
    application = report.application
    return {
        "report_id": report.pk,
        "application_id": application.pk,
        "application_title": application.title,
        "applicant": application.owner.name,
        "kind": report.kind,
        "due_date": report.due_date,
    }


def portfolio_body(
    call: Call,
    portfolio: Portfolio,
    overdue: Iterable[FundingReport],
    overspent: Iterable[FundingReport],
) -> dict[str, Any]:
    """``selectors.call_portfolio`` and the report lists, shaped as ``PortfolioOutput``."""

    def rows(amounts: dict[str, int]) -> list[dict[str, Any]]:
        return [{"name": name, "amount": amount} for name, amount in amounts.items()]

    return {
        "call_id": call.pk,
        "granted_count": portfolio.granted_count,
        "granted_total": portfolio.granted_total,
        "spent": portfolio.spent,
        "by_theme": rows(portfolio.by_theme),
        "by_target_group": rows(portfolio.by_target_group),
        "by_county": rows(portfolio.by_county),
        "results": [
            {
                "application_id": r["application"].pk,
                "application_title": r["application"].title,
                "indicator_id": r["indicator"].pk,
                "indicator": r["indicator"].name,
                "target": r["indicator"].target,
                "unit": r["indicator"].unit,
                "achieved": r["achieved"],
            }
            for r in portfolio.results
        ],
        "overspent": [
            {
                **_report_row(r),
                "money_spent": r.money_spent,
                "granted": r.granted,  # type: ignore[attr-defined]
                "overspend": r.over,  # type: ignore[attr-defined]
            }
            for r in overspent
        ],
        "overdue": [_report_row(r) for r in overdue],
        "reach": {
            "projects": portfolio.reach.projects,
            "participants_total": portfolio.reach.participants_total
            if portfolio.reach.participants_total_reported
            else None,
            "rows": [
                {
                    "group": row.label,
                    "participants": row.participants if row.participants_reported else None,
                    "participants_reported": row.participants_reported,
                    "money": row.money if row.money_reported else None,
                    "money_reported": row.money_reported,
                }
                for row in portfolio.reach.rows
            ],
        },
    }
