"""Key indicators on the hub: for each, the area's latest value, its rank among the counties
(or municipalities) and the nation's value in the same period."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.core import charts
from samverkan.core.hub import Area, HubSection, register_hub_section
from samverkan.indicators import selectors, services
from samverkan.indicators.models import AreaType, KeyIndicator, Observation
from samverkan.indicators.periods import period_format

MAX_KEY_INDICATORS = services.MAX_KEY_INDICATORS
SPARKLINE_PERIODS = 10
NATION = "0000"


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
    history = selectors.series(
        indicator=indicator, area_codes=[area.code, NATION], breakdown_id=breakdown_id
    )
    area_points = history[area.code][-SPARKLINE_PERIODS:]
    shown = {p for p, _v in area_points}
    illustrative = selectors.illustrative(indicator)
    title = _("%(indicator)s: %(area)s (heldragen linje) och riket (streckad)") % {
        "indicator": indicator.title,
        "area": area.name,
    }
    if illustrative:
        title += " – " + _("illustrativa värden, inte statistik")
    chart = charts.sparkline(
        [(period_format(p), v) for p, v in area_points],
        [(period_format(p), v) for p, v in history[NATION] if p in shown],
        title=title,
    )
    return {
        "indicator": indicator,
        "period": period_format(period),
        "chart": chart,
        "value": value,
        "rank": mine.rank if mine else None,
        "of": sum(1 for r in ranked if r.value is not None),
        "national": national,
        "illustrative": illustrative,
    }


# A key figure (latest value, rank, nation, chart) is the same for everyone who may read the
# indicator: kept for a minute, so the hub does not rank the counties on every request.
KEY_FIGURE_SECONDS = 60
_NONE = "none"


def _cached_key_figure(indicator: Any, area: Area, area_type: int) -> dict[str, Any] | None:
    key = (
        f"hub-key-figure:{indicator.pk}:{indicator.updated_at.timestamp()}:{area_type}:"
        f"{area.code}:{get_language()}"
    )
    cached = cache.get(key)
    if cached is None:
        cached = _key_figure(indicator, area, area_type) or _NONE
        cache.set(key, cached, KEY_FIGURE_SECONDS)
    return None if cached == _NONE else cached


@register_hub_section("indicators", position=50)
def indicators_hub(area: Area, user: Any) -> HubSection:
    area_type = AreaType.COUNTY if area.is_county else AreaType.MUNICIPALITY
    chosen = [
        k.indicator_id
        for k in KeyIndicator.objects.filter(area_type=area_type, area_code=area.code)
    ]
    if chosen:
        figures = _figures(
            selectors.indicator_list(user=user).filter(pk__in=chosen), area, area_type, chosen
        )
    else:
        figures = _figures(_with_values(user, area, area_type), area, area_type)
    may_choose, _organisation = services.key_indicators_chooser(
        user=user, area_type=area_type, area_code=area.code
    )
    kind = "lan" if area.is_county else "kommun"
    return HubSection(
        key="indicators",
        title=_("Indikatorer"),
        template="hub/indicators.html",
        context={
            "key_figures": figures,
            "level": _("län") if area.is_county else _("kommuner"),
            "chosen": bool(chosen),
            "choose_href": reverse("indicators:key_indicators", args=[kind, area.code])
            if may_choose
            else "",
        },
        more_label=_("Alla indikatorer"),
        more_href=reverse("indicators:list"),
        empty="" if figures else _("Inga indikatorvärden finns för området än."),
    )


# How many readable indicators the hub probes for a value when nobody chose its key
# indicators: each probe is two index lookups, so the page stays fast however large the
# observation table grows.
MAX_PROBES = 40


def _with_values(user: Any, area: Area, area_type: int) -> Any:
    """Candidates for the automatic choice: the catalogue's indicators in the catalogue's order
    (employment first, as the Zaragoza areas run), then the others by title. Which of them
    hold a value for the area is found per indicator (an index lookup each, in ``_key_figure``)
    rather than by one DISTINCT over every observation of the area."""
    from samverkan.indicators.reference import CATALOGUE

    order = {str(entry["code"]): n for n, entry in enumerate(CATALOGUE)}
    candidates = list(selectors.indicator_list(user=user).order_by("title")[:MAX_PROBES])
    return sorted(candidates, key=lambda i: order.get(i.code, len(order)))


def _figures(
    indicators: Any, area: Area, area_type: int, order: list[int] | None = None
) -> list[dict[str, Any]]:
    """The key figures of up to five indicators (in the chosen order, if chosen). An indicator
    without a value for the whole area (all sexes and ages) is left out, or, if it was chosen,
    shown with a note."""
    candidates = list(indicators if order is None else indicators[: MAX_KEY_INDICATORS * 2])
    if order:
        candidates.sort(key=lambda i: order.index(i.pk))
    figures = []
    for indicator in candidates:
        figure = _cached_key_figure(indicator, area, area_type)
        if figure is not None:
            figures.append(figure)
        elif order:  # chosen, but nothing to show: say so rather than leave it out silently
            figures.append({"indicator": indicator, "missing": True})
        if len(figures) == MAX_KEY_INDICATORS:
            break
    return figures
