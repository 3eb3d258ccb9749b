"""Key indicators on the hub: for each, the area's latest value, its rank among the counties
(or municipalities) and the nation's value in the same period."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core.hub import Area, HubSection, register_hub_section
from samverkan.indicators import selectors
from samverkan.indicators.models import AreaType, Observation

MAX_KEY_INDICATORS = 4


def _key_figure(indicator: Any, area: Area, area_type: int) -> dict[str, Any] | None:
    breakdown_id = selectors.total_breakdown_id(indicator)
    if breakdown_id is None:
        return None
    latest = (
        Observation.objects.filter(
            indicator=indicator,
            area_type=area_type,
            area_code=area.code,
            breakdown_id=breakdown_id,
            value__isnull=False,
        )
        .order_by("-period")
        .values_list("period", "value")
        .first()
    )
    if latest is None:
        return None
    period, value = latest
    ranked = selectors.ranking(
        indicator=indicator, period=period, breakdown_id=breakdown_id, area_type=area_type
    )
    mine = next((r for r in ranked if r.area_code == area.code), None)
    national = (
        Observation.objects.filter(
            indicator=indicator,
            area_type=AreaType.NATION,
            period=period,
            breakdown_id=breakdown_id,
        )
        .values_list("value", flat=True)
        .first()
    )
    return {
        "indicator": indicator,
        "period": period,
        "value": value,
        "rank": mine.rank if mine else None,
        "of": sum(1 for r in ranked if r.value is not None),
        "national": national,
    }


@register_hub_section("indicators", position=50)
def indicators_hub(area: Area, user: Any) -> HubSection:
    area_type = AreaType.COUNTY if area.is_county else AreaType.MUNICIPALITY
    with_values = (
        Observation.objects.filter(area_type=area_type, area_code=area.code, value__isnull=False)
        .values("indicator_id")
        .distinct()
    )
    indicators = selectors.indicator_list(user=user).filter(pk__in=with_values).order_by("title")
    figures = []
    for indicator in indicators[: MAX_KEY_INDICATORS * 2]:
        figure = _key_figure(indicator, area, area_type)
        if figure is not None:
            figures.append(figure)
        if len(figures) == MAX_KEY_INDICATORS:
            break
    return HubSection(
        key="indicators",
        title=_("Indikatorer"),
        template="hub/indicators.html",
        context={"key_figures": figures, "level": _("län") if area.is_county else _("kommuner")},
        more_label=_("Alla indikatorer"),
        more_href=reverse("indicators:list"),
        empty="" if figures else _("Inga indikatorvärden finns för området än."),
    )
