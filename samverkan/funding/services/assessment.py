"""Assessment: conflict-of-interest declarations and scores."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.funding import access
from samverkan.funding.models import SCORE_MAX, SCORE_MIN, Application, ConflictDeclaration, Score


def assessor_check(application: Application, user: Any) -> None:
    if not application.is_submitted or not access.is_funder(user, application.call):
        raise PermissionDenied(_("Bara finansiärens handläggare kan bedöma ansökan."))


def assessor_conflict_reason(*, application: Application, user: Any) -> str:
    """Why ``user`` may not score ``application`` (empty if they may)."""
    if application.owner_id in tenancy.organisation_ids(user):
        return (
            _(
                "Du är medlem i den sökande organisationen (%s) och är därför jävig; "
                "en annan handläggare måste bedöma ansökan."
            )
            % application.owner
        )
    declaration = ConflictDeclaration.objects.filter(
        application=application, assessor=tenancy.db_user(user)
    ).first()
    if declaration is None:
        return _("Deklarera först om du är jävig i förhållande till ansökan.")
    if declaration.has_conflict:
        return _("Du har anmält jäv för den här ansökan och kan inte bedöma den.")
    return ""


@transaction.atomic
def conflict_declare(
    *, application: Application, user: Any, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    assessor_check(application, user)
    assessor = tenancy.db_user(user)
    if assessor is None:
        raise PermissionDenied(_("Jäv deklareras av en inloggad handläggare."))
    if has_conflict:
        Score.objects.filter(application=application, assessor=assessor).delete()
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        application=application,
        assessor=assessor,
        defaults={"has_conflict": has_conflict, "note": note},
    )
    return declaration


@transaction.atomic
def scores_set(
    *, application: Application, user: Any, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """Score criteria of the call (criterion id → (score, comment)); refused for an assessor
    who has a conflict of interest."""
    assessor_check(application, user)
    reason = assessor_conflict_reason(application=application, user=user)
    if reason:
        raise PermissionDenied(reason)
    criteria = {c.pk: c for c in application.call.criteria.all()}
    errors: dict[str, str] = {}
    for criterion_id, (score, _comment) in scores.items():
        if criterion_id not in criteria:
            errors[f"criterion_{criterion_id}"] = _("Kriteriet hör inte till utlysningen.")
        elif not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"criterion_{criterion_id}"] = _(
                "%(title)s: poängen %(score)s ligger utanför skalan %(low)d–%(high)d."
            ) % {
                "title": criteria[criterion_id].title,
                "score": score,
                "low": SCORE_MIN,
                "high": SCORE_MAX,
            }
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion_id, (score, comment) in scores.items():
        row, _created = Score.objects.update_or_create(
            application=application,
            criterion_id=criterion_id,
            assessor=tenancy.db_user(user),
            defaults={"score": score, "comment": comment},
        )
        saved.append(row)
    return saved
