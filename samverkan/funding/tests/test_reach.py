"""Reach by sex and background (issue 22, item 9): reporting back records the participants and
the money that reached women and men, foreign-born and Swedish-born; the funder's portfolio
shows the breakdown, with unreported figures unknown rather than 0 (Tillväxtverket 2015:
"Uppföljning av hur exempelvis resurser når olika grupper måste bli bättre")."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.funding import selectors
from samverkan.funding.services import reporting

REACH = dict(
    participants_total=40,
    participants_women=25,
    participants_men=15,
    participants_foreign_born=30,
    participants_swedish_born=None,  # not reported: unknown
    money_women=110_000,
    money_men=70_000,
)


def _submit(report, applicant, **reach):
    return reporting.report_submit(
        report=report,
        user=applicant,
        progress="Arbetet har gått bra.",
        money_spent=190_000,
        results={},
        reach=reach,
    )


def test_report_back_records_reach_and_portfolio_sums_it(granted, applicant):
    interim, final = (
        granted.reports.order_by("due_date")[:1][0],
        granted.reports.order_by("due_date").last(),
    )
    _submit(interim, applicant, participants_total=10, participants_women=6)
    _submit(final, applicant, **REACH)
    final.refresh_from_db()
    assert final.participants_women == 25 and final.participants_swedish_born is None
    reach = selectors.call_portfolio(call=granted.call).reach
    # the latest report counts, the interim one is not added on top
    assert reach.projects == 1 and reach.participants_total == 40
    rows = {row.label: row for row in reach.rows}
    assert (rows["Kvinnor"].participants, rows["Kvinnor"].money) == (25, 110_000)
    assert rows["Inrikes födda"].participants_reported == 0  # unknown, not 0
    assert rows["Utrikes födda"].money_reported == 0


def test_groups_cannot_exceed_the_totals(granted, applicant):
    report = granted.reports.order_by("due_date").last()
    with pytest.raises(ValidationError, match="Fler deltagare i grupperna"):
        _submit(report, applicant, participants_total=10, participants_women=8, participants_men=5)
    with pytest.raises(ValidationError, match="Mer medel till grupperna"):
        _submit(report, applicant, money_foreign_born=150_000, money_swedish_born=50_000)


def test_portfolio_page_and_api_show_the_breakdown(
    granted, applicant, owner_client, outsider_client
):
    _submit(granted.reports.order_by("due_date").last(), applicant, **REACH)
    url = reverse("funding:portfolio", args=[granted.call.pk])
    html = owner_client.get(url).content.decode()
    assert "Vilka nådde insatserna?" in html
    assert "110" in html and "Utrikes födda" in html and "okänt" in html
    assert outsider_client.get(url).status_code in (403, 404)
    body = owner_client.get(f"/api/funding-calls/{granted.call.pk}/portfolio/").json()
    rows = {row["group"]: row for row in body["reach"]["rows"]}
    assert rows["Män"]["participants"] == 15
    assert rows["Inrikes födda"]["participants"] is None


def test_report_form_takes_the_reach(granted, applicant_client):
    report = granted.reports.order_by("due_date").last()
    response = applicant_client.post(
        reverse("funding:report", args=[report.pk]),
        {"progress": "Klart.", "money_spent": "100000", "participants_women": "12"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.participants_women == 12 and report.participants_men is None
