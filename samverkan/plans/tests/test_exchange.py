import json

import pytest
from django.core.management import call_command

from samverkan.core import tenancy
from samverkan.core.exchange import ImportRejected, data_export, data_import
from samverkan.plans import services
from samverkan.plans.models import Activity, Strategy


def test_json_export_import_round_trip(organisation, strategy, plan, activity, goal):
    services.goal_create(strategy=strategy, user=tenancy.SYSTEM, title="Övergripande")
    services.followup_create(
        activity=activity, user=tenancy.SYSTEM, status="started", progress=30, comment="ok"
    )
    exported = json.loads(data_export(kind="strategies", fmt="json", user=tenancy.SYSTEM))
    assert exported[0]["plans"][0]["activities"][0]["follow_ups"][0]["comment"] == "ok"
    exported[0]["title"] = "Kopia"
    result = data_import(
        kind="strategies",
        data=json.dumps(exported).encode(),
        filename="s.json",
        user=tenancy.SYSTEM,
    )
    assert result.created == 1
    copy = Strategy.objects.get(title="Kopia")
    assert copy.goals.count() == 2 and copy.focus_areas.get().goals.get().target == "60 %"
    copied = Activity.objects.get(plan__strategy=copy)
    assert copied.end_date == activity.end_date and copied.follow_ups.get().progress == 30
    assert list(copied.goals.values_list("title", flat=True)) == ["Fler i arbete"]


def test_import_rejects_bad_rows_and_writes_nothing(organisation):
    bad = [
        {
            "title": "Trasig",
            "owner_code": organisation.code,
            "plans": [
                {
                    "title": "P",
                    "year_start": 2016,
                    "activities": [
                        {
                            "title": "A",
                            "start_date": "2016-05-01",
                            "end_date": "2016-01-01",
                            "goals": ["Finns inte"],
                        }
                    ],
                }
            ],
        }
    ]
    with pytest.raises(ImportRejected) as exc:
        data_import(
            kind="strategies", data=json.dumps(bad).encode(), filename="s.json", user=tenancy.SYSTEM
        )
    messages = [str(e) for e in exc.value.errors]
    assert any("slutar innan den börjar" in m for m in messages)
    assert any("målet finns inte i strategin" in m for m in messages)
    assert not Strategy.objects.filter(title="Trasig").exists()


def test_outsider_cannot_import_for_other_organisation(outsider, organisation):
    rows = [{"title": "Intrång", "owner_code": organisation.code}]
    with pytest.raises(ImportRejected):
        data_import(
            kind="strategies", data=json.dumps(rows).encode(), filename="s.json", user=outsider
        )
    assert not Strategy.objects.filter(title="Intrång").exists()


def test_export_hides_private_strategies_from_outsider(outsider, private_strategy):
    exported = json.loads(data_export(kind="strategies", fmt="json", user=outsider))
    assert private_strategy.title not in [s["title"] for s in exported]


def test_xlsx_export_has_sheet_per_level(tmp_path, strategy, activity):
    from openpyxl import load_workbook

    target = tmp_path / "s.xlsx"
    call_command("export", "strategies", "--format", "xlsx", "-o", str(target))
    workbook = load_workbook(target)
    assert workbook.sheetnames == [
        "Strategier",
        "Fokusområden",
        "Mål",
        "Handlingsplaner",
        "Aktiviteter",
        "Avstämningar",
    ]
    assert list(workbook["Aktiviteter"].iter_rows(values_only=True))[1][2] == "Språkcafé"


def test_demo_from_seed_002_is_idempotent(db):
    from samverkan.actors.reference import organisations_load_reference
    from samverkan.plans.demo import demo_plans_load
    from samverkan.plans.selectors import plan_activities, plan_rollup, regional_hook_in

    organisations_load_reference()
    assert demo_plans_load().strategies_created == 4
    assert demo_plans_load().strategies_created == 0
    gislaved = Strategy.objects.get(owner__code="kommun-0662")
    assert gislaved.goals.filter(focus_area=None).count() == 4
    assert gislaved.focus_areas.count() == 6
    assert all(a.goals.count() == 2 for a in gislaved.focus_areas.all())
    plan = gislaved.plans.get()
    assert plan.activities.count() == 68
    assert plan.activities.exclude(status="cancelled").count() == 12
    assert plan_rollup(plan=plan, activities=plan_activities(plan=plan)).progress == 50.0
    botkyrka = Strategy.objects.get(owner__code="kommun-0127")
    # the report gives 5-, 10- and 15-year horizons from 2010, not a day: no target date
    assert [g.measure for g in botkyrka.goals.all()] == [
        "Mål till 2015",
        "Mål till 2020",
        "Mål till 2025",
    ]
    assert not botkyrka.goals.filter(target_date__isnull=False).exists()
    vallentuna = Strategy.objects.get(owner__code="kommun-0115")
    assert vallentuna.plans.get().activities.count() == 35
    jamtland = Strategy.objects.get(owner__code="region-23")
    hook = regional_hook_in(strategy=jamtland, user=tenancy.SYSTEM)
    assert len(hook.strategies) == 2 and len(hook.unaddressed) == 1
