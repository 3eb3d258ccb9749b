"""A county board chooses the key indicators its hub shows (issue 17: "3–5 key indicators …
chosen by the county board"); each shows the county's latest value, its rank, the nation's
value and a small chart. Only the area's verified authority chooses."""

from __future__ import annotations

import pytest

from samverkan.core.models import AuditEntry
from samverkan.indicators.models import Breakdown, Indicator, KeyIndicator, Observation
from samverkan.indicators.selectors import area_type_of
from tests.factories import MembershipFactory, OrganisationFactory


def _indicator(code: str, title: str, values: dict[str, list[float]]) -> Indicator:
    indicator = Indicator.objects.create(
        code=code, title=title, definition="d", unit="%", source_kind="own"
    )
    total = Breakdown.objects.get_or_create(sex="T", age_band="", birth_region="", extra="")[0]
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            area_type=area_type_of(area),
            area_code=area,
            period=(2020 + n) * 100,
            value=value,
            status=0,
            breakdown=total,
        )
        for area, series in values.items()
        for n, value in enumerate(series)
    )
    return indicator


@pytest.fixture
def indicators(db):
    return [
        _indicator(
            "arb-a",
            "Arbetslöshet utrikes födda",
            {"12": [9.0, 8.0, 7.5], "01": [6, 5, 4], "0000": [8.0, 7.0, 6.5]},
        ),
        _indicator(
            "sys-b", "Sysselsättning utrikes födda", {"12": [60, 61, 63], "0000": [62, 63, 64]}
        ),
        _indicator("sfi-c", "Godkända i SFI", {"12": [40, 45, 50]}),
    ]


def test_the_county_board_chooses_and_orders_the_key_indicators(owner_client, indicators):
    page = owner_client.get("/lan/12/").content.decode()
    assert "Välj nyckelindikatorer" in page
    assert "Ingen har valt nyckelindikatorer" in page

    form = owner_client.get("/indikatorer/nyckelindikatorer/lan/12/")
    assert form.status_code == 200
    assert "3 indikatorer har värden för området" in form.content.decode()
    response = owner_client.post(
        "/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "sfi-c", "slot_2": "arb-a"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/lan/12/#indicators"
    assert [k.indicator.code for k in KeyIndicator.objects.filter(area_code="12")] == [
        "sfi-c",
        "arb-a",
    ]
    entry = AuditEntry.objects.get(action="indicators.key_indicators_set")
    assert entry.data["indicators"] == ["sfi-c", "arb-a"]
    assert entry.organisation.code == "lst-test"

    page = owner_client.get("/lan/12/").content.decode()
    section = page[page.index('id="indicators"') :]
    assert "valda av områdets länsstyrelse" in section
    assert section.index("Godkända i SFI") < section.index("Arbetslöshet utrikes födda")
    assert "Sysselsättning utrikes födda" not in section
    # The latest value, the rank among the counties with values (lower unemployment is not
    # assumed: the indicator's direction is "higher"), the nation's value and a chart.
    assert "2022 · plats 1 av 2 län · riket 6,5" in section
    assert section.count('class="sparkline"') == 2
    assert section.count('stroke-dasharray="4 3"') == 1  # the nation's line, where it has values


def test_a_chosen_indicator_twice_is_refused_naming_the_field(owner_client, indicators):
    response = owner_client.post(
        "/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "sfi-c", "slot_2": "sfi-c"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_slot_2"' in page
    assert "Indikatorn är redan vald ovanför." in page
    assert not KeyIndicator.objects.exists()


def test_clearing_the_choice_returns_to_the_first_indicators_with_values(owner_client, indicators):
    owner_client.post("/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "sfi-c"})
    owner_client.post("/indikatorer/nyckelindikatorer/lan/12/", {})
    assert not KeyIndicator.objects.exists()
    page = owner_client.get("/lan/12/").content.decode()
    assert "Sysselsättning utrikes födda" in page


def test_a_viewer_an_outsider_and_an_unverified_county_board_cannot_choose(
    viewer_client, outsider_client, client, indicators, skane
):
    for c in (viewer_client, outsider_client):
        assert c.get("/indikatorer/nyckelindikatorer/lan/12/").status_code == 403
        assert (
            c.post("/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "sfi-c"}).status_code == 403
        )
        assert "Välj nyckelindikatorer" not in c.get("/lan/12/").content.decode()
    anonymous = client.get("/indikatorer/nyckelindikatorer/lan/12/")
    assert anonymous.status_code == 302
    self_registered = OrganisationFactory(
        name="Länsstyrelsen (egenregistrerad)",
        code="lst-fake",
        kind="county_board",
        county=skane,
        verified=False,
    )
    impostor = MembershipFactory(organisation=self_registered, role="admin").user
    client.force_login(impostor)
    assert (
        client.post("/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "sfi-c"}).status_code
        == 403
    )
    # The county board of Skåne does not choose for Stockholm's hub.
    assert viewer_client.get("/indikatorer/nyckelindikatorer/lan/01/").status_code == 403
    assert not KeyIndicator.objects.exists()


def test_the_county_board_of_one_county_cannot_choose_for_another(owner_client, indicators):
    assert owner_client.get("/indikatorer/nyckelindikatorer/lan/01/").status_code == 403
    assert owner_client.get("/indikatorer/nyckelindikatorer/lan/99/").status_code == 404
    assert owner_client.get("/indikatorer/nyckelindikatorer/ort/12/").status_code == 404


def test_a_private_indicator_of_another_organisation_cannot_be_chosen(
    owner_client, indicators, other_organisation
):
    private = _indicator("hemlig", "Annans interna indikator", {"12": [1, 2]})
    private.owner = other_organisation
    private.visibility = "private"
    private.save()
    form = owner_client.get("/indikatorer/nyckelindikatorer/lan/12/").content.decode()
    assert "Annans interna indikator" not in form
    response = owner_client.post("/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "hemlig"})
    assert response.status_code == 400
    assert not KeyIndicator.objects.exists()


def test_a_municipality_chooses_for_its_own_hub(client, skane, indicators):
    from samverkan.geo.models import Municipality

    malmo_place = Municipality.objects.get(code="1280")
    malmo = OrganisationFactory(
        name="Malmö stad",
        code="kommun-1280",
        kind="municipality",
        county=skane,
        municipality=malmo_place,
    )
    _indicator("kommun-x", "Kommunens indikator", {"1280": [3, 4], "0000": [5, 5]})
    client.force_login(MembershipFactory(organisation=malmo, role="editor").user)
    assert (
        client.post(
            "/indikatorer/nyckelindikatorer/kommun/1280/", {"slot_1": "kommun-x"}
        ).status_code
        == 302
    )
    page = client.get("/kommun/1280/").content.decode()
    assert "Kommunens indikator" in page and "valda av områdets" in page
    assert client.get("/indikatorer/nyckelindikatorer/kommun/1281/").status_code == 403


def test_a_chosen_indicator_without_a_total_says_so_on_the_hub(owner_client, indicators):
    by_age = Indicator.objects.create(
        code="folk-alder",
        title="Folkmängd efter ålder",
        definition="d",
        unit="st",
        source_kind="own",
    )
    band = Breakdown.objects.get_or_create(sex="T", age_band="20-29", birth_region="", extra="")[0]
    Observation.objects.create(
        indicator=by_age,
        area_type=1,
        area_code="12",
        period=202000,
        value=5,
        status=0,
        breakdown=band,
    )
    owner_client.post("/indikatorer/nyckelindikatorer/lan/12/", {"slot_1": "folk-alder"})
    page = owner_client.get("/lan/12/").content.decode()
    assert "Folkmängd efter ålder" in page
    assert "Inga värden för området som helhet" in page
