"""API parity with the pages: withdrawing and restoring an application, changing and removing
criteria (with the refusals the call page gives, in the one error shape), and the over-spend
flag of a report back."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from samverkan.core.models import AuditEntry
from samverkan.funding import selectors
from samverkan.funding.models import Application, ApplicationStatus, Criterion
from samverkan.funding.services import assessment, calls, reporting


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _error(response, status):
    """The response is the project's one error shape with ``status``."""
    assert response.status_code == status, response.data
    assert set(response.data) == {"status", "code", "message", "errors"}, response.data
    assert response.data["status"] == status
    return response.data


def _score(application, user, criterion, value=4):
    assessment.conflict_declare(application=application, user=user, has_conflict=False)
    assessment.scores_set(application=application, user=user, scores={criterion.pk: (value, "")})


# --- withdrawal and restore --------------------------------------------------------------------


def test_applicant_withdraws_and_restores_through_the_api(submitted, applicant, owner):
    url = f"/api/funding-applications/{submitted.pk}/"
    response = api(applicant).post(url + "withdraw/", {"reason": "Fick annat stöd"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == ApplicationStatus.WITHDRAWN
    assert submitted.history.first().history_change_reason == "Fick annat stöd"
    assert AuditEntry.objects.filter(action="funding.application_withdrawn").exists()
    assert selectors.call_ranking(call=submitted.call).rows == []
    # the funder still reads it, marked withdrawn
    assert api(owner).get(url).data["status"] == ApplicationStatus.WITHDRAWN

    again = _error(api(applicant).post(url + "withdraw/"), 400)
    assert "redan återtagen" in again["message"]

    restored = api(applicant).post(url + "restore/")
    assert restored.status_code == 200, restored.data
    assert restored.data["status"] == ApplicationStatus.SUBMITTED
    assert restored.data["perspectives"] == submitted.perspectives
    assert [r.pk for r in selectors.call_ranking(call=submitted.call).rows] == [submitted.pk]
    not_withdrawn = _error(api(applicant).post(url + "restore/"), 400)
    assert "inte återtagen" in not_withdrawn["message"]


def test_a_withdrawn_draft_is_restored_as_a_draft(draft, applicant):
    url = f"/api/funding-applications/{draft.pk}/"
    assert api(applicant).post(url + "withdraw/").data["status"] == ApplicationStatus.WITHDRAWN
    assert api(applicant).post(url + "restore/").data["status"] == ApplicationStatus.DRAFT


def test_withdrawal_after_a_decision_is_refused_with_the_reason(granted, applicant):
    body = _error(api(applicant).post(f"/api/funding-applications/{granted.pk}/withdraw/"), 400)
    assert body["code"] == "invalid" and "beslutat" in body["message"]
    assert Application.objects.get(pk=granted.pk).status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("action", ["withdraw", "restore"])
def test_withdraw_and_restore_denied_to_others(
    submitted, applicant, applicant_viewer, owner, viewer, outsider, action
):
    if action == "restore":
        api(applicant).post(f"/api/funding-applications/{submitted.pk}/withdraw/")
    status_before = Application.objects.get(pk=submitted.pk).status
    url = f"/api/funding-applications/{submitted.pk}/{action}/"
    # the applicant's reading member and the funder (who reads it) may not
    for user in (applicant_viewer, owner, viewer):
        assert _error(api(user).post(url), 403)["code"] == "permission_denied"
    # another organisation does not even learn that it exists
    assert _error(api(outsider).post(url), 404)["code"] == "not_found"
    assert api().post(url).status_code in (401, 403)
    assert Application.objects.get(pk=submitted.pk).status == status_before


# --- criteria ----------------------------------------------------------------------------------


def test_funder_changes_a_criterion_before_assessment(call, owner, editor):
    criterion = call.criteria.first()
    url = f"/api/funding-criteria/{criterion.pk}/"
    response = api(owner).patch(url, {"title": "Främjar arbete", "weight": 3}, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["title"], response.data["weight"]) == ("Främjar arbete", 3)
    assert response.data["guidance"] == "Hur?"  # left out, kept
    response = api(editor).patch(url, {"guidance": "Tydligare"}, format="json")
    assert response.status_code == 200
    criterion.refresh_from_db()
    assert (criterion.title, criterion.weight, criterion.guidance) == (
        "Främjar arbete",
        3,
        "Tydligare",
    )
    assert AuditEntry.objects.filter(action="funding.criterion_changed").count() == 2


def test_scored_criterion_refusals_name_the_reason(submitted, owner):
    first, second = submitted.call.criteria.all()
    _score(submitted, owner, first)
    client = api(owner)
    body = _error(
        client.patch(f"/api/funding-criteria/{first.pk}/", {"title": "Annat"}, format="json"), 400
    )
    assert body["code"] == "invalid"
    assert "1 poäng" in body["errors"]["title"][0] and "1 poäng" in body["message"]
    body = _error(
        client.patch(f"/api/funding-criteria/{second.pk}/", {"weight": 5}, format="json"), 400
    )
    assert "Bedömningen har börjat (1 poäng" in body["errors"]["weight"][0]
    assert "vikten 1 kan inte ändras till 5" in body["errors"]["weight"][0]
    # the guidance of a scored criterion can still be clarified
    response = client.patch(f"/api/funding-criteria/{first.pk}/", {"guidance": "Ny"}, format="json")
    assert response.status_code == 200 and response.data["guidance"] == "Ny"

    body = _error(client.delete(f"/api/funding-criteria/{first.pk}/"), 400)
    assert "har fått 1 poäng och kan inte tas bort" in body["errors"]["non_field_errors"][0]
    assert Criterion.objects.filter(pk=first.pk, weight=2, title=first.title).exists()

    assert client.delete(f"/api/funding-criteria/{second.pk}/").status_code == 204
    assert list(submitted.call.criteria.values_list("title", "position")) == [
        ("Främjar sysselsättning", 1)
    ]
    assert AuditEntry.objects.filter(action="funding.criterion_removed").exists()
    first.scores.all().delete()
    body = _error(client.delete(f"/api/funding-criteria/{first.pk}/"), 400)
    assert "minst ett bedömningskriterium" in body["message"]


def test_weight_below_one_is_refused(call, owner):
    criterion = call.criteria.first()
    body = _error(
        api(owner).patch(f"/api/funding-criteria/{criterion.pk}/", {"weight": 0}, format="json"),
        400,
    )
    assert "minst 1" in body["errors"]["weight"][0]


@pytest.fixture
def draft_call(organisation, owner):
    return calls.call_create(
        user=owner,
        owner=organisation,
        title="Utkast",
        budget=100_000,
        deadline=timezone.now() + datetime.timedelta(days=10),
        criteria=[calls.CriterionSpec("Relevans"), calls.CriterionSpec("Genomförbarhet")],
    )


def test_criterion_changes_denied_to_others(call, draft_call, viewer, applicant, outsider):
    published = call.criteria.first()
    unpublished = draft_call.criteria.first()
    for criterion in (published, unpublished):
        url = f"/api/funding-criteria/{criterion.pk}/"
        # the funder's reading member may not change its criteria
        assert _error(api(viewer).patch(url, {"weight": 9}, format="json"), 403)
        assert _error(api(viewer).delete(url), 403)
        assert api().delete(url).status_code in (401, 403)
    # another organisation: a draft call's criteria are not even there for it; an open call
    # is public, so its criteria are readable but not another organisation's to change
    for user in (outsider, applicant):
        url = f"/api/funding-criteria/{unpublished.pk}/"
        assert _error(api(user).patch(url, {"weight": 9}, format="json"), 404)
        assert _error(api(user).delete(url), 404)
        url = f"/api/funding-criteria/{published.pk}/"
        assert _error(api(user).patch(url, {"weight": 9}, format="json"), 403)
        assert _error(api(user).delete(url), 403)
    assert Criterion.objects.filter(call__in=[call, draft_call]).count() == 4
    assert set(Criterion.objects.values_list("weight", flat=True)) == {1, 2}


def test_criteria_are_read_with_their_call(call, owner):
    url = f"/api/funding-criteria/{call.criteria.first().pk}/"
    assert api(owner).get(url).status_code == 405
    titles = [c["title"] for c in api(owner).get(f"/api/funding-calls/{call.pk}/").data["criteria"]]
    assert titles == ["Främjar sysselsättning", "Långsiktighet"]


# --- the over-spend flag of a report back ------------------------------------------------------


def test_report_api_shows_the_overspend_flag_read_only(granted, applicant, owner):
    report = granted.reports.last()
    url = f"/api/funding-reports/{report.pk}/"
    before = api(applicant).get(url).data
    assert (before["granted"], before["overspent"], before["overspend"]) == (200_000, False, 0)
    assert before["overspend_note"] == ""
    response = api(applicant).post(
        url + "submit/",
        {"progress": "Klart.", "money_spent": 230_000, "overspent": False, "granted": 1},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert (response.data["granted"], response.data["overspent"]) == (200_000, True)
    report.refresh_from_db()
    for user in (owner, applicant):
        data = api(user).get(url).data
        assert (data["granted"], data["overspent"], data["overspend"]) == (200_000, True, 30_000)
        assert "230\xa0000 kr" in data["overspend_note"]
        assert (
            "200\xa0000 kr" in data["overspend_note"] and "30\xa0000 kr" in data["overspend_note"]
        )
        assert data["overspend_note"] == reporting.report_overspend_note(report, 200_000)
    (listed,) = [r for r in api(owner).get("/api/funding-reports/").data if r["id"] == report.pk]
    assert (listed["granted"], listed["overspent"], listed["overspend"]) == (200_000, True, 30_000)
    assert api(owner).patch(url, {"overspent": False}, format="json").status_code == 405


def test_spending_within_the_grant_is_not_flagged_in_the_api(granted, applicant):
    report = granted.reports.last()
    reporting.report_submit(
        report=report, user=applicant, progress="Klart.", money_spent=200_000, results={}
    )
    data = api(applicant).get(f"/api/funding-reports/{report.pk}/").data
    assert (data["granted"], data["overspent"], data["overspend"], data["overspend_note"]) == (
        200_000,
        False,
        0,
        "",
    )


def test_report_list_reads_the_grant_without_a_query_per_report(
    granted, owner, django_assert_max_num_queries
):
    client = api(owner)
    with django_assert_max_num_queries(8):
        data = client.get("/api/funding-reports/").data
    assert len(data) == 2 and {r["granted"] for r in data} == {200_000}
