from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from samverkan.reports.tests.conftest import SOMALI, YEAR


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "html"])
def test_report_county_writes_the_file(county_data, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command(
        "report",
        "county",
        "12",
        "--format",
        fmt,
        "-o",
        str(out),
        "--from",
        str(YEAR),
        stderr=io.StringIO(),
    )
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "docx":
        assert SOMALI in "\n".join(
            c.text for t in docx.Document(out).tables for r in t.rows for c in r.cells
        )
    elif fmt == "xlsx":
        assert "Aktörer" in openpyxl.load_workbook(out).sheetnames
    else:
        assert SOMALI in data.decode()


def test_report_national_with_sections_and_snapshot(county_data, tmp_path):
    out = tmp_path / "riket.xlsx"
    args = [
        "report",
        "national",
        "--format",
        "xlsx",
        "--from",
        str(YEAR),
        "--sections",
        "organisations,indicators",
        "--snapshot",
        "2025-01-01T00:00:00+00:00",
    ]
    call_command(*args, "-o", str(out), stderr=io.StringIO())
    first = out.read_bytes()
    call_command(*args, "-o", str(out), stderr=io.StringIO())
    assert out.read_bytes() == first
    assert openpyxl.load_workbook(io.BytesIO(first)).sheetnames[1:3] == [
        "Aktörer",
        "Indikatorer och mål",
    ]


def test_unknown_county_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="Välj ett län för en länsrapport."):
        call_command("report", "county", "99", "-o", str(tmp_path / "x.pdf"))
