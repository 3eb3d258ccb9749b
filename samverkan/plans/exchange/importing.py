"""The import of strategies in the shape the export writes (JSON nested, CSV/XLSX flat)."""

from __future__ import annotations

import ast
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation, TargetGroup
from samverkan.core import tenancy
from samverkan.core.exchange import (
    Column,
    Importer,
    RowError,
    register_importer,
)
from samverkan.core.models import Visibility
from samverkan.core.tables import Table
from samverkan.geo.models import County
from samverkan.plans.exchange.exporting import GOAL_KEYS, STRATEGY_COLUMNS
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
