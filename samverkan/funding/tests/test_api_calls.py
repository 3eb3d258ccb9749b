"""API parity with the call pages: adding a criterion, editing a call (the budget rule), the
decision letters of one application and the all-letters job (202 + status URL), and the
funder's portfolio; each for owner/editor, the funder's viewer, another organisation and an
anonymous visitor."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core.models import Job
from samverkan.funding.models import Call, Criterion
from samverkan.funding.services import calls, reporting
from samverkan.funding.tests.test_api_changes import _error, api


@pytest.fixture
def draft_call(organisation, owner):
    return calls.call_create(
        user=owner,
        owner=organisation,
        title="Utkast",
        budget=100_000,
        deadline=timezone.now() + datetime.timedelta(days=10),
        criteria=[calls.CriterionSpec("Relevans")],
    )


def _anonymous_refused(response):
    assert response.status_code in (401, 403), response.status_code


# --- criteria ----------------------------------------------------------------------------------


def test_owner_and_editor_add_criteria(call, owner, editor):
    url = f"/api/funding-calls/{call.pk}/criteria/"
    response = api(owner).post(
        url, {"title": "Jämställdhet", "weight": 2, "perspective": "gender"}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["position"] == 3 and response.data["perspective"] == "gender"
    response = api(editor).post(url, {"title": "Samverkan"}, format="json")
    assert response.status_code == 201 and response.data["weight"] == 1
    assert list(call.criteria.values_list("position", flat=True)) == [1, 2, 3, 4]
    body = _error(api(owner).post(url, {"title": "Noll", "weight": 0}, format="json"), 400)
    assert "weight" in body["errors"]
    body = _error(api(owner).post(url, {"weight": 2}, format="json"), 400)
    assert "title" in body["errors"]


def test_criteria_cannot_be_added_by_others(call, draft_call, viewer, outsider, applicant):
    before = Criterion.objects.count()
    body = {"title": "Smyg"}
    for target in (call, draft_call):
        url = f"/api/funding-calls/{target.pk}/criteria/"
        assert _error(api(viewer).post(url, body, format="json"), 403)
        _anonymous_refused(api().post(url, body, format="json"))
    for user in (outsider, applicant):
        # an open call is public (403); a draft is not there for another organisation (404)
        assert _error(api(user).post(f"/api/funding-calls/{call.pk}/criteria/", body), 403)
        assert _error(api(user).post(f"/api/funding-calls/{draft_call.pk}/criteria/", body), 404)
    assert Criterion.objects.count() == before


# --- editing a call ----------------------------------------------------------------------------


def test_owner_and_editor_edit_a_call(call, owner, editor, skane):
    url = f"/api/funding-calls/{call.pk}/"
    response = api(owner).patch(
        url, {"title": "Integrationsstöd 2027", "eligible_county_codes": [skane.code]}, "json"
    )
    assert response.status_code == 200, response.data
    assert response.data["title"] == "Integrationsstöd 2027"
    assert response.data["eligible_county_codes"] == [skane.code]
    assert response.data["budget"] == 500_000  # left out, kept
    response = api(editor).patch(
        url, {"budget": 600_000, "purpose": "Nytt syfte", "source": "Beslut 2026"}, "json"
    )
    assert response.status_code == 200, response.data
    call.refresh_from_db()
    assert (call.title, call.budget, call.purpose) == (
        "Integrationsstöd 2027",
        600_000,
        "Nytt syfte",
    )
    assert list(call.eligible_counties.all()) == [skane]  # left out, kept
    assert call.history.count() >= 3


def test_call_edit_refusals_name_the_field(granted, owner):
    url = f"/api/funding-calls/{granted.call.pk}/"
    body = _error(api(owner).patch(url, {"budget": 150_000}, format="json"), 400)
    assert "200\xa0000 kr är redan beviljat" in body["errors"]["budget"][0]
    body = _error(
        api(owner).patch(
            url, {"period_start": "2027-01-01", "period_end": "2026-01-01"}, format="json"
        ),
        400,
    )
    assert "period_end" in body["errors"]
    body = _error(api(owner).patch(url, {"owner_code": "annan"}, format="json"), 400)
    assert "owner_code" in body["errors"]
    assert Call.objects.get(pk=granted.call.pk).budget == 500_000
    # down to exactly what is granted is fine
    assert api(owner).patch(url, {"budget": 200_000}, format="json").status_code == 200


def test_call_edit_denied_to_others(call, draft_call, viewer, outsider):
    for target in (call, draft_call):
        url = f"/api/funding-calls/{target.pk}/"
        assert _error(api(viewer).patch(url, {"title": "X"}, format="json"), 403)
        _anonymous_refused(api().patch(url, {"title": "X"}, format="json"))
    assert _error(api(outsider).patch(f"/api/funding-calls/{call.pk}/", {"title": "X"}), 403)
    assert _error(api(outsider).patch(f"/api/funding-calls/{draft_call.pk}/", {"title": "X"}), 404)
    assert set(Call.objects.values_list("title", flat=True)) == {"Integrationsstöd 2026", "Utkast"}


def test_budget_rule_on_the_edit_page(granted, owner_client):
    call = granted.call
    response = owner_client.post(
        reverse("funding:call_edit", args=[call.pk]),
        {
            "title": call.title,
            "budget": 100_000,
            "deadline": timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 200
    assert "är redan beviljat" in response.content.decode()
    assert Call.objects.get(pk=call.pk).budget == 500_000


# --- decision letters --------------------------------------------------------------------------


def test_applicant_and_funder_download_the_letter(granted, applicant, owner, viewer):
    base = f"/api/funding-applications/{granted.pk}/"
    for user in (applicant, owner, viewer):
        pdf = api(user).get(base + "letter-pdf/")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf["Content-Type"] == "application/pdf"
        assert f"beslut-{granted.pk}.pdf" in pdf["Content-Disposition"]
    docx = api(applicant).get(base + "letter-docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "wordprocessingml" in docx["Content-Type"]


def test_letter_denied_to_others(granted, outsider):
    for fmt in ("pdf", "docx"):
        url = f"/api/funding-applications/{granted.pk}/letter-{fmt}/"
        assert _error(api(outsider).get(url), 404)["code"] == "not_found"
        _anonymous_refused(api().get(url))


def test_undecided_application_has_no_letter(submitted, applicant):
    assert _error(api(applicant).get(f"/api/funding-applications/{submitted.pk}/letter-pdf/"), 404)


def test_letters_job_is_started_and_polled(
    granted, owner, editor, django_capture_on_commit_callbacks
):
    url = f"/api/funding-calls/{granted.call.pk}/letters/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(editor).post(url)
    assert response.status_code == 202, response.data
    job_id = response.data["job_id"]
    assert (
        response["Location"]
        == response.data["status_url"]
        == (f"/api/funding-letter-jobs/{job_id}/")
    )
    status = api(owner).get(response.data["status_url"])
    assert status.status_code == 200, status.data
    assert status.data["status"] == Job.Status.DONE and status.data["progress"] == 100
    assert status.data["letters"] == 1 and status.data["call_id"] == granted.call.pk
    runs = api(owner).get(url)
    assert [r["job_id"] for r in runs.data] == [job_id]
    # the letter stored by the job is the one served
    granted.decision.refresh_from_db()
    pdf = api(owner).get(f"/api/funding-applications/{granted.pk}/letter-pdf/")
    assert pdf.content == bytes(granted.decision.letter_pdf)


def test_letters_job_without_decisions_is_refused(submitted, owner):
    body = _error(api(owner).post(f"/api/funding-calls/{submitted.call.pk}/letters/"), 400)
    assert "inga beslut" in body["message"]


def test_letters_job_denied_to_others(granted, owner, viewer, outsider, applicant):
    url = f"/api/funding-calls/{granted.call.pk}/letters/"
    job = api(owner).post(url).data
    for user in (viewer, outsider, applicant):
        assert _error(api(user).post(url), 403)
        assert _error(api(user).get(url), 403)
        # the job itself is the funder's: 404, as for an id that does not exist (finding 11e)
        assert _error(api(user).get(job["status_url"]), 404)
    _anonymous_refused(api().post(url))
    _anonymous_refused(api().get(job["status_url"]))
    assert Job.objects.filter(name="funding.decision_letters").count() == 1
    other = Job.objects.create(
        name="core.other", kwargs={"call_id": granted.call.pk}, run_after=timezone.now()
    )
    assert _error(api(owner).get(f"/api/funding-letter-jobs/{other.pk}/"), 404)


def test_letters_job_status_reveals_nothing_to_readers_of_the_call(granted, owner, viewer):
    """Finding 11e: the funder's viewer reads the call but not its letters jobs, and gets the
    same answer for an existing job as for an id that does not exist."""
    job = api(owner).post(f"/api/funding-calls/{granted.call.pk}/letters/").data
    existing = api(viewer).get(job["status_url"])
    missing = api(viewer).get(f"/api/funding-letter-jobs/{job['job_id'] + 1000}/")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


def test_letters_job_of_a_draft_call_is_not_there_for_others(draft_call, outsider):
    job = Job.objects.create(
        name="funding.decision_letters", kwargs={"call_id": draft_call.pk}, run_after=timezone.now()
    )
    assert _error(api(outsider).get(f"/api/funding-letter-jobs/{job.pk}/"), 404)


# --- portfolio ---------------------------------------------------------------------------------


def test_portfolio_for_owner_and_editor(granted, owner, editor, applicant, skane):
    granted.county = skane
    granted.save(update_fields=["county"])
    granted.themes.set([Theme.objects.create(code="arbete", name="Arbete")])
    granted.target_groups.set([TargetGroup.objects.create(code="nyanlanda", name="Nyanlända")])
    first, final = granted.reports.order_by("due_date")
    indicator = granted.indicators.get()
    reporting.report_submit(
        report=first,
        user=applicant,
        progress="Halvvägs.",
        money_spent=250_000,
        results={indicator.pk: 38},
    )
    final.due_date = datetime.date(2020, 1, 1)
    final.save(update_fields=["due_date"])
    for user in (owner, editor):
        response = api(user).get(f"/api/funding-calls/{granted.call.pk}/portfolio/")
        assert response.status_code == 200, response.data
        data = response.data
        assert (data["granted_count"], data["granted_total"], data["spent"]) == (
            1,
            200_000,
            250_000,
        )
        assert data["by_county"] == [{"name": skane.name, "amount": 200_000}]
        assert data["by_theme"] == [{"name": "Arbete", "amount": 200_000}]
        assert data["by_target_group"] == [{"name": "Nyanlända", "amount": 200_000}]
        assert data["results"][0]["indicator_id"] == indicator.pk
        assert data["results"][0]["achieved"] == "38.00"
        [over] = data["overspent"]
        assert (over["report_id"], over["granted"], over["overspend"]) == (
            first.pk,
            200_000,
            50_000,
        )
        assert [r["report_id"] for r in data["overdue"]] == [final.pk]
        assert data["overdue"][0]["applicant"] == granted.owner.name


def test_portfolio_denied_to_others(granted, draft_call, viewer, outsider, applicant):
    url = f"/api/funding-calls/{granted.call.pk}/portfolio/"
    for user in (viewer, outsider, applicant):
        assert _error(api(user).get(url), 403)
    _anonymous_refused(api().get(url))
    assert _error(api(outsider).get(f"/api/funding-calls/{draft_call.pk}/portfolio/"), 404)
