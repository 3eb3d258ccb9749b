"""The outline shown before a build, and the plans chapter's late activities."""

from __future__ import annotations

from django.urls import reverse

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.core.reporting.registry import Period, Scope
from samverkan.geo.models import County
from samverkan.reports.models import GeneratedReport
from samverkan.reports.services import report_build, report_outline
from samverkan.reports.tests.conftest import YEAR


def _form(organisation, **extra):
    data = {
        "owner": organisation.pk,
        "kind": "county",
        "county": County.objects.get(code="12").pk,
        "year_start": YEAR,
        "year_end": YEAR,
        "sections": ["organisations", "plans"],
        "format": "pdf",
        "visibility": "private",
        "outline": "1",
    }
    data.update(extra)
    return data


def test_outline_lists_the_chosen_chapters_in_report_order_and_builds_nothing(
    county_data, organisation, editor_client
):
    response = editor_client.post(
        reverse("reports:start"), _form(organisation, recommendations="Mer samverkan.")
    )
    assert response.status_code == 200
    page = response.content.decode()
    titles = ["Aktörer", "Strategier och handlingsplaner", "Utmaningar och rekommendationer"]
    positions = [page.index(f"<strong>{title}</strong>") for title in [*titles, "Källor"]]
    assert positions == sorted(positions)
    assert "<strong>Länsrapport: Skåne" in page
    assert "Indikatorer och mål</strong>" not in page  # not chosen
    assert not GeneratedReport.objects.exists()


def test_outline_with_an_error_shows_the_error_summary(organisation, editor_client):
    response = editor_client.post(
        reverse("reports:start"), _form(organisation, year_start=YEAR, year_end=YEAR - 1)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    assert "Dispositionen" not in page


def test_outline_of_a_network_the_user_cannot_read_is_refused(county_data, organisation, outsider):
    network = county_data["network"]
    network.visibility = Visibility.PRIVATE
    network.save()
    try:
        report_outline(user=outsider, kind="network", network=network.slug, year_start=YEAR)
    except Exception as exc:  # a private network is not found for an outsider
        assert "nätverk" in str(exc).lower()
    else:
        raise AssertionError("an outsider got the outline of a network it cannot read")


def test_outline_without_sections_means_every_section_of_the_kind(county_data):
    outline = report_outline(user=tenancy.SYSTEM, kind="national", year_start=YEAR)
    titles = [chapter.title for chapter in outline.chapters]
    assert titles[0] == "Sammanfattning"  # the key figures per county
    assert titles[-1] == "Källor"
    assert [c.number for c in outline.chapters] == list(range(1, len(titles) + 1))
    assert all(c.summary for c in outline.chapters)


def test_plans_chapter_lists_late_activities_with_how_late_they_are(county_data):
    report = report_build(
        scope=Scope("county", county=county_data["network"].county),
        period=Period(YEAR, YEAR),
        sections=["plans"],
        user=tenancy.SYSTEM,
    )
    (section,) = report.sections
    late = [b for b in section.blocks if getattr(b, "caption", "") == "Försenade aktiviteter"]
    assert late, "no late activities table"
    (row,) = late[0].rows
    assert row[0] == "Kartlägg aktörerna"
    assert row[3] == f"{YEAR}-06-30"
    assert row[4] == 184  # 30 June to 31 December, the end of the report's period


def test_national_summary_has_one_row_per_county_with_the_hub_figures(county_data):
    report = report_build(
        scope=Scope("national"),
        period=Period(YEAR, YEAR),
        sections=["summary"],
        user=tenancy.SYSTEM,
    )
    (section,) = report.sections
    table = next(b for b in section.blocks if getattr(b, "caption", "") == "Nyckeltal per län")
    assert table.columns[0] == "Län"
    assert len(table.rows) == County.objects.count()
    skane = next(row for row in table.rows if row[0].startswith("Skåne"))
    organisations = table.columns.index("Organisationer")
    assert int(skane[organisations]) >= 5  # the fixture's county board and four more


def test_national_gaps_list_counties_without_any_responsibility_once(county_data):
    report = report_build(
        scope=Scope("national"),
        period=Period(YEAR, YEAR),
        sections=["networks"],
        user=tenancy.SYSTEM,
    )
    (section,) = report.sections
    table = next(b for b in section.blocks if getattr(b, "caption", "").startswith("Luckor"))
    assert [row[0] for row in table.rows] == ["Skåne län"]  # the fixture's claims are there
    note = next(b.text for b in section.blocks if getattr(b, "text", "").startswith("Ingen ansv"))
    assert f"i {County.objects.count() - 1} av {County.objects.count()} län" in note
    assert "Stockholms" in note and "Skåne" not in note
