"""Action plans, their activities and follow-ups, and rolling a plan over to the next period."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.versioning import EditConflict
from samverkan.plans.models import (
    STATUSES_NEEDING_REASON,
    UNFINISHED_STATUSES,
    ActionPlan,
    Activity,
    ActivityStatus,
    FollowUp,
    Strategy,
)
from samverkan.plans.services.common import (
    ACTIVITY_FIELDS,
    ACTIVITY_M2M,
    builds_on_check,
    check_fields,
    require_write,
)


@transaction.atomic
def plan_create(
    *,
    strategy: Strategy,
    user: Any,
    title: str,
    year_start: int,
    year_end: int | None = None,
    weighting: str = "budget",
    note: str = "",
    builds_on: Iterable[Strategy] | None = None,
) -> ActionPlan:
    """A new action plan under ``strategy``; ``builds_on``: the RUS or growth agreements the
    plan takes its starting point in besides its own strategy."""
    require_write(user, strategy)
    development = builds_on_check(user=user, record=strategy, development=builds_on or [])
    plan = ActionPlan(
        strategy=strategy,
        title=title,
        year_start=year_start,
        year_end=year_end if year_end is not None else year_start,
        weighting=weighting,
        note=note,
    )
    plan.full_clean()
    plan.save()
    plan.builds_on.set(development)
    return plan


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _activity_clean(activity: Activity) -> None:
    if activity.start_date and activity.duration_months and not activity.end_date:
        activity.end_date = add_months(activity.start_date, activity.duration_months)
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        raise ValidationError(
            {
                "end_date": _("Aktiviteten kan inte sluta (%(end)s) innan den börjar (%(start)s).")
                % {"end": activity.end_date, "start": activity.start_date}
            }
        )
    if activity.status in STATUSES_NEEDING_REASON and not activity.status_reason.strip():
        raise ValidationError(
            {
                "status_reason": _(
                    "Ange varför aktiviteten är %s; skälet sparas vid omprioriteringen."
                )
                % activity.get_status_display().lower()
            }
        )
    if activity.status == ActivityStatus.DONE:
        activity.progress = 100
    activity.full_clean()


def _activity_set_m2m(activity: Activity, m2m: dict[str, Any]) -> None:
    goals = m2m.get("goals")
    if goals is not None:
        goals = list(goals)
        strategy_id = activity.plan.strategy_id
        if any(g.strategy_id != strategy_id for g in goals):
            raise ValidationError(
                {"goals": _("En aktivitet kan bara bidra till mål i planens egen strategi.")}
            )
        activity.goals.set(goals)
    if m2m.get("partners") is not None:
        activity.partners.set(list(m2m["partners"]))
    if m2m.get("target_groups") is not None:
        activity.target_groups.set(list(m2m["target_groups"]))


@transaction.atomic
def activity_create(*, plan: ActionPlan, user: Any, **fields: Any) -> Activity:
    """Add an activity. Give start and either a duration in months or an end date."""
    require_write(user, plan.strategy)
    m2m = {name: fields.pop(name) for name in ACTIVITY_M2M if name in fields}
    check_fields(fields, ACTIVITY_FIELDS, "activity")
    if "position" not in fields:
        fields["position"] = plan.activities.count() + 1
    activity = Activity(plan=plan, **fields)
    _activity_clean(activity)
    activity.save()
    _activity_set_m2m(activity, m2m)
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, user: Any, expected_version: int, **fields: Any
) -> Activity:
    """Change an activity edited from ``expected_version``.

    The row is locked and its version compared: if someone saved in between, the edit is
    refused with ``EditConflict`` (naming who changed it) instead of overwriting their change.
    """
    require_write(user, activity.plan.strategy)
    m2m = {name: fields.pop(name) for name in ACTIVITY_M2M if name in fields}
    check_fields(fields, ACTIVITY_FIELDS, "activity")
    current = Activity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
    if current.version != expected_version:
        last = current.history.first()
        who = getattr(getattr(last, "history_user", None), "email", None) or _("någon annan")
        raise EditConflict(
            _(
                "Aktiviteten har ändrats av %(who)s sedan du öppnade den (version %(theirs)d, du "
                "utgick från version %(yours)d). Dina ändringar sparades inte; ladda om sidan och "
                "gör om dem."
            )
            % {"who": who, "theirs": current.version, "yours": expected_version},
            theirs=current.version,
            yours=expected_version,
        )
    # A changed start or duration moves an end date that was derived from them (or not sent);
    # an end date the editor changed explicitly wins.
    timing_changed = any(
        name in fields and fields[name] != getattr(current, name)
        for name in ("start_date", "duration_months")
    )
    end_untouched = fields.get("end_date", current.end_date) == current.end_date
    if timing_changed and end_untouched and fields.get("duration_months", current.duration_months):
        fields["end_date"] = None
    for name, value in fields.items():
        setattr(current, name, value)
    _activity_clean(current)
    current.version += 1
    current.save()
    _activity_set_m2m(current, m2m)
    return current


@transaction.atomic
def followup_create(
    *,
    activity: Activity,
    user: Any,
    status: str,
    progress: int,
    comment: str = "",
    date: datetime.date | None = None,
    by_name: str = "",
) -> FollowUp:
    """Record a follow-up (avstämning); the activity takes its status and progress.

    Pausing or cancelling needs a comment saying why (kept as the activity's status reason).
    """
    require_write(user, activity.plan.strategy)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Framsteg anges i procent, 0–100.")})
    if status in STATUSES_NEEDING_REASON and not comment.strip():
        raise ValidationError({"comment": _("Skriv varför aktiviteten pausas eller stryks.")})
    if status == ActivityStatus.DONE:
        progress = 100
    db_user = tenancy.db_user(user)
    followup = FollowUp(
        activity=activity,
        date=date or timezone.localdate(),
        status=status,
        progress=progress,
        comment=comment,
        by=db_user,
        by_name=by_name or (db_user.email if db_user else "system"),
    )
    followup.full_clean()
    followup.save()
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    current.status, current.progress = status, progress
    if status in STATUSES_NEEDING_REASON:
        current.status_reason = comment
    current.version += 1
    current._change_reason = "avstämning"  # type: ignore[attr-defined]
    current.save()
    activity.status, activity.progress, activity.version = status, progress, current.version
    return followup


def plan_ancestors(plan: ActionPlan) -> list[ActionPlan]:
    """The plans this one was rolled over from, nearest first (stops at a loop)."""
    chain, seen, current = [], {plan.pk}, plan.previous
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.previous
    return chain


@transaction.atomic
def plan_roll_over(
    *, plan: ActionPlan, user: Any, target: ActionPlan | None = None, title: str = ""
) -> ActionPlan:
    """Roll ``plan`` over into next year's plan, copying its unfinished activities.

    Without ``target`` a new plan for the following year is created. A target that is the
    plan itself or one it descends from would make a cycle and is refused.
    """
    require_write(user, plan.strategy)
    if target is not None:
        require_write(user, target.strategy)
        if target.pk == plan.pk or target.pk in {p.pk for p in plan_ancestors(plan)}:
            raise ValidationError(
                _(
                    "Planen ”%(target)s” föregår ”%(plan)s”; att föra över till den skulle ge en "
                    "cirkel."
                )
                % {"target": target, "plan": plan}
            )
        if target.previous_id not in (None, plan.pk):
            raise ValidationError(_("”%s” är redan en fortsättning på en annan plan.") % target)
        if target.strategy_id != plan.strategy_id:
            raise ValidationError(_("Planerna hör till olika strategier."))
    else:
        span = plan.year_end - plan.year_start
        year = plan.year_end + 1
        default_title = (
            _("Handlingsplan %d") % year
            if span == 0
            else _("Handlingsplan %(a)d–%(b)d") % {"a": year, "b": year + span}
        )
        target = plan_create(
            strategy=plan.strategy,
            user=user,
            title=title or default_title,
            year_start=year,
            year_end=year + span,
            weighting=plan.weighting,
            # the new plan starts from the same RUS or growth agreements
            builds_on=[d for d in plan.builds_on.all() if tenancy.can_read(user, d)],
        )
    target.previous = plan
    target.save()
    already = set(target.activities.values_list("copied_from_id", flat=True))
    position = target.activities.count()
    for source in plan.activities.filter(status__in=UNFINISHED_STATUSES).prefetch_related(
        "goals", "partners", "target_groups"
    ):
        if source.pk in already:
            continue
        position += 1
        copy = Activity.objects.create(
            plan=target,
            title=source.title,
            description=source.description,
            responsible_organisation=source.responsible_organisation,
            responsible_unit=source.responsible_unit,
            start_date=source.start_date,
            duration_months=source.duration_months,
            end_date=source.end_date,
            budget=source.budget,
            hours=source.hours,
            status=source.status,
            status_reason=source.status_reason,
            progress=source.progress,
            impact_note=source.impact_note,
            position=position,
            copied_from=source,
        )
        copy.goals.set(source.goals.all())
        copy.partners.set(source.partners.all())
        copy.target_groups.set(source.target_groups.all())
    return target
