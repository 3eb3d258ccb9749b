"""Writes: indicators, targets and the key indicators of an area's hub (imports: ``importing``;
fetching from Kolada and SCB: ``fetching``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_log
from samverkan.indicators.loading import (
    AreaResolver,
)
from samverkan.indicators.models import (
    AreaType,
    Breakdown,
    Indicator,
    KeyIndicator,
    Target,
)

AUDIT_KEY_INDICATORS_SET = audit_action("indicators.key_indicators_set")


# -- indicators and targets -----------------------------------------------------------------


def indicator_create(*, user: Any, owner: Any, **fields: Any) -> Indicator:
    if owner is None:
        if not (user and user.is_authenticated and user.is_superuser):
            raise PermissionDenied(
                _("Bara plattformens förvaltare lägger till gemensamma indikatorer.")
            )
    elif not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte skapa indikatorer för %s.") % owner)
    indicator = Indicator(owner=owner, **fields)
    indicator.full_clean()
    indicator.save()
    return indicator


def breakdown_get(*, sex: str = "T", age_band: str = "", birth_region: str = "") -> Breakdown:
    breakdown, _created = Breakdown.objects.get_or_create(
        sex=sex, age_band=age_band, birth_region=birth_region, extra=""
    )
    return breakdown


def target_create(*, user: Any, owner: Any, indicator: Indicator, **fields: Any) -> Target:
    if not tenancy.can_act_for(user, owner.pk):
        raise PermissionDenied(_("Du kan inte sätta mål för %s.") % owner)
    if not tenancy.can_read(user, indicator):
        raise PermissionDenied(_("Indikatorn finns inte."))
    target = Target(owner=owner, indicator=indicator, created_by=tenancy.db_user(user), **fields)
    _target_validate(target, user)
    target.save()
    return target


def target_update(*, user: Any, target: Target, **fields: Any) -> Target:
    if not tenancy.can_write(user, target):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(target, name, value)
    _target_validate(target, user)
    target.save()
    return target


def target_delete(*, user: Any, target: Target) -> None:
    if not tenancy.can_write(user, target):
        raise PermissionDenied
    target.delete()


def _target_validate(target: Target, user: Any = None) -> None:
    if target.goal_id is not None:
        goal = target.goal
        if goal is None or (user is not None and not tenancy.can_write(user, goal.strategy)):
            raise ValidationError({"goal": _("Du kan inte koppla mål till den strategin.")})
        if goal.strategy.owner_id != target.owner_id:
            raise ValidationError(
                {"goal": _("Målet i strategin och indikatormålet måste ha samma ägare.")}
            )
    if target.target_year <= target.baseline_year:
        raise ValidationError({"target_year": _("Målåret måste komma efter basåret.")})
    if AreaResolver().resolve(target.area_code) is None:
        raise ValidationError({"area_code": _("Okänd områdeskod: %s") % target.area_code})
    target.full_clean()


MAX_KEY_INDICATORS = 5
_AUTHORITY_KIND: dict[int, str] = {
    AreaType.COUNTY: "county_board",
    AreaType.MUNICIPALITY: "municipality",
}


def key_indicators_chooser(*, user: Any, area_type: int, area_code: str) -> tuple[bool, Any]:
    """May ``user`` choose the key indicators of this area's hub, and for which organisation?
    The area's own authority chooses: the verified county board of a county, the verified
    municipality itself; its admins and editors act for it. Superusers may too."""
    from samverkan.geo.models import County, Municipality

    kind = _AUTHORITY_KIND.get(area_type)
    if kind is None or user is None or not user.is_authenticated:
        return False, None
    if area_type == AreaType.COUNTY:
        county = County.objects.filter(code=area_code).first()
        organisation = tenancy.verified_organisation_for(
            user, kind=kind, county_id=county.pk if county else None
        )
    else:
        municipality = Municipality.objects.filter(code=area_code).first()
        organisation = tenancy.verified_organisation_for(
            user, kind=kind, municipality_id=municipality.pk if municipality else None
        )
    return (organisation is not None or user.is_superuser), organisation


@transaction.atomic
def key_indicators_set(
    *, user: Any, area_type: int, area_code: str, indicators: list[Indicator]
) -> list[KeyIndicator]:
    """Replace the area's key indicators by ``indicators``, in that order (at most five, each
    one the user may read); audited."""
    allowed, organisation = key_indicators_chooser(
        user=user, area_type=area_type, area_code=area_code
    )
    if not allowed:
        raise PermissionDenied(
            _("Bara områdets verifierade länsstyrelse eller kommun väljer dess nyckelindikatorer.")
        )
    if len(indicators) > MAX_KEY_INDICATORS:
        raise ValidationError(
            {"indicators": _("Välj högst %(n)d indikatorer.") % {"n": MAX_KEY_INDICATORS}}
        )
    readable = set(
        tenancy.readable(
            Indicator.objects.filter(pk__in=[i.pk for i in indicators]), user
        ).values_list("pk", flat=True)
    )
    if len(readable) != len({i.pk for i in indicators}):
        raise PermissionDenied(_("En av indikatorerna finns inte eller får du inte läsa."))
    KeyIndicator.objects.filter(area_type=area_type, area_code=area_code).delete()
    chosen = KeyIndicator.objects.bulk_create(
        [
            KeyIndicator(
                area_type=area_type,
                area_code=area_code,
                indicator=indicator,
                position=position,
                chosen_by=organisation,
            )
            for position, indicator in enumerate(dict.fromkeys(indicators))
        ]
    )
    audit_log(
        AUDIT_KEY_INDICATORS_SET,
        user=user,
        organisation=organisation,
        data={
            "area_type": area_type,
            "area_code": area_code,
            "indicators": [c.indicator.code for c in chosen],
        },
    )
    return chosen


def key_indicators_current(*, area_type: int, area_code: str) -> list[Indicator]:
    return [
        k.indicator
        for k in KeyIndicator.objects.filter(
            area_type=area_type, area_code=area_code
        ).select_related("indicator")
    ]
