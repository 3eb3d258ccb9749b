"""Writes for a strategy's structure: editing, reordering and deleting focus areas and goals,
with their history (django-simple-history keeps every version and every deletion) and restoring
what was deleted.

Nothing is lost silently: a focus area that still has goals, or a goal that activities serve or
other strategies' goals hook into, is not deleted (the message says what to do first); every
deletion is a history row and an audit entry and can be restored from the strategy's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.models import AuditEntry
from samverkan.plans.models import FocusArea, Goal, Strategy


def _require_write(user: Any, strategy: Strategy) -> None:
    if not tenancy.can_write(user, strategy):
        raise PermissionDenied(_("Du kan inte ändra %s.") % strategy)


def _audit(user: Any, action: str, **data: Any) -> None:
    AuditEntry.objects.create(action=action, user=tenancy.db_user(user), data=data)


@transaction.atomic
def focus_area_update(
    *, area: FocusArea, user: Any, title: str, description: str = ""
) -> FocusArea:
    _require_write(user, area.strategy)
    area.title, area.description = title.strip(), description.strip()
    area.full_clean()
    area.save()
    return area


def _move(items: list[Any], item: Any, direction: str) -> bool:
    """Swap ``item`` with its neighbour; positions are renumbered 1..n so gaps and ties from
    older data do not matter. Returns False at either end."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Flytta upp eller ner."))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    swap = index - 1 if direction == "up" else index + 1
    if not 0 <= swap < len(items):
        return False
    items[index], items[swap] = items[swap], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other._change_reason = _("ordning ändrad")
            other.save(update_fields=["position"])
    return True


@transaction.atomic
def focus_area_move(*, area: FocusArea, user: Any, direction: str) -> bool:
    """Move a focus area one step up or down among the strategy's areas."""
    _require_write(user, area.strategy)
    areas = list(
        FocusArea.objects.select_for_update()
        .filter(strategy_id=area.strategy_id)
        .order_by("position", "pk")
    )
    return _move(areas, area, direction)


@transaction.atomic
def goal_move(*, goal: Goal, user: Any, direction: str) -> bool:
    """Move a goal one step up or down among the goals of its focus area (or the overarching
    goals)."""
    _require_write(user, goal.strategy)
    goals = list(
        Goal.objects.select_for_update()
        .filter(strategy_id=goal.strategy_id, focus_area_id=goal.focus_area_id)
        .order_by("position", "pk")
    )
    return _move(goals, goal, direction)


@transaction.atomic
def focus_area_delete(*, area: FocusArea, user: Any) -> None:
    """Delete an empty focus area (its goals must be moved or deleted first)."""
    _require_write(user, area.strategy)
    count = area.goals.count()
    if count:
        raise ValidationError(
            _(
                "Fokusområdet ”%(area)s” har %(n)d mål. Flytta dem till ett annat fokusområde "
                "eller ta bort dem först."
            )
            % {"area": area, "n": count}
        )
    _audit(user, "plans.focusarea.deleted", pk=area.pk, strategy=area.strategy_id, title=area.title)
    area._change_reason = _("borttaget")  # type: ignore[attr-defined]
    area.delete()


@transaction.atomic
def goal_delete(*, goal: Goal, user: Any) -> None:
    """Delete a goal no activity serves and no other goal hooks into."""
    _require_write(user, goal.strategy)
    activities = goal.activities.count()
    if activities:
        raise ValidationError(
            _(
                "%(n)d aktiviteter bidrar till målet ”%(goal)s”. Koppla dem till ett annat mål "
                "först, så att uppföljningen inte tappar sitt mål."
            )
            % {"n": activities, "goal": goal}
        )
    contributors = goal.contributors.count()
    if contributors:
        raise ValidationError(
            _(
                "%(n)d mål i andra strategier hakar i målet ”%(goal)s”; det kan inte tas bort "
                "medan de gör det."
            )
            % {"n": contributors, "goal": goal}
        )
    _audit(
        user,
        "plans.goal.deleted",
        pk=goal.pk,
        strategy=goal.strategy_id,
        title=goal.title,
        contributes_to=list(goal.contributes_to.values_list("pk", flat=True)),
    )
    goal._change_reason = _("borttaget")  # type: ignore[attr-defined]
    goal.delete()


@dataclass
class Change:
    kind: str  # "area" or "goal"
    version: Any
    changes: list[tuple[str, Any, Any]]
    restorable: bool


def structure_history(*, strategy: Strategy, limit: int = 200) -> list[Change]:
    """Every version of the strategy's focus areas and goals, deleted ones included, newest
    first, with the changed fields; deletions whose record is still gone can be restored."""
    rows: list[Change] = []
    existing = {
        "area": set(FocusArea.objects.filter(strategy=strategy).values_list("pk", flat=True)),
        "goal": set(Goal.objects.filter(strategy=strategy).values_list("pk", flat=True)),
    }
    for kind, model in (("area", FocusArea), ("goal", Goal)):
        versions = list(
            model.history.filter(strategy_id=strategy.pk)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit * 2]
        )
        previous: dict[int, Any] = {}
        for version in reversed(versions):  # oldest first, to diff against the one before
            older = previous.get(version.id)
            changes = []
            if older is not None and version.history_type == "~":
                changes = [
                    (c.field, c.old, c.new)
                    for c in version.diff_against(older).changes
                    if c.field != "contributes_to"
                ]
            previous[version.id] = version
            rows.append(
                Change(
                    kind=kind,
                    version=version,
                    changes=changes,
                    restorable=version.history_type == "-" and version.id not in existing[kind],
                )
            )
    rows.sort(key=lambda c: (c.version.history_date, c.version.history_id), reverse=True)
    return rows[:limit]


@transaction.atomic
def structure_restore(*, strategy: Strategy, user: Any, kind: str, history_id: int) -> Any:
    """Bring back a deleted focus area or goal of ``strategy`` as it was when deleted (a goal
    whose focus area is gone becomes overarching; its links to regional goals come back)."""
    _require_write(user, strategy)
    model: Any = {"area": FocusArea, "goal": Goal}.get(kind)
    if model is None:
        raise Http404
    version = model.history.filter(
        history_id=history_id, strategy_id=strategy.pk, history_type="-"
    ).first()
    if version is None:
        raise Http404
    if model.objects.filter(pk=version.id).exists():
        raise ValidationError(_("Posten finns redan; den behöver inte återställas."))
    instance = version.instance
    if (
        kind == "goal"
        and instance.focus_area_id
        and not FocusArea.objects.filter(pk=instance.focus_area_id, strategy=strategy).exists()
    ):
        instance.focus_area = None
    instance._change_reason = _("återställd")
    instance.save()
    if kind == "goal":
        # The deletion row carries no many-to-many rows; the version before it does.
        before = version.prev_record
        targets = [row.to_goal_id for row in before.contributes_to.all()] if before else []
        instance.contributes_to.set(Goal.objects.filter(pk__in=targets))
    _audit(user, f"plans.{model._meta.model_name}.restored", pk=instance.pk, history_id=history_id)
    return instance
