"""Calls and their assessment criteria: create, change, publish; the rule for changing criteria
once assessment has started."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.actors.models import Organisation
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.models import Visibility
from samverkan.core.versioning import record_edit_begin
from samverkan.funding.models import Call, CallStatus, Criterion, Perspective, Score
from samverkan.funding.services.common import kr
from samverkan.funding.services.decisions import granted_total
from samverkan.geo.models import County

AUDIT_CRITERION_CHANGED = audit_action("funding.criterion_changed")
AUDIT_CRITERION_REMOVED = audit_action("funding.criterion_removed")


@dataclass(frozen=True)
class CriterionSpec:
    title: str
    weight: int = 1
    guidance: str = ""
    perspective: str = ""


CALL_FIELDS = (
    "title",
    "purpose",
    "budget",
    "eligible_kinds",
    "required_perspectives",
    "period_start",
    "period_end",
    "deadline",
    "source",
)


def _clean_call(call: Call) -> None:
    errors: dict[str, str] = {}
    if call.deadline is not None and timezone.is_naive(call.deadline):
        errors["deadline"] = _("Sista ansökningsdag måste ha en tidszon.")
    if call.period_start and call.period_end and call.period_end < call.period_start:
        errors["period_end"] = _("Projektperioden kan inte sluta innan den börjar.")
    unknown = set(call.required_perspectives) - set(Perspective.values)
    if unknown:
        errors["required_perspectives"] = _("Okänt perspektiv: %s") % ", ".join(sorted(unknown))
    from samverkan.actors.models import OrganisationKind

    bad_kinds = set(call.eligible_kinds) - set(OrganisationKind.values)
    if bad_kinds:
        errors["eligible_kinds"] = _("Okänd organisationstyp: %s") % ", ".join(sorted(bad_kinds))
    if errors:
        raise ValidationError(errors)
    call.full_clean(exclude=["eligible_kinds", "required_perspectives"])


@transaction.atomic
def call_create(
    *,
    user: Any,
    owner: Organisation,
    criteria: Sequence[CriterionSpec] = (),
    eligible_counties: Sequence[County] = (),
    **fields: Any,
) -> Call:
    """A new call (a draft, visible only to the funder) owned by ``owner``."""
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte skapa utlysningar för %s.") % owner)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    call = Call(owner=owner, visibility=Visibility.PRIVATE, **fields)
    _clean_call(call)
    call.save()
    call.eligible_counties.set(eligible_counties)
    for spec in criteria:
        criterion_add(call=call, user=user, spec=spec)
    return call


@transaction.atomic
def call_update(
    *,
    call: Call,
    user: Any,
    eligible_counties: Sequence[County] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Call:
    """Change a call's fields (those given; ``eligible_counties`` when not ``None``). The budget
    cannot go below what has already been granted: the call row is locked as when deciding, so
    a decision and a budget cut cannot both pass unseen."""
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    record_edit_begin(call, expected_version=expected_version)
    if "budget" in fields and fields["budget"] != call.budget:
        Call.objects.select_for_update().filter(pk=call.pk).first()
        granted = granted_total(call)
        if fields["budget"] is not None and fields["budget"] < granted:
            raise ValidationError(
                {
                    "budget": _(
                        "Budgeten kan inte sänkas till %(budget)s: %(granted)s är redan beviljat "
                        "i utlysningen."
                    )
                    % {"budget": kr(fields["budget"]), "granted": kr(granted)}
                }
            )
    for name, value in fields.items():
        setattr(call, name, value)
    _clean_call(call)
    call.save()
    if eligible_counties is not None:
        call.eligible_counties.set(eligible_counties)
    return call


def criterion_add(*, call: Call, user: Any, spec: CriterionSpec) -> Criterion:
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    if spec.weight < 1:
        raise ValidationError({"weight": _("Vikten måste vara minst 1.")})
    if spec.perspective and spec.perspective not in Perspective.values:
        raise ValidationError({"perspective": _("Okänt perspektiv: %s") % spec.perspective})
    position = call.criteria.count() + 1
    return Criterion.objects.create(
        call=call,
        position=position,
        title=spec.title,
        weight=spec.weight,
        guidance=spec.guidance,
        perspective=spec.perspective,
    )


CRITERION_RULE = gettext_lazy(
    "Ett kriterium som har fått poäng kan inte tas bort och bara dess vägledning kan ändras: "
    "poängen gavs mot den lydelsen. När bedömningen av utlysningen har börjat (någon poäng är "
    "given) ligger vikterna fast, eftersom en ändrad vikt skulle ändra rangordningen i efterhand."
)


def criterion_rule() -> str:
    """The rule for changing criteria, shown next to the criteria on the call page."""
    return str(CRITERION_RULE)


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    user: Any,
    title: str,
    weight: int,
    guidance: str = "",
    perspective: str = "",
) -> Criterion:
    """Change a criterion; refused with the reason once scores depend on what would change
    (see ``CRITERION_RULE``)."""
    call = Call.objects.select_for_update().get(pk=criterion.call_id)
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Ange kriteriets titel.")
    if weight < 1:
        errors["weight"] = _("Vikten måste vara minst 1.")
    if perspective and perspective not in Perspective.values:
        errors["perspective"] = _("Okänt perspektiv: %s") % perspective
    scored = criterion.scores.count()
    if scored and (title != criterion.title or perspective != criterion.perspective):
        errors["title"] = _(
            "Kriteriet har fått %(n)d poäng mot nuvarande lydelse; bara vägledningen kan ändras."
        ) % {"n": scored}
    if weight != criterion.weight:
        call_scores = Score.objects.filter(application__call_id=call.pk).count()
        if call_scores:
            errors["weight"] = _(
                "Bedömningen har börjat (%(n)d poäng givna i utlysningen); vikten %(old)d kan "
                "inte ändras till %(new)d utan att rangordningen ändras i efterhand."
            ) % {"n": call_scores, "old": criterion.weight, "new": weight}
    if errors:
        raise ValidationError(errors)
    before = {"title": criterion.title, "weight": criterion.weight}
    criterion.title, criterion.weight = title, weight
    criterion.guidance, criterion.perspective = guidance, perspective
    criterion.save()
    audit_log(
        AUDIT_CRITERION_CHANGED,
        user=user,
        organisation=call.owner,
        data={"call": call.pk, "criterion": criterion.pk, "before": before},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, user: Any) -> None:
    """Remove a criterion that has no scores; the others are renumbered."""
    call = Call.objects.select_for_update().get(pk=criterion.call_id)
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    scored = criterion.scores.count()
    if scored:
        raise ValidationError(
            _(
                "”%(title)s” har fått %(n)d poäng och kan inte tas bort; poängen skulle försvinna "
                "och rangordningen ändras."
            )
            % {"title": criterion.title, "n": scored}
        )
    if call.status != CallStatus.DRAFT and call.criteria.count() == 1:
        raise ValidationError(_("En publicerad utlysning behöver minst ett bedömningskriterium."))
    audit_log(
        AUDIT_CRITERION_REMOVED,
        user=user,
        organisation=call.owner,
        data={"call": call.pk, **exchange_criterion(criterion)},
    )
    criterion.delete()
    for position, other in enumerate(call.criteria.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def exchange_criterion(criterion: Criterion) -> dict[str, Any]:
    return {
        "title": criterion.title,
        "weight": criterion.weight,
        "guidance": criterion.guidance,
        "perspective": criterion.perspective,
    }


@transaction.atomic
def call_publish(*, call: Call, user: Any) -> Call:
    """Open the call for applications: everyone can read it from now on."""
    if not tenancy.can_write(user, call):
        raise PermissionDenied(_("Du får inte ändra %s.") % call)
    if not call.criteria.exists():
        raise ValidationError(_("Utlysningen behöver minst ett bedömningskriterium."))
    call.status = CallStatus.OPEN
    call.visibility = Visibility.PUBLIC
    call.save(update_fields=["status", "visibility", "updated_at"])
    return call
