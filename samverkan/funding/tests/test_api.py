"""API: the workflow end to end, and cross-organisation denial on every funding endpoint."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from samverkan.funding.models import Application, Call, Criterion, Decision, Score


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_workflow_through_the_api(organisation, owner, editor, applicant, applicant_org):
    funder = api(owner)
    response = funder.post(
        "/api/funding-calls/",
        {
            "owner_code": organisation.code,
            "title": "Stöd 2026",
            "budget": 300000,
            "deadline": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
            "criteria": [{"title": "Sysselsättning", "weight": 2}, {"title": "Långsiktighet"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    call_id = response.data["id"]
    assert funder.post(f"/api/funding-calls/{call_id}/publish/").status_code == 200
    response = api(applicant).post(
        "/api/funding-applications/",
        {
            "call_id": call_id,
            "owner_code": applicant_org.code,
            "title": "Jobbspår",
            "description": "Praktik och språk.",
            "total_budget": 100000,
            "requested_amount": 60000,
            "budget_lines": [{"text": "Personal", "amount": 100000}],
            "co_financing": [{"text": "Kommunen", "amount": 30000}],
            "expected_results": "Jobb.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "hela budgeten" in response.data["message"]
    response = api(applicant).post(
        "/api/funding-applications/",
        {
            "call_id": call_id,
            "owner_code": applicant_org.code,
            "title": "Jobbspår",
            "description": "Praktik och språk.",
            "total_budget": 100000,
            "requested_amount": 70000,
            "budget_lines": [{"text": "Personal", "amount": 100000}],
            "co_financing": [{"text": "Kommunen", "amount": 30000}],
            "expected_results": "Jobb.",
            "indicators": [{"name": "Deltagare", "target": "20", "unit": "personer"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    app_id = response.data["id"]
    assert api(owner).get(f"/api/funding-applications/{app_id}/").status_code == 404  # draft
    submit = api(applicant).post(f"/api/funding-applications/{app_id}/submit/")
    assert submit.status_code == 200 and submit.data["status"] == "submitted"
    assert api(applicant).get(f"/api/funding-applications/{app_id}/similar/").status_code == 200
    scores = [{"criterion_id": c.pk, "score": 4} for c in Call.objects.get().criteria.all()]
    refused = api(editor).post(f"/api/funding-applications/{app_id}/scores/", scores, format="json")
    assert refused.status_code == 403 and "Deklarera" in refused.data["message"]
    api(editor).post(
        f"/api/funding-applications/{app_id}/conflict/", {"has_conflict": False}, format="json"
    )
    ok = api(editor).post(f"/api/funding-applications/{app_id}/scores/", scores, format="json")
    assert ok.status_code == 200 and Score.objects.count() == 2
    ranking = funder.get(f"/api/funding-calls/{call_id}/ranking/").data
    assert ranking["results"][0]["weighted_total"] == 4.0
    over = funder.post(
        f"/api/funding-applications/{app_id}/decide/",
        {"outcome": "granted", "amount": 80000},
        format="json",
    )
    assert over.status_code == 400 and "större än sökt" in over.data["message"]
    decided = funder.post(
        f"/api/funding-applications/{app_id}/decide/",
        {"outcome": "granted", "amount": 70000, "reasons": "Bra"},
        format="json",
    )
    assert decided.status_code == 200 and decided.data["decision"]["amount"] == 70000
    reports = api(applicant).get("/api/funding-reports/").data
    assert reports and reports[-1]["kind"] == "final"
    indicator_id = (
        api(applicant).get(f"/api/funding-applications/{app_id}/").data["indicators"][0]["id"]
    )
    submitted = api(applicant).post(
        f"/api/funding-reports/{reports[-1]['id']}/submit/",
        {"progress": "Klart", "money_spent": 65000, "results": {str(indicator_id): "18"}},
        format="json",
    )
    assert submitted.status_code == 200 and submitted.data["results"] == {str(indicator_id): "18"}


def test_submit_after_deadline_refused_through_the_api(draft, applicant, call):
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    response = api(applicant).post(f"/api/funding-applications/{draft.pk}/submit/")
    assert response.status_code == 400 and "för sent" in response.data["message"]


def _endpoints(call, application, report):
    c, a, r = call.pk, application.pk, report.pk
    k = call.criteria.first().pk
    return [
        ("patch", f"/api/funding-criteria/{k}/"),
        ("delete", f"/api/funding-criteria/{k}/"),
        ("get", f"/api/funding-calls/{c}/ranking/"),
        ("post", f"/api/funding-calls/{c}/publish/"),
        ("post", f"/api/funding-calls/{c}/letters/"),
        ("get", f"/api/funding-applications/{a}/"),
        ("patch", f"/api/funding-applications/{a}/"),
        ("post", f"/api/funding-applications/{a}/submit/"),
        ("post", f"/api/funding-applications/{a}/withdraw/"),
        ("post", f"/api/funding-applications/{a}/restore/"),
        ("get", f"/api/funding-applications/{a}/similar/"),
        ("post", f"/api/funding-applications/{a}/conflict/"),
        ("post", f"/api/funding-applications/{a}/scores/"),
        ("post", f"/api/funding-applications/{a}/decide/"),
        ("get", f"/api/funding-reports/{r}/"),
        ("post", f"/api/funding-reports/{r}/submit/"),
    ]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_cross_organisation_denial_on_every_endpoint(granted, outsider, who):
    client = api(outsider if who == "outsider" else None)
    report = granted.reports.first()
    before = (
        Application.objects.count(),
        Decision.objects.count(),
        Score.objects.count(),
        list(Criterion.objects.values_list("pk", "title", "weight")),
        list(Application.objects.values_list("status", flat=True)),
    )
    for method, url in _endpoints(granted.call, granted, report):
        response = getattr(client, method)(
            url,
            {"outcome": "granted", "amount": 1, "has_conflict": False, "weight": 9},
            format="json",
        )
        assert response.status_code in (401, 403, 404), (method, url, response.status_code)
    assert (
        Application.objects.count(),
        Decision.objects.count(),
        Score.objects.count(),
        list(Criterion.objects.values_list("pk", "title", "weight")),
        list(Application.objects.values_list("status", flat=True)),
    ) == before
    listed = client.get("/api/funding-applications/")
    assert listed.status_code in (401, 403) or listed.data == []
    reports = client.get("/api/funding-reports/")
    assert reports.status_code in (401, 403) or reports.data == []


def test_funder_viewer_reads_but_cannot_decide(submitted, viewer):
    client = api(viewer)
    assert client.get(f"/api/funding-applications/{submitted.pk}/").status_code == 200
    response = client.post(
        f"/api/funding-applications/{submitted.pk}/decide/",
        {"outcome": "granted", "amount": 200000},
        format="json",
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_calls_list_is_public_for_open_calls(call):
    titles = [c["title"] for c in api().get("/api/funding-calls/").data]
    assert call.title in titles
