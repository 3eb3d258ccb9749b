"""Own indicators (issue 21, part 1): an organisation's admins and editors describe an
indicator, and correct or delete single values with the old value and the reason kept; a
viewer and another organisation cannot."""

from __future__ import annotations

import pytest

from samverkan.core.models import AuditEntry
from samverkan.indicators import authoring, selectors
from samverkan.indicators.models import (
    AreaType,
    Indicator,
    IndicatorData,
    Observation,
    ObservationKey,
)
from samverkan.indicators.tests.conftest import observe

FORM = {
    "title": "Fullföljd samhällsorientering",
    "definition": "Andel som fullföljt inom ett år.",
    "unit": "procent",
    "direction": "higher",
    "source_kind": "own",
    "birth_regions": ["utrikes"],
    "age_bands": "18-64, 65+",
    "visibility": "private",
}


@pytest.fixture
def own(organisation):
    indicator = Indicator.objects.create(
        code="egen-so",
        title="Egen",
        definition="d",
        unit="procent",
        source_kind="own",
        owner=organisation,
        visibility="private",
    )
    observe(
        indicator,
        [
            (AreaType.MUNICIPALITY, "1280", 202400, 41.5),
            (AreaType.MUNICIPALITY, "1281", 202400, 55.0),
        ],
    )
    IndicatorData.objects.create(indicator=indicator, version="v1")
    ObservationKey.objects.create(
        indicator=indicator,
        breakdown=Observation.objects.filter(indicator=indicator).first().breakdown,
        area_type=AreaType.MUNICIPALITY,
        period=202400,
    )
    return indicator


def _malmö(indicator):
    return Observation.objects.get(indicator=indicator, area_code="1280")


def test_an_editor_creates_an_own_indicator_with_an_id_from_its_title(editor_client, organisation):
    response = editor_client.post("/indikatorer/ny/", {**FORM, "owner": organisation.pk})
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="fullfoljd-samhallsorientering")
    assert response["Location"] == "/indikatorer/fullfoljd-samhallsorientering/#importera"
    assert (indicator.owner, indicator.visibility) == (organisation, "private")
    assert (indicator.birth_regions, indicator.age_bands) == (["utrikes"], ["18-64", "65+"])
    again = editor_client.post("/indikatorer/ny/", {**FORM, "owner": organisation.pk})
    assert again.status_code == 302
    assert Indicator.objects.filter(code="fullfoljd-samhallsorientering-2").exists()


def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(owner_client, organisation):
    response = owner_client.post(
        "/indikatorer/ny/",
        {**FORM, "owner": organisation.pk, "title": "", "age_bands": "20 till 64"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_title"' in page
    assert not Indicator.objects.filter(owner=organisation).exists()
    bands = owner_client.post(
        "/indikatorer/ny/", {**FORM, "owner": organisation.pk, "age_bands": "20 till 64"}
    )
    assert bands.status_code == 400
    assert "ska skrivas som 20-64 eller 65+" in bands.content.decode()
    assert not Indicator.objects.filter(owner=organisation).exists()


def test_no_one_creates_an_indicator_for_an_organisation_they_do_not_act_for(
    outsider_client, viewer_client, organisation
):
    for client in (outsider_client, viewer_client):
        response = client.post("/indikatorer/ny/", {**FORM, "owner": organisation.pk})
        assert response.status_code == 400  # the organisation is not among the choices
    assert not Indicator.objects.filter(owner=organisation).exists()
    viewer_page = viewer_client.get("/indikatorer/ny/").content.decode()
    assert "Du är inte administratör eller redaktör" in viewer_page


def test_the_owner_edits_the_description_others_cannot(
    owner_client, viewer_client, outsider_client, own
):
    edit = {**FORM, "title": "Nytt namn", "age_bands": ""}
    assert viewer_client.post(f"/indikatorer/{own.code}/andra/", edit).status_code == 403
    assert outsider_client.get(f"/indikatorer/{own.code}/andra/").status_code == 404  # private
    own.refresh_from_db()
    assert own.title == "Egen"
    assert owner_client.post(f"/indikatorer/{own.code}/andra/", edit).status_code == 302
    own.refresh_from_db()
    assert own.title == "Nytt namn" and own.history.count() == 2


def test_catalogue_indicators_are_edited_only_by_the_platforms_operators(owner_client, db):
    catalogue = Indicator.objects.create(
        code="katalog", title="K", definition="d", unit="%", source_kind="own"
    )
    assert owner_client.get(f"/indikatorer/{catalogue.code}/andra/").status_code == 403
    assert owner_client.get(f"/indikatorer/{catalogue.code}/observationer/").status_code == 403


def test_a_correction_keeps_the_old_value_and_the_reason(owner_client, owner, own):
    cache_version = selectors.data_version(own)
    observation = _malmö(own)
    url = f"/indikatorer/{own.code}/observationer/{observation.pk}/"
    refused = owner_client.post(url, {"value": "42,5", "status": "0", "reason": " "})
    assert refused.status_code == 400
    assert _malmö(own).value == 41.5
    not_a_number = owner_client.post(url, {"value": "fyrtio", "status": "0", "reason": "x"})
    assert not_a_number.status_code == 400 and "Skriv ett tal" in not_a_number.content.decode()
    response = owner_client.post(
        url, {"value": "42,5", "status": "1", "reason": "Rättat efter ny rapport"}
    )
    assert response.status_code == 302
    corrected = _malmö(own)
    assert (corrected.value, corrected.status) == (42.5, 1)
    entry = AuditEntry.objects.get(action=authoring.CORRECTED)
    assert entry.user == owner
    assert entry.data["before"]["value"] == 41.5 and entry.data["after"]["value"] == 42.5
    assert entry.data["reason"] == "Rättat efter ny rapport"
    assert selectors.data_version(own) != cache_version  # no chart from the old value
    history = owner_client.get(f"/indikatorer/{own.code}/observationer/").content.decode()
    assert "Rättade 1280 (2024): 41,5 → 42,5. Skäl: Rättat efter ny rapport" in history


def test_a_deletion_is_kept_in_the_history_and_the_summary_follows(owner_client, own):
    observation = _malmö(own)
    url = f"/indikatorer/{own.code}/observationer/{observation.pk}/ta-bort/"
    assert owner_client.post(url, {"delete-reason": ""}).status_code == 400
    assert owner_client.post(url, {"delete-reason": "Dubbelregistrerat"}).status_code == 302
    assert not Observation.objects.filter(pk=observation.pk).exists()
    assert ObservationKey.objects.filter(indicator=own).exists()  # Lund still holds 2024
    lund = Observation.objects.get(indicator=own, area_code="1281")
    owner_client.post(
        f"/indikatorer/{own.code}/observationer/{lund.pk}/ta-bort/",
        {"delete-reason": "Fel tabell"},
    )
    assert not ObservationKey.objects.filter(indicator=own).exists()
    assert AuditEntry.objects.filter(action=authoring.DELETED).count() == 2


def test_a_viewer_and_an_outsider_cannot_correct_or_delete(viewer_client, outsider_client, own):
    observation = _malmö(own)
    base = f"/indikatorer/{own.code}/observationer/"
    assert viewer_client.get(base).status_code == 403
    assert (
        viewer_client.post(
            f"{base}{observation.pk}/", {"value": "1", "status": "0", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        viewer_client.post(f"{base}{observation.pk}/ta-bort/", {"delete-reason": "x"}).status_code
        == 403
    )
    # another organisation cannot even see that the private indicator exists
    assert outsider_client.get(base).status_code == 404
    assert (
        outsider_client.post(f"{base}{observation.pk}/ta-bort/", {"delete-reason": "x"}).status_code
        == 404
    )
    assert _malmö(own).value == 41.5
    assert not AuditEntry.objects.filter(action__startswith="indicators.observation.").exists()


def test_an_observation_of_another_indicator_is_not_reached_through_this_one(
    owner_client, own, organisation
):
    other = Indicator.objects.create(
        code="annan", title="A", definition="d", unit="%", source_kind="own", owner=organisation
    )
    observe(other, [(AreaType.MUNICIPALITY, "0114", 202400, 1.0)])
    foreign = Observation.objects.get(indicator=other)
    url = f"/indikatorer/{own.code}/observationer/{foreign.pk}/"
    assert owner_client.get(url).status_code == 404


def test_an_indicator_is_made_from_a_pxweb_file_and_reused_for_the_same_table(
    owner_client, viewer_client, organisation
):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (Path(__file__).parent / "fixtures" / "variants" / "pxweb_v2_answer.json").read_bytes()

    def upload(client):
        return client.post(
            "/indikatorer/ny/fran-fil/",
            {
                "fil-owner": organisation.pk,
                "fil-file": SimpleUploadedFile("svar.json", data, "application/json"),
            },
        )

    assert upload(viewer_client).status_code == 400  # not an organisation the viewer acts for
    assert not Indicator.objects.filter(owner=organisation).exists()
    first = upload(owner_client)
    assert first.status_code == 302
    made = Indicator.objects.get(owner=organisation)
    assert made.source_id and Observation.objects.filter(indicator=made).exists()
    page = owner_client.get(first["Location"]).content.decode()
    assert "Skapade indikatorn" in page
    second = upload(owner_client)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Indicator.objects.filter(owner=organisation).count() == 1
    refused = owner_client.post(
        "/indikatorer/ny/fran-fil/",
        {
            "fil-owner": organisation.pk,
            "fil-file": SimpleUploadedFile("x.csv", b"area_code,period,value\n1280,2024,1\n"),
        },
    )
    assert refused.status_code == 400
    assert "anger inte själv titel, enhet och källa" in refused.content.decode()
