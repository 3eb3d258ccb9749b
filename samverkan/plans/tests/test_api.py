import json

from samverkan.core import tenancy
from samverkan.plans import services
from samverkan.plans.models import Activity


def test_strategy_detail_is_nested(viewer_client, strategy, plan, activity):
    services.followup_create(activity=activity, user=tenancy.SYSTEM, status="started", progress=10)
    data = viewer_client.get(f"/api/strategies/{strategy.pk}/").json()
    assert data["focus_areas"][0]["goals"][0]["title"] == "Fler i arbete"
    assert data["plans"][0]["activities"][0]["follow_ups"][0]["progress"] == 10


def test_plan_with_rollup(viewer_client, plan, activity):
    data = viewer_client.get(f"/api/action-plans/{plan.pk}/").json()
    assert data["progress"] == 0.0 and data["activities"][0]["version"] == 1


def test_activity_patch_with_stale_version_is_409(editor_client, activity):
    url = f"/api/activities/{activity.pk}/"
    ok = editor_client.patch(
        url, json.dumps({"version": 1, "hours": 40}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = editor_client.patch(
        url, json.dumps({"version": 1, "hours": 80}), content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Activity.objects.get(pk=activity.pk).hours == 40


def test_activity_patch_bad_dates(editor_client, activity):
    response = editor_client.patch(
        f"/api/activities/{activity.pk}/",
        json.dumps({"version": 1, "end_date": "2015-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "innan den börjar" in response.json()["message"]


def test_outsider_api_denied(outsider_client, strategy, plan, activity):
    url = f"/api/activities/{activity.pk}/"
    assert (
        outsider_client.patch(
            url, json.dumps({"version": 1, "title": "X"}), content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        outsider_client.post(f"{url}follow-ups/", {"status": "done", "progress": 100}).status_code
        == 403
    )
    assert outsider_client.post(f"/api/action-plans/{plan.pk}/roll-over/").status_code == 403
    assert (
        outsider_client.post(f"/api/action-plans/{plan.pk}/activities/", {"title": "X"}).status_code
        == 403
    )
    response = outsider_client.post(
        "/api/strategies/", {"owner_code": strategy.owner.code, "title": "Intrång"}
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title == "Språkcafé" and activity.follow_ups.count() == 0


def test_private_strategy_api_404(outsider_client, private_strategy):
    assert outsider_client.get(f"/api/strategies/{private_strategy.pk}/").status_code == 404
    ids = [s["id"] for s in outsider_client.get("/api/strategies/").json()["results"]]
    assert private_strategy.pk not in ids
