"""``samverkan indicators flatten|import`` from the command line."""

import csv
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
