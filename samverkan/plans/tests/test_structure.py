"""Editing a strategy's focus areas and goals: edit, reorder, delete with history, restore."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.core import tenancy
from samverkan.core.models import AuditEntry
from samverkan.plans import services, structure
from samverkan.plans.models import FocusArea, Goal


@pytest.fixture
def areas(strategy):
    return [
        services.focus_area_create(strategy=strategy, user=tenancy.SYSTEM, title=title)
        for title in ("Arbete", "Bostad", "Skola")
    ]


def _titles(strategy):
    return list(FocusArea.objects.filter(strategy=strategy).values_list("title", flat=True))


def test_focus_areas_reorder_and_ends_are_no_ops(owner, strategy, areas):
    assert structure.focus_area_move(area=areas[2], user=owner, direction="up")
    assert _titles(strategy) == ["Arbete", "Skola", "Bostad"]
    assert not structure.focus_area_move(area=areas[0], user=owner, direction="up")
    assert structure.focus_area_move(area=areas[0], user=owner, direction="down")
    assert _titles(strategy) == ["Skola", "Arbete", "Bostad"]
    with pytest.raises(ValidationError):
        structure.focus_area_move(area=areas[0], user=owner, direction="sideways")


def test_goals_reorder_within_their_area(owner, strategy, areas):
    goals = [
        services.goal_create(strategy=strategy, user=owner, focus_area=areas[0], title=t)
        for t in ("Mål A", "Mål B")
    ]
    other = services.goal_create(strategy=strategy, user=owner, focus_area=areas[1], title="Mål C")
    structure.goal_move(goal=goals[1], user=owner, direction="up")
    assert list(areas[0].goals.values_list("title", flat=True)) == ["Mål B", "Mål A"]
    assert not structure.goal_move(goal=other, user=owner, direction="down")


def test_edit_focus_area_keeps_history(owner_client, strategy, areas):
    area = areas[0]
    response = owner_client.post(
        f"/strategier/fokusomraden/{area.pk}/redigera/",
        {"title": "Arbete och försörjning", "description": "Egen försörjning"},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.title == "Arbete och försörjning"
    assert [h.title for h in area.history.order_by("history_date")] == [
        "Arbete",
        "Arbete och försörjning",
    ]
    page = owner_client.get(f"/strategier/{strategy.pk}/struktur-historik/").content.decode()
    assert "title: Arbete → Arbete och försörjning" in page


def test_area_with_goals_is_not_deleted(owner, strategy, areas, goal):
    with pytest.raises(ValidationError, match="har 1 mål"):
        structure.focus_area_delete(area=goal.focus_area, user=owner)
    assert FocusArea.objects.filter(pk=goal.focus_area_id).exists()


def test_goal_served_by_activities_is_not_deleted(owner, activity, goal):
    with pytest.raises(ValidationError, match="1 aktiviteter bidrar"):
        structure.goal_delete(goal=goal, user=owner)
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_goal_others_hook_into_is_not_deleted(owner, organisation, strategy, goal):
    regional = services.strategy_create(
        user=tenancy.SYSTEM, owner=organisation, title="Regional", level="regional"
    )
    regional_goal = services.goal_create(strategy=regional, user=tenancy.SYSTEM, title="R1")
    services.goal_set_contributions(goal=goal, user=tenancy.SYSTEM, regional_goals=[regional_goal])
    with pytest.raises(ValidationError, match="hakar i"):
        structure.goal_delete(goal=regional_goal, user=owner)


def test_deleted_goal_and_area_are_restored_from_history(owner, organisation, strategy, areas):
    regional = services.strategy_create(
        user=tenancy.SYSTEM, owner=organisation, title="Regional", level="regional"
    )
    regional_goal = services.goal_create(strategy=regional, user=tenancy.SYSTEM, title="R1")
    goal = services.goal_create(
        strategy=strategy,
        user=owner,
        focus_area=areas[1],
        title="Fler egna bostäder",
        measure="Antal",
        target="100",
    )
    services.goal_set_contributions(goal=goal, user=owner, regional_goals=[regional_goal])
    goal_pk, area_pk = goal.pk, areas[1].pk
    structure.goal_delete(goal=goal, user=owner)
    structure.focus_area_delete(area=FocusArea.objects.get(pk=area_pk), user=owner)
    assert not Goal.objects.filter(pk=goal_pk).exists()
    assert AuditEntry.objects.filter(action="plans.goal.deleted").exists()
    changes = structure.structure_history(strategy=strategy)
    restorable = {(c.kind, c.version.title) for c in changes if c.restorable}
    assert restorable == {("goal", "Fler egna bostäder"), ("area", "Bostad")}
    # The area first, then the goal goes back under it with its SMART fields and its link.
    area_version = next(c for c in changes if c.restorable and c.kind == "area").version
    structure.structure_restore(
        strategy=strategy, user=owner, kind="area", history_id=area_version.history_id
    )
    goal_version = next(c for c in changes if c.restorable and c.kind == "goal").version
    restored = structure.structure_restore(
        strategy=strategy, user=owner, kind="goal", history_id=goal_version.history_id
    )
    assert restored.pk == goal_pk and restored.focus_area_id == area_pk
    assert restored.measure == "Antal" and restored.target == "100"
    assert list(restored.contributes_to.all()) == [regional_goal]
    with pytest.raises(ValidationError, match="finns redan"):
        structure.structure_restore(
            strategy=strategy, user=owner, kind="goal", history_id=goal_version.history_id
        )


def test_web_delete_move_and_restore(owner_client, strategy, areas):
    goal = services.goal_create(strategy=strategy, user=tenancy.SYSTEM, title="Övergripande")
    response = owner_client.post(f"/strategier/mal/{goal.pk}/ta-bort/", follow=True)
    assert "kan återställas från historiken" in response.content.decode()
    assert not Goal.objects.filter(pk=goal.pk).exists()
    owner_client.post(f"/strategier/fokusomraden/{areas[0].pk}/flytta/", {"direction": "down"})
    assert _titles(strategy) == ["Bostad", "Arbete", "Skola"]
    page = owner_client.get(f"/strategier/{strategy.pk}/").content.decode()
    assert f'action="/strategier/fokusomraden/{areas[0].pk}/flytta/"' in page
    version = Goal.history.get(id=goal.pk, history_type="-")
    owner_client.post(
        f"/strategier/{strategy.pk}/struktur-historik/",
        {"kind": "goal", "history_id": version.history_id},
    )
    assert Goal.objects.filter(pk=goal.pk, title="Övergripande").exists()


def test_other_organisation_cannot_edit_move_delete_or_restore(
    outsider, outsider_client, viewer_client, strategy, areas
):
    goal = services.goal_create(strategy=strategy, user=tenancy.SYSTEM, title="Mål")
    structure.goal_delete(
        goal=services.goal_create(strategy=strategy, user=tenancy.SYSTEM, title="Borttaget"),
        user=tenancy.SYSTEM,
    )
    deleted = Goal.history.get(title="Borttaget", history_type="-")
    for client in (outsider_client, viewer_client):
        for url, data in (
            (f"/strategier/fokusomraden/{areas[0].pk}/redigera/", {"title": "Kapad"}),
            (f"/strategier/fokusomraden/{areas[0].pk}/flytta/", {"direction": "down"}),
            (f"/strategier/fokusomraden/{areas[2].pk}/ta-bort/", {}),
            (f"/strategier/mal/{goal.pk}/flytta/", {"direction": "down"}),
            (f"/strategier/mal/{goal.pk}/ta-bort/", {}),
            (
                f"/strategier/{strategy.pk}/struktur-historik/",
                {"kind": "goal", "history_id": deleted.history_id},
            ),
        ):
            assert client.post(url, data).status_code in (403, 404), url
        assert client.get(f"/strategier/{strategy.pk}/struktur-historik/").status_code in (
            403,
            404,
        )
    assert _titles(strategy) == ["Arbete", "Bostad", "Skola"]
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert not Goal.objects.filter(title="Borttaget").exists()
    for call in (
        lambda: structure.focus_area_move(area=areas[0], user=outsider, direction="down"),
        lambda: structure.goal_delete(goal=goal, user=outsider),
        lambda: structure.focus_area_update(area=areas[0], user=outsider, title="Kapad"),
    ):
        with pytest.raises(PermissionDenied):
            call()
