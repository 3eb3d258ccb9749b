"""Reads for strategies and plans: lists, the plan roll-up, overdue flags and the regional
"who hooks in" view. Access always goes through ``tenancy.readable`` on strategies."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from samverkan.core import tenancy
from samverkan.geo.models import Municipality
from samverkan.plans.models import (
    DEVELOPMENT_KINDS,
    ActionPlan,
    Activity,
    ActivityStatus,
    Consultation,
    FocusArea,
    Goal,
    Strategy,
    StrategyLevel,
)


def strategy_list(
    *, user: Any, query: str = "", kind: str = "", level: str = ""
) -> QuerySet[Strategy]:
    strategies = tenancy.readable(Strategy.objects.select_related("owner", "county"), user)
    if query:
        strategies = strategies.filter(Q(title__icontains=query) | Q(owner__name__icontains=query))
    if kind:
        strategies = strategies.filter(kind=kind)
    if level:
        strategies = strategies.filter(level=level)
    return strategies.annotate(plan_count=Count("plans", distinct=True))


def strategy_get(*, user: Any, pk: int) -> Strategy:
    return tenancy.get_readable_or_404(
        Strategy.objects.select_related("owner", "county"), user, pk=pk
    )


def strategy_goals(*, strategy: Strategy) -> tuple[list[Goal], list[FocusArea]]:
    """Overarching goals, and the focus areas with their goals prefetched."""
    goals = Goal.objects.filter(strategy=strategy).prefetch_related(
        Prefetch("contributes_to", queryset=Goal.objects.select_related("strategy"))
    )
    overarching = [g for g in goals if g.focus_area_id is None]
    areas = list(strategy.focus_areas.prefetch_related(Prefetch("goals", queryset=goals)))
    return overarching, areas


def plan_get(*, user: Any, pk: int) -> ActionPlan:
    """A plan the user may read (through its strategy), else 404."""
    plan = (
        ActionPlan.objects.select_related("strategy", "strategy__owner", "previous")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        from django.http import Http404

        raise Http404
    tenancy.get_readable_or_404(Strategy.objects.all(), user, pk=plan.strategy_id)
    return plan


def plan_activities(*, plan: ActionPlan) -> list[Activity]:
    return list(
        plan.activities.select_related("responsible_organisation").prefetch_related(
            "goals", "target_groups", "partners"
        )
    )


@dataclass
class RollUp:
    """Plan progress rolled up from its activities.

    The rule (also shown on the plan page):
    - cancelled activities are left out (they were re-prioritised away, not failed);
    - an activity's progress is its latest follow-up's percentage (done counts 100 %);
    - weighting "budget": an activity weighs its budget; activities without a budget weigh the
      mean budget of those that have one (so they are neither free nor dominant); if no activity
      has a budget, every activity weighs the same;
    - weighting "equal": every activity weighs the same;
    - progress = Σ(weight × progress) / Σ(weight), rounded to one decimal.
    """

    progress: float = 0.0
    counted: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    budget_total: Decimal = Decimal(0)
    hours_total: int = 0
    by_area: list[tuple[str, float, int]] = field(default_factory=list)


def weighted_progress(activities: list[Activity], weighting: str) -> tuple[float, int]:
    counted = [a for a in activities if a.status != ActivityStatus.CANCELLED]
    if not counted:
        return 0.0, 0
    budgets = [a.budget for a in counted if a.budget]
    if weighting == "budget" and budgets:
        fallback = sum(budgets, Decimal(0)) / len(budgets)
        weights = [Decimal(a.budget) if a.budget else fallback for a in counted]
    else:
        weights = [Decimal(1)] * len(counted)
    progress = [Decimal(100 if a.status == ActivityStatus.DONE else a.progress) for a in counted]
    total = sum(weights, Decimal(0))
    value = sum((w * p for w, p in zip(weights, progress, strict=True)), Decimal(0)) / total
    return round(float(value), 1), len(counted)


def plan_rollup(
    *, plan: ActionPlan, activities: list[Activity], today: datetime.date | None = None
) -> RollUp:
    today = today or datetime.date.today()
    rollup = RollUp()
    rollup.progress, rollup.counted = weighted_progress(activities, plan.weighting)
    for status in ActivityStatus.values:
        rollup.by_status[status] = sum(1 for a in activities if a.status == status)
    rollup.overdue = sum(1 for a in activities if a.is_overdue(today))
    rollup.budget_total = sum((a.budget or Decimal(0) for a in activities), Decimal(0))
    rollup.hours_total = sum(a.hours or 0 for a in activities)
    areas: dict[str, list[Activity]] = {}
    for activity in activities:
        names = {
            g.focus_area.title if g.focus_area is not None else "Övergripande mål"
            for g in activity.goals.all()
        } or {"Utan kopplat mål"}
        for name in names:
            areas.setdefault(name, []).append(activity)
    rollup.by_area = [
        (name, *weighted_progress(acts, plan.weighting)) for name, acts in sorted(areas.items())
    ]
    return rollup


@dataclass
class HookIn:
    """How municipal strategies hook into one regional strategy."""

    goals: Sequence[tuple[Goal, list[Goal]]]
    unaddressed: list[Goal]
    strategies: list[Strategy]
    municipalities_without: list[Municipality]


def regional_hook_in(*, strategy: Strategy, user: Any) -> HookIn:
    """Per regional goal the readable goals contributing to it; goals nobody addresses; the
    strategies hooking in; and the county's municipalities with no strategy hooking in."""
    visible = tenancy.readable(Strategy.objects.all(), user).values("pk")
    contributors = Goal.objects.filter(strategy__in=visible).select_related(
        "strategy", "strategy__owner", "focus_area"
    )
    goals = list(
        Goal.objects.filter(strategy=strategy)
        .select_related("focus_area")
        .prefetch_related(
            Prefetch("contributors", queryset=contributors, to_attr="visible_contributors")
        )
    )
    rows = [(goal, goal.visible_contributors) for goal in goals]  # type: ignore[attr-defined]
    strategies = {c.strategy.pk: c.strategy for _, cs in rows for c in cs}
    municipalities_without: list[Municipality] = []
    if strategy.county_id:
        hooked = {s.owner.municipality_id for s in strategies.values() if s.owner.municipality_id}
        municipalities_without = list(
            Municipality.objects.filter(county_id=strategy.county_id)
            .exclude(pk__in=hooked)
            .order_by("name")
        )
    return HookIn(
        goals=rows,
        unaddressed=[g for g, cs in rows if not cs],
        strategies=sorted(strategies.values(), key=lambda s: s.owner.name),
        municipalities_without=municipalities_without,
    )


def regional_goals_readable(*, user: Any) -> QuerySet[Goal]:
    """Goals of regional strategies the user may read: what a municipal goal can hook into."""
    visible = tenancy.readable(Strategy.objects.filter(level=StrategyLevel.REGIONAL), user)
    return Goal.objects.filter(strategy__in=visible.values("pk")).select_related("strategy")


def consultation_get(*, user: Any, pk: int) -> Consultation:
    consultation = (
        Consultation.objects.select_related("strategy", "strategy__owner").filter(pk=pk).first()
    )
    if consultation is None:
        from django.http import Http404

        raise Http404
    tenancy.get_readable_or_404(Strategy.objects.all(), user, pk=consultation.strategy_id)
    return consultation


# --- The regional development strategy (RUS) and growth agreements -----------------------------


def development_strategy_list(*, user: Any, county_code: str = "") -> QuerySet[Strategy]:
    """The RUS/RUP and regional growth agreements ``user`` may read."""
    strategies = tenancy.readable(
        Strategy.objects.filter(kind__in=DEVELOPMENT_KINDS).select_related("owner", "county"),
        user,
    )
    if county_code:
        strategies = strategies.filter(
            Q(county__code=county_code) | Q(owner__county__code=county_code)
        )
    return strategies.order_by("kind", "title")


@dataclass
class DevelopmentUptake:
    """One RUS or growth agreement and the integration work that takes its starting point in
    it: strategies, action plans (their own link or their strategy's) and projects."""

    strategy: Strategy
    strategies: list[Strategy] = field(default_factory=list)
    plans: list[ActionPlan] = field(default_factory=list)
    projects: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.strategies or self.plans or self.projects)


def development_uptake(
    *, user: Any, county_code: str = "", only: Strategy | None = None
) -> list[DevelopmentUptake]:
    """For each RUS and growth agreement the user may read (in a county, if given; or ``only``
    that one), the readable strategies, plans and projects that build on it."""
    from samverkan.projects.models import Project

    readable_strategies = tenancy.readable(Strategy.objects.all(), user)
    readable_projects = tenancy.readable(Project.objects.all(), user)
    rows = []
    developments = development_strategy_list(user=user, county_code=county_code)
    if only is not None:
        developments = developments.filter(pk=only.pk)
    for development in developments:
        strategies = list(readable_strategies.filter(builds_on=development).select_related("owner"))
        plans = list(
            ActionPlan.objects.filter(
                Q(builds_on=development) | Q(strategy__builds_on=development),
                strategy__in=readable_strategies,
            )
            .select_related("strategy")
            .distinct()
        )
        projects = list(
            readable_projects.filter(builds_on=development).select_related("owner").distinct()
        )
        rows.append(DevelopmentUptake(development, strategies, plans, projects))
    return rows
