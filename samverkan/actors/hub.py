"""Actors and networks on the hub: who is registered in the area, by sector, and (for a
county) its networks, responsibility matrix and network picture."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.actors import selectors
from samverkan.actors.models import Sector
from samverkan.core import tenancy
from samverkan.core.hub import (
    Area,
    Figure,
    HubSection,
    TodoGroup,
    TodoItem,
    register_hub_section,
    register_todo,
)
from samverkan.geo.models import County

LISTED_ORGANISATIONS = 60


@register_hub_section("actors", position=10)
def actors_hub(area: Area, user: Any) -> HubSection:
    if area.is_county:
        organisations = selectors.organisation_list(user=user, county_code=area.code)
        networks = selectors.network_list(user=user, county_code=area.code)
    else:
        organisations = selectors.organisation_list(user=user, municipality_code=area.code)
        networks = selectors.network_list(user=user).filter(municipality__code=area.code)
    organisation_count = organisations.count()
    network_count = networks.count()
    agreement_count = (
        selectors.agreement_list(user=user).filter(county__code=area.code).count()
        if area.is_county
        else 0
    )
    search = reverse("actors:organisations") + f"?county={area.county_code}"
    labels = dict(Sector.choices)
    sectors = [
        {
            "label": labels.get(row["sector"], row["sector"]),
            "n": row["n"],
            "href": f"{search}&sector={row['sector']}",
        }
        for row in organisations.order_by()
        .values("sector")
        .annotate(n=Count("pk"))
        .order_by("sector")
    ]
    return HubSection(
        key="actors",
        title=_("Aktörer och nätverk"),
        template="hub/actors.html",
        context={
            "county": County.objects.get(code=area.code) if area.is_county else None,
            # Names are listed up to LISTED_ORGANISATIONS; a larger county gets its sectors
            # with counts, each a link to the filtered list.
            "organisations": organisations if organisation_count <= LISTED_ORGANISATIONS else None,
            "sectors": sectors,
            "organisation_count": organisation_count,
            "networks": list(networks[:20]) if not area.is_county else [],
            "search_url": search,
            "export_url": reverse("core:export")
            + f"?kind=organisations&format=xlsx&county={area.county_code}",
        },
        figures=[
            Figure(organisation_count, _("organisationer"), "#actors"),
            Figure(network_count, _("nätverk"), reverse("actors:networks")),
            *(
                [
                    Figure(
                        agreement_count,
                        _("överenskommelser"),
                        reverse("actors:agreements") + f"?county={area.code}",
                    )
                ]
                if area.is_county
                else []
            ),
        ],
        more_label=_("Sök och filtrera organisationerna"),
        more_href=search,
        empty="" if organisation_count else _("Inga organisationer är registrerade här än."),
    )


@register_todo("news_networks", position=80)
def networks_news(user: Any, today: datetime.date, since: datetime.datetime) -> TodoGroup:
    """Networks registered in the user's counties since their previous visit."""
    networks = (
        selectors.network_list(user=user)
        .filter(county_id__in=tenancy.organisation_counties(user), created_at__gt=since)
        .order_by("-created_at")[:20]
    )
    return TodoGroup(
        key="news_networks",
        title=_("Nya nätverk i ditt län sedan förra besöket"),
        items=[
            TodoItem(
                title=network.name,
                href=network.get_absolute_url(),
                kind=_("Nytt nätverk"),
                organisation=network.convener.name if network.convener else "",
            )
            for network in networks
        ],
        empty=_("Inga nya nätverk i ditt län sedan förra besöket."),
    )
