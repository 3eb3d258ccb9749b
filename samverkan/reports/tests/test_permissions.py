"""What a reader may see, and who may build, download and publish."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.reports.models import GeneratedReport, ReportTemplate
from samverkan.reports.services import generated_report_start, report_file, template_create
from samverkan.reports.tests.conftest import YEAR


def test_private_records_are_left_out_for_outsiders(county_data, outsider):
    campaign = county_data["campaign"]
    assert campaign.visibility == Visibility.PRIVATE
    _r, data = report_file(user=outsider, kind="county", county="12", fmt="html", year_start=YEAR)
    assert "Kartläggning 2024" not in data.decode()
    _r, data = report_file(
        user=tenancy.SYSTEM, kind="county", county="12", fmt="html", year_start=YEAR
    )
    assert "Kartläggning 2024" in data.decode()


@pytest.fixture
def template(organisation):
    return template_create(
        user=tenancy.SYSTEM,
        owner=organisation,
        title="Länsrapport Skåne",
        kind="county",
        county="12",
        year_start=YEAR,
        year_end=YEAR,
        sections=["organisations", "networks"],
    )


def test_template_page_shows_the_report(county_data, template, viewer_client):
    response = viewer_client.get(reverse("reports:template", args=[template.pk]))
    assert response.status_code == 200
    assert "Integrationsrådet i Skåne" in response.content.decode()


def test_outsider_cannot_see_a_private_template(template, outsider_client):
    response = outsider_client.get(reverse("reports:template", args=[template.pk]))
    assert response.status_code == 404


def test_outsider_cannot_build_from_or_delete_a_template(template, outsider_client):
    response = outsider_client.post(reverse("reports:template_generate", args=[template.pk]))
    assert response.status_code == 404
    response = outsider_client.post(reverse("reports:template_delete", args=[template.pk]))
    assert response.status_code == 404
    assert ReportTemplate.objects.filter(pk=template.pk).exists()
    assert not GeneratedReport.objects.exists()


def test_viewer_cannot_build_for_the_organisation(template, viewer_client):
    response = viewer_client.post(reverse("reports:template_generate", args=[template.pk]))
    assert response.status_code == 403
    assert not GeneratedReport.objects.exists()


def test_outsider_cannot_start_a_report_for_another_organisation(organisation, outsider):
    with pytest.raises(Exception) as info:
        generated_report_start(
            user=outsider,
            owner=organisation,
            kind="national",
            fmt="html",
            year_start=YEAR,
            year_end=YEAR,
        )
    assert type(info.value).__name__ == "PermissionDenied"


def test_outsider_cannot_read_download_or_publish_a_report(
    organisation, owner, outsider_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = generated_report_start(
            user=owner,
            owner=organisation,
            kind="national",
            fmt="html",
            year_start=YEAR,
            year_end=YEAR,
            public_data=True,
        )
    for name in ("reports:report", "reports:download"):
        assert outsider_client.get(reverse(name, args=[report.pk])).status_code == 404
    response = outsider_client.post(reverse("reports:publish", args=[report.pk]), {"publish": "1"})
    assert response.status_code == 404
    api = outsider_client.get(reverse("api:report-detail", args=[report.pk]))
    assert api.status_code == 404
    api = outsider_client.post(
        reverse("api:report-publish", args=[report.pk]),
        json.dumps({"publish": True}),
        content_type="application/json",
    )
    assert api.status_code == 404
    report.refresh_from_db()
    assert report.visibility == Visibility.PRIVATE
    api = outsider_client.post(
        reverse("api:report-list"),
        json.dumps({"owner": organisation.code, "kind": "national", "year_start": YEAR}),
        content_type="application/json",
    )
    assert api.status_code == 404
    assert GeneratedReport.objects.count() == 1
