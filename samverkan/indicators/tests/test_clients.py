"""The SCB and Kolada clients against a local server replaying real-shaped answers."""

import pytest

from samverkan.core import tenancy
from samverkan.indicators.clients import (
    FetchError,
    HttpClient,
    KoladaClient,
    ScbClient,
    selection_split,
)
from samverkan.indicators.fetching import kolada_fetch, scb_fetch
from samverkan.indicators.models import Indicator, Observation

from .replay import ReplayServer


@pytest.fixture
def server():
    with ReplayServer() as replay:
        yield replay


def http(server, waits=None, **kw):
    waits = [] if waits is None else waits
    return HttpClient(server.base, sleep=waits.append, **kw)


def test_429_is_retried_after_the_announced_wait(server):
    server.add("/config", "slow down", status=429, Retry_After="2")
    server.add_file("/config", "config.json")
    waits = []
    assert http(server, waits).get_json("config")["maxDataCells"] == 150000
    assert 2.0 in waits
    assert len(server.requests) == 2


def test_500_is_retried_then_reported(server):
    server.add("/tables", "boom", status=500)
    waits = []
    with pytest.raises(FetchError, match="svarade 500 efter 3 försök: boom"):
        http(server, waits, retries=2).get_json("tables")
    assert len(server.requests) == 3
    assert waits == [0.5, 1.0]


def test_html_error_page_is_a_clear_error(server):
    server.add(
        "/kpi",
        "<!DOCTYPE html><html><body>Service Unavailable</body></html>",
        Content_Type="text/html",
    )
    with pytest.raises(FetchError, match="HTML-sida i stället för JSON"):
        http(server).get_json("kpi")


def test_offline_fails_fast():
    client = HttpClient("http://127.0.0.1:9", sleep=lambda s: None)
    with pytest.raises(FetchError, match="är datorn offline"):
        client.get_json("config")


def test_rate_limit_waits_when_the_window_is_full():
    now = [0.0]
    waits = []
    client = HttpClient(
        "http://x", calls_per_window=3, window=1.0, sleep=waits.append, clock=lambda: now[0]
    )
    for _ in range(4):
        client._throttle()
    assert waits == [1.0]


def test_selection_is_split_to_respect_max_cells():
    selection = {
        "Region": [f"{i:04d}" for i in range(312)],
        "Alder": [str(i) for i in range(134)],
        "Kon": ["1", "2", "TotSa"],
        "Tid": [f"2025M{m:02d}" for m in range(1, 17)],
    }
    parts = selection_split(selection, 150_000)
    sizes = [len(p["Region"]) * len(p["Alder"]) * 3 * len(p["Tid"]) for p in parts]
    assert max(sizes) <= 150_000
    assert sum(sizes) == 312 * 134 * 3 * 16
    assert len(parts) == 14  # ceil(2,006,784 / 150,000)


def test_scb_fetch_reads_config_and_imports(server, db):
    server.add_file("/config", "config.json")
    server.add_file("/tables/TAB6471/metadata", "TAB6471_metadata.json")
    server.add_file("/tables/TAB6471/data", "TAB6471_data.json")
    indicator = Indicator.objects.create(
        code="folkmangd",
        title="Folkmängd",
        definition="d",
        unit="antal",
        source_kind="scb",
        source_id="TAB6471",
    )
    result = scb_fetch(
        user=tenancy.SYSTEM,
        client=ScbClient(server.base),
        indicator=indicator,
        table_id="TAB6471",
        selection={"Region": ["01"], "Tid": ["2026M01", "2026M02"]},
    )
    assert result.created == 2772
    data_call = [r for r in server.requests if "/data" in r][0]
    assert "outputFormat=json-stat2" in data_call
    assert "valueCodes%5BTid%5D=2026M01,2026M02" in data_call


def test_scb_unknown_codes_are_reported(server):
    server.add_file("/tables/TAB6471/metadata", "TAB6471_metadata.json")
    with pytest.raises(FetchError, match="okända koder för Tid: 1999M01"):
        ScbClient(server.base).selection("TAB6471", {"Tid": ["1999M01"]})


def test_kolada_follows_pages_and_imports(server, db):
    path = "/data/kpi/N02268/municipality/0127,0662,0000/year/2023"
    server.add_file(path, "kolada_data_page1.json")
    server.add_file("/data/kpi/N02268/municipality/0127,0662/year/2023", "kolada_data_page2.json")
    Indicator.objects.create(
        code="forvarv-utrikes",
        title="t",
        definition="d",
        unit="%",
        source_kind="kolada",
        source_id="N02268",
    )
    client = KoladaClient(server.base, http=http(server))
    (result,) = kolada_fetch(
        user=tenancy.SYSTEM,
        client=client,
        kpis=["N02268"],
        municipalities=["0127", "0662", "0000"],
        years=["2023"],
    )
    assert result.created == 9
    missing = Observation.objects.get(area_code="0000", breakdown__sex="T")
    assert (missing.value, missing.status) == (None, 2)
    assert len(server.requests) == 2


def test_kolada_page_loop_is_detected(server):
    loop = '{"count": 1, "values": [], "next_url": "%s/data/kpi/X/municipality/0127/year/2023"}'
    server.add("/data/kpi/X/municipality/0127/year/2023", loop % server.base)
    client = KoladaClient(server.base, http=http(server))
    with pytest.raises(FetchError, match="samma sida igen"):
        list(client.data(kpis=["X"], municipalities=["0127"], years=["2023"]))


def test_kolada_asks_at_most_25_ids_per_request(server):
    kpis = [f"N{i:05d}" for i in range(30)]
    for chunk in (kpis[:25], kpis[25:]):
        server.add(f"/kpi/{','.join(chunk)}", '{"count": 0, "values": [], "next_url": null}')
    KoladaClient(server.base, http=http(server)).kpis(ids=kpis)
    assert len(server.requests) == 2
    assert max(len(r.split("/")[-1].split(",")) for r in server.requests) == 25


def test_kolada_kpi_list(server):
    server.add_file("/kpi", "kolada_kpi.json")
    kpis = KoladaClient(server.base, http=http(server)).kpis()
    assert [k["id"] for k in kpis] == ["N02268", "N02269"]


def test_an_answer_nested_too_deep_is_a_clear_error_not_a_recursion_error(server):
    server.add("/config", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(FetchError, match="/config: JSON-datat är nästlat i mer än 64 nivåer"):
        http(server).get_json("config")
