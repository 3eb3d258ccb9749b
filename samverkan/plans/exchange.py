"""Strategies as JSON (nested: focus areas, goals, plans, activities, follow-ups) or XLSX (one
sheet per level, linked by ids), and the matching import of the JSON shape.

A strategy's and a plan's ``builds_on`` are the regional development strategies (RUS/RUP) and
growth agreements they take their starting point in: in JSON a list of ``{"title",
"owner_code", "kind"}``, in CSV and XLSX their titles separated by "; ". Only those the exporting
user may read are written; the import finds them again by title (and owner code, when given)
among those the importing user may read.

The import reads what the export writes. The shared JSON reader hands a nested value to the
importer as its Python literal text, which is parsed back with ``ast.literal_eval`` (literals
only, never code). CSV/XLSX files import the strategy rows without nested records.
"""

from __future__ import annotations

import ast
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, TargetGroup
from samverkan.core import tenancy
from samverkan.core.exchange import (
    Column,
    Exporter,
    Importer,
    RowError,
    register_exporter,
    register_importer,
)
from samverkan.core.models import Visibility
from samverkan.core.tables import Table
from samverkan.geo.models import County
from samverkan.plans.models import (
    DEVELOPMENT_KINDS,
    ActionPlan,
    Activity,
    ActivityStatus,
    FocusArea,
    FollowUp,
    Goal,
    Strategy,
    StrategyKind,
    StrategyLevel,
    StrategyStatus,
    Weighting,
)
from samverkan.plans.services.action_plans import add_months

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


# --- import -----------------------------------------------------------------------------------


@dataclass
class PreparedStrategy:
    strategy: Strategy
    builds_on: list[Strategy] = field(default_factory=list)
    overarching: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)


class _Row:
    """Validation helpers for one imported row; errors name the row and a path as column."""

    def __init__(self, number: int, errors: list[RowError]):
        self.number, self.errors = number, errors

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def date(self, column: str, value: Any) -> datetime.date | None:
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            self.fail(column, _("ogiltigt datum ”%s” (skriv ÅÅÅÅ-MM-DD)") % value)
            return None

    def integer(
        self, column: str, value: Any, *, low: int = 0, high: int | None = None
    ) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = int(str(value))
        except ValueError:
            self.fail(column, _("”%s” är inget heltal") % value)
            return None
        if number < low or (high is not None and number > high):
            self.fail(
                column,
                _("%(v)s ligger utanför %(low)s–%(high)s")
                % {"v": number, "low": low, "high": high or "∞"},
            )
            return None
        return number

    def choice(self, column: str, value: Any, choices: Any, default: str) -> str:
        value = str(value or "").strip() or default
        if value not in choices.values:
            self.fail(
                column,
                _("okänt värde ”%(v)s” (tillåtna: %(a)s)")
                % {"v": value, "a": ", ".join(choices.values)},
            )
        return value

    def development(self, column: str, value: Any, candidates: list[Strategy]) -> list[Strategy]:
        """The RUS or growth agreements named by ``value``: the export's list of
        ``{"title", "owner_code"}`` (or its Python literal text), or titles separated by ";"."""
        if value in (None, "", "[]"):
            return []
        refs: Any = value
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                try:
                    refs = ast.literal_eval(value)
                except (ValueError, SyntaxError):
                    self.fail(column, _("kunde inte läsas som en lista"))
                    return []
            else:
                refs = [part for part in value.split(";") if part.strip()]
        if not isinstance(refs, list):
            self.fail(column, _("ska vara en lista"))
            return []
        found: list[Strategy] = []
        for ref in refs:
            title, owner_code = (
                (str(ref.get("title") or ""), str(ref.get("owner_code") or ""))
                if isinstance(ref, dict)
                else (str(ref), "")
            )
            title = " ".join(title.split())
            matches = [
                c
                for c in candidates
                if c.title == title and (not owner_code or c.owner.code == owner_code)
            ]
            if len(matches) == 1:
                found.append(matches[0])
            elif matches:
                self.fail(
                    column,
                    _("flera RUS eller tillväxtavtal heter ”%s”; ange owner_code") % title,
                )
            else:
                self.fail(column, _("okänd RUS eller okänt tillväxtavtal ”%s”") % title)
        return list(dict.fromkeys(found))

    def nested(self, column: str, value: Any) -> list[dict[str, Any]]:
        if value in (None, "", "[]"):
            return []
        try:
            parsed = ast.literal_eval(value) if isinstance(value, str) else value
        except (ValueError, SyntaxError):
            self.fail(column, _("kunde inte läsas som en lista"))
            return []
        if not isinstance(parsed, list) or not all(isinstance(p, dict) for p in parsed):
            self.fail(column, _("ska vara en lista av objekt"))
            return []
        return parsed


@register_importer
class StrategyImporter(Importer):
    kind = "strategies"
    label = "Strategier"
    columns = (
        Column("title", required=True, help="Strategins titel"),
        Column("owner_code", help="Ägande organisations kod (annars den du agerar för)"),
        *(Column(c) for c in STRATEGY_COLUMNS if c not in ("title", "owner_code", "builds_on")),
        Column(
            "builds_on",
            help="RUS eller tillväxtavtal som strategin utgår från: titlar åtskilda med ; "
            "(JSON: lista med title och owner_code)",
        ),
        Column("illustrative", help="Påhittat exempel (demodata): true eller false"),
        Column("overarching_goals", help="Övergripande mål (JSON)"),
        Column("focus_areas", help="Fokusområden med mål (JSON)"),
        Column("plans", help="Handlingsplaner med aktiviteter och avstämningar (JSON)"),
    )

    def prepare(
        self, table: Table, *, user: Any, acting_for: Any
    ) -> tuple[list[Any], list[RowError]]:
        if acting_for is not None and not tenancy.can_act_for(user, acting_for.pk):
            raise PermissionDenied(_("Du kan inte importera strategier för %s.") % acting_for)
        orgs = {o.code: o for o in Organisation.objects.all()}
        counties = {c.code: c for c in County.objects.all()}
        target_groups = {t.code: t for t in TargetGroup.objects.all()}
        development = list(
            tenancy.readable(
                Strategy.objects.filter(kind__in=DEVELOPMENT_KINDS).select_related("owner"), user
            )
        )
        regional = {
            (g.strategy.title, g.title): g
            for g in Goal.objects.filter(
                strategy__in=tenancy.readable(
                    Strategy.objects.filter(level=StrategyLevel.REGIONAL), user
                )
            ).select_related("strategy")
        }
        prepared: list[PreparedStrategy] = []
        errors: list[RowError] = []
        for number, raw in table.rows:
            row = _Row(number, errors)
            before = len(errors)
            owner = acting_for
            if raw.get("owner_code"):
                owner = orgs.get(raw["owner_code"].strip())
                if owner is None:
                    row.fail("owner_code", _("okänd organisation ”%s”") % raw["owner_code"])
                elif not tenancy.can_act_for(user, owner.pk):
                    row.fail("owner_code", _("du kan inte importera strategier för %s") % owner)
            elif owner is None:
                row.fail("owner_code", _("ange ägande organisation"))
            county = None
            if raw.get("county_code"):
                county = counties.get(raw["county_code"].zfill(2))
                if county is None:
                    row.fail("county_code", _("okänd länskod ”%s”") % raw["county_code"])
            strategy = Strategy(
                owner=owner if isinstance(owner, Organisation) else None,
                title=raw["title"].strip()[:300],
                kind=row.choice(
                    "kind", raw.get("kind"), StrategyKind, StrategyKind.INTEGRATION_STRATEGY
                ),
                level=row.choice("level", raw.get("level"), StrategyLevel, StrategyLevel.MUNICIPAL),
                county=county,
                period_start=row.integer(
                    "period_start", raw.get("period_start"), low=1900, high=2200
                ),
                period_end=row.integer("period_end", raw.get("period_end"), low=1900, high=2200),
                vision=raw.get("vision", ""),
                summary=raw.get("summary", ""),
                status=row.choice(
                    "status", raw.get("status"), StrategyStatus, StrategyStatus.DRAFT
                ),
                adopted_by=raw.get("adopted_by", ""),
                adopted_on=row.date("adopted_on", raw.get("adopted_on")),
                visibility=row.choice(
                    "visibility", raw.get("visibility"), Visibility, Visibility.INTERNAL
                ),
                source=raw.get("source", "") or _("Import från %s") % table.filename,
                illustrative=str(raw.get("illustrative") or "").lower() in ("true", "1", "ja"),
            )
            if not strategy.title:
                row.fail("title", _("titel saknas"))
            if (
                strategy.period_start
                and strategy.period_end
                and strategy.period_end < strategy.period_start
            ):
                row.fail("period_end", _("periodens slutår ligger före startåret"))
            item = PreparedStrategy(
                strategy, builds_on=row.development("builds_on", raw.get("builds_on"), development)
            )
            item.overarching = [
                self._goal(row, "overarching_goals", g, regional)
                for g in row.nested("overarching_goals", raw.get("overarching_goals"))
            ]
            for i, area in enumerate(row.nested("focus_areas", raw.get("focus_areas")), start=1):
                if not str(area.get("title", "")).strip():
                    row.fail(f"focus_areas[{i}].title", _("fokusområdet saknar titel"))
                item.areas.append(
                    {
                        "title": str(area.get("title", ""))[:200],
                        "description": str(area.get("description", "")),
                        "goals": [
                            self._goal(row, f"focus_areas[{i}].goals", g, regional)
                            for g in area.get("goals", []) or []
                        ],
                    }
                )
            goal_titles = {g["title"] for g in item.overarching} | {
                g["title"] for a in item.areas for g in a["goals"]
            }
            for i, plan in enumerate(row.nested("plans", raw.get("plans")), start=1):
                item.plans.append(
                    self._plan(row, f"plans[{i}]", plan, goal_titles, orgs, target_groups)
                )
                item.plans[-1]["builds_on"] = row.development(
                    f"plans[{i}].builds_on", plan.get("builds_on"), development
                )
            if len(errors) == before:
                prepared.append(item)
        return prepared, errors

    def _goal(
        self, row: _Row, where: str, data: dict[str, Any], regional: dict[Any, Goal]
    ) -> dict[str, Any]:
        goal: dict[str, Any] = {k: str(data.get(k) or "") for k in GOAL_KEYS if k != "target_date"}
        goal["target_date"] = row.date(f"{where}.target_date", data.get("target_date"))
        if not goal["title"].strip():
            row.fail(f"{where}.title", _("målet saknar text"))
        goal["contributes_to"] = []
        for ref in data.get("contributes_to") or []:
            target = (
                regional.get((ref.get("strategy"), ref.get("goal")))
                if isinstance(ref, dict)
                else None
            )
            if target is None:
                row.fail(f"{where}.contributes_to", _("okänt regionalt mål %s") % ref)
            else:
                goal["contributes_to"].append(target)
        return goal

    def _plan(
        self,
        row: _Row,
        where: str,
        data: dict[str, Any],
        goal_titles: set[str],
        orgs: dict[str, Organisation],
        target_groups: dict[str, TargetGroup],
    ) -> dict[str, Any]:
        year_start = row.integer(f"{where}.year_start", data.get("year_start"), low=1900, high=2200)
        year_end = (
            row.integer(f"{where}.year_end", data.get("year_end"), low=1900, high=2200)
            or year_start
        )
        if year_start is None:
            row.fail(f"{where}.year_start", _("startår saknas"))
        elif year_end is not None and year_end < year_start:
            row.fail(f"{where}.year_end", _("planens slutår ligger före startåret"))
        plan: dict[str, Any] = {
            "title": str(data.get("title") or "")[:300],
            "year_start": year_start,
            "year_end": year_end,
            "weighting": row.choice(
                f"{where}.weighting", data.get("weighting"), Weighting, Weighting.BUDGET
            ),
            "note": str(data.get("note") or ""),
            "activities": [],
        }
        for i, a in enumerate(data.get("activities") or [], start=1):
            at = f"{where}.activities[{i}]"
            activity: dict[str, Any] = {
                "title": str(a.get("title") or "")[:300],
                "description": str(a.get("description") or ""),
                "responsible_unit": str(a.get("responsible_unit") or ""),
                "status": row.choice(
                    f"{at}.status", a.get("status"), ActivityStatus, ActivityStatus.PLANNED
                ),
                "status_reason": str(a.get("status_reason") or ""),
                "impact_note": str(a.get("impact_note") or ""),
                "start_date": row.date(f"{at}.start_date", a.get("start_date")),
                "end_date": row.date(f"{at}.end_date", a.get("end_date")),
                "duration_months": row.integer(
                    f"{at}.duration_months", a.get("duration_months"), high=600
                ),
                "hours": row.integer(f"{at}.hours", a.get("hours")),
                "progress": row.integer(f"{at}.progress", a.get("progress"), high=100) or 0,
            }
            if not activity["title"]:
                row.fail(f"{at}.title", _("aktiviteten saknar titel"))
            try:
                activity["budget"] = (
                    Decimal(str(a["budget"])) if a.get("budget") not in (None, "") else None
                )
            except InvalidOperation:
                row.fail(f"{at}.budget", _("ogiltig budget ”%s”") % a.get("budget"))
            if activity["start_date"] and activity["duration_months"] and not activity["end_date"]:
                activity["end_date"] = add_months(
                    activity["start_date"], activity["duration_months"]
                )
            if (
                activity["start_date"]
                and activity["end_date"]
                and activity["end_date"] < activity["start_date"]
            ):
                row.fail(f"{at}.end_date", _("aktiviteten slutar innan den börjar"))
            unknown_goals = [g for g in a.get("goals") or [] if g not in goal_titles]
            if unknown_goals:
                row.fail(
                    f"{at}.goals",
                    _("målet finns inte i strategin: %s") % ", ".join(map(str, unknown_goals)),
                )
            activity["goals"] = list(a.get("goals") or [])
            code = a.get("responsible_organisation_code")
            activity["responsible_organisation"] = orgs.get(code) if code else None
            if code and code not in orgs:
                row.fail(f"{at}.responsible_organisation_code", _("okänd organisation ”%s”") % code)
            activity["partners"] = [orgs[c] for c in a.get("partner_codes") or [] if c in orgs]
            if len(activity["partners"]) != len(a.get("partner_codes") or []):
                row.fail(f"{at}.partner_codes", _("okänd organisationskod bland partnerna"))
            activity["target_groups"] = [
                target_groups[c] for c in a.get("target_groups") or [] if c in target_groups
            ]
            if len(activity["target_groups"]) != len(a.get("target_groups") or []):
                row.fail(f"{at}.target_groups", _("okänd målgruppskod"))
            activity["follow_ups"] = []
            for j, f in enumerate(a.get("follow_ups") or [], start=1):
                ft = f"{at}.follow_ups[{j}]"
                day = row.date(f"{ft}.date", f.get("date"))
                if day is None:
                    row.fail(f"{ft}.date", _("datum saknas"))
                activity["follow_ups"].append(
                    {
                        "date": day,
                        "status": row.choice(
                            f"{ft}.status", f.get("status"), ActivityStatus, ActivityStatus.STARTED
                        ),
                        "progress": row.integer(f"{ft}.progress", f.get("progress"), high=100) or 0,
                        "comment": str(f.get("comment") or ""),
                        "by_name": str(f.get("by") or "")[:200],
                    }
                )
            plan["activities"].append(activity)
        return plan

    def write(self, prepared: list[Any], *, user: Any, acting_for: Any) -> tuple[int, int]:
        for item in prepared:
            strategy = item.strategy
            strategy.save()
            strategy.builds_on.set(item.builds_on)
            goals_by_title: dict[str, Goal] = {}

            def add_goal(
                data: dict[str, Any],
                area: FocusArea | None,
                position: int,
                _strategy: Strategy = strategy,
                _goals: dict[str, Goal] = goals_by_title,
            ) -> None:
                contributes = data.pop("contributes_to")
                goal = Goal.objects.create(
                    strategy=_strategy, focus_area=area, position=position, **data
                )
                goal.contributes_to.set(contributes)
                _goals.setdefault(goal.title, goal)

            for i, g in enumerate(item.overarching, start=1):
                add_goal(g, None, i)
            for i, a in enumerate(item.areas, start=1):
                area = FocusArea.objects.create(
                    strategy=strategy, title=a["title"], description=a["description"], position=i
                )
                for j, g in enumerate(a["goals"], start=1):
                    add_goal(g, area, j)
            for p in item.plans:
                activities = p.pop("activities")
                builds_on = p.pop("builds_on", [])
                plan = ActionPlan.objects.create(strategy=strategy, **p)
                plan.builds_on.set(builds_on)
                for position, a in enumerate(activities, start=1):
                    m2m = {
                        k: a.pop(k) for k in ("goals", "partners", "target_groups", "follow_ups")
                    }
                    activity = Activity.objects.create(plan=plan, position=position, **a)
                    activity.goals.set([goals_by_title[t] for t in m2m["goals"]])
                    activity.partners.set(m2m["partners"])
                    activity.target_groups.set(m2m["target_groups"])
                    FollowUp.objects.bulk_create(
                        FollowUp(activity=activity, **f) for f in m2m["follow_ups"]
                    )
        return len(prepared), 0
