"""The full duplicate report in the background: job, progress, pages, downloads, API and who
may see what (a report is its requester's alone)."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.accounts.models import Membership
from samverkan.core.jobs import job_run
from samverkan.core.models import Job, Visibility
from samverkan.geo.models import County
from samverkan.projects import duplicates
from samverkan.projects.models import DuplicatePair, DuplicateReport
from samverkan.projects.views import duplicates as duplicate_views

VALIDERING = "Validering av nyanländas yrkeskompetens"
SUMMARY = "Valideringen av yrkeskunskaper ska bli snabbare för nyanlända akademiker i Malmö."
FORMULA = '=HYPERLINK("http://evil.example","klicka")'


@pytest.fixture
def background(monkeypatch):
    """Every county counts as large, so the small test counties take the background path."""
    monkeypatch.setattr(duplicates, "INLINE_MAX_PROJECTS", 0)


@pytest.fixture
def county_projects(make, organisation, other_organisation):
    """Skåne: a near copy, a same-owner-same-title pair with a formula as title, and a
    private near copy of another organisation."""
    common = {"summary": SUMMARY, "themes": ["work-skills"], "municipalities": ["1280"]}
    return {
        "original": make(organisation, VALIDERING, county=_skane(), **common),
        "copy": make(organisation, VALIDERING + " i Malmö", county=_skane(), **common),
        "formula_a": make(organisation, FORMULA, county=_skane(), summary="Språkcafé."),
        "formula_b": make(organisation, FORMULA, county=_skane(), summary="Läxhjälp."),
        "private": make(
            other_organisation,
            VALIDERING + " (intern)",
            county=_skane(),
            visibility=Visibility.PRIVATE,
            **common,
        ),
    }


def _skane():
    return County.objects.get(code="12")


def _run(report, capture):
    with capture(execute=True):
        return job_run(job_id=report.job_id)


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_button_starts_a_job_and_the_report_lists_and_downloads_every_pair(
    background, viewer, viewer_client, county_projects, django_capture_on_commit_callbacks
):
    page = viewer_client.get(reverse("projects:duplicates", args=["12"])).content.decode()
    assert 'action="/projekt/dubbletter/12/bygg/"' in page
    assert "bara i bakgrunden" in page and "Trolig dubblett" not in page  # nothing inline

    response = viewer_client.post("/projekt/dubbletter/12/bygg/")  # job not yet run
    report = DuplicateReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.requested_by == viewer and report.job.name == "projects.duplicate_report"
    assert report.job.kwargs == {"report_id": report.pk}
    waiting = viewer_client.get(report.get_absolute_url()).content.decode()
    assert "<progress" in waiting and 'http-equiv="refresh"' in waiting
    for fmt in ("xlsx", "csv"):
        assert (
            viewer_client.get(f"/projekt/dubbletter/rapport/{report.pk}/{fmt}/").status_code == 409
        )
    viewer_client.post("/projekt/dubbletter/12/bygg/")  # pressing again builds nothing more
    assert DuplicateReport.objects.count() == 1
    assert Job.objects.filter(name="projects.duplicate_report").count() == 1

    job = _run(report, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.progress == 100
    report.refresh_from_db()
    assert job.result == {"report_id": report.pk, "pairs": report.pairs, "duplicates": 2}
    assert report.is_done and report.projects == 4  # the other organisation's private one unread
    pairs = list(report.pair_set.order_by("position"))
    assert [p.position for p in pairs] == list(range(1, report.pairs + 1))
    p = county_projects
    assert {(x.first_id, x.second_id) for x in pairs if x.duplicate} == {
        (p["original"].pk, p["copy"].pk),
        (p["formula_a"].pk, p["formula_b"].pk),
    }
    assert all(x.duplicate for x in pairs[:2])  # duplicates first

    done = viewer_client.get(report.get_absolute_url()).content.decode()
    assert "refresh" not in done and "samma ägare och titel" in done
    assert f'href="{p["original"].get_absolute_url()}"' in done
    assert f'href="{p["copy"].get_absolute_url()}"' in done
    assert "(intern)" not in done

    download = viewer_client.get(f"/projekt/dubbletter/rapport/{report.pk}/csv/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert f"dubbletter-12-{report.created_at:%Y%m%d}" in download["Content-Disposition"]
    rows = _csv_rows(b"".join(download.streaming_content))
    assert len(rows) == report.pairs
    by_ids = {(r["projekt 1 id"], r["projekt 2 id"]): r for r in rows}
    formula_row = by_ids[(str(p["formula_a"].pk), str(p["formula_b"].pk))]
    assert formula_row["bedömning"] == "Trolig dubblett"
    assert formula_row["projekt 1"] == "'" + FORMULA  # neutralised, not run by a spreadsheet
    assert formula_row["varför"].startswith("samma ägare och titel")
    copy_row = by_ids[(str(p["original"].pk), str(p["copy"].pk))]
    assert "liknande text" in copy_row["varför"] and "samma kommun: Malmö" in copy_row["varför"]
    stored = next(x for x in pairs if x.second_id == p["copy"].pk)
    assert float(copy_row["likhet"]) == stored.score and float(copy_row["textlikhet"]) >= 0.6
    assert not any("(intern)" in r["projekt 1"] + r["projekt 2"] for r in rows)

    xlsx = viewer_client.get(f"/projekt/dubbletter/rapport/{report.pk}/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][:3] == ["bedömning", "likhet", "textlikhet"]
    assert len(table) == report.pairs + 1
    assert ["'" + FORMULA, "'" + FORMULA] in [[r[4], r[7]] for r in table[1:]]
    assert not any(str(cell).startswith("=") for row in table for cell in row if cell)


def test_report_pages_through_the_pairs(
    background,
    monkeypatch,
    viewer,
    viewer_client,
    county_projects,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(duplicate_views, "PAGE_SIZE", 1)
    report = duplicates.duplicate_report_start(county=_skane(), user=viewer)
    _run(report, django_capture_on_commit_callbacks)
    first = viewer_client.get(report.get_absolute_url()).content.decode()
    assert 'href="?page=2"' in first and 'rel="prev"' not in first
    second = viewer_client.get(report.get_absolute_url(), {"page": "2"}).content.decode()
    assert 'href="?page=1"' in second and "<td>2</td>" in second
    beyond = viewer_client.get(report.get_absolute_url(), {"page": "99999"}).content.decode()
    assert "Inga troliga dubbletter." in beyond
    huge = viewer_client.get(report.get_absolute_url(), {"page": "9" * 30})
    assert huge.status_code == 200 and 'href="?page=2"' in huge.content.decode()  # page 1


def test_progress_is_reported_while_the_job_runs(background, viewer, county_projects):
    report = duplicates.duplicate_report_start(county=_skane(), user=viewer)
    seen: list[tuple[int, str]] = []
    duplicates.duplicate_report_run(report_id=report.pk, progress=lambda p, m: seen.append((p, m)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] < 10 and percents[-1] >= 85
    messages = {m for _, m in seen}
    assert {"Läser projekten", "Jämför texterna", "Sparar paren", "Skriver CSV-filen"} <= messages


def test_small_county_is_still_shown_at_once(viewer_client, county_projects):
    page = viewer_client.get(reverse("projects:duplicates", args=["12"])).content.decode()
    assert "Trolig dubblett" in page and "samma ägare och titel" in page
    assert 'action="/projekt/dubbletter/12/bygg/"' in page  # the full list is still offered
    assert not DuplicateReport.objects.exists()


def test_api_starts_the_report_with_202_and_serves_pairs_and_files(
    background, viewer_client, county_projects, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer_client.post(
            "/api/project-duplicate-reports/", {"county": "12"}, content_type="application/json"
        )
    assert response.status_code == 202
    report = DuplicateReport.objects.get()
    body = response.json()
    assert body["status_url"] == f"/api/project-duplicate-reports/{report.pk}/"
    assert response["Location"] == body["status_url"]
    status = viewer_client.get(body["status_url"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["pairs"] == report.pairs and status["duplicates"] == 2
    listed = viewer_client.get("/api/project-duplicate-reports/", {"county": "12"}).json()
    assert [r["id"] for r in listed] == [report.pk]
    page = viewer_client.get(status["pairs_url"], {"offset": "1", "limit": "1"}).json()
    assert page["count"] == report.pairs and len(page["results"]) == 1
    assert page["results"][0]["position"] == 2 and page["results"][0]["duplicate"] is True
    csv_file = viewer_client.get(status["csv_url"])
    assert len(_csv_rows(b"".join(csv_file.streaming_content))) == report.pairs
    assert viewer_client.get(status["xlsx_url"]).content[:2] == b"PK"


def test_api_before_done_is_409_and_unknown_county_404(background, viewer_client, county_projects):
    response = viewer_client.post("/api/project-duplicate-reports/", {"county": "12"})
    assert response.json()["status"] == "queued" and response.json()["csv_url"] is None
    report = DuplicateReport.objects.get()
    for name in ("pairs", "xlsx", "csv"):
        answer = viewer_client.get(f"/api/project-duplicate-reports/{report.pk}/{name}/")
        assert answer.status_code == 409 and answer.json()["code"] == "not_ready"
    assert (
        viewer_client.post("/api/project-duplicate-reports/", {"county": "99"}).status_code == 404
    )
    assert viewer_client.post("/api/project-duplicate-reports/", {}).status_code == 400


def test_inline_api_refuses_a_large_county_with_a_pointer_to_the_background_report(
    background, viewer_client, county_projects
):
    answer = viewer_client.get(reverse("api:project-duplicates"), {"county": "12"})
    assert answer.status_code == 409 and answer.json()["code"] == "too_large"
    assert answer.json()["start_url"] == "/api/project-duplicate-reports/"


def test_a_report_is_its_requesters_alone(
    background,
    owner,
    viewer_client,
    outsider_client,
    client,
    county_projects,
    django_capture_on_commit_callbacks,
):
    report = duplicates.duplicate_report_start(county=_skane(), user=owner)
    _run(report, django_capture_on_commit_callbacks)
    urls = [
        f"/projekt/dubbletter/rapport/{report.pk}/",
        f"/projekt/dubbletter/rapport/{report.pk}/xlsx/",
        f"/projekt/dubbletter/rapport/{report.pk}/csv/",
    ]
    api_urls = [
        f"/api/project-duplicate-reports/{report.pk}/",
        f"/api/project-duplicate-reports/{report.pk}/pairs/",
        f"/api/project-duplicate-reports/{report.pk}/xlsx/",
        f"/api/project-duplicate-reports/{report.pk}/csv/",
    ]
    for url in urls + api_urls:
        assert outsider_client.get(url).status_code == 404, url
        assert viewer_client.get(url).status_code == 404, url  # a colleague, too
    for url in urls:
        answer = client.get(url)  # anonymous: to the login page
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(reverse("accounts:login")), url
    for url in api_urls:
        assert client.get(url).status_code in (401, 403), url
    assert outsider_client.get("/api/project-duplicate-reports/").json() == []
    outsider_page = outsider_client.get(reverse("projects:duplicates", args=["12"])).content
    assert report.get_absolute_url().encode() not in outsider_page
    assert client.post("/projekt/dubbletter/12/bygg/").status_code == 302  # to login
    assert client.post("/api/project-duplicate-reports/", {"county": "12"}).status_code in (
        401,
        403,
    )
    assert DuplicateReport.objects.count() == 1


def test_private_projects_of_another_organisation_never_appear(
    background,
    owner,
    outsider,
    make,
    organisation,
    other_organisation,
    county_projects,
    django_capture_on_commit_callbacks,
):
    own_secret = make(
        organisation,
        VALIDERING + " (vår interna)",
        county=_skane(),
        summary=SUMMARY,
        municipalities=["1280"],
        visibility=Visibility.PRIVATE,
    )
    theirs = county_projects["private"]
    reports = {}
    for user in (owner, outsider):
        reports[user] = duplicates.duplicate_report_start(county=_skane(), user=user)
        _run(reports[user], django_capture_on_commit_callbacks)

    def ids(report):
        pairs = DuplicatePair.objects.filter(report=report)
        csv_text = b"".join(
            duplicates.duplicate_report_csv(DuplicateReport.objects.get(pk=report.pk))
        ).decode("utf-8-sig")
        return {p.first_id for p in pairs} | {p.second_id for p in pairs}, csv_text

    owner_ids, owner_csv = ids(reports[owner])
    assert own_secret.pk in owner_ids and theirs.pk not in owner_ids
    assert "(intern)" not in owner_csv and "(vår interna)" in owner_csv
    outsider_ids, outsider_csv = ids(reports[outsider])
    assert theirs.pk in outsider_ids and own_secret.pk not in outsider_ids
    assert "(vår interna)" not in outsider_csv and "(intern)" in outsider_csv


def test_job_reads_the_requesters_permissions_when_it_runs(
    background, viewer, make, organisation, county_projects, django_capture_on_commit_callbacks
):
    secret = make(
        organisation,
        VALIDERING + " (vår interna)",
        county=_skane(),
        summary=SUMMARY,
        municipalities=["1280"],
        visibility=Visibility.PRIVATE,
    )
    report = duplicates.duplicate_report_start(county=_skane(), user=viewer)  # not yet run
    Membership.objects.filter(user=viewer).delete()  # left the organisation meanwhile
    _run(report, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.is_done
    assert not report.pair_set.filter(first=secret).exists()
    assert not report.pair_set.filter(second=secret).exists()

    viewer.is_active = False
    viewer.save()
    again = DuplicateReport.objects.create(county=_skane(), requested_by=viewer)
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_report_run(report_id=again.pk)


def test_a_project_made_private_since_is_shown_without_its_title(
    background,
    outsider,
    outsider_client,
    make,
    other_organisation,
    organisation,
    county_projects,
    django_capture_on_commit_callbacks,
):
    report = duplicates.duplicate_report_start(county=_skane(), user=outsider)
    _run(report, django_capture_on_commit_callbacks)
    original = county_projects["original"]
    original.visibility = Visibility.PRIVATE
    original.save()
    page = outsider_client.get(report.get_absolute_url()).content.decode()
    assert "projekt som du inte längre kan läsa" in page
    assert f'href="{original.get_absolute_url()}"' not in page
    pairs = outsider_client.get(f"/api/project-duplicate-reports/{report.pk}/pairs/").json()
    assert all(original.pk not in (p["first"], p["second"]) for p in pairs["results"])


def test_a_finished_report_replaces_the_requesters_earlier_ones(
    background, viewer, county_projects, django_capture_on_commit_callbacks
):
    first = duplicates.duplicate_report_start(county=_skane(), user=viewer)
    _run(first, django_capture_on_commit_callbacks)
    second = duplicates.duplicate_report_start(county=_skane(), user=viewer)
    assert second.pk != first.pk
    _run(second, django_capture_on_commit_callbacks)
    assert list(DuplicateReport.objects.values_list("pk", flat=True)) == [second.pk]
    assert DuplicatePair.objects.exclude(report=second).count() == 0


def test_anonymous_cannot_start_a_report(county_projects):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        duplicates.duplicate_report_start(county=_skane(), user=AnonymousUser())
    assert not DuplicateReport.objects.exists()
