"""The plan as PDF in the background: progress, status page, download, API, permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from samverkan.accounts.models import Membership
from samverkan.core import tenancy
from samverkan.core.jobs import job_run
from samverkan.core.models import Job
from samverkan.plans import exports, services
from samverkan.plans.models import PlanExport


@pytest.fixture
def background(monkeypatch):
    """Every plan counts as large, so the small test plans take the background path."""
    monkeypatch.setattr(exports, "INLINE_MAX_ACTIVITIES", 0)


def test_large_plan_button_starts_a_job_and_the_page_offers_the_download(
    background, viewer, viewer_client, plan, activity, django_capture_on_commit_callbacks
):
    page = viewer_client.get(f"/strategier/planer/{plan.pk}/").content.decode()
    assert f'action="/strategier/planer/{plan.pk}/pdf/"' in page
    # The old link answers with the page that starts the build instead of blocking.
    start_page = viewer_client.get(f"/strategier/planer/{plan.pk}/export.pdf")
    assert start_page.status_code == 200 and "Bygg PDF" in start_page.content.decode()

    response = viewer_client.post(f"/strategier/planer/{plan.pk}/pdf/")  # jobs not yet run
    export = PlanExport.objects.get()
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert export.created_by == viewer and export.job.name == "plans.export_pdf"
    assert export.job.kwargs == {"export_id": export.pk}
    waiting = viewer_client.get(export.get_absolute_url()).content.decode()
    assert "<progress" in waiting and 'http-equiv="refresh"' in waiting
    assert viewer_client.get(f"/strategier/planer/pdf/{export.pk}/fil/").status_code == 409
    # Pressing the button again while it waits builds nothing more.
    viewer_client.post(f"/strategier/planer/{plan.pk}/pdf/")
    assert (
        PlanExport.objects.count() == 1 and Job.objects.filter(name="plans.export_pdf").count() == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        job_run(job_id=export.job_id)
    job = Job.objects.get(pk=export.job_id)
    assert job.status == Job.Status.DONE and job.progress == 100
    assert job.result["export_id"] == export.pk
    export.refresh_from_db()
    assert export.is_done and export.activities == 1 and export.size > 1000
    done = viewer_client.get(export.get_absolute_url()).content.decode()
    assert f"/strategier/planer/pdf/{export.pk}/fil/" in done and "refresh" not in done
    download = viewer_client.get(f"/strategier/planer/pdf/{export.pk}/fil/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF") and download.content == bytes(export.content)
    assert "handlingsplan-" in download["Content-Disposition"]


def test_progress_is_reported_while_the_job_runs(background, viewer, plan, activity):
    export = exports.plan_export_start(plan=plan, user=viewer)
    seen: list[tuple[int, str]] = []
    exports.plan_export_run(export_id=export.pk, progress=lambda p, m: seen.append((p, m)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] < 20 and percents[-1] >= 85
    assert any("sidor" in m for _, m in seen)


def test_small_plan_still_renders_at_once(viewer_client, plan, activity):
    page = viewer_client.get(f"/strategier/planer/{plan.pk}/").content.decode()
    assert f'href="/strategier/planer/{plan.pk}/export.pdf"' in page
    response = viewer_client.get(f"/strategier/planer/{plan.pk}/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not PlanExport.objects.exists()


def test_api_starts_the_export_with_202_and_a_status_url(
    viewer_client, plan, activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer_client.post(f"/api/action-plans/{plan.pk}/export-pdf/")
    assert response.status_code == 202
    body = response.json()
    export = PlanExport.objects.get()
    assert body["status_url"] == f"/api/plan-exports/{export.pk}/"
    assert response["Location"] == body["status_url"]
    status = viewer_client.get(body["status_url"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["content_hash"] == export.content_hash
    file = viewer_client.get(status["download_url"])
    assert file.status_code == 200 and file.content.startswith(b"%PDF")


def test_api_download_before_done_is_409(viewer_client, plan, activity):
    response = viewer_client.post(f"/api/action-plans/{plan.pk}/export-pdf/")
    assert response.json()["status"] == "queued" and response.json()["download_url"] is None
    export = PlanExport.objects.get()
    answer = viewer_client.get(f"/api/plan-exports/{export.pk}/download/")
    assert answer.status_code == 409 and answer.json()["code"] == "not_ready"


def test_other_organisation_can_neither_start_nor_read_a_private_plans_pdf(
    owner, outsider_client, client, private_strategy, django_capture_on_commit_callbacks
):
    plan = services.plan_create(
        strategy=private_strategy, user=tenancy.SYSTEM, title="Intern plan", year_start=2020
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.plan_export_start(plan=plan, user=owner)
    export.refresh_from_db()
    assert export.is_done
    for url in (
        f"/strategier/planer/pdf/{export.pk}/",
        f"/strategier/planer/pdf/{export.pk}/fil/",
        f"/api/plan-exports/{export.pk}/",
        f"/api/plan-exports/{export.pk}/download/",
    ):
        assert outsider_client.get(url).status_code == 404, url
        assert client.get(url).status_code in (401, 403, 404), url  # anonymous
    assert outsider_client.post(f"/strategier/planer/{plan.pk}/pdf/").status_code == 404
    assert outsider_client.post(f"/api/action-plans/{plan.pk}/export-pdf/").status_code == 404
    assert client.post(f"/strategier/planer/{plan.pk}/pdf/").status_code == 302  # to login
    assert PlanExport.objects.count() == 1


def test_export_is_readable_by_other_readers_of_the_plan(
    owner, viewer_client, private_strategy, django_capture_on_commit_callbacks
):
    plan = services.plan_create(
        strategy=private_strategy, user=tenancy.SYSTEM, title="Intern plan", year_start=2020
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.plan_export_start(plan=plan, user=owner)
    assert viewer_client.get(f"/strategier/planer/pdf/{export.pk}/fil/").status_code == 200


def test_job_rechecks_that_the_requester_may_still_read_the_plan(
    viewer, private_strategy, django_capture_on_commit_callbacks
):
    plan = services.plan_create(
        strategy=private_strategy, user=tenancy.SYSTEM, title="Intern plan", year_start=2020
    )
    export = exports.plan_export_start(plan=plan, user=viewer)  # job not yet run
    Membership.objects.filter(user=viewer).delete()  # left the organisation meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        job = job_run(job_id=export.job_id)
    assert "PermissionDenied" in job.error
    export.refresh_from_db()
    assert not export.is_done and export.content is None


def test_anonymous_cannot_start_a_background_export(plan):
    with pytest.raises(PermissionDenied):
        exports.plan_export_start(plan=plan, user=AnonymousUser())
    assert not PlanExport.objects.exists()
