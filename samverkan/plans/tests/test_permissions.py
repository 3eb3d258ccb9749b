import datetime

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.plans import services
from samverkan.plans.models import Activity, Strategy


def test_viewer_cannot_write(viewer, strategy):
    with pytest.raises(PermissionDenied):
        services.strategy_update(strategy=strategy, user=viewer, title="Ändrad")


def test_outsider_cannot_create_for_other_organisation(outsider, organisation):
    with pytest.raises(PermissionDenied):
        services.strategy_create(user=outsider, owner=organisation, title="Intrång")
    assert not Strategy.objects.filter(title="Intrång").exists()


def test_outsider_cannot_touch_activity_or_follow_up(outsider, activity, plan):
    with pytest.raises(PermissionDenied):
        services.activity_update(activity=activity, user=outsider, expected_version=1, title="X")
    with pytest.raises(PermissionDenied):
        services.followup_create(activity=activity, user=outsider, status="done", progress=100)
    with pytest.raises(PermissionDenied):
        services.plan_roll_over(plan=plan, user=outsider)
    activity.refresh_from_db()
    assert activity.title == "Språkcafé" and activity.follow_ups.count() == 0


def test_outsider_web_denied(outsider_client, strategy, plan, activity):
    assert outsider_client.get(f"/strategier/{strategy.pk}/redigera/").status_code == 403
    assert (
        outsider_client.post(f"/strategier/{strategy.pk}/fokusomraden/", {"title": "X"}).status_code
        == 403
    )
    assert (
        outsider_client.post(f"/strategier/{strategy.pk}/mal/", {"title": "X"}).status_code == 403
    )
    assert (
        outsider_client.get(f"/strategier/aktiviteter/{activity.pk}/redigera/").status_code == 403
    )
    assert (
        outsider_client.post(
            f"/strategier/aktiviteter/{activity.pk}/avstamning/",
            {"status": "done", "progress": 100},
        ).status_code
        == 403
    )
    assert outsider_client.post(f"/strategier/planer/{plan.pk}/overfor/", {}).status_code == 403
    assert outsider_client.get(f"/strategier/planer/{plan.pk}/ny-aktivitet/").status_code == 403
    assert outsider_client.get(f"/strategier/{strategy.pk}/ny-remiss/").status_code == 403
    assert not strategy.focus_areas.filter(title="X").exists()
    assert activity.follow_ups.count() == 0
    assert plan.successors.count() == 0


def test_private_strategy_hidden_from_outsider(outsider_client, viewer_client, private_strategy):
    plan = services.plan_create(
        strategy=private_strategy,
        user=__import__("samverkan.core.tenancy").core.tenancy.SYSTEM,
        title="Plan",
        year_start=2020,
    )
    assert outsider_client.get(f"/strategier/{private_strategy.pk}/").status_code == 404
    assert outsider_client.get(f"/strategier/planer/{plan.pk}/").status_code == 404
    assert outsider_client.get(f"/strategier/planer/{plan.pk}/export.xlsx").status_code == 404
    assert "Intern mångfaldsplan" not in outsider_client.get("/strategier/").content.decode()
    assert viewer_client.get(f"/strategier/{private_strategy.pk}/").status_code == 200


def test_editor_creates_strategy_goal_and_activity(editor_client, organisation):
    response = editor_client.post(
        "/strategier/ny/",
        {
            "owner": organisation.pk,
            "title": "Handlingsprogram för integration",
            "kind": "action_programme",
            "level": "municipal",
            "status": "draft",
            "visibility": "internal",
            "period_start": 2016,
            "period_end": 2017,
        },
    )
    assert response.status_code == 302
    strategy = Strategy.objects.get(title="Handlingsprogram för integration")
    editor_client.post(f"/strategier/{strategy.pk}/mal/", {"title": "Bättre mottagande"})
    assert strategy.goals.count() == 1
    response = editor_client.post(
        f"/strategier/{strategy.pk}/ny-plan/",
        {"title": "Plan 2016", "year_start": 2016, "year_end": 2016, "weighting": "equal"},
    )
    plan = strategy.plans.get()
    response = editor_client.post(
        f"/strategier/planer/{plan.pk}/ny-aktivitet/",
        {
            "title": "Förbättra webbplatsen",
            "status": "planned",
            "start_date": "2016-05-01",
            "duration_months": "4",
            "goals": [strategy.goals.get().pk],
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get(title="Förbättra webbplatsen").end_date == datetime.date(2016, 9, 1)


def test_adopting_requires_who_and_when(owner, strategy):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.strategy_update(strategy=strategy, user=owner, status="adopted")
    services.strategy_update(
        strategy=strategy,
        user=owner,
        status="adopted",
        adopted_by="Kommunfullmäktige",
        adopted_on=datetime.date(2014, 10, 1),
    )
    services.strategy_update(
        strategy=strategy, user=owner, status="revised", revision_note="Ny plan"
    )
    assert [h.status for h in strategy.history.all()][:3] == ["revised", "adopted", "draft"]
