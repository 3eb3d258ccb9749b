"""Writes by an indicator's owner beyond imports: describing an own indicator, and correcting or
deleting single observations with a trace of what was there before.

Observations have no per-row history table (there are millions of them): each correction and
deletion is an ``AuditEntry`` that keeps the old and the new value, the status, who did it and
why, listed on the indicator's observation page. Every change gives the indicator a new data
version, so no chart or ranking drawn from the old value is served from the cache.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.core.models import AuditEntry
from samverkan.indicators.models import (
    BirthRegion,
    Indicator,
    IndicatorData,
    Observation,
    ObservationKey,
    ObservationStatus,
)
from samverkan.indicators.periods import period_format
from samverkan.indicators.services import indicator_create

CORRECTED = audit_action("indicators.observation.corrected")
DELETED = audit_action("indicators.observation.deleted")
OBSERVATIONS_IMPORTED = audit_action("indicators.observations.imported")
HISTORY_ACTIONS = (CORRECTED, DELETED, OBSERVATIONS_IMPORTED)
MAX_AGE_BANDS = 30
# what an owner may set by hand (an illustrative value is only ever generated)
STATUSES_BY_HAND = (
    ObservationStatus.NORMAL,
    ObservationStatus.PROVISIONAL,
    ObservationStatus.MISSING,
    ObservationStatus.SUPPRESSED,
)


def indicator_code_new(title: str) -> str:
    """A free id from the title ("Egen sysselsättning" → "egen-sysselsattning", then "-2" …)."""
    base = (slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o")) or "indikator")[
        :50
    ]
    code, number = base, 1
    while Indicator.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


def _breakdown_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Checks the breakdowns an owner describes: birth regions from the list, age bands as
    "20-64" or "65+"."""
    regions = list(fields.get("birth_regions") or [])
    unknown = [r for r in regions if r not in BirthRegion.values or not r]
    if unknown:
        raise ValidationError(
            {"birth_regions": _("Okänd födelseregion: %s") % ", ".join(map(str, unknown))}
        )
    bands = [str(b).strip() for b in fields.get("age_bands") or [] if str(b).strip()]
    if len(bands) > MAX_AGE_BANDS:
        raise ValidationError(
            {"age_bands": _("Högst %(max)s åldersgrupper.") % {"max": MAX_AGE_BANDS}}
        )
    for band in bands:
        low, dash, high = band.partition("-")
        plus = band.endswith("+") and band[:-1].isdigit()
        if not plus and not (dash and low.isdigit() and high.isdigit() and int(low) <= int(high)):
            raise ValidationError(
                {
                    "age_bands": _("Åldersgruppen %(band)r ska skrivas som 20-64 eller 65+.")
                    % {"band": band}
                }
            )
    return {**fields, "birth_regions": regions, "age_bands": bands}


def own_indicator_create(*, user: Any, owner: Any, **fields: Any) -> Indicator:
    """An organisation's own indicator, with an id made from its title."""
    fields = _breakdown_fields(fields)
    with transaction.atomic():
        return indicator_create(
            user=user, owner=owner, code=indicator_code_new(str(fields.get("title", ""))), **fields
        )


EDITABLE = (
    "title",
    "definition",
    "unit",
    "direction",
    "source_kind",
    "source_id",
    "source_note",
    "by_sex",
    "birth_regions",
    "age_bands",
    "visibility",
)


def indicator_update(*, user: Any, indicator: Indicator, **fields: Any) -> Indicator:
    """Change an indicator's description: its owner's admins and editors; the shared catalogue
    only the platform's operators (``tenancy.can_write`` decides both)."""
    if not tenancy.can_write(user, indicator):
        raise PermissionDenied(_("Du får inte ändra %s.") % indicator)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("Fälten kan inte ändras: %s") % ", ".join(sorted(unknown)))
    fields = _breakdown_fields(fields)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    return indicator


def observation_list(*, indicator: Indicator, area: str = "", period: int | None = None) -> Any:
    """The indicator's observations, newest period first (the caller checked the right)."""
    found = Observation.objects.filter(indicator=indicator).select_related("breakdown")
    if area:
        found = found.filter(area_code=area)
    if period is not None:
        found = found.filter(period=period)
    return found.order_by("-period", "area_type", "area_code", "breakdown_id")


def observation_get(*, user: Any, indicator: Indicator, observation_id: int) -> Observation:
    """One observation of an indicator the user may write (403 otherwise)."""
    if not tenancy.can_write(user, indicator):
        raise PermissionDenied(_("Du får inte rätta värden i %s.") % indicator)
    found = Observation.objects.filter(indicator=indicator, pk=observation_id).first()
    if found is None:
        raise ValidationError(_("Observationen finns inte."))
    return found


def _reason(reason: str) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationError(
            {"reason": _("Skriv varför värdet ändras (det sparas i historiken).")}
        )
    if len(text) > 500:
        raise ValidationError({"reason": _("Högst 500 tecken.")})
    return text


def _described(observation: Observation) -> dict[str, Any]:
    return {
        "area": observation.area_code,
        "period": observation.period,
        "period_label": period_format(observation.period),
        "breakdown": str(observation.breakdown),
        "value": observation.value,
        "status": observation.status,
    }


def _new_version(indicator: Indicator) -> None:
    IndicatorData.objects.filter(indicator=indicator).update(version=uuid.uuid4().hex)


def observation_correct(
    *,
    user: Any,
    indicator: Indicator,
    observation_id: int,
    value: float | None,
    status: int,
    reason: str,
) -> Observation:
    """Correct one value (and its status); the old and the new are kept in the audit log."""
    text = _reason(reason)
    if status not in STATUSES_BY_HAND:
        raise ValidationError({"status": _("Välj en av statusarna i listan.")})
    if value is not None and not math.isfinite(value):
        raise ValidationError({"value": _("Värdet måste vara ett tal.")})
    if value is None and status == ObservationStatus.NORMAL:
        status = ObservationStatus.MISSING
    with transaction.atomic():
        observation = observation_get(user=user, indicator=indicator, observation_id=observation_id)
        observation = Observation.objects.select_for_update().get(pk=observation.pk)
        before = _described(observation)
        observation.value, observation.status = value, status
        observation.save(update_fields=["value", "status"])
        audit_log(
            CORRECTED,
            user=user,
            organisation=indicator.owner,
            data={
                "indicator": indicator.code,
                "before": before,
                "after": _described(observation),
                "reason": text,
            },
        )
        _new_version(indicator)
    return observation


def observation_delete(
    *, user: Any, indicator: Indicator, observation_id: int, reason: str
) -> None:
    """Delete one value; what it was is kept in the audit log. The indicator's summary loses
    the (breakdown, level, period) when no other observation holds it."""
    text = _reason(reason)
    with transaction.atomic():
        observation = observation_get(user=user, indicator=indicator, observation_id=observation_id)
        before = _described(observation)
        key = dict(
            indicator=indicator,
            breakdown_id=observation.breakdown_id,
            area_type=observation.area_type,
            period=observation.period,
        )
        observation.delete()
        if not Observation.objects.filter(**key).exists():
            ObservationKey.objects.filter(**key).delete()
        audit_log(
            DELETED,
            user=user,
            organisation=indicator.owner,
            data={"indicator": indicator.code, "before": before, "reason": text},
        )
        _new_version(indicator)


def indicator_changes(*, indicator: Indicator, limit: int = 50) -> QuerySet[AuditEntry]:
    """The latest imports, corrections and deletions of the indicator's values."""
    return (
        AuditEntry.objects.filter(action__in=HISTORY_ACTIONS, data__indicator=indicator.code)
        .select_related("user")
        .order_by("-created_at", "-pk")[:limit]
    )
