"""``samverkan indicators flatten|import`` from the command line."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.indicators.models import Indicator, Observation

FIXTURES = Path(__file__).parent / "fixtures"


def test_flatten_writes_the_table(tmp_path):
    out = tmp_path / "table.csv"
    call_command("indicators", "flatten", str(FIXTURES / "TAB6471_data.json"), "-o", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert len(rows) == 2773
    assert rows[0][-1] == "Value"


def test_import_and_clear_errors(db, tmp_path):
    Indicator.objects.create(
        code="folkmangd-manad", title="t", definition="d", unit="antal", source_kind="scb"
    )
    call_command(
        "indicators",
        "import",
        str(FIXTURES / "TAB6471_data.json"),
        "--format",
        "jsonstat",
        "--indicator",
        "folkmangd-manad",
    )
    assert Observation.objects.count() == 2772
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"version": "2.0", "class": "dataset", "id": ["a"], "size": [1, 2], "dimension": {}}'
    )
    with pytest.raises(CommandError, match="id har 1 dimensioner men size har 2"):
        call_command(
            "indicators",
            "import",
            str(bad),
            "--format",
            "jsonstat",
            "--indicator",
            "folkmangd-manad",
        )
    with pytest.raises(CommandError, match="okänd indikator"):
        call_command("indicators", "import", str(bad), "--format", "jsonstat", "--indicator", "x")


# -- `samverkan indicators fetch` against the local replay server ----------------------------


@pytest.fixture
def server():
    from .replay import ReplayServer

    with ReplayServer() as replay:
        yield replay


def fetch(*args):
    out = io.StringIO()
    call_command("indicators", "fetch", *args, stdout=out)
    return out.getvalue()


def test_fetch_kolada_follows_pages_and_imports(db, server):
    server.add_file(
        "/data/kpi/N02268/municipality/0127,0662,0000/year/2023", "kolada_data_page1.json"
    )
    server.add_file("/data/kpi/N02268/municipality/0127,0662/year/2023", "kolada_data_page2.json")
    indicator = Indicator.objects.create(
        code="forvarv-utrikes",
        title="t",
        definition="d",
        unit="%",
        source_kind="kolada",
        source_id="N02268",
    )
    output = fetch(
        "kolada",
        "--base-url",
        server.base,
        "--kpi",
        "N02268",
        "--municipality",
        "0127,0662,0000",
        "--year",
        "2023",
    )
    assert "Kolada N02268: 9 observationer" in output
    assert Observation.objects.filter(indicator=indicator).count() == 9
    assert len(server.requests) == 2
    with pytest.raises(CommandError, match="finns redan"):
        fetch("kolada", "--base-url", server.base, "--kpi", "N02268", "--municipality",
              "0127,0662,0000", "--year", "2023")  # fmt: skip
    assert Observation.objects.filter(indicator=indicator).count() == 9


def test_fetch_kolada_unknown_kpi_and_html_page_are_clear_errors(db, server):
    with pytest.raises(CommandError, match="ingen indikator i katalogen har Kolada-id N1"):
        fetch("kolada", "--base-url", server.base, "--kpi", "N1", "--year", "2023")
    Indicator.objects.create(
        code="k", title="t", definition="d", unit="%", source_kind="kolada", source_id="N2"
    )
    server.add(
        "/data/kpi/N2/municipality/0000/year/2023",
        "<!DOCTYPE html><html><body>Service Unavailable</body></html>",
        Content_Type="text/html",
    )
    with pytest.raises(CommandError, match="HTML-sida i stället för JSON"):
        fetch("kolada", "--base-url", server.base, "--kpi", "N2", "--year", "2023")
    assert not Observation.objects.exists()


def test_fetch_scb_reads_config_and_imports(db, server):
    server.add_file("/config", "config.json")
    server.add_file("/tables/TAB6471/metadata", "TAB6471_metadata.json")
    server.add_file("/tables/TAB6471/data", "TAB6471_data.json")
    indicator = Indicator.objects.create(
        code="folkmangd-manad", title="t", definition="d", unit="antal", source_kind="scb"
    )
    output = fetch(
        "scb",
        "--base-url",
        server.base,
        "--table",
        "TAB6471",
        "--indicator",
        "folkmangd-manad",
        "--select",
        "Region=01",
        "--select",
        "Tid=2026M01,2026M02",
    )
    assert "SCB TAB6471: 2772 observationer" in output
    assert Observation.objects.filter(indicator=indicator).count() == 2772
    assert any("outputFormat=json-stat2" in r for r in server.requests)


def test_fetch_offline_fails_fast(db):
    Indicator.objects.create(
        code="folkmangd-manad", title="t", definition="d", unit="antal", source_kind="scb"
    )
    with pytest.raises(CommandError, match="offline"):
        fetch("scb", "--base-url", "http://127.0.0.1:9", "--table", "TAB6471",
              "--indicator", "folkmangd-manad")  # fmt: skip
    assert not Observation.objects.exists()
