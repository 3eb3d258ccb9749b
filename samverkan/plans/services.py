"""Writes and rules for strategies, plans, activities, follow-ups and consultations.

Every function checks access through ``samverkan.core.tenancy`` on the strategy the record
belongs to, validates, and raises ``ValidationError`` with a Swedish message for bad input.
"""

from __future__ import annotations

import calendar
import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.validators import single_line_check
from samverkan.core.versioning import EditConflict, record_edit_begin
from samverkan.plans.models import (
    DEVELOPMENT_KINDS,
    STATUSES_NEEDING_REASON,
    UNFINISHED_STATUSES,
    ActionPlan,
    Activity,
    ActivityStatus,
    CommentDecision,
    Consultation,
    ConsultationComment,
    ConsultationInvite,
    ConsultationSection,
    ConsultationStatus,
    FocusArea,
    FollowUp,
    Goal,
    Strategy,
    StrategyLevel,
    StrategyStatus,
)

STRATEGY_FIELDS = (
    "title",
    "kind",
    "level",
    "county",
    "period_start",
    "period_end",
    "vision",
    "summary",
    "visibility",
    "source",
    "adopted_by",
    "adopted_on",
    "status",
    "revision_note",
    "illustrative",
)
GOAL_FIELDS = (
    "title",
    "measure",
    "baseline",
    "target",
    "target_date",
    "responsible",
    "position",
    "illustrative",
)
ACTIVITY_FIELDS = (
    "title",
    "description",
    "responsible_organisation",
    "responsible_unit",
    "start_date",
    "duration_months",
    "end_date",
    "budget",
    "hours",
    "status",
    "status_reason",
    "impact_note",
    "position",
    "illustrative",
)
ACTIVITY_M2M = ("goals", "partners", "target_groups")


def _require_write(user: Any, strategy: Strategy) -> None:
    if not tenancy.can_write(user, strategy):
        raise PermissionDenied(_("Du kan inte ändra %s.") % strategy)


def _check_fields(fields: dict[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


# --- strategies -------------------------------------------------------------------------------


def _strategy_clean(strategy: Strategy) -> None:
    if strategy.status == StrategyStatus.ADOPTED and not strategy.adopted_by.strip():
        # The date may be unknown (the reports often give only the month or ”början av 2015”).
        raise ValidationError(
            {"adopted_by": _("Ange vem som antog strategin (och när, om det är känt).")}
        )
    strategy.full_clean()


def _builds_on_check(
    *, user: Any, record: Strategy | None, development: Iterable[Strategy]
) -> list[Strategy]:
    """The development strategies (RUS, growth agreements) a strategy, plan or project may take
    its starting point in: of those kinds, readable by the user, never the strategy itself."""
    chosen = list(development)
    for other in chosen:
        if other.kind not in DEVELOPMENT_KINDS:
            raise ValidationError(
                {
                    "builds_on": _(
                        "%s är inte en regional utvecklingsstrategi eller ett tillväxtavtal."
                    )
                    % other
                }
            )
        if record is not None and other.pk == record.pk:
            raise ValidationError({"builds_on": _("En strategi kan inte utgå från sig själv.")})
        if not tenancy.can_read(user, other):
            raise PermissionDenied(_("Du kan inte läsa %s.") % other)
    return chosen


@transaction.atomic
def strategy_create(
    *,
    user: Any,
    owner: Organisation,
    builds_on: Iterable[Strategy] | None = None,
    **fields: Any,
) -> Strategy:
    """Create a strategy owned by ``owner`` (which the user must edit for)."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte skapa strategier för %s.") % owner)
    _check_fields(fields, STRATEGY_FIELDS, "strategy")
    development = _builds_on_check(user=user, record=None, development=builds_on or [])
    strategy = Strategy(owner=owner, **fields)
    _strategy_clean(strategy)
    strategy._change_reason = "skapad"  # type: ignore[attr-defined]
    strategy.save()
    strategy.builds_on.set(development)
    return strategy


@transaction.atomic
def strategy_update(
    *,
    strategy: Strategy,
    user: Any,
    expected_version: int | None = None,
    builds_on: Iterable[Strategy] | None = None,
    **fields: Any,
) -> Strategy:
    """Change a strategy. Adopting needs who and when; revising an adopted strategy keeps the
    adopted version in the history. ``builds_on`` (when given) replaces the RUS and growth
    agreements the strategy takes its starting point in."""
    _require_write(user, strategy)
    _check_fields(fields, STRATEGY_FIELDS, "strategy")
    record_edit_begin(strategy, expected_version=expected_version)
    for name, value in fields.items():
        setattr(strategy, name, value)
    _strategy_clean(strategy)
    strategy.save()
    if builds_on is not None:
        chosen = _builds_on_check(user=user, record=strategy, development=builds_on)
        # links to strategies the user cannot see are not theirs to remove
        hidden = [s for s in strategy.builds_on.all() if not tenancy.can_read(user, s)]
        strategy.builds_on.set(chosen + hidden)
    return strategy


@transaction.atomic
def focus_area_create(
    *, strategy: Strategy, user: Any, title: str, description: str = "", position: int | None = None
) -> FocusArea:
    _require_write(user, strategy)
    if position is None:
        position = strategy.focus_areas.count() + 1
    area = FocusArea(strategy=strategy, title=title, description=description, position=position)
    area.full_clean()
    area.save()
    return area


def _goal_clean(goal: Goal) -> None:
    area = goal.focus_area
    if area is not None and area.strategy_id != goal.strategy_id:
        raise ValidationError(
            {
                "focus_area": _(
                    "Fokusområdet ”%(area)s” hör till en annan strategi; ett mål kan bara "
                    "höra till ett fokusområde i sin egen strategi."
                )
                % {"area": goal.focus_area}
            }
        )
    goal.full_clean()


@transaction.atomic
def goal_create(
    *, strategy: Strategy, user: Any, focus_area: FocusArea | None = None, **fields: Any
) -> Goal:
    """Create a goal: overarching (no focus area) or under one of the strategy's own areas."""
    _require_write(user, strategy)
    _check_fields(fields, GOAL_FIELDS, "goal")
    goal = Goal(strategy=strategy, focus_area=focus_area, **fields)
    _goal_clean(goal)
    goal.save()
    return goal


@transaction.atomic
def goal_update(
    *, goal: Goal, user: Any, focus_area: FocusArea | None | str = "keep", **fields: Any
) -> Goal:
    _require_write(user, goal.strategy)
    _check_fields(fields, GOAL_FIELDS, "goal")
    if focus_area != "keep":
        goal.focus_area = focus_area  # type: ignore[assignment]
    for name, value in fields.items():
        setattr(goal, name, value)
    _goal_clean(goal)
    goal.save()
    return goal


@transaction.atomic
def goal_set_contributions(*, goal: Goal, user: Any, regional_goals: Iterable[Goal]) -> Goal:
    """Declare which regional strategy goals this goal contributes to (hooks into)."""
    _require_write(user, goal.strategy)
    targets = list(regional_goals)
    for target in targets:
        if target.strategy_id == goal.strategy_id:
            raise ValidationError(_("Ett mål kan inte bidra till ett mål i sin egen strategi."))
        if target.strategy.level != StrategyLevel.REGIONAL:
            raise ValidationError(_("”%s” är inte ett mål i en regional strategi.") % target)
        if not tenancy.can_read(user, target.strategy):
            raise ValidationError(_("Den regionala strategin finns inte eller är inte synlig."))
    goal.contributes_to.set(targets)
    return goal


# --- plans and activities ---------------------------------------------------------------------


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
    _require_write(user, strategy)
    development = _builds_on_check(user=user, record=strategy, development=builds_on or [])
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
    _require_write(user, plan.strategy)
    m2m = {name: fields.pop(name) for name in ACTIVITY_M2M if name in fields}
    _check_fields(fields, ACTIVITY_FIELDS, "activity")
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
    _require_write(user, activity.plan.strategy)
    m2m = {name: fields.pop(name) for name in ACTIVITY_M2M if name in fields}
    _check_fields(fields, ACTIVITY_FIELDS, "activity")
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
    _require_write(user, activity.plan.strategy)
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
    _require_write(user, plan.strategy)
    if target is not None:
        _require_write(user, target.strategy)
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


# --- consultations ----------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    strategy: Strategy,
    user: Any,
    title: str,
    sections: list[tuple[str, str]],
    source_filename: str = "",
) -> Consultation:
    """Create a consultation draft from already split sections (see ``plans.documents``)."""
    _require_write(user, strategy)
    single_line_check(field="title", value=title)  # the title is the invitations' subject
    if not sections:
        raise ValidationError(_("Remissutkastet är tomt; det behöver minst ett avsnitt."))
    consultation = Consultation(strategy=strategy, title=title, source_filename=source_filename)
    consultation.full_clean()
    consultation.save()
    ConsultationSection.objects.bulk_create(
        ConsultationSection(consultation=consultation, position=i, heading=heading[:300], text=text)
        for i, (heading, text) in enumerate(sections, start=1)
    )
    return consultation


@transaction.atomic
def consultation_publish(
    *,
    consultation: Consultation,
    user: Any,
    organisations: Iterable[Organisation],
    deadline: datetime.datetime,
    remind_days_before: int | None = None,
) -> list[ConsultationInvite]:
    """Send the draft to organisations, each with a personal link; the strategy goes on remiss.

    Each new respondent gets its organisation's contact address for consultations, else the
    address of its first admin or editor (as survey recipients do; the owner can change it),
    and an invitation e-mail once this commits; the automatic reminder is planned
    ``remind_days_before`` days before the deadline.
    """
    from samverkan.plans import mailings
    from samverkan.surveys.services import default_email

    strategy = consultation.strategy
    _require_write(user, strategy)
    if consultation.status == ConsultationStatus.WITHDRAWN:
        raise ValidationError(_("Remissen är återkallad och kan inte skickas ut igen."))
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Sista svarsdag måste ligga i framtiden.")})
    organisations = list(organisations)
    if not organisations and not consultation.invites.exists():
        raise ValidationError({"organisations": _("Välj minst en remissinstans.")})
    if remind_days_before is not None:
        if not 0 <= remind_days_before <= 60:
            raise ValidationError(
                {"remind_days_before": _("Ange mellan 0 och 60 dagar före sista svarsdag.")}
            )
        consultation.remind_days_before = remind_days_before
    deadline_changed = consultation.deadline != deadline
    consultation.deadline = deadline
    consultation.status = ConsultationStatus.OPEN
    consultation.save()
    invited = set(consultation.invites.values_list("organisation_id", flat=True))
    created = [
        ConsultationInvite.objects.create(
            consultation=consultation,
            organisation=org,
            token=secrets.token_urlsafe(24),
            email=default_email(org, purpose="consultations"),
        )
        for org in organisations
        if org.pk not in invited
    ]
    if strategy.status == StrategyStatus.DRAFT:
        strategy.status = StrategyStatus.CONSULTATION
        strategy.save()
    mailings.consultation_send_invitations(consultation=consultation, user=user)
    if deadline_changed or remind_days_before is not None:
        mailings.consultation_schedule_reminder(consultation=consultation, user=user)
    return created


@transaction.atomic
def consultation_set_status(*, consultation: Consultation, user: Any, status: str) -> Consultation:
    """Close or withdraw a consultation (both stop further comments)."""
    _require_write(user, consultation.strategy)
    if status not in (ConsultationStatus.CLOSED, ConsultationStatus.WITHDRAWN):
        raise ValidationError(_("Ogiltig status."))
    consultation.status = status
    consultation.save()
    return consultation


def _invite_open(invite: ConsultationInvite) -> ConsultationInvite:
    invite = (
        ConsultationInvite.objects.select_for_update()
        .select_related("consultation")
        .get(pk=invite.pk)
    )
    consultation = invite.consultation
    if consultation.status == ConsultationStatus.WITHDRAWN:
        raise ValidationError(_("Remissen är återkallad; synpunkter tas inte längre emot."))
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError(_("Remissen är inte öppen för synpunkter."))
    if consultation.deadline and timezone.now() > consultation.deadline:
        raise ValidationError(
            _("Sista svarsdag (%s) har passerat; synpunkter tas inte längre emot.")
            % timezone.localtime(consultation.deadline).strftime("%Y-%m-%d %H:%M")
        )
    return invite


@transaction.atomic
def consultation_comment_create(
    *,
    invite: ConsultationInvite,
    text: str,
    section: ConsultationSection | None = None,
    passage: str = "",
) -> ConsultationComment:
    """A respondent (identified by the personal link) comments on a section or passage."""
    invite = _invite_open(invite)
    if not text.strip():
        raise ValidationError({"text": _("Skriv en synpunkt.")})
    if section is not None and section.consultation_id != invite.consultation_id:
        raise ValidationError({"section": _("Avsnittet hör inte till den här remissen.")})
    if passage and section is not None and passage.strip() not in section.text:
        raise ValidationError({"passage": _("Det citerade stycket finns inte i avsnittet.")})
    comment = ConsultationComment(
        invite=invite, section=section, text=text.strip(), passage=passage.strip()
    )
    comment.full_clean()
    comment.save()
    invite.no_comments = False
    invite.responded_at = timezone.now()
    invite.save()
    return comment


@transaction.atomic
def consultation_no_comments(*, invite: ConsultationInvite) -> ConsultationInvite:
    """The respondent answers ”inga synpunkter”."""
    invite = _invite_open(invite)
    if invite.comments.exists():
        raise ValidationError(_("Ni har redan lämnat synpunkter."))
    invite.no_comments = True
    invite.responded_at = timezone.now()
    invite.save()
    return invite


@transaction.atomic
def consultation_comment_decide(
    *, comment: ConsultationComment, user: Any, decision: str, reason: str = ""
) -> ConsultationComment:
    """The owner marks a comment accepted, rejected or noted, with a reason."""
    _require_write(user, comment.invite.consultation.strategy)
    if decision not in CommentDecision.values:
        raise ValidationError({"decision": _("Ogiltigt ställningstagande.")})
    if decision == CommentDecision.REJECTED and not reason.strip():
        raise ValidationError({"decision_reason": _("Motivera varför synpunkten inte beaktas.")})
    comment.decision, comment.decision_reason = decision, reason.strip()
    comment.save()
    return comment
