import pytest
from django.core.exceptions import ValidationError

from samverkan.core import tenancy
from samverkan.plans import services
from samverkan.plans.models import Activity


def test_roll_over_copies_unfinished_activities(plan, activity):
    done = services.activity_create(plan=plan, user=tenancy.SYSTEM, title="Klar", status="done")
    paused = services.activity_create(
        plan=plan,
        user=tenancy.SYSTEM,
        title="Vilande",
        status="paused",
        status_reason="Ingen budget i år",
    )
    services.activity_create(
        plan=plan,
        user=tenancy.SYSTEM,
        title="Struken",
        status="cancelled",
        status_reason="Inte hållbar över tid",
    )
    nxt = services.plan_roll_over(plan=plan, user=tenancy.SYSTEM)
    assert (nxt.year_start, nxt.previous_id, nxt.title) == (2017, plan.pk, "Handlingsplan 2017")
    titles = sorted(nxt.activities.values_list("title", flat=True))
    assert titles == ["Språkcafé", "Vilande"]
    copy = nxt.activities.get(title="Vilande")
    assert copy.copied_from_id == paused.pk and copy.status_reason == "Ingen budget i år"
    assert list(nxt.activities.get(title="Språkcafé").goals.all()) == list(activity.goals.all())
    assert Activity.objects.filter(pk=done.pk, plan=plan).exists()  # originals untouched


def test_roll_over_twice_into_same_target_does_not_duplicate(plan, activity):
    nxt = services.plan_roll_over(plan=plan, user=tenancy.SYSTEM)
    services.plan_roll_over(plan=plan, user=tenancy.SYSTEM, target=nxt)
    assert nxt.activities.count() == 1


def test_roll_over_cycle_is_refused(plan, activity):
    nxt = services.plan_roll_over(plan=plan, user=tenancy.SYSTEM)
    third = services.plan_roll_over(plan=nxt, user=tenancy.SYSTEM)
    with pytest.raises(ValidationError) as exc:
        services.plan_roll_over(plan=third, user=tenancy.SYSTEM, target=plan)
    assert "cirkel" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.plan_roll_over(plan=plan, user=tenancy.SYSTEM, target=plan)
    plan.refresh_from_db()
    assert plan.previous_id is None


def test_roll_over_view_reports_cycle(owner_client, plan, activity):
    nxt = services.plan_roll_over(plan=plan, user=tenancy.SYSTEM)
    response = owner_client.post(
        f"/strategier/planer/{nxt.pk}/overfor/", {"target": plan.pk}, follow=True
    )
    assert "cirkel" in response.content.decode()
