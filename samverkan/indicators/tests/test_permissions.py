"""Own indicators and targets: only members see private ones; outsiders change nothing."""

import pytest

from samverkan.indicators.models import Breakdown, Indicator, Target
from samverkan.indicators.selectors import target_progress

from .conftest import observe


@pytest.fixture
def private_indicator(organisation):
    return Indicator.objects.create(
        code="egen-indikator",
        title="Egen indikator",
        definition="d",
        unit="st",
        source_kind="own",
        owner=organisation,
        visibility="private",
    )


@pytest.fixture
def target(organisation, employment):
    return Target.objects.create(
        owner=organisation,
        indicator=employment,
        title="Höj andelen",
        area_code="0127",
        breakdown=employment.total,
        baseline_year=2022,
        baseline_value=57.0,
        target_year=2026,
        target_value=65.0,
        visibility="private",
    )


def test_private_indicator_hidden_from_outsiders(
    viewer_client, outsider_client, client, private_indicator
):
    assert viewer_client.get("/indikatorer/egen-indikator/").status_code == 200
    assert outsider_client.get("/indikatorer/egen-indikator/").status_code == 404
    assert client.get("/api/indicators/egen-indikator/ranking/").status_code == 404
    assert "Egen indikator" not in outsider_client.get("/indikatorer/").content.decode()
    assert outsider_client.get("/api/indicators/egen-indikator/").status_code == 404
    for chart in ("rankning.png", "serie.png", "karta.png"):
        assert outsider_client.get(f"/indikatorer/egen-indikator/{chart}").status_code == 404
        assert client.get(f"/indikatorer/egen-indikator/{chart}").status_code == 404
    assert viewer_client.get("/indikatorer/egen-indikator/karta.png").status_code == 200


def test_editor_creates_target_via_api_outsider_cannot(editor_client, outsider_client, employment):
    body = {
        "indicator": employment.code,
        "owner_code": "lst-test",
        "title": "Mål",
        "area_code": "0127",
        "baseline_year": 2022,
        "baseline_value": 57,
        "target_year": 2026,
        "target_value": 65,
    }
    assert (
        outsider_client.post(
            "/api/indicator-targets/", body, content_type="application/json"
        ).status_code
        == 403
    )
    assert not Target.objects.exists()
    response = editor_client.post("/api/indicator-targets/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    # 2023: a quarter of the time passed (expected 0.25), 2.2 of 8 points covered (0.275)
    assert response.json()["progress"]["status"] == "on_track"


def test_outsider_cannot_see_or_delete_private_target(outsider_client, viewer_client, target):
    assert outsider_client.get(f"/api/indicator-targets/{target.pk}/").status_code == 404
    assert outsider_client.delete(f"/api/indicator-targets/{target.pk}/").status_code == 404
    assert outsider_client.post(f"/indikatorer/mal/{target.pk}/ta-bort/").status_code == 404
    assert viewer_client.post(f"/indikatorer/mal/{target.pk}/ta-bort/").status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


def test_target_form_creates_for_own_organisation_only(
    editor_client, outsider_client, employment, organisation
):
    data = {
        "owner": organisation.pk,
        "title": "Fler i arbete",
        "area_code": "0127",
        "sex": "T",
        "baseline_year": 2022,
        "baseline_value": 57,
        "target_year": 2026,
        "target_value": 65,
        "visibility": "internal",
    }
    response = outsider_client.post(f"/indikatorer/{employment.code}/mal/nytt/", data)
    assert response.status_code == 200  # the organisation is not among the outsider's choices
    assert not Target.objects.exists()
    response = editor_client.post(f"/indikatorer/{employment.code}/mal/nytt/", data)
    assert response.status_code == 302
    assert Target.objects.get().owner == organisation


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        (61.0, "on_track"),
        (59.0, "at_risk"),
        (58.0, "off_track"),
        (56.0, "off_track"),
        (66.0, "on_track"),
    ],
)
def test_progress_rule(target, employment, latest, status):
    # 2022 → 2026, latest 2024: half the time has passed, expected 0.5
    observe(employment, [(2, "0127", 202400, latest)], employment.total)
    assert target_progress(target)["status"] == status


def test_progress_without_data(organisation, employment):
    target = Target.objects.create(
        owner=organisation,
        indicator=employment,
        title="t",
        area_code="0180",
        breakdown=Breakdown.objects.get(id=employment.total.id),
        baseline_year=2022,
        baseline_value=1,
        target_year=2030,
        target_value=2,
    )
    assert target_progress(target)["status"] == "no_data"


def test_own_indicator_created_and_imported_by_editor_only(editor_client, outsider_client):
    body = {
        "owner_code": "lst-test",
        "code": "egen-andel",
        "title": "Egen andel",
        "definition": "Andel deltagare i arbete efter insatsen",
        "unit": "procent",
    }
    assert (
        outsider_client.post(
            "/api/own-indicators/", body, content_type="application/json"
        ).status_code
        == 403
    )
    response = editor_client.post("/api/own-indicators/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Indicator.objects.get(code="egen-andel").visibility == "private"

    def upload(client, text="area_code,period,value\n0127,2024,41.5\n"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(
            "/api/own-indicators/egen-andel/observations/",
            {"file": SimpleUploadedFile("obs.csv", text.encode()), "format": "csv"},
        )

    assert upload(outsider_client).status_code == 404
    bad = upload(editor_client, "area_code,period,value\n9999,2024,1\n")
    assert bad.status_code == 400
    assert "okända områdeskoder: 9999" in bad.content.decode()
    assert upload(editor_client).status_code == 201
    assert outsider_client.get("/indikatorer/egen-andel/").status_code == 404


def test_upload_page_for_writers_only(
    editor_client, outsider_client, viewer_client, private_indicator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samverkan.indicators.models import Observation

    def post(client, text):
        return client.post(
            f"/indikatorer/{private_indicator.code}/importera/",
            {"file": SimpleUploadedFile("o.csv", text.encode()), "format": "csv"},
        )

    good = "area_code,period,value\n0127,2024,1\n"
    assert post(outsider_client, good).status_code == 404
    assert post(viewer_client, good).status_code == 403
    assert not Observation.objects.exists()
    page = editor_client.get(f"/indikatorer/{private_indicator.code}/").content.decode()
    assert "Importera observationer" in page
    response = post(editor_client, "area_code,period,value\n0127,2024,x\n")
    assert "Inget importerades." in editor_client.get(response.url).content.decode()
    assert post(editor_client, good).status_code == 302
    assert Observation.objects.count() == 1
