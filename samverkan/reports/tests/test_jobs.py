"""Reports are built by a background job with progress; finished ones download and publish."""

from __future__ import annotations

import json

from django.urls import reverse

from samverkan.core.models import Job, Visibility
from samverkan.reports.models import GeneratedReport
from samverkan.reports.services import content_hash, generated_report_start
from samverkan.reports.tests.conftest import YEAR


def test_job_builds_the_file_with_progress(
    county_data, organisation, owner, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    from samverkan.core import jobs

    original = jobs.JobContext.progress

    def spy(self, percent, message=""):
        seen.append((percent, message))
        original(self, percent, message)

    monkeypatch.setattr(jobs.JobContext, "progress", spy)
    with django_capture_on_commit_callbacks(execute=True):
        report = generated_report_start(
            user=owner,
            owner=organisation,
            kind="county",
            county="12",
            fmt="xlsx",
            year_start=YEAR,
            year_end=YEAR,
        )
    report.refresh_from_db()
    assert report.job.status == Job.Status.DONE and report.job.progress == 100
    assert report.content_hash == content_hash(bytes(report.content))
    assert [m for _p, m in seen][:3] == [
        "Sammanfattning",
        "Aktörer",
        "Nätverk och ansvarsfördelning",
    ]
    assert [p for p, _m in seen] == sorted(p for p, _m in seen)
    assert seen[-1] == (90, "Skriver XLSX")


def test_same_snapshot_gives_same_hash(organisation, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = generated_report_start(
            user=owner,
            owner=organisation,
            kind="national",
            fmt="docx",
            year_start=YEAR,
            year_end=YEAR,
        )
    from samverkan.reports.services import generated_report_run

    first.refresh_from_db()
    again = generated_report_run(report_id=first.pk)
    assert again.content_hash == first.content_hash


def test_pages_show_progress_then_download(
    organisation, owner, owner_client, django_capture_on_commit_callbacks
):
    report = generated_report_start(
        user=owner,
        owner=organisation,
        kind="national",
        fmt="html",
        year_start=YEAR,
        year_end=YEAR,
    )
    page = owner_client.get(reverse("reports:report", args=[report.pk]))
    assert b"<progress" in page.content and b'http-equiv="refresh"' in page.content
    assert owner_client.get(reverse("reports:download", args=[report.pk])).status_code == 409
    from samverkan.core.jobs import job_run

    job_run(job_id=report.job_id)
    page = owner_client.get(reverse("reports:report", args=[report.pk]))
    assert b"Ladda ner" in page.content
    download = owner_client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/html")


def test_start_from_the_form_and_save_a_template(county_data, organisation, owner_client):
    response = owner_client.post(
        reverse("reports:start"),
        {
            "title": "Min länsrapport",
            "owner": organisation.pk,
            "kind": "county",
            "county": county_data["organisations"][0].county_id,
            "year_start": YEAR,
            "year_end": YEAR,
            "sections": ["organisations", "plans"],
            "format": "docx",
            "visibility": "private",
            "save": "1",
        },
    )
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.template.title == "Min länsrapport"
    assert report.sections == ["organisations", "plans"]
    listing = owner_client.get(reverse("reports:list"))
    assert "Min länsrapport" in listing.content.decode()


def test_publish_only_public_data_reports(
    organisation, owner, owner_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        internal = generated_report_start(
            user=owner,
            owner=organisation,
            kind="national",
            fmt="html",
            year_start=YEAR,
            year_end=YEAR,
        )
        public = generated_report_start(
            user=owner,
            owner=organisation,
            kind="national",
            fmt="pdf",
            year_start=YEAR,
            year_end=YEAR,
            public_data=True,
        )
    owner_client.post(reverse("reports:publish", args=[internal.pk]), {"publish": "1"})
    internal.refresh_from_db()
    assert internal.visibility == Visibility.PRIVATE
    owner_client.post(reverse("reports:publish", args=[public.pk]), {"publish": "1"})
    public.refresh_from_db()
    assert public.visibility == Visibility.PUBLIC
    page = client.get(organisation.get_absolute_url())
    assert public.title in page.content.decode()
    download = client.get(reverse("reports:download", args=[public.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client.get(reverse("reports:download", args=[internal.pk])).status_code == 404


def test_api_start_status_and_download(
    organisation, owner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("api:report-list"),
            json.dumps(
                {
                    "owner": organisation.code,
                    "kind": "county",
                    "county": "12",
                    "year_start": YEAR,
                    "format": "xlsx",
                    "sections": ["organisations"],
                }
            ),
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    report_id = response.json()["id"]
    status = owner_client.get(reverse("api:report-detail", args=[report_id])).json()
    assert status["status"] == "done" and status["progress"] == 100
    download = owner_client.get(status["download_url"])
    assert download.status_code == 200 and download.content.startswith(b"PK")
    bad = owner_client.post(
        reverse("api:report-list"),
        json.dumps({"owner": organisation.code, "kind": "county", "year_start": YEAR}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "Välj ett län för en länsrapport." in bad.content.decode()


def test_the_authors_recommendations_end_the_report(
    owner, organisation, county_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = generated_report_start(
            user=owner,
            owner=organisation,
            kind="county",
            county="12",
            fmt="html",
            year_start=YEAR,
            year_end=YEAR,
            recommendations="Samordna SFI och arbetsmarknadsinsatser.\n\nFölj upp varje år.",
        )
    stored = GeneratedReport.objects.get(pk=report.pk)
    html = bytes(stored.content).decode()
    assert html.index("Utmaningar och rekommendationer") > html.index("Indikatorer och mål")
    assert "<p>Samordna SFI och arbetsmarknadsinsatser.</p>" in html
    assert "<p>Följ upp varje år.</p>" in html
