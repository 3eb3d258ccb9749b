"""The campaign API: tracking and compilation for readers, nothing for outsiders."""

from samverkan.surveys.models import Response


def test_owner_reads_tracking_and_compilation(owner_client, campaign):
    recipient = campaign.recipients.get(organisation__code="kommun-3")
    Response.objects.create(
        recipient=recipient,
        status="submitted",
        version=1,
        answers={"samverkan": "ja", "mangfald": "nej"},
    )
    tracking = owner_client.get(f"/api/survey-campaigns/{campaign.pk}/tracking/").json()
    assert (
        tracking["summary"] == "1 av 3 har svarat; saknas: Kristianstads kommun, "
        "Staffanstorps kommun"
    )
    data = owner_client.get(f"/api/survey-campaigns/{campaign.pk}/compilation/").json()
    assert data["questions"][0]["respondents"]["ja"] == [
        {"code": "kommun-3", "name": "Lunds kommun"}
    ]
    assert {"code": "kommun-2", "name": "Kristianstads kommun"} in data["missing"]
    assert [c["id"] for c in owner_client.get("/api/survey-campaigns/").json()["results"]] == [
        campaign.pk
    ]


def test_outsider_gets_nothing(outsider_client, client, campaign):
    for path in ("", "tracking/", "compilation/"):
        assert outsider_client.get(f"/api/survey-campaigns/{campaign.pk}/{path}").status_code == 404
        assert client.get(f"/api/survey-campaigns/{campaign.pk}/{path}").status_code == 404
    assert outsider_client.get("/api/survey-campaigns/").json()["results"] == []


def test_api_shows_until_when_the_links_work(owner_client, campaign):
    from datetime import timedelta

    campaign.grace_days = 5
    campaign.save()
    data = owner_client.get(f"/api/survey-campaigns/{campaign.pk}/").json()
    assert data["grace_days"] == 5
    assert data["links_valid_until"] == (campaign.deadline + timedelta(days=5)).isoformat()
