import datetime

from samverkan.core import tenancy
from samverkan.plans import selectors, services


def _add(plan, title, status="started", progress=0, budget=None):
    a = services.activity_create(
        plan=plan,
        user=tenancy.SYSTEM,
        title=title,
        budget=budget,
        status=status,
        status_reason="skäl" if status in ("paused", "cancelled") else "",
    )
    a.progress = progress
    a.save()
    return a


def test_budget_weighted_rollup(plan):
    _add(plan, "Stor", progress=50, budget=300)
    _add(plan, "Liten", progress=100, budget=100)
    _add(plan, "Utan budget", progress=0)  # weighs the mean budget, 200
    _add(plan, "Struken", status="cancelled", budget=10_000)  # left out
    activities = selectors.plan_activities(plan=plan)
    rollup = selectors.plan_rollup(
        plan=plan, activities=activities, today=datetime.date(2016, 6, 1)
    )
    # (300*50 + 100*100 + 200*0) / 600 = 41.666…
    assert rollup.progress == 41.7
    assert rollup.counted == 3
    assert rollup.by_status["cancelled"] == 1


def test_equal_weighting_and_done_counts_full(plan):
    plan.weighting = "equal"
    plan.save()
    _add(plan, "A", progress=20, budget=1_000_000)
    _add(plan, "B", status="done")
    rollup = selectors.plan_rollup(plan=plan, activities=selectors.plan_activities(plan=plan))
    assert rollup.progress == 60.0


def test_budget_weighting_without_budgets_falls_back_to_equal(plan):
    _add(plan, "A", progress=10)
    _add(plan, "B", progress=30)
    assert (
        selectors.plan_rollup(plan=plan, activities=selectors.plan_activities(plan=plan)).progress
        == 20.0
    )


def test_empty_plan_rolls_up_to_zero(plan):
    assert selectors.plan_rollup(plan=plan, activities=[]).progress == 0.0


def test_overdue_counted(plan, activity):
    rollup = selectors.plan_rollup(
        plan=plan, activities=selectors.plan_activities(plan=plan), today=datetime.date(2017, 1, 1)
    )
    assert rollup.overdue == 1


def test_plan_page_shows_rollup_and_timeline(viewer_client, plan, activity):
    services.followup_create(activity=activity, user=tenancy.SYSTEM, status="started", progress=25)
    response = viewer_client.get(f"/strategier/planer/{plan.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "25,0 %" in body
    assert "<svg" in body and "Språkcafé" in body


def test_plan_xlsx_export(viewer_client, plan, activity):
    import io

    from openpyxl import load_workbook

    response = viewer_client.get(f"/strategier/planer/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Aktiviteter"].iter_rows(values_only=True))
    assert rows[1][1] == "Språkcafé"
