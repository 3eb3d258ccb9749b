"""Strategies exported as JSON (nested) or XLSX (one sheet per level, linked by ids)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from samverkan.core import tenancy
from samverkan.core.exchange import (
    Exporter,
    register_exporter,
)
from samverkan.plans.models import (
    DEVELOPMENT_KINDS,
    ActionPlan,
    Activity,
    FocusArea,
    Goal,
    Strategy,
)

STRATEGY_COLUMNS = (
    "id",
    "owner_code",
    "title",
    "kind",
    "level",
    "county_code",
    "period_start",
    "period_end",
    "vision",
    "summary",
    "status",
    "adopted_by",
    "adopted_on",
    "visibility",
    "source",
    "builds_on",
)
GOAL_KEYS = ("title", "measure", "baseline", "target", "target_date", "responsible")


def _goal_record(goal: Goal) -> dict[str, Any]:
    record = {key: getattr(goal, key) for key in GOAL_KEYS}
    record["illustrative"] = goal.illustrative
    record["contributes_to"] = [
        {"strategy": g.strategy.title, "goal": g.title} for g in goal.contributes_to.all()
    ]
    return record


def _activity_record(activity: Activity) -> dict[str, Any]:
    return {
        "title": activity.title,
        "description": activity.description,
        "goals": [g.title for g in activity.goals.all()],
        "responsible_organisation_code": activity.responsible_organisation.code
        if activity.responsible_organisation
        else "",
        "responsible_unit": activity.responsible_unit,
        "partner_codes": [p.code for p in activity.partners.all()],
        "start_date": activity.start_date,
        "duration_months": activity.duration_months,
        "end_date": activity.end_date,
        "budget": int(activity.budget) if activity.budget is not None else None,
        "hours": activity.hours,
        "target_groups": [t.code for t in activity.target_groups.all()],
        "status": activity.status,
        "status_reason": activity.status_reason,
        "progress": activity.progress,
        "impact_note": activity.impact_note,
        "illustrative": activity.illustrative,
        "follow_ups": [
            {
                "date": f.date,
                "status": f.status,
                "progress": f.progress,
                "comment": f.comment,
                "by": f.by_name,
                "illustrative": f.illustrative,
            }
            for f in activity.follow_ups.all()
        ],
    }


def strategies_for_export(*, user: Any, options: dict[str, Any]) -> Any:
    strategies = tenancy.readable(Strategy.objects.select_related("owner", "county"), user)
    if options.get("county"):
        strategies = strategies.filter(
            county__code=str(options["county"]).zfill(2)
        ) | strategies.filter(owner__county__code=str(options["county"]).zfill(2))
    goals = Goal.objects.prefetch_related(
        Prefetch("contributes_to", Goal.objects.select_related("strategy"))
    )
    activities = Activity.objects.select_related("responsible_organisation").prefetch_related(
        "goals", "partners", "target_groups", "follow_ups"
    )
    development = tenancy.readable(
        Strategy.objects.filter(kind__in=DEVELOPMENT_KINDS).select_related("owner"), user
    ).order_by("title", "pk")
    return (
        strategies.distinct()
        .order_by("pk")
        .prefetch_related(
            Prefetch("goals", goals),
            Prefetch("focus_areas", FocusArea.objects.prefetch_related(Prefetch("goals", goals))),
            Prefetch(
                "plans",
                ActionPlan.objects.prefetch_related(
                    Prefetch("activities", activities), Prefetch("builds_on", development)
                ),
            ),
            Prefetch("builds_on", development),
        )
    )


def development_refs(strategies: Iterable[Strategy]) -> list[dict[str, str]]:
    """The RUS and growth agreements a strategy or plan builds on, as the export names them."""
    return [{"title": s.title, "owner_code": s.owner.code, "kind": s.kind} for s in strategies]


def development_titles(refs: Iterable[dict[str, str]]) -> list[str]:
    return [ref["title"] for ref in refs]


def strategy_record(strategy: Strategy) -> dict[str, Any]:
    record = {
        "id": strategy.pk,
        "owner_code": strategy.owner.code,
        "title": strategy.title,
        "kind": strategy.kind,
        "level": strategy.level,
        "county_code": strategy.county.code if strategy.county else "",
        "period_start": strategy.period_start,
        "period_end": strategy.period_end,
        "vision": strategy.vision,
        "summary": strategy.summary,
        "status": strategy.status,
        "adopted_by": strategy.adopted_by,
        "adopted_on": strategy.adopted_on,
        "visibility": strategy.visibility,
        "source": strategy.source,
        "builds_on": development_refs(strategy.builds_on.all()),
        "illustrative": strategy.illustrative,
    }
    record["overarching_goals"] = [
        _goal_record(g) for g in strategy.goals.all() if g.focus_area_id is None
    ]
    record["focus_areas"] = [
        {
            "title": a.title,
            "description": a.description,
            "goals": [_goal_record(g) for g in a.goals.all()],
        }
        for a in strategy.focus_areas.all()
    ]
    record["plans"] = [
        {
            "title": p.title,
            "year_start": p.year_start,
            "year_end": p.year_end,
            "weighting": p.weighting,
            "note": p.note,
            "builds_on": development_refs(p.builds_on.all()),
            "activities": [_activity_record(a) for a in p.activities.all()],
        }
        for p in strategy.plans.all()
    ]
    return record


@register_exporter
class StrategyExporter(Exporter):
    kind = "strategies"
    label = "Strategier"
    columns = STRATEGY_COLUMNS

    def rows(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for strategy in strategies_for_export(user=user, options=options):
            record = strategy_record(strategy)
            record["builds_on"] = development_titles(record["builds_on"])
            yield {k: v for k, v in record.items() if k in STRATEGY_COLUMNS}

    def json_records(self, *, user: Any, options: dict[str, Any]) -> Iterable[dict[str, Any]]:
        return (strategy_record(s) for s in strategies_for_export(user=user, options=options))

    def sheets(
        self, *, user: Any, options: dict[str, Any]
    ) -> list[tuple[str, tuple[str, ...], Iterable[dict[str, Any]]]]:
        records = list(self.json_records(user=user, options=options))
        goals, areas, plans, activities, follow_ups = [], [], [], [], []
        for s in records:
            s["builds_on"] = development_titles(s["builds_on"])
            for g in s["overarching_goals"]:
                goals.append({"strategy_id": s["id"], "focus_area": "", **g})
            for a in s["focus_areas"]:
                areas.append(
                    {"strategy_id": s["id"], "title": a["title"], "description": a["description"]}
                )
                goals += [
                    {"strategy_id": s["id"], "focus_area": a["title"], **g} for g in a["goals"]
                ]
            for p in s["plans"]:
                plans.append(
                    {
                        "strategy_id": s["id"],
                        **{k: v for k, v in p.items() if k != "activities"},
                        "builds_on": development_titles(p["builds_on"]),
                    }
                )
                for a in p["activities"]:
                    activities.append(
                        {
                            "strategy_id": s["id"],
                            "plan": p["title"],
                            **{k: v for k, v in a.items() if k != "follow_ups"},
                        }
                    )
                    follow_ups += [
                        {"strategy_id": s["id"], "plan": p["title"], "activity": a["title"], **f}
                        for f in a["follow_ups"]
                    ]
        for g in goals:
            g["contributes_to"] = [f"{c['strategy']}: {c['goal']}" for c in g["contributes_to"]]
        goal_cols = ("strategy_id", "focus_area", *GOAL_KEYS, "contributes_to", "illustrative")
        activity_cols = (
            "strategy_id",
            "plan",
            *[k for k in _ACTIVITY_KEYS if k != "follow_ups"],
            "illustrative",
        )
        return [
            ("Strategier", (*STRATEGY_COLUMNS, "illustrative"), records),
            ("Fokusområden", ("strategy_id", "title", "description"), areas),
            ("Mål", goal_cols, goals),
            (
                "Handlingsplaner",
                (
                    "strategy_id",
                    "title",
                    "year_start",
                    "year_end",
                    "weighting",
                    "note",
                    "builds_on",
                ),
                plans,
            ),
            ("Aktiviteter", activity_cols, activities),
            (
                "Avstämningar",
                (
                    "strategy_id",
                    "plan",
                    "activity",
                    "date",
                    "status",
                    "progress",
                    "comment",
                    "by",
                    "illustrative",
                ),
                follow_ups,
            ),
        ]


_ACTIVITY_KEYS = (
    "title",
    "description",
    "goals",
    "responsible_organisation_code",
    "responsible_unit",
    "partner_codes",
    "start_date",
    "duration_months",
    "end_date",
    "budget",
    "hours",
    "target_groups",
    "status",
    "status_reason",
    "progress",
    "impact_note",
    "follow_ups",
)
